/**
 * WebSocket session panels: one per WS block. Sending the block starts an interactive session in it
 * (a new one replaces the current); the panel shows the state, the handshake and the live frame log, and
 * sends, pings and closes on request. Closing the panel closes the socket.
 */
import type * as vscode from 'vscode';
import type { WsExchange } from '../../core/exchange';
import type { WsRequestSpec } from '../../core/request';
import { isSessionRequest, isSessionToHost, type AssertsMessage, type HostToSession, type SessionRequest, type SessionToHost } from '../../shared/messages';
import type { ActionResult } from './bodyActions';
import { BlockPanels, panelResources } from './panelRegistry';
import { BlockPanelHost, type BlockHandlers } from './panelHost';
import type { BlockTarget } from './blockTarget';
import { WsSessionController, type ControllerOptions, type WsSessionLike } from './wsSessionController';
import { renderSessionHtml } from './wsSessionContent';

export const WS_SESSION_VIEW_TYPE = 'netreq.wsSession';

export interface SessionHandlers extends BlockHandlers {
  copy(text: string): Promise<ActionResult>;
  openText(content: string, language: string): Promise<ActionResult>;
}

export class WsSessionPanel extends BlockPanelHost<HostToSession, SessionToHost> {
  private controller?: WsSessionController;
  /** The asserts of the current session (evaluated when it closed). */
  private asserts?: AssertsMessage;

  constructor(
    target: BlockTarget,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: SessionHandlers,
    private readonly options: ControllerOptions = {},
  ) {
    super(target, panel, renderSessionHtml(panelResources(panel.webview, extensionUri, 'session', ['response', 'sockets'])), isSessionToHost, handlers);
  }

  protected get live(): boolean {
    return this.controller !== undefined;
  }

  /** The current session's controller (undefined before the first send). */
  get current(): WsSessionController | undefined {
    return this.controller;
  }

  /**
   * Starts a session in this panel (closing the one it had), connects and runs the block's messages.
   * Resolves with the live exchange when the script is done; the session stays open.
   */
  start(session: WsSessionLike, spec: WsRequestSpec, title: string, signal: AbortSignal): Promise<WsExchange> {
    void this.controller?.dispose({ code: 1000, reason: 'replaced by a new session' });
    this.asserts = undefined;
    const c = new WsSessionController(session, spec, title, (m) => this.post(m), this.options);
    this.controller = c;
    this.panel.title = `⇅ ${title}`;
    c.postSnapshot();
    return c.run(signal);
  }

  protected replay(): void {
    this.controller?.postSnapshot();
    if (this.asserts) this.post(this.asserts);
  }

  /** The session's asserts (`msg.sessionId` names it; ignored when another session replaced it). */
  showAsserts(msg: AssertsMessage): void {
    if (msg.sessionId !== this.controller?.exchange.id) return;
    this.asserts = msg;
    this.post(msg);
  }

  /** The asserts shown (for tests through the extension API). */
  get assertsShown(): AssertsMessage | undefined {
    return this.asserts;
  }

  protected onMessage(m: SessionToHost): void {
    if (isSessionRequest(m)) void this.answer(m);
  }

  /** Handles a request from the webview (or the API) and posts the reply. */
  answer(m: SessionRequest): Promise<ActionResult> {
    return this.reply(m.id, () => this.handle(m));
  }

  private async handle(m: SessionRequest): Promise<ActionResult> {
    const c = this.controller;
    switch (m.type) {
      case 'copy':
        return this.handlers.copy(m.text);
      case 'wsOpenFrame': {
        const f = c?.frameText(m.seq);
        return f ? this.handlers.openText(f.content, f.language) : { ok: false, message: `Frame ${m.seq} is no longer kept in the log.` };
      }
      default:
        return c ? c.handle(m) : { ok: false, message: 'There is no session: send the block to connect.' };
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    void this.controller?.dispose();
    super.dispose();
  }
}

export class WsSessionPanelManager extends BlockPanels<WsSessionPanel> {
  constructor(extensionUri: vscode.Uri, handlers: SessionHandlers, options: ControllerOptions = {}) {
    super({ viewType: WS_SESSION_VIEW_TYPE, title: '⇅ WebSocket', retainContextWhenHidden: true }, extensionUri, (target, panel) => new WsSessionPanel(target, panel, extensionUri, handlers, options));
  }
}
