/**
 * What the response panel hands to its webview, as pure functions (no `vscode` import), so unit
 * tests check them in plain Node: the HTML shell (CSP, nonce, script and style, and no data at all)
 * and the `exchange` message (everything from the network travels there, body bytes as base64).
 */
import { randomUUID } from 'node:crypto';
import type { HttpExchange } from '../../core/exchange';
import { exchangeToJson } from '../../core/serialize';
import type { ExchangeMessage } from '../../shared/messages';

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

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The static HTML shell: a root element, the stylesheet and the nonce'd script. Never any exchange data. */
export function renderResponseHtml(params: ResponseHtmlParams): string {
  const nonce = params.nonce ?? randomUUID();
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error('invalid nonce');
  const csp = contentSecurityPolicy(params.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(params.styleUri)}">
<title>NetReq response</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${escapeAttr(params.scriptUri)}"></script>
</body>
</html>`;
}

/**
 * The `exchange` message for the webview: exchangeToJson with the body capped at `previewLimit`.
 * The raw (still content-encoded) body is left out (its size kept in totalLength): the Raw tab shows
 * the received bytes, and the Body tab the decoded body.
 */
export function exchangeMessage(x: HttpExchange, title: string, previewLimit: number, maxResponseBytes: number): ExchangeMessage {
  const json = exchangeToJson(x, previewLimit);
  if (json.response) {
    json.response = { ...json.response, rawBody: { base64: '', length: 0, totalLength: x.response?.rawBody.length ?? 0 } };
  }
  return { type: 'exchange', title, exchange: json, previewLimit, maxResponseBytes };
}
