/**
 * What the WebSocket session panel hands to its webview, as pure functions (no `vscode` import): the HTML
 * shell, frames as log entries (data capped, base64) and the session info (everything but the frames).
 */
import type { WsExchange, WsFrame } from '../../core/exchange';
import { bytesJson } from '../../core/serialize';
import { describeClose } from '../../core/sockets/ws';
import type { WsLogFrame, WsSessionInfo } from '../../shared/messages';
import type { PanelHtmlParams } from './transcriptContent';
import { renderWebviewHtml } from './webviewShell';

export function renderSessionHtml(params: PanelHtmlParams): string {
  return renderWebviewHtml({ ...params, title: 'NetReq WebSocket session' });
}

/** One frame for the webview, its data cut at `limit` bytes (with `totalLength` then). */
export function logFrame(seq: number, f: WsFrame, limit: number): WsLogFrame {
  const out: WsLogFrame = { seq, dir: f.dir, at: f.at, opcode: f.opcode, data: bytesJson(f.data, Math.max(0, limit)) };
  if (f.opcode === 'close') {
    out.closeCode = f.closeCode;
    out.closeWords = f.closeCode === undefined ? 'no status code' : describeClose(f.closeCode, f.data.toString('utf8'));
  }
  // The pong NetReq sent on its own for a ping: the row says "(automatic)".
  if (f.auto) out.auto = true;
  return out;
}

/**
 * Frames for one message: each carries at most `perFrame` bytes and all together at most `budget`; the
 * newest frames get the budget first (older ones past it carry no data, only their size).
 */
export function logFrames(entries: ReadonlyArray<{ seq: number; frame: WsFrame }>, perFrame: number, budget: number): WsLogFrame[] {
  const out = new Array<WsLogFrame>(entries.length);
  let left = Math.max(0, budget);
  for (let i = entries.length - 1; i >= 0; i--) {
    const { seq, frame } = entries[i];
    const take = Math.min(perFrame, left, frame.data.length);
    left -= take;
    out[i] = logFrame(seq, frame, take);
  }
  return out;
}

export interface SessionInfoInput {
  title: string;
  exchange: WsExchange;
  script: WsSessionInfo['script'];
  logCap: number;
  frameDataLimit: number;
  /** Epoch ms now (for the elapsed time of an open session). */
  now: number;
}

/** Everything but the frames; a refused upgrade's body capped at the frame data limit. */
export function sessionInfo(input: SessionInfoInput): WsSessionInfo {
  const { frames: _frames, handshake, ...rest } = input.exchange;
  const { responseBody, ...head } = handshake;
  const x = input.exchange;
  const closed = x.state === 'closed';
  const info: WsSessionInfo = {
    sessionId: x.id,
    title: input.title,
    state: x.state,
    exchange: {
      ...rest,
      request: { ...rest.request, headers: rest.request.headers.map(([k, v]) => [k, v] as [string, string]), protocols: [...rest.request.protocols] },
      handshake: { ...head, responseHeaders: head.responseHeaders.map(([k, v]) => [k, v] as [string, string]) },
      timings: { ...x.timings },
    },
    elapsedMs: closed ? x.timings.total : Math.max(0, input.now - x.startedAt),
    script: { ...input.script },
    logCap: input.logCap,
    frameDataLimit: input.frameDataLimit,
  };
  if (responseBody) info.exchange.handshake.responseBody = bytesJson(responseBody, input.frameDataLimit);
  if (closed && (x.closeCode !== undefined || x.closeReason)) info.closeWords = describeClose(x.closeCode, x.closeReason);
  return info;
}
