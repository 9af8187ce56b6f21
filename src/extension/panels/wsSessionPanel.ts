/**
 * WebSocket session panels: one per WS block. Sending the block starts an interactive session in it
 * (a new one replaces the current); the panel shows the state, the handshake and the live frame log, and
 * sends, pings and closes on request. Closing the panel closes the socket.
 */
import * as vscode from 'vscode';
import type { WsExchange } from '../../core/exchange';
import type { WsRequestSpec } from '../../core/request';
import { isSessionRequest, isSessionToHost, type HostToSession, type SessionRequest } from '../../shared/messages';
import { Disposable } from '../lifecycle';
import type { ActionResult } from './bodyActions';
import { BlockPanels, panelResources, type BlockPanel } from './blockPanels';
import type { BlockTarget } from './responsePanel';
import { WsSessionController, type ControllerOptions, type WsSessionLike } from './wsSessionController';
import { renderSessionHtml } from './wsSessionContent';

export const WS_SESSION_VIEW_TYPE = 'netreq.wsSession';

export interface SessionHandlers {
  resend(target: BlockTarget): void;
  cancel(target: BlockTarget): void;
  copy(text: string): Promise<ActionResult>;
  openText(content: string, language: string): Promise<ActionResult>;
}

export class WsSessionPanel extends Disposable implements BlockPanel {
  private controller?: WsSessionController;
  private readonly disposedEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    public target: BlockTarget,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: SessionHandlers,
    private readonly options: ControllerOptions = {},
  ) {
    super();
    panel.webview.html = renderSessionHtml(panelResources(panel.webview, extensionUri, 'session'));
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** The current session's controller (undefined before the first send). */
  get current(): WsSessionController | undefined {
    return this.controller;
  }

  reveal(): void {
    if (!this.panel.visible) this.panel.reveal(undefined, true);
  }

  /**
   * Starts a session in this panel (closing the one it had), connects and runs the block's messages.
   * Resolves with the live exchange when the script is done; the session stays open.
   */
  start(session: WsSessionLike, spec: WsRequestSpec, title: string, signal: AbortSignal): Promise<WsExchange> {
    void this.controller?.dispose({ code: 1000, reason: 'replaced by a new session' });
    const c = new WsSessionController(session, spec, title, (m) => this.post(m), this.options);
    this.controller = c;
    this.panel.title = `⇅ ${title}`;
    c.postSnapshot();
    return c.run(signal);
  }

  private post(msg: HostToSession): void {
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(m: unknown): void {
    if (!isSessionToHost(m)) return;
    if (isSessionRequest(m)) {
      void this.answer(m);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.controller?.postSnapshot();
        break;
      case 'resend':
        this.handlers.resend(this.target);
        break;
      case 'cancel':
        this.handlers.cancel(this.target);
        break;
    }
  }

  /** Handles a request from the webview (or the API) and posts the reply. */
  async answer(m: SessionRequest): Promise<ActionResult> {
    let result: ActionResult;
    try {
      result = await this.handle(m);
    } catch (err) {
      result = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    this.post({ type: 'reply', id: m.id, ok: result.ok, message: result.message });
    return result;
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
    this.disposedEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }
}

export class WsSessionPanelManager extends BlockPanels<WsSessionPanel> {
  constructor(extensionUri: vscode.Uri, handlers: SessionHandlers, options: ControllerOptions = {}) {
    super({ viewType: WS_SESSION_VIEW_TYPE, title: '⇅ WebSocket', retainContextWhenHidden: true }, extensionUri, (target, panel) => new WsSessionPanel(target, panel, extensionUri, handlers, options));
  }
}
