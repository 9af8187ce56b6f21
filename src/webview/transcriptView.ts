/**
 * The socket transcript view (TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST): every chunk or datagram with
 * its direction, time, size and peer, as visible text and hex side by side; the totals, why reading
 * stopped, the ECHO verdict, timings, TLS and the connection. Rebuilt from state with text nodes only;
 * no globals (the DOM and the way to post come in, so unit tests use a fake document).
 */
import { isHostToTranscript, type HostToTranscript, type TranscriptMessage, type TranscriptToHost } from '../shared/messages';
import type { SendPanelPage } from './boot';
import { decodeText, formatBytes, formatMs, statusClass } from '../common/format';
import { dnsView } from '../shared/dns';
import { describeStop, echoVerdict, isDatagramProtocol, protocolLabel, transcriptRows, transcriptTotals, type TranscriptRow } from '../shared/transcript';
import type { DomDocument, DomElement } from './dom';
import { SendView } from './sendState';
import { errorBanner, renderSocketConnection, tabBar } from './parts';
import { controlLegend, hexView, modeBar, rawTextView } from './bodyViews';
import { renderTlsDetails, renderWaterfall } from './tabs';
import { assertsBadge, renderTests } from './testsView';

export type TranscriptTab = 'transcript' | 'timing' | 'tls' | 'connection' | 'tests';
/** How each chunk shows: text and hex side by side, or one of them. */
export type ChunkMode = 'both' | 'text' | 'hex';

export interface TranscriptUi {
  tab: TranscriptTab;
  mode: ChunkMode;
}

export const DEFAULT_TRANSCRIPT_UI: TranscriptUi = { tab: 'transcript', mode: 'both' };

/** Most chunks rendered, and per chunk the most bytes shown as text and as hex. */
export const MAX_ROWS = 2000;
export const CHUNK_TEXT_LIMIT = 64 * 1024;
export const CHUNK_HEX_LIMIT = 16 * 1024;


export class TranscriptView extends SendView<TranscriptMessage, TranscriptToHost, TranscriptUi> {
  constructor(doc: DomDocument, root: DomElement, post: (m: TranscriptToHost) => void, ui: TranscriptUi = { ...DEFAULT_TRANSCRIPT_UI }, onUiChange: (ui: TranscriptUi) => void = () => undefined) {
    super(doc, root, post, ui, onUiChange, 'transcript');
  }

  copy(text: string): number {
    const id = this.s.request();
    this.post({ type: 'copy', id, text });
    return id;
  }

  render(): void {
    const { b } = this;
    const frame = this.frame('app transcript-app', 'Waiting for the transcript…');
    if (!frame) return;
    const { result: m, content } = frame;
    const x = m.exchange;
    // The status line and the tabs stay in view while the transcript scrolls (sticky); a DNS answer goes below.
    const head = b.el('div', 'sticky-head');
    content.appendChild(head);
    head.appendChild(this.statusLine(m));
    if (x.error) {
      head.appendChild(errorBanner(b, x.error));
      if (x.receivedBytes > 0) head.appendChild(b.el('p', 'muted', 'What was received before the failure is shown below.'));
    }
    const echo = echoVerdict(x);
    if (echo) head.appendChild(b.el('div', echo.ok ? 'echo echo-ok' : 'echo echo-bad', echo.text));
    if (this.s.reply) head.appendChild(b.el('div', this.s.reply.ok ? 'notice notice-info reply' : 'notice notice-error reply', this.s.reply.text));

    const tabs: Array<[TranscriptTab, string]> = [
      ['transcript', isDatagramProtocol(x.request.protocol) ? 'Datagrams' : 'Transcript'],
      ['timing', 'Timing'],
      ['tls', 'TLS'],
      ['connection', 'Connection'],
      ['tests', 'Tests'],
    ];
    const visible = tabs.filter(([id]) => (id !== 'tls' || x.request.protocol === 'tls' || x.tls) && (id !== 'tests' || this.s.asserts));
    const current = visible.some(([id]) => id === this.ui.tab) ? this.ui.tab : 'transcript';
    head.appendChild(tabBar(b, visible, current, (id) => this.setUi({ tab: id })));
    const dns = dnsView(x.dns);
    if (dns && current === 'transcript') content.appendChild(this.dnsSummary(dns));
    content.appendChild(this.tab(current, m));
  }

  /** DNS: the question, the status and flags, each section's records, the notes (the bytes are the chunks below). */
  private dnsSummary(d: NonNullable<ReturnType<typeof dnsView>>): DomElement {
    const { b } = this;
    const box = b.el('div', 'dns-summary');
    b.add(box, b.el('div', 'request-line', `DNS ${d.question}`));
    if (d.status) box.appendChild(b.el('div', d.ok ? 'echo echo-ok' : 'echo echo-bad', d.status));
    for (const s of d.sections) {
      box.appendChild(b.el('div', 'muted', s.title));
      for (const r of s.rows) box.appendChild(b.el('div', 'mono', r));
    }
    for (const n of d.notes) box.appendChild(b.el('div', 'notice notice-info', n));
    return box;
  }

  private statusLine(m: TranscriptMessage): DomElement {
    const { b } = this;
    const x = m.exchange;
    const totals = transcriptTotals(x);
    const failed = !!x.error && x.error.phase !== 'cancelled';
    const line = b.el('div', `status-line ${failed ? statusClass(undefined, true) : x.error ? 'status-none' : 'status-2xx'}`);
    b.add(
      line,
      b.el('span', 'status-code', protocolLabel(x.request.protocol)),
      b.el('span', 'status-reason', x.request.target),
      b.el('span', 'status-meta', `${totals.summary} · ${formatMs(x.timings.total)}`),
      this.s.asserts ? assertsBadge(b, this.s.asserts) : undefined,
      b.el('span', 'spacer'),
      b.button('↻ Send again', () => this.post({ type: 'resend' }), 'btn', 'Send this request again'),
    );
    const wrap = b.el('div', 'status');
    // A failure has its own banner; the stop line says why reading stopped otherwise.
    b.add(wrap, line, x.error ? undefined : b.el('div', 'request-line stop-line', describeStop(x.stop, x.stopDetail)));
    // Replies counted but not kept (a datagram flood): the engine's words, as text.
    if (typeof x.captureNote === 'string') b.add(wrap, b.el('div', 'request-line capture-note', `Not all kept: ${x.captureNote}`));
    return wrap;
  }

  private tab(id: TranscriptTab, m: TranscriptMessage): DomElement {
    const x = m.exchange;
    switch (id) {
      case 'transcript':
        return this.renderTranscript(m);
      case 'timing': {
        const root = this.b.el('div', 'tab-content tab-timing');
        const datagrams = isDatagramProtocol(x.request.protocol);
        const labels = datagrams
          ? { connect: 'Socket connect', wait: 'First reply', send: 'Datagram sent' }
          : { send: 'Payload sent', wait: 'Waiting (first byte)', download: 'Receiving' };
        root.appendChild(renderWaterfall(this.b, x.timings, labels));
        root.appendChild(this.b.el('p', 'muted', `Started ${new Date(x.startedAt).toISOString()}`));
        return root;
      }
      case 'tls':
        return renderTlsDetails(this.b, x.tls, x.request.protocol === 'tls');
      case 'connection':
        return renderSocketConnection(this.b, x.connection, {
          remoteLabel: x.request.protocol === 'multicast' ? 'Group' : undefined,
          note: isDatagramProtocol(x.request.protocol) ? 'UDP has no connection: these are the local socket and the address it sent to.' : undefined,
        });
      case 'tests':
        return this.s.asserts ? renderTests(this.b, this.s.asserts) : this.b.el('p', 'muted', 'This block has no asserts.');
    }
  }

  private renderTranscript(m: TranscriptMessage): DomElement {
    const { b } = this;
    const x = m.exchange;
    const root = b.el('div', 'tab-content tab-transcript');
    const toolbar = b.el('div', 'toolbar');
    b.add(
      toolbar,
      modeBar(
        b,
        [
          ['both', 'Text + Hex'],
          ['text', 'Text'],
          ['hex', 'Hex'],
        ],
        this.ui.mode,
        (mode) => this.setUi({ mode: mode as ChunkMode }),
      ),
      b.el('span', 'spacer'),
      controlLegend(b),
    );
    root.appendChild(toolbar);
    const rows = transcriptRows(x.transcript);
    if (rows.length === 0) root.appendChild(b.el('p', 'muted', 'Nothing was sent or received.'));
    for (const row of rows.slice(0, MAX_ROWS)) root.appendChild(this.chunk(row, m.dataLimit));
    if (rows.length > MAX_ROWS) root.appendChild(b.el('p', 'muted', `… and ${rows.length - MAX_ROWS} more ${transcriptTotals(x).unit}s not shown.`));
    root.appendChild(b.el('p', 'muted totals', transcriptTotals(x).summary));
    return root;
  }

  private chunk(row: TranscriptRow, dataLimit: number): DomElement {
    const { b } = this;
    const box = b.el('div', `chunk chunk-${row.dir}`);
    const head = b.el('div', 'chunk-head');
    b.add(
      head,
      b.el('span', 'chunk-dir', `${row.arrow} ${row.dir}`),
      b.el('span', 'chunk-at', row.at),
      b.el('span', 'chunk-size', row.sizeText),
      row.peer ? b.el('span', 'chunk-peer', `${row.dir === 'received' ? 'from' : 'to'} ${row.peer}`) : undefined,
      b.el('span', 'spacer'),
      row.bytes.length > 0 ? b.button('Copy', () => this.copy(decodeText(row.bytes)), 'btn btn-small', 'Copy this chunk as text') : undefined,
    );
    box.appendChild(head);
    if (row.size === 0) {
      box.appendChild(b.el('p', 'muted', '(empty)'));
      return box;
    }
    if (row.bytes.length === 0) {
      box.appendChild(b.el('p', 'muted', `(not shown: past the ${formatBytes(dataLimit)} this view carries; setting netreq.response.previewBytes)`));
      return box;
    }
    const body = b.el('div', `chunk-body chunk-${this.ui.mode}`);
    if (this.ui.mode !== 'hex') body.appendChild(rawTextView(b, row.bytes, CHUNK_TEXT_LIMIT));
    if (this.ui.mode !== 'text') body.appendChild(hexView(b, row.bytes, CHUNK_HEX_LIMIT));
    box.appendChild(body);
    if (row.cut) box.appendChild(b.el('p', 'muted', `Showing the first ${formatBytes(row.bytes.length)} of ${row.sizeText} (setting netreq.response.previewBytes).`));
    return box;
  }
}

/** The page's own check of its saved UI state: anything unexpected gives the defaults. */
export function restoreTranscriptUi(state: unknown): TranscriptUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TranscriptUi>;
  const tabs = ['transcript', 'timing', 'tls', 'connection', 'tests'];
  return {
    tab: typeof s.tab === 'string' && tabs.includes(s.tab) ? s.tab : DEFAULT_TRANSCRIPT_UI.tab,
    mode: s.mode === 'text' || s.mode === 'hex' ? s.mode : 'both',
  };
}

/** The transcript page as the shared boot runs it. */
export const TRANSCRIPT_PAGE: SendPanelPage<HostToTranscript, TranscriptToHost, TranscriptUi> = {
  kind: 'transcript',
  resultType: 'transcript',
  isMessage: isHostToTranscript,
  restoreUi: restoreTranscriptUi,
  View: TranscriptView,
};
