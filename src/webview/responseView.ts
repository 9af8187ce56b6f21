/**
 * The response view: holds what the host last sent and the UI choices (tab, modes), and rebuilds the
 * page from them with text nodes only. No globals: the DOM and the way to post come in, so the unit
 * tests drive it with a fake document.
 */
import { isHostToWebview, type ExchangeMessage, type HostToWebview, type WebviewRequest, type WebviewToHost } from '../shared/messages';
import { isJsonViewerAnswerType, type JsonViewerAnswer } from '../shared/bodyMessages';
import type { SendPanelPage } from './boot';
import type { Builder, DomDocument, DomElement, DomEvent } from './dom';
import { JsonViewerSlot } from './jsonViewerSlot';
import { SendView } from './sendState';
import { formatBytes, formatMs, statusClass } from '../common/format';
import { address, PHASE_LABELS } from './parts';
import { conversionsSection } from './conversions';
import { assertsBadge, renderTests } from './testsView';
import { renderBody, renderConnection, renderHeaders, renderRaw, renderTiming, renderTls, type BodyMode, type RawMode, type TabActions } from './tabs';

export type TabId = 'body' | 'headers' | 'raw' | 'timing' | 'tls' | 'connection' | 'tests';

export interface UiState {
  tab: TabId;
  bodyMode: BodyMode;
  rawMode: RawMode;
}

export const DEFAULT_UI: UiState = { tab: 'body', bodyMode: 'auto', rawMode: 'text' };

const TABS: Array<[TabId, string]> = [
  ['body', 'Body'],
  ['headers', 'Headers'],
  ['raw', 'Raw'],
  ['timing', 'Timing'],
  ['tls', 'TLS'],
  ['connection', 'Connection'],
  ['tests', 'Tests'],
];

export class ResponseView extends SendView<ExchangeMessage, WebviewToHost, UiState> {
  /** The Body tab's JSON viewer, kept across redraws. */
  readonly json: JsonViewerSlot;

  constructor(doc: DomDocument, root: DomElement, post: (m: WebviewToHost) => void, ui: UiState = { ...DEFAULT_UI }, onUiChange: (ui: UiState) => void = () => undefined) {
    super(doc, root, post, ui, onUiChange, 'exchange');
    this.json = new JsonViewerSlot(this.b, (r) => this.post(r));
  }

  /** The JSON viewer's answers go to it (no redraw); everything else as every send page. */
  override handle(msg: HostToWebview): void {
    if (isJsonViewerAnswerType(msg.type)) this.json.take(msg as JsonViewerAnswer);
    else super.handle(msg as Exclude<HostToWebview, JsonViewerAnswer>);
  }

  /** A key pressed anywhere in the page (Ctrl+F, F3 for the JSON viewer's search); true when it was taken. */
  key(e: DomEvent): boolean {
    return this.json.key(e);
  }

  override tick(now = Date.now()): void {
    super.tick(now);
    this.json.tick();
  }

  /** Posts a request to the host; its reply shows in the notice line. */
  request(type: 'openBodyInEditor' | 'saveBody' | 'copyBody'): number;
  request(type: 'copy', text: string): number;
  request(type: WebviewRequest['type'], text?: string): number {
    const id = this.s.request();
    this.post(type === 'copy' ? { type, id, text: text ?? '' } : { type, id });
    return id;
  }

  render(): void {
    this.json.beginRender();
    this.draw();
    this.json.endRender();
  }

  private draw(): void {
    const { b } = this;
    const frame = this.frame('app', 'Waiting for a response…');
    if (!frame) return;
    const { result: m, content } = frame;
    // The status line and the tabs stay in view while the tab's content scrolls (sticky).
    const head = b.el('div', 'sticky-head');
    content.appendChild(head);
    head.appendChild(this.statusLine(m));
    const err = m.exchange.error;
    if (err) {
      const phase = PHASE_LABELS[err.phase] ?? err.phase;
      head.appendChild(
        b.add(
          b.el('div', err.phase === 'cancelled' ? 'banner banner-cancelled' : 'banner banner-error'),
          b.el('span', 'error-phase', err.phase === 'cancelled' ? 'Cancelled' : `${phase} failed`),
          b.el('span', 'error-message', err.message),
          err.code ? b.el('span', 'error-code', err.code) : undefined,
        ),
      );
      if (m.exchange.response || m.exchange.received.length > 0) head.appendChild(b.el('p', 'muted', 'What was received before the failure is shown below.'));
    }
    if (this.s.reply) head.appendChild(b.el('div', this.s.reply.ok ? 'notice notice-info reply' : 'notice notice-error reply', this.s.reply.text));

    const tabs = b.el('div', 'tabs');
    tabs.setAttribute('role', 'tablist');
    const visible = TABS.filter(([id]) => (id !== 'tls' || m.exchange.request.tls || m.exchange.tls) && (id !== 'tests' || this.s.asserts));
    const current = visible.some(([id]) => id === this.ui.tab) ? this.ui.tab : 'body';
    for (const [id, label] of visible) {
      const t = b.button(label, () => this.setUi({ tab: id }), id === current ? 'tab active' : 'tab');
      t.setAttribute('role', 'tab');
      t.setAttribute('aria-selected', String(id === current));
      tabs.appendChild(t);
    }
    head.appendChild(tabs);
    content.appendChild(this.tab(current, m));
  }

  private statusLine(m: ExchangeMessage): DomElement {
    const { b } = this;
    const x = m.exchange;
    const res = x.response;
    const line = b.el('div', `status-line ${statusClass(res?.status, !!x.error)}`);
    if (res) {
      b.add(line, b.el('span', 'status-code', String(res.status)), b.el('span', 'status-reason', res.reason || ' '));
    } else {
      b.add(line, b.el('span', 'status-code', x.error?.phase === 'cancelled' ? 'Cancelled' : 'No response'));
    }
    const size = res ? formatBytes(res.body.totalLength ?? res.body.length) : undefined;
    b.add(
      line,
      b.el('span', 'status-meta', [res?.version, formatMs(x.timings.total), size].filter(Boolean).join(' · ')),
      this.s.asserts ? assertsBadge(b, this.s.asserts) : undefined,
      b.el('span', 'spacer'),
      b.button('↻ Send again', () => this.post({ type: 'resend' }), 'btn', 'Send this request again'),
    );
    const wrap = b.el('div', 'status');
    b.add(wrap, line, requestRow(b, x.request), conversionsSection(b, x));
    return wrap;
  }

  private tab(id: TabId, m: ExchangeMessage): DomElement {
    const actions: TabActions = {
      openBodyInEditor: () => this.request('openBodyInEditor'),
      saveBody: () => this.request('saveBody'),
      copyBody: () => this.request('copyBody'),
      copy: (text) => this.request('copy', text),
      setBodyMode: (mode) => this.setUi({ bodyMode: mode }),
      setRawMode: (mode) => this.setUi({ rawMode: mode }),
      jsonViewer: (msg, body) => this.json.element(msg, body),
    };
    switch (id) {
      case 'body':
        return renderBody(this.b, m, this.ui.bodyMode, actions);
      case 'headers':
        return renderHeaders(this.b, m);
      case 'raw':
        return renderRaw(this.b, m, this.ui.rawMode, actions);
      case 'timing':
        return renderTiming(this.b, m);
      case 'tls':
        return renderTls(this.b, m);
      case 'connection':
        return renderConnection(this.b, m);
      case 'tests':
        return this.s.asserts ? renderTests(this.b, this.s.asserts) : this.b.el('p', 'muted', 'This block has no asserts.');
    }
  }
}

/** The URL's host:port as written (default port included), or undefined when it does not parse. */
function urlAddress(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

/**
 * The request as sent: method and URL, the HTTP version of the request line (HTTP/1.0 too), and where it
 * went when that is not the URL's host and port (`# @connect`, a `# @raw` block's connection).
 */
export function requestRow(b: Builder, r: ExchangeMessage['exchange']['request']): DomElement {
  const row = b.el('div', 'request-row');
  b.add(row, b.el('div', 'request-line', `${r.method} ${r.url}`), typeof r.version === 'string' && r.version ? b.el('span', 'request-version', r.version) : undefined);
  const to = typeof r.host === 'string' && typeof r.port === 'number' ? address(r.host, r.port) : undefined;
  const fromUrl = urlAddress(r.url);
  if (to && fromUrl !== undefined && fromUrl.toLowerCase() !== to.toLowerCase()) row.appendChild(b.el('span', 'request-via', `→ connected to ${to}`));
  return row;
}

/** The page's own check of its saved UI state: anything unexpected gives the defaults. */
export function restoreResponseUi(state: unknown): UiState {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<UiState>;
  return {
    tab: typeof s.tab === 'string' ? s.tab : DEFAULT_UI.tab,
    bodyMode: typeof s.bodyMode === 'string' ? s.bodyMode : DEFAULT_UI.bodyMode,
    rawMode: s.rawMode === 'hex' ? 'hex' : 'text',
  } as UiState;
}

/** The response page as the shared boot runs it. */
export const RESPONSE_PAGE: SendPanelPage<HostToWebview, WebviewToHost, UiState> = {
  kind: 'response',
  resultType: 'exchange',
  isMessage: isHostToWebview,
  restoreUi: restoreResponseUi,
  View: ResponseView,
};
