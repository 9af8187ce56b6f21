/**
 * The WebSocket session view: state, handshake, the live frame log and the message box (text or hex),
 * Ping and Close. This file holds the page and its tabs; the parts are components in ./session/ (header and
 * handshake, frame log, composer). Text nodes only; no globals (the DOM and the way to post come in, so unit
 * tests use a fake document).
 */
import type { AssertsMessage, HostToSession, SessionRequest, SessionToHost, WsLogFrame, WsSessionInfo } from '../shared/messages';
import { formatMs } from '../common/format';
import { Builder, type DomDocument, type DomElement } from './dom';
import { renderSocketConnection, tabBar } from './parts';
import { renderTlsDetails, renderWaterfall } from './tabs';
import { assertsBadge, renderTests } from './testsView';
import { Composer, type ComposerUi, type NewRequest } from './session/composer';
import { FrameLog } from './session/frameLog';
import { handshakeTimings, renderHandshake, renderSessionBanner, renderSessionHeader } from './session/header';

export { handshakeTimings } from './session/header';
export { FRAME_HEX_LIMIT, FRAME_TEXT_LIMIT } from './session/frameLog';

export type SessionTab = 'messages' | 'handshake' | 'timing' | 'tls' | 'connection' | 'tests';

export interface SessionUi extends ComposerUi {
  tab: SessionTab;
}

export const DEFAULT_SESSION_UI: SessionUi = { tab: 'messages', format: 'text', draft: '', closeCode: '1000', closeReason: '' };

export interface SessionHooks {
  /** Wraps appending frames to the log (the page keeps the log scrolled to the end when it was there). */
  aroundAppend?(append: () => void): void;
}

export class SessionView {
  private readonly b: Builder;
  private info?: WsSessionInfo;
  /** The asserts of the session shown (evaluated when it closed). */
  private asserts?: AssertsMessage;
  private readonly log: FrameLog;
  private readonly composer: Composer;
  private nextId = 1;
  private readonly pending = new Map<number, SessionRequest['type']>();
  // Containers that stay while the page is shown; each is refilled on its own.
  private readonly header: DomElement;
  private readonly banner: DomElement;
  private readonly tabs: DomElement;
  private readonly content: DomElement;

  constructor(
    doc: DomDocument,
    root: DomElement,
    private readonly post: (m: SessionToHost) => void,
    public ui: SessionUi = { ...DEFAULT_SESSION_UI },
    private readonly onUiChange: (ui: SessionUi) => void = () => undefined,
    hooks: SessionHooks = {},
  ) {
    this.b = new Builder(doc);
    const b = this.b;
    this.log = new FrameLog(b, (m) => this.request(m), hooks.aroundAppend ? (append) => hooks.aroundAppend!(append) : undefined);
    this.composer = new Composer(b, {
      ui: () => this.ui,
      setUi: (change, rerender) => this.setUi(change, rerender),
      state: () => this.info?.state,
      request: (m) => this.request(m),
    });
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
    return this.log.frames.length;
  }

  /** The session shown (undefined before the first state). */
  get sessionInfo(): WsSessionInfo | undefined {
    return this.info;
  }

  /** Frames the session had in all (the log keeps the last `logCap`). */
  get frameTotal(): number {
    return this.log.total;
  }

  /** The frames in the log now, oldest first. */
  get frames(): readonly WsLogFrame[] {
    return this.log.frames;
  }

  handle(msg: HostToSession): void {
    switch (msg.type) {
      case 'wsSession':
        if (msg.info.sessionId !== this.info?.sessionId) this.asserts = undefined;
        this.log.reset(msg.frames, msg.total, msg.info.logCap, msg.info.sessionId === this.info?.sessionId);
        this.info = msg.info;
        this.render();
        break;
      case 'wsUpdate': {
        const fresh = msg.info.sessionId !== this.info?.sessionId;
        this.info = msg.info;
        if (fresh) {
          this.asserts = undefined;
          // A session this page has not seen from the start: its frames come with the next full state.
          this.log.clear();
          this.render();
        } else {
          this.composer.stateChanged(msg.info.state);
          this.renderHeader();
          this.renderBanner();
          if (this.ui.tab === 'messages' && this.composer.shown) this.composer.sync();
          else this.renderContent();
        }
        break;
      }
      case 'wsFrames':
        if (!this.info || msg.sessionId !== this.info.sessionId) return;
        // The frame count in the header.
        if (this.log.append(msg.frames, msg.total, this.info.logCap)) this.renderHeader();
        break;
      case 'asserts':
        if (!this.info || msg.sessionId !== this.info.sessionId) return;
        this.asserts = msg;
        this.renderHeader();
        this.renderContent();
        break;
      case 'reply': {
        const type = this.pending.get(msg.id);
        if (!type) return;
        this.pending.delete(msg.id);
        // Copy and Open in editor say how it went there too: the message box's status line is the one place for replies.
        this.composer.showNotice(msg.ok, msg.message ?? (msg.ok ? `Done (${type}).` : `Failed (${type}).`));
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

  /** Sends what is in the message box (hex is checked here first, and again on the host). */
  sendDraft(): void {
    this.composer.sendDraft();
  }

  ping(): void {
    this.composer.ping();
  }

  close(): void {
    this.composer.close();
  }

  private setUi(change: Partial<SessionUi>, rerender = true): void {
    this.ui = { ...this.ui, ...change };
    this.onUiChange(this.ui);
    if (rerender) this.renderContent();
  }

  private renderHeader(): void {
    renderSessionHeader(this.b, this.header, this.info, this.log.total, (m) => this.post(m));
    if (this.asserts) this.header.appendChild(assertsBadge(this.b, this.asserts));
  }

  private renderBanner(): void {
    renderSessionBanner(this.b, this.banner, this.info);
  }

  private renderContent(): void {
    const { b } = this;
    this.tabs.textContent = '';
    this.content.textContent = '';
    this.log.detach();
    this.composer.detach();
    const info = this.info;
    if (!info) return;
    const tabs: Array<[SessionTab, string]> = [
      ['messages', 'Messages'],
      ['handshake', 'Handshake'],
      ['timing', 'Timing'],
      ['tls', 'TLS'],
      ['connection', 'Connection'],
      ['tests', 'Tests'],
    ];
    const visible = tabs.filter(([id]) => (id !== 'tls' || info.exchange.request.tls || info.exchange.tls) && (id !== 'tests' || this.asserts));
    const current = visible.some(([id]) => id === this.ui.tab) ? this.ui.tab : 'messages';
    this.tabs.appendChild(tabBar(b, visible, current, (id) => this.setUi({ tab: id })));
    const x = info.exchange;
    switch (current) {
      case 'messages': {
        const root = b.el('div', 'tab-content tab-messages');
        this.log.render(root, info.logCap);
        root.appendChild(this.composer.render());
        this.content.appendChild(root);
        break;
      }
      case 'handshake':
        this.content.appendChild(renderHandshake(b, info));
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
      case 'tests':
        if (this.asserts) this.content.appendChild(renderTests(b, this.asserts));
        break;
    }
  }
}
