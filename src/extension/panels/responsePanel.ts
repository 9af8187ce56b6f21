/**
 * Response panels: by default one panel that follows the block sent (netreq.response.panel `single`; a pinned
 * panel stays with its block), else one WebviewPanel per block (keyed by document + block @name, else block
 * index), reused when that block is sent again. The HTML shell is static; the state goes over postMessage
 * after the webview says `ready` (again when it is shown again, unless its context is retained: single mode).
 */
import * as vscode from 'vscode';
import type { HttpExchange } from '../../core/exchange';
import { isWebviewRequest, isWebviewToHost, type AssertsMessage, type ExchangeMessage, type JsonViewerAnswer, type JsonViewerRequest, type RefusedMessage, type SendingMessage, type WebviewRequest, type WebviewToHost } from '../../shared/messages';
import { JSON_REQUESTS } from '../../shared/bodyMessages';
import { headerValue } from '../../common/format';
import { JsonBodyHost } from './jsonBodyHost';
import type { ActionResult } from './bodyActions';
import type { BlockTarget } from './blockTarget';
import { BlockPanels, panelResources, type PanelMode } from './panelRegistry';
import type { BlockHandlers } from './panelHost';
import { SendPanelHost } from './sendPanel';
import { exchangeMessage, renderResponseHtml } from './responseContent';

export const RESPONSE_VIEW_TYPE = 'netreq.response';

/** What the panels ask of the rest of the extension. */
export interface PanelHandlers extends BlockHandlers {
  openBody(x: HttpExchange | undefined): Promise<ActionResult>;
  saveBody(x: HttpExchange | undefined, near: vscode.Uri): Promise<ActionResult>;
  copyBody(x: HttpExchange | undefined): Promise<ActionResult>;
  copy(text: string): Promise<ActionResult>;
}

/** Open body / Save body in a panel restored after a window reload (its page shows a saved copy only). */
const NOT_KEPT: ActionResult = { ok: false, message: 'The body is not kept across a window reload: ↻ Send again to get it.' };

export class ResponsePanel extends SendPanelHost<ExchangeMessage, HttpExchange, WebviewToHost, JsonViewerAnswer> {
  private readonly activeEmitter = this.register(new vscode.EventEmitter<void>());
  /** The JSON viewer's body (formatted and indexed for the exchange shown, dropped with it). */
  readonly jsonBody = new JsonBodyHost();
  readonly onDidBecomeActive = this.activeEmitter.event;

  constructor(
    target: BlockTarget,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    const r = panelResources(panel.webview, extensionUri, 'response', ['response']);
    super(target, panel, { html: renderResponseHtml({ ...r, styleUri: r.styleUris[0] }), isMessage: isWebviewToHost, handlers, titleMark: '↩' });
    this.register(
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) this.activeEmitter.fire();
      }),
    );
    this.register({ dispose: () => this.jsonBody.clear() });
  }

  /** The state the webview shows (for tests through the extension API). */
  get state(): { sending?: SendingMessage; exchange?: ExchangeMessage; refused?: RefusedMessage; asserts?: AssertsMessage } {
    return { sending: this.sending, exchange: this.result, refused: this.refused, asserts: this.asserts };
  }

  showExchange(x: HttpExchange, title: string, previewLimit: number, maxResponseBytes: number): void {
    const body = x.response?.body;
    // A JSON body over the preview: the page will ask for its lines, so formatting starts now.
    const bodyKey = this.jsonBody.show(body, headerValue(x.response?.headers ?? [], 'content-type'), !!body && body.length > previewLimit);
    this.showResult(x, { ...exchangeMessage(x, title, previewLimit, maxResponseBytes), bodyKey }, title);
  }

  protected onMessage(m: WebviewToHost): void {
    if (JSON_REQUESTS.has(m.type)) void this.jsonBody.answer(m as JsonViewerRequest).then((a) => this.post(a));
    else if (isWebviewRequest(m)) void this.answer(m);
  }

  private answer(m: WebviewRequest): Promise<ActionResult> {
    const x = this.lastExchange;
    return this.reply(m.id, () => {
      switch (m.type) {
        case 'openBodyInEditor':
          return x ? this.handlers.openBody(x) : Promise.resolve(NOT_KEPT);
        case 'saveBody':
          return x ? this.handlers.saveBody(x, this.target.uri) : Promise.resolve(NOT_KEPT);
        case 'copyBody':
          return x ? this.handlers.copyBody(x) : Promise.resolve(NOT_KEPT);
        case 'copy':
          return this.handlers.copy(m.text);
      }
    });
  }
}

export class ResponsePanelManager extends BlockPanels<ResponsePanel> {
  private lastActive?: ResponsePanel;

  constructor(extensionUri: vscode.Uri, handlers: PanelHandlers, mode: () => PanelMode = () => 'perBlock') {
    super(
      // Kept alive while hidden only in single mode: one panel (and the ones the user pins), each page bounded
      // by netreq.response.previewBytes; per-block panels are rebuilt from the host's state when shown again.
      { viewType: RESPONSE_VIEW_TYPE, title: '↩ Response', retainContextWhenHidden: () => mode() === 'single' },
      extensionUri,
      (target, panel) => new ResponsePanel(target, panel, extensionUri, handlers),
      mode,
    );
  }

  protected override attached(p: ResponsePanel): void {
    this.lastActive = p;
    p.onDidBecomeActive(() => (this.lastActive = p));
    p.onDidDispose(() => {
      if (this.lastActive === p) this.lastActive = undefined;
    });
  }

  /** The focused response panel, else the one used last. */
  get current(): ResponsePanel | undefined {
    return this.all().find((p) => p.active) ?? this.lastActive;
  }
}
