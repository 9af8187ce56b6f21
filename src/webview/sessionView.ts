/**
 * The WebSocket session view: state, handshake, the live frame log and the message box (text or hex),
 * Ping and Close. Frames arrive in batches and are appended (the oldest removed past the log's cap);
 * the message box and the Close fields are built once per visit of the Messages tab so typing survives
 * updates. Text nodes only; no globals (the DOM and the way to post come in, so unit tests use a fake document).
 */
import type { HostToSession, SessionRequest, SessionToHost, WsInputFormat, WsLogFrame, WsSessionInfo } from '../shared/messages';
import type { Timings } from '../shared/model';
import { base64ToBytes, decodeText, formatBytes, formatMs } from '../common/format';
import { formatOffset, hexPreview, inlinePreview } from '../shared/transcript';
import { closeReasonProblem, parseCloseCode, parseHexInput } from '../shared/wsInput';
import { Builder, type DomDocument, type DomElement, type DomEvent, type DomField } from './dom';
import { errorBanner, renderSocketConnection, tabBar } from './parts';
import { CONTROL_LEGEND } from './transcriptView';
import { headerTable, hexView, modeBar, rawTextView, renderTlsDetails, renderWaterfall } from './tabs';

export type SessionTab = 'messages' | 'handshake' | 'timing' | 'tls' | 'connection';

export interface SessionUi {
  tab: SessionTab;
  format: WsInputFormat;
  /** What is in the message box (kept across updates and reloads). */
  draft: string;
  closeCode: string;
  closeReason: string;
}

export const DEFAULT_SESSION_UI: SessionUi = { tab: 'messages', format: 'text', draft: '', closeCode: '1000', closeReason: '' };

export interface SessionHooks {
  /** Wraps appending frames to the log (the page keeps the log scrolled to the end when it was there). */
  aroundAppend?(append: () => void): void;
}

/** Per frame, the most bytes shown as text / hex once expanded. */
export const FRAME_TEXT_LIMIT = 64 * 1024;
export const FRAME_HEX_LIMIT = 16 * 1024;

const STATE_TEXT: Record<WsSessionInfo['state'], string> = {
  connecting: '◌ Connecting…',
  open: '● Open',
  closing: '◐ Closing…',
  closed: '○ Closed',
};

/** The handshake's part of the timings: everything up to the 101, without the session's length. */
export function handshakeTimings(t: Timings): Timings {
  const { download: _download, total: _total, ...phases } = t;
  const total = Object.values(phases).reduce<number>((s, v) => s + (typeof v === 'number' && Number.isFinite(v) ? v : 0), 0);
  return { ...phases, total };
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A request before it gets its id. */
type NewRequest = SessionRequest extends infer R ? (R extends SessionRequest ? Omit<R, 'id'> : never) : never;

interface Composer {
  field: DomField;
  codeField: DomField;
  reasonField: DomField;
  status: DomElement;
  buttons: DomElement[];
}

export class SessionView {
  private readonly b: Builder;
  private info?: WsSessionInfo;
  private frames: WsLogFrame[] = [];
  private total = 0;
  private lastSeq = 0;
  private readonly expanded = new Set<number>();
  private nextId = 1;
  private readonly pending = new Map<number, SessionRequest['type']>();
  private notice?: { ok: boolean; text: string };
  // Containers that stay while the page is shown; each is refilled on its own.
  private readonly header: DomElement;
  private readonly banner: DomElement;
  private readonly tabs: DomElement;
  private readonly content: DomElement;
  // The Messages tab, while shown.
  private log?: { rows: DomElement; elements: DomElement[]; dropped: DomElement; empty?: DomElement };
  private composer?: Composer;

  constructor(
    doc: DomDocument,
    root: DomElement,
    private readonly post: (m: SessionToHost) => void,
    public ui: SessionUi = { ...DEFAULT_SESSION_UI },
    private readonly onUiChange: (ui: SessionUi) => void = () => undefined,
    private readonly hooks: SessionHooks = {},
  ) {
    this.b = new Builder(doc);
    const b = this.b;
    root.textContent = '';
    const app = b.el('div', 'app session-app');
    this.header = b.el('div', 'status session-status');
    this.banner = b.el('div', 'session-banner');
    this.tabs = b.el('div', 'session-tabs');
    this.content = b.el('div', 'session-content');
    b.add(app, this.header, this.banner, this.tabs, this.content);
    root.appendChild(app);
  }

  /** Frames in the log now (for tests). */
  get frameCount(): number {
    return this.frames.length;
  }

  handle(msg: HostToSession): void {
    switch (msg.type) {
      case 'wsSession':
        if (msg.info.sessionId !== this.info?.sessionId) this.expanded.clear();
        this.info = msg.info;
        this.frames = msg.frames.slice(-msg.info.logCap);
        this.total = msg.total;
        this.lastSeq = this.frames.length ? this.frames[this.frames.length - 1].seq : 0;
        this.render();
        break;
      case 'wsUpdate': {
        const fresh = msg.info.sessionId !== this.info?.sessionId;
        this.info = msg.info;
        if (fresh) {
          // A session this page has not seen from the start: its frames come with the next full state.
          this.frames = [];
          this.total = 0;
          this.lastSeq = 0;
          this.expanded.clear();
          this.render();
        } else {
          // A success note ("Close frame sent…") is stale once the state moved on; a problem stays.
          if (this.notice?.ok && msg.info.state !== 'open') this.showNotice(undefined);
          this.renderHeader();
          this.renderBanner();
          if (this.ui.tab === 'messages' && this.composer) this.syncComposer();
          else this.renderContent();
        }
        break;
      }
      case 'wsFrames':
        if (!this.info || msg.sessionId !== this.info.sessionId) return;
        this.append(msg.frames, msg.total);
        break;
      case 'reply': {
        const type = this.pending.get(msg.id);
        if (!type) return;
        this.pending.delete(msg.id);
        // Copy and Open in editor say how it went there too: the message box's status line is the one place for replies.
        this.showNotice(msg.ok, msg.message ?? (msg.ok ? `Done (${type}).` : `Failed (${type}).`));
        break;
      }
    }
  }

  /** Posts a request to the host; its reply shows in the message box's status line. */
  request(m: NewRequest): number {
    const id = this.nextId++;
    this.pending.set(id, m.type);
    this.post({ ...m, id } as SessionRequest);
    return id;
  }

  render(): void {
    this.renderHeader();
    this.renderBanner();
    this.renderContent();
  }

  private setUi(change: Partial<SessionUi>, rerender = true): void {
    this.ui = { ...this.ui, ...change };
    this.onUiChange(this.ui);
    if (rerender) this.renderContent();
  }

  // ------------------------------------------------------------ header and banner

  private renderHeader(): void {
    const { b } = this;
    const h = this.header;
    h.textContent = '';
    const info = this.info;
    if (!info) {
      h.appendChild(b.el('p', 'muted', 'Waiting for the session…'));
      return;
    }
    const x = info.exchange;
    const failed = !!x.error && x.error.phase !== 'cancelled';
    const line = b.el('div', `status-line ws-state-line ws-${info.state}${failed ? ' status-error' : ''}`);
    const busy = info.state === 'connecting' || info.script.running;
    b.add(
      line,
      b.el('span', `status-code ws-state ws-state-${info.state}`, STATE_TEXT[info.state]),
      b.el('span', 'status-reason', info.title),
      b.el('span', 'status-meta', this.meta(info)),
      b.el('span', 'spacer'),
      busy ? b.button('Cancel', () => this.post({ type: 'cancel' }), 'btn', 'Stop connecting / sending the block’s messages') : undefined,
      b.button('↻ Connect again', () => this.post({ type: 'resend' }), 'btn', 'Send this block again: a new session replaces this one'),
    );
    h.appendChild(line);
    h.appendChild(b.el('div', 'request-line', x.request.url));
    if (info.state === 'closed' && info.closeWords) {
      const by = x.closedBy === 'client' ? 'closed by NetReq' : x.closedBy === 'server' ? 'closed by the server' : 'connection lost';
      h.appendChild(b.el('div', 'ws-close-line', `${by}: ${info.closeWords}`));
    }
  }

  private meta(info: WsSessionInfo): string {
    const x = info.exchange;
    const parts: string[] = [];
    if (x.handshake.status) parts.push(`${x.handshake.status} ${x.handshake.reason ?? ''}`.trim());
    if (x.handshake.protocol) parts.push(`subprotocol ${x.handshake.protocol}`);
    parts.push(`${this.total} frame${this.total === 1 ? '' : 's'}`);
    if (info.state !== 'connecting') parts.push(`${info.state === 'closed' ? 'lasted' : 'open for'} ${formatMs(info.elapsedMs)}`);
    if (info.script.running && info.script.total > 0) parts.push(`sending the block’s messages: ${info.script.sent} of ${info.script.total}`);
    return parts.join(' · ');
  }

  private renderBanner(): void {
    this.banner.textContent = '';
    const err = this.info?.exchange.error;
    if (err) this.banner.appendChild(errorBanner(this.b, err));
  }

  // ------------------------------------------------------------ tabs

  private renderContent(): void {
    const { b } = this;
    this.tabs.textContent = '';
    this.content.textContent = '';
    this.log = undefined;
    this.composer = undefined;
    const info = this.info;
    if (!info) return;
    const tabs: Array<[SessionTab, string]> = [
      ['messages', 'Messages'],
      ['handshake', 'Handshake'],
      ['timing', 'Timing'],
      ['tls', 'TLS'],
      ['connection', 'Connection'],
    ];
    const visible = tabs.filter(([id]) => id !== 'tls' || info.exchange.request.tls || info.exchange.tls);
    const current = visible.some(([id]) => id === this.ui.tab) ? this.ui.tab : 'messages';
    this.tabs.appendChild(tabBar(b, visible, current, (id) => this.setUi({ tab: id })));
    const x = info.exchange;
    switch (current) {
      case 'messages':
        this.renderMessages();
        break;
      case 'handshake':
        this.content.appendChild(this.renderHandshake(info));
        break;
      case 'timing': {
        const root = b.el('div', 'tab-content tab-timing');
        root.appendChild(renderWaterfall(b, handshakeTimings(x.timings), { send: 'Upgrade request sent', wait: 'Waiting for 101', total: 'Handshake' }));
        root.appendChild(b.el('p', 'muted', `Started ${new Date(x.startedAt).toISOString()} · ${info.state === 'closed' ? 'the session lasted' : 'open for'} ${formatMs(info.elapsedMs)}`));
        this.content.appendChild(root);
        break;
      }
      case 'tls':
        this.content.appendChild(renderTlsDetails(b, x.tls, x.request.tls));
        break;
      case 'connection':
        this.content.appendChild(renderSocketConnection(b, x.connection));
        break;
    }
  }

  private renderHandshake(info: WsSessionInfo): DomElement {
    const { b } = this;
    const h = info.exchange.handshake;
    const req = info.exchange.request;
    const root = b.el('div', 'tab-content tab-handshake');
    root.appendChild(b.el('p', 'muted', CONTROL_LEGEND));
    root.appendChild(b.el('h3', undefined, 'Upgrade request (as sent)'));
    root.appendChild(h.requestHead ? rawTextView(b, utf8(h.requestHead)) : b.el('p', 'muted', 'Not sent (the connection failed first).'));
    root.appendChild(b.el('h3', undefined, 'Response'));
    if (h.status !== undefined) {
      const head = [`HTTP/1.1 ${h.status} ${h.reason ?? ''}`.trimEnd(), ...h.responseHeaders.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      root.appendChild(rawTextView(b, utf8(head)));
      root.appendChild(b.el('p', 'muted', 'Status line and headers as received (names as the server spelled them, in order).'));
      root.appendChild(headerTable(b, h.responseHeaders));
    } else {
      root.appendChild(b.el('p', 'muted', 'No response to the upgrade request.'));
    }
    root.appendChild(
      b.kvTable([
        ['Subprotocols asked for', req.protocols.length ? req.protocols.join(', ') : '(none)'],
        ['Negotiated subprotocol', h.protocol ?? '(none)'],
      ]),
    );
    if (h.responseBody) {
      const bytes = base64ToBytes(h.responseBody.base64);
      root.appendChild(b.el('h3', undefined, `Response body · ${formatBytes(h.responseBody.totalLength ?? h.responseBody.length)}`));
      root.appendChild(bytes.length ? rawTextView(b, bytes) : b.el('p', 'muted', '(empty)'));
    }
    return root;
  }

  // ------------------------------------------------------------ the frame log

  private renderMessages(): void {
    const { b } = this;
    const root = b.el('div', 'tab-content tab-messages');
    const dropped = b.el('p', 'muted ws-dropped');
    const rows = b.el('div', 'ws-log');
    rows.setAttribute('role', 'log');
    b.add(root, dropped, rows);
    this.log = { rows, elements: [], dropped };
    if (this.frames.length === 0) {
      this.log.empty = b.el('p', 'muted ws-empty', 'No frames yet.');
      rows.appendChild(this.log.empty);
    }
    for (const f of this.frames) this.appendRow(f);
    this.updateDropped();
    root.appendChild(this.renderComposer());
    this.content.appendChild(root);
  }

  private append(frames: WsLogFrame[], total: number): void {
    const info = this.info!;
    this.total = Math.max(this.total, total);
    const fresh = frames.filter((f) => f.seq > this.lastSeq);
    if (fresh.length > 0) this.lastSeq = fresh[fresh.length - 1].seq;
    this.frames.push(...fresh);
    const overflow = this.frames.length - info.logCap;
    const removed = overflow > 0 ? this.frames.splice(0, overflow) : [];
    for (const f of removed) this.expanded.delete(f.seq);
    const log = this.log;
    if (log) {
      const apply = () => {
        if (fresh.length && log.empty) {
          log.empty.remove();
          log.empty = undefined;
        }
        const add = fresh.length > info.logCap ? fresh.slice(-info.logCap) : fresh;
        for (const f of add) this.appendRow(f);
        const extra = log.elements.length - info.logCap;
        if (extra > 0) for (const e of log.elements.splice(0, extra)) e.remove();
        this.updateDropped();
      };
      if (this.hooks.aroundAppend) this.hooks.aroundAppend(apply);
      else apply();
    }
    // The frame count in the header.
    if (fresh.length) this.renderHeader();
  }

  private updateDropped(): void {
    if (!this.log) return;
    const dropped = this.total - this.frames.length;
    this.log.dropped.textContent = dropped > 0 ? `${dropped} older frame${dropped === 1 ? '' : 's'} dropped (the log keeps the last ${this.info?.logCap ?? this.frames.length}).` : '';
  }

  private appendRow(f: WsLogFrame): void {
    const log = this.log;
    if (!log) return;
    const { b } = this;
    const row = b.el('div', `ws-frame ws-${f.dir} ws-op-${f.opcode}`);
    const head = b.el('div', 'ws-frame-head');
    head.setAttribute('role', 'button');
    head.setAttribute('tabindex', '0');
    head.setAttribute('title', 'Show this frame as text and hex');
    const size = f.data.totalLength ?? f.data.length;
    b.add(
      head,
      b.el('span', 'ws-dir', f.dir === 'sent' ? '→' : '←'),
      b.el('span', 'ws-at', formatOffset(f.at)),
      b.el('span', 'ws-op', f.opcode),
      b.el('span', 'ws-size', formatBytes(size)),
      this.preview(f),
    );
    const detail = b.el('div', 'ws-frame-detail');
    const toggle = () => {
      if (this.expanded.has(f.seq)) {
        this.expanded.delete(f.seq);
        detail.textContent = '';
      } else {
        this.expanded.add(f.seq);
        this.fillDetail(detail, f);
      }
    };
    head.addEventListener('click', toggle);
    head.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        toggle();
      }
    });
    if (this.expanded.has(f.seq)) this.fillDetail(detail, f);
    b.add(row, head, detail);
    log.rows.appendChild(row);
    log.elements.push(row);
  }

  private preview(f: WsLogFrame): DomElement {
    const { b } = this;
    const span = b.el('span', 'ws-preview');
    const bytes = base64ToBytes(f.data.base64);
    if (f.opcode === 'close') {
      span.textContent = f.closeWords ?? 'close';
      return span;
    }
    if (f.opcode === 'text') {
      const p = inlinePreview(bytes, 200);
      for (const seg of p.segments) span.appendChild(seg.kind === 'text' ? b.text(seg.text) : b.el('span', `raw-${seg.kind}`, seg.text));
      if (p.cut || (f.data.totalLength ?? 0) > f.data.length) span.appendChild(b.el('span', 'muted', ' …'));
    } else {
      const p = hexPreview(bytes, 32);
      span.appendChild(b.el('span', 'mono', p.text));
      if (p.cut || (f.data.totalLength ?? 0) > f.data.length) span.appendChild(b.el('span', 'muted', ' …'));
    }
    if ((f.data.totalLength ?? f.data.length) === 0) span.appendChild(b.el('span', 'muted', '(empty)'));
    return span;
  }

  private fillDetail(detail: DomElement, f: WsLogFrame): void {
    const { b } = this;
    detail.textContent = '';
    const bytes = base64ToBytes(f.data.base64);
    const size = f.data.totalLength ?? f.data.length;
    const tools = b.el('div', 'toolbar');
    b.add(
      tools,
      b.el('span', 'muted', `Frame ${f.seq} · ${f.dir} · ${f.opcode} · ${formatBytes(size)}${f.closeCode !== undefined ? ` · code ${f.closeCode}` : ''}`),
      b.el('span', 'spacer'),
      bytes.length > 0 ? b.button('Copy text', () => this.request({ type: 'copy', text: decodeText(bytes) }), 'btn btn-small') : undefined,
      size > 0 ? b.button('Open in editor', () => this.request({ type: 'wsOpenFrame', seq: f.seq }), 'btn btn-small', 'Open the whole frame in an editor') : undefined,
    );
    detail.appendChild(tools);
    if (size === 0) {
      detail.appendChild(b.el('p', 'muted', '(no payload)'));
      return;
    }
    if (bytes.length < size) detail.appendChild(b.el('p', 'muted', `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(size)}; Open in editor shows all of it.`));
    if (bytes.length > 0) {
      const body = b.el('div', 'chunk-body chunk-both');
      b.add(body, rawTextView(b, bytes, FRAME_TEXT_LIMIT), hexView(b, bytes, FRAME_HEX_LIMIT));
      detail.appendChild(body);
    }
  }

  // ------------------------------------------------------------ the message box, Ping and Close

  private renderComposer(): DomElement {
    const { b } = this;
    const box = b.el('div', 'composer');
    const top = b.el('div', 'toolbar');
    const hint = this.ui.format === 'hex' ? 'Hex bytes, e.g. 48 65 6c 6c 6f (whitespace optional) · Enter sends · Shift+Enter: new line' : 'Enter sends · Shift+Enter: new line';
    b.add(
      top,
      modeBar(
        b,
        [
          ['text', 'Text'],
          ['hex', 'Hex'],
        ],
        this.ui.format,
        (mode) => {
          this.setUi({ format: mode as WsInputFormat });
          this.composer?.field.focus();
        },
      ),
      b.el('span', 'muted composer-hint', hint),
    );
    const field = b.field('textarea', 'composer-input', this.ui.format === 'hex' ? '48 65 6c 6c 6f' : 'Message text', this.ui.draft);
    field.setAttribute('rows', '3');
    field.setAttribute('aria-label', this.ui.format === 'hex' ? 'Binary message as hex' : 'Text message');
    field.addEventListener('input', () => {
      this.setUi({ draft: field.value }, false);
      this.showNotice(undefined);
    });
    field.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.sendDraft();
      }
    });
    const codeField = b.field('input', 'close-code', '1000', this.ui.closeCode);
    codeField.setAttribute('aria-label', 'Close code');
    codeField.setAttribute('size', '5');
    codeField.addEventListener('input', () => this.setUi({ closeCode: codeField.value }, false));
    const reasonField = b.field('input', 'close-reason', 'reason (optional)', this.ui.closeReason);
    reasonField.setAttribute('aria-label', 'Close reason');
    reasonField.addEventListener('input', () => this.setUi({ closeReason: reasonField.value }, false));
    const send = b.button('Send', () => this.sendDraft(), 'btn btn-primary', 'Send the message (Enter)');
    const ping = b.button('Ping', () => this.ping(), 'btn', 'Send a ping frame');
    const close = b.button('Close', () => this.close(), 'btn', 'Send a close frame with this code and reason');
    const status = b.el('div', 'composer-status');
    status.setAttribute('role', 'status');
    const actions = b.el('div', 'toolbar composer-actions');
    b.add(actions, send, ping, b.el('span', 'spacer'), b.el('span', 'muted', 'Close with code'), codeField, reasonField, close);
    b.add(box, top, field, actions, status);
    this.composer = { field, codeField, reasonField, status, buttons: [send, ping, close] };
    this.syncComposer();
    if (this.notice) this.showNotice(this.notice.ok, this.notice.text);
    return box;
  }

  /** Buttons usable only while open. */
  private syncComposer(): void {
    const c = this.composer;
    if (!c) return;
    const open = this.info?.state === 'open';
    for (const btn of c.buttons) {
      if (open) btn.removeAttribute('disabled');
      else btn.setAttribute('disabled', '');
    }
  }

  private showNotice(ok: boolean | undefined, text?: string): void {
    this.notice = ok === undefined || text === undefined ? undefined : { ok, text };
    const c = this.composer;
    if (!c) return;
    c.status.textContent = '';
    if (this.notice) {
      c.status.setAttribute('class', `composer-status ${this.notice.ok ? 'good' : 'bad'}`);
      c.status.textContent = this.notice.text;
    }
  }

  private notOpen(): boolean {
    const s = this.info?.state;
    if (s === 'open') return false;
    this.showNotice(false, s === 'connecting' ? 'The WebSocket is still connecting.' : `The WebSocket is ${s ?? 'not connected'}; use Connect again for a new session.`);
    return true;
  }

  /** Sends what is in the message box (hex is checked here first, and again on the host). */
  sendDraft(): void {
    const c = this.composer;
    const data = c ? c.field.value : this.ui.draft;
    if (this.ui.format === 'hex') {
      const hex = parseHexInput(data);
      if (!hex.ok) {
        this.showNotice(false, hex.error);
        return;
      }
    }
    if (this.notOpen()) return;
    this.request({ type: 'wsSend', format: this.ui.format, data });
  }

  ping(): void {
    if (this.notOpen()) return;
    this.request({ type: 'wsPing' });
  }

  close(): void {
    const c = this.composer;
    const code = parseCloseCode(c ? c.codeField.value : this.ui.closeCode);
    if (!code.ok) {
      this.showNotice(false, code.error);
      return;
    }
    const reason = c ? c.reasonField.value : this.ui.closeReason;
    const bad = closeReasonProblem(reason);
    if (bad) {
      this.showNotice(false, bad);
      return;
    }
    if (this.notOpen()) return;
    this.request({ type: 'wsClose', code: code.code, reason });
  }
}
