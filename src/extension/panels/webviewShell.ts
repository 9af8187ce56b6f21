/**
 * The static HTML shell every NetReq webview uses (response, socket transcript, WebSocket session):
 * a root element, the stylesheets and one nonce'd script, under a strict CSP. Pure (no `vscode`), so unit
 * tests check it in plain Node. It never contains exchange data: that travels in postMessage.
 */
import { randomUUID } from 'node:crypto';

export interface WebviewHtmlParams {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri(dist/webview/<entry>.js) */
  scriptUri: string;
  /** asWebviewUri(media/<name>.css), in order. */
  styleUris: readonly string[];
  /** The document title (a constant, never data). */
  title: string;
  /** Fresh per panel; defaults to crypto.randomUUID(). */
  nonce?: string;
}

export function escapeAttr(s: string): string {
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

export function renderWebviewHtml(params: WebviewHtmlParams): string {
  const nonce = params.nonce ?? randomUUID();
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error('invalid nonce');
  const csp = contentSecurityPolicy(params.cspSource, nonce);
  const links = params.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeAttr(params.title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${escapeAttr(params.scriptUri)}"></script>
</body>
</html>`;
}
