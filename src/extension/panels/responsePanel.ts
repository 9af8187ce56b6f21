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
import { PanelHost } from './panelHost';
import { exchangeMessage, renderResponseHtml } from './responseContent';
import { MANAGE_TRUST_COMMAND } from '../trust';

export const RESPONSE_VIEW_TYPE = 'netreq.response';

/** What the panels ask of the rest of the extension. */
export interface PanelHandlers {
  resend(target: BlockTarget): void;
  cancel(target: BlockTarget): void;
  openBody(x: HttpExchange | undefined): Promise<ActionResult>;
  saveBody(x: HttpExchange | undefined, near: vscode.Uri): Promise<ActionResult>;
  copy(text: string): Promise<ActionResult>;
}

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
          return this.handlers.openBody(this.exchange);
        case 'saveBody':
          return this.handlers.saveBody(this.exchange, this.target.uri);
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
    const key = panelKey(target);
    let p = this.panels.get(key);
    if (p) {
      p.target = target;
      p.reveal();
      return p;
    }
    const panel = vscode.window.createWebviewPanel(
      RESPONSE_VIEW_TYPE,
      '↩ Response',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableFindWidget: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    p = new ResponsePanel(target, panel, this.extensionUri, this.handlers);
    const created = p;
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
