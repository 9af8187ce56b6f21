/**
 * What the response panel hands to its webview, as pure functions (no `vscode` import), so unit
 * tests check them in plain Node: the HTML shell (CSP, nonce, script and style, and no data at all)
 * and the `exchange` message (everything from the network travels there, body bytes as base64).
 */
import type { HttpExchange } from '../../core/exchange';
import { httpExchangeToJson } from '../../core/serialize';
import type { ExchangeMessage } from '../../shared/messages';
import { renderWebviewHtml } from './webviewShell';

export { contentSecurityPolicy } from './webviewShell';

export interface ResponseHtmlParams {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri(dist/webview/response.js) */
  scriptUri: string;
  /** asWebviewUri(media/response.css) */
  styleUri: string;
  /** Fresh per panel; defaults to crypto.randomUUID(). */
  nonce?: string;
}

/** The static HTML shell: a root element, the stylesheet and the nonce'd script. Never any exchange data. */
export function renderResponseHtml(params: ResponseHtmlParams): string {
  return renderWebviewHtml({ cspSource: params.cspSource, scriptUri: params.scriptUri, styleUris: [params.styleUri], title: 'NetReq response', nonce: params.nonce });
}

/**
 * The `exchange` message for the webview: httpExchangeToJson with the body capped at `previewLimit`.
 * The raw (still content-encoded) body is left out (its size kept in totalLength): the Raw tab shows
 * the received bytes, and the Body tab the decoded body.
 */
export function exchangeMessage(x: HttpExchange, title: string, previewLimit: number, maxResponseBytes: number): ExchangeMessage {
  const json = httpExchangeToJson(x, previewLimit);
  if (json.response) {
    json.response = { ...json.response, rawBody: { base64: '', length: 0, totalLength: x.response?.rawBody.length ?? 0 } };
  }
  return { type: 'exchange', title, exchange: json, previewLimit, maxResponseBytes };
}
