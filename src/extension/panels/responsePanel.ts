/**
 * Response panels: one WebviewPanel per block (keyed by document + block @name, else block index),
 * reused when that block is sent again. The HTML shell is static; the state goes over postMessage
 * after the webview says `ready` (again each time it becomes visible: retainContextWhenHidden is off).
 */
import * as vscode from 'vscode';
import type { HttpExchange } from '../../core/exchange';
import { isWebviewRequest, isWebviewToHost, type ExchangeMessage, type HostToWebview, type RefusedMessage, type SendingMessage, type WebviewRequest } from '../../shared/messages';
import { Disposable } from '../lifecycle';
import type { ActionResult } from './bodyActions';
import { panelKey, type BlockTarget } from './blockTarget';
import { createBlockWebviewPanel, webviewOptions, type PanelKind } from './blockPanels';
import { PanelHost } from './panelHost';
import { exchangeMessage, renderResponseHtml } from './responseContent';
import { MANAGE_TRUST_COMMAND } from '../trust';

export const RESPONSE_VIEW_TYPE = 'netreq.response';
const RESPONSE_KIND: PanelKind = { viewType: RESPONSE_VIEW_TYPE, title: '↩ Response', retainContextWhenHidden: false };

/** What the panels ask of the rest of the extension. */
export interface PanelHandlers {
  resend(target: BlockTarget): void;
  cancel(target: BlockTarget): void;
  openBody(x: HttpExchange | undefined): Promise<ActionResult>;
  saveBody(x: HttpExchange | undefined, near: vscode.Uri): Promise<ActionResult>;
  copy(text: string): Promise<ActionResult>;
}

/** Open body / Save body in a panel restored after a window reload (its page shows a saved copy only). */
const NOT_KEPT: ActionResult = { ok: false, message: 'The body is not kept across a window reload: ↻ Send again to get it.' };

export class ResponsePanel extends PanelHost<HostToWebview> {
  private sending?: SendingMessage;
  private exchangeMsg?: ExchangeMessage;
  private refused?: RefusedMessage;
  private exchange?: HttpExchange;
  private readonly activeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidBecomeActive = this.activeEmitter.event;

  constructor(
    target: BlockTarget,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    super(
      target,
      panel,
      renderResponseHtml({
        cspSource: panel.webview.cspSource,
        scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'response.js')).toString(),
        styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'response.css')).toString(),
      }),
    );
    this.register(
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) this.activeEmitter.fire();
      }),
    );
  }

  protected get live(): boolean {
    return !!(this.exchangeMsg || this.refused || this.sending);
  }

  get lastExchange(): HttpExchange | undefined {
    return this.exchange;
  }

  /** The state the webview shows (for tests through the extension API). */
  get state(): { sending?: SendingMessage; exchange?: ExchangeMessage; refused?: RefusedMessage } {
    return { sending: this.sending, exchange: this.exchangeMsg, refused: this.refused };
  }

  get active(): boolean {
    return this.panel.active;
  }

  setTitle(title: string): void {
    this.panel.title = `↩ ${title}`;
  }

  showSending(msg: SendingMessage): void {
    this.sending = msg;
    this.refused = undefined;
    this.setTitle(msg.title);
    this.post(msg);
  }

  showExchange(x: HttpExchange, title: string, previewLimit: number, maxResponseBytes: number): void {
    this.sending = undefined;
    this.refused = undefined;
    this.exchange = x;
    this.exchangeMsg = exchangeMessage(x, title, previewLimit, maxResponseBytes);
    this.setTitle(title);
    this.post(this.exchangeMsg);
  }

  /** The block was not sent, and why (e.g. Restricted Mode refused a file or an environment variable). */
  showRefused(msg: RefusedMessage): void {
    this.sending = undefined;
    this.refused = msg;
    this.setTitle(msg.title);
    this.post(msg);
  }

  /** Ends the "sending" state without a new exchange (e.g. the request could not be resolved). */
  clearSending(): void {
    if (!this.sending) return;
    this.sending = undefined;
    if (this.exchangeMsg) this.post(this.exchangeMsg);
  }

  protected onMessage(m: unknown): void {
    if (!isWebviewToHost(m)) return;
    if (isWebviewRequest(m)) {
      void this.answer(m);
      return;
    }
    switch (m.type) {
      case 'ready':
        if (this.exchangeMsg) this.post(this.exchangeMsg);
        if (this.refused) this.post(this.refused);
        if (this.sending) this.post(this.sending);
        break;
      case 'manageTrust':
        void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
        break;
      case 'resend':
        this.handlers.resend(this.target);
        break;
      case 'cancel':
        this.handlers.cancel(this.target);
        break;
    }
  }

  private answer(m: WebviewRequest): Promise<ActionResult> {
    return this.reply(m.id, () => {
      switch (m.type) {
        case 'openBodyInEditor':
          return this.exchange ? this.handlers.openBody(this.exchange) : Promise.resolve(NOT_KEPT);
        case 'saveBody':
          return this.exchange ? this.handlers.saveBody(this.exchange, this.target.uri) : Promise.resolve(NOT_KEPT);
        case 'copy':
          return this.handlers.copy(m.text);
      }
    });
  }
}

export class ResponsePanelManager extends Disposable {
  private readonly panels = new Map<string, ResponsePanel>();
  private lastActive?: ResponsePanel;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    super();
  }

  get(target: BlockTarget): ResponsePanel | undefined {
    return this.panels.get(panelKey(target));
  }

  /** The panel for this block, created beside the editor when there is none yet, and brought into view. */
  show(target: BlockTarget): ResponsePanel {
    const p = this.panels.get(panelKey(target));
    if (p) {
      p.target = target;
      p.reveal();
      return p;
    }
    return this.attach(target, createBlockWebviewPanel(RESPONSE_KIND, this.extensionUri));
  }

  /**
   * A panel VS Code restored after a window reload, back in the registry (the page shows what it saved).
   * A block that already has a panel keeps it: the restored one closes.
   */
  adopt(target: BlockTarget, panel: vscode.WebviewPanel): ResponsePanel | undefined {
    if (this.panels.has(panelKey(target))) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    return this.attach(target, panel);
  }

  private attach(target: BlockTarget, panel: vscode.WebviewPanel): ResponsePanel {
    const key = panelKey(target);
    const created = new ResponsePanel(target, panel, this.extensionUri, this.handlers);
    this.panels.set(key, created);
    created.onDidBecomeActive(() => (this.lastActive = created));
    created.onDidDispose(() => {
      if (this.panels.get(key) === created) this.panels.delete(key);
      if (this.lastActive === created) this.lastActive = undefined;
    });
    this.lastActive = created;
    return created;
  }

  /** The focused response panel, else the one used last. */
  get current(): ResponsePanel | undefined {
    for (const p of this.panels.values()) if (p.active) return p;
    return this.lastActive;
  }

  get count(): number {
    return this.panels.size;
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    super.dispose();
  }
}
