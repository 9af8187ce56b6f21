/**
 * What the socket transcript panel hands to its webview, as pure functions (no `vscode` import): the
 * HTML shell and the `transcript` message (chunk bytes as base64, within a byte budget).
 */
import type { SocketExchange } from '../../core/exchange';
import { bytesJson, type SocketExchangeJson } from '../../core/serialize';
import type { TranscriptMessage } from '../../shared/messages';
import { renderWebviewHtml } from './webviewShell';

export interface PanelHtmlParams {
  cspSource: string;
  /** asWebviewUri(dist/webview/<entry>.js) */
  scriptUri: string;
  /** asWebviewUri(media/response.css), asWebviewUri(media/sockets.css) */
  styleUris: readonly string[];
  nonce?: string;
}

export function renderTranscriptHtml(params: PanelHtmlParams): string {
  return renderWebviewHtml({ ...params, title: 'NetReq transcript' });
}

/**
 * The exchange as JSON with at most `dataLimit` chunk bytes carried in all, earliest first: a chunk past
 * the budget carries its first part (or nothing) and says its real size in `totalLength`.
 */
export function transcriptJson(x: SocketExchange, dataLimit: number): SocketExchangeJson {
  let left = Math.max(0, Math.floor(dataLimit));
  const transcript = x.transcript.map((e) => {
    const take = Math.min(left, e.data.length);
    left -= take;
    return { ...e, data: bytesJson(e.data, take) };
  });
  return { ...x, transcript };
}

export function transcriptMessage(x: SocketExchange, title: string, dataLimit: number): TranscriptMessage {
  return { type: 'transcript', title, exchange: transcriptJson(x, dataLimit), dataLimit };
}
