/**
 * What a block panel's webview keeps with `setState` so the panel survives a window reload, and the checks
 * both sides run on it. A reload keeps the webview's state (VS Code hands it to the extension's
 * WebviewPanelSerializer and back to the new page through getState), so it is bounded here: the last
 * exchange with its bytes cut to a preview (RESTORE_BYTES), and nothing at all past MAX_SAVED_CHARS. The
 * state comes back from the webview: the host and the page both treat it as untrusted input.
 * Imports neither `vscode` nor the DOM.
 */
import type { BytesJson, ExchangeMessage, RefusedMessage, TranscriptMessage, WsLogFrame, WsSessionMessage } from './messages';
import { isCount, isExchangeShape, isLogFrames, isRefusedShape, isSessionInfo, isTranscriptShape, record } from './shapes';

/** Which block a panel belongs to, as the webview keeps it (the host posts it on `ready`). */
export interface PanelTarget {
  uri: string;
  blockIndex: number;
  blockName?: string;
}

/** Host → block webview: the block this panel shows (kept in the page's state for a reload). */
export interface PanelTargetMessage {
  type: 'panelTarget';
  target: PanelTarget;
  /**
   * Whether the host has something for the panel (it posts it next). False after a window reload: the page
   * then shows what it saved, as a restored copy.
   */
  live: boolean;
}

/** Body / chunk / frame bytes kept for a restore (a multiple of 3, so base64 is cut on a whole group). */
export const RESTORE_BYTES = 192 * 1024;
/** Bytes of the request and response as sent / received kept for a restore (each). */
export const RESTORE_WIRE_BYTES = 48 * 1024;
/** The most characters of saved state (as JSON): past it only the UI state and the target are kept. */
export const MAX_SAVED_CHARS = 2 * 1024 * 1024;
const MAX_URI_CHARS = 8 * 1024;
const MAX_NAME_CHARS = 1024;

export type SavedLast = ExchangeMessage | RefusedMessage | TranscriptMessage | WsSessionMessage;

/** A block panel's saved state. */
export interface SavedPanel {
  /** The page's UI state (tab, modes, drafts): each page checks its own. */
  ui?: unknown;
  target?: PanelTarget;
  /** The last thing the panel showed, bounded. */
  last?: SavedLast;
  /** Bytes were left out of `last` for the restore (the panel says so once restored). */
  cut?: boolean;
  /** `last` was too big even bounded and was not kept. */
  dropped?: boolean;
}


/** A valid target, or undefined (host and webview both check it). */
export function panelTarget(v: unknown): PanelTarget | undefined {
  const o = record(v);
  if (!o) return undefined;
  const { uri, blockIndex, blockName } = o;
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_CHARS || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) return undefined;
  if (typeof blockIndex !== 'number' || !Number.isSafeInteger(blockIndex) || blockIndex < 0) return undefined;
  if (blockName !== undefined && (typeof blockName !== 'string' || blockName.length === 0 || blockName.length > MAX_NAME_CHARS)) return undefined;
  return blockName === undefined ? { uri, blockIndex } : { uri, blockIndex, blockName };
}

export function isPanelTargetMessage(m: unknown): m is PanelTargetMessage {
  const o = record(m);
  return !!o && o.type === 'panelTarget' && typeof o.live === 'boolean' && panelTarget(o.target) !== undefined;
}

/** These bytes cut to `limit` (a multiple of 3); `cut` is set when something was left out. */
export function cutBytes(j: BytesJson, limit: number, cut: { cut: boolean }): BytesJson {
  if (j.length <= limit) return j;
  cut.cut = true;
  return { base64: j.base64.slice(0, (limit / 3) * 4), length: limit, totalLength: j.totalLength ?? j.length };
}

function boundExchange(m: ExchangeMessage, cut: { cut: boolean }): ExchangeMessage {
  const x = m.exchange;
  const response = x.response && { ...x.response, body: cutBytes(x.response.body, RESTORE_BYTES, cut), rawBody: cutBytes(x.response.rawBody, 0, { cut: false }) };
  return { ...m, exchange: { ...x, sent: cutBytes(x.sent, RESTORE_WIRE_BYTES, cut), received: cutBytes(x.received, RESTORE_WIRE_BYTES, cut), response } };
}

function boundTranscript(m: TranscriptMessage, cut: { cut: boolean }): TranscriptMessage {
  let left = RESTORE_BYTES;
  const transcript = m.exchange.transcript.map((e) => {
    const take = Math.min(left, e.data.length) - (Math.min(left, e.data.length) % 3);
    const data = e.data.length <= left ? e.data : cutBytes(e.data, take, cut);
    left -= data.length;
    return { ...e, data };
  });
  return { ...m, exchange: { ...m.exchange, transcript } };
}

/** The newest frames get the budget first (as the live log does); older ones keep only their size. */
function boundSession(m: WsSessionMessage, cut: { cut: boolean }): WsSessionMessage {
  let left = RESTORE_BYTES;
  const frames = new Array<WsLogFrame>(m.frames.length);
  for (let i = m.frames.length - 1; i >= 0; i--) {
    const f = m.frames[i];
    const take = Math.min(left, f.data.length) - (Math.min(left, f.data.length) % 3);
    const data = f.data.length <= left ? f.data : cutBytes(f.data, take, cut);
    left -= data.length;
    frames[i] = { ...f, data };
  }
  const h = m.info.exchange.handshake;
  const handshake = h.responseBody ? { ...h, responseBody: cutBytes(h.responseBody, RESTORE_WIRE_BYTES, cut) } : h;
  return { ...m, info: { ...m.info, exchange: { ...m.info.exchange, handshake } }, frames };
}

/** The state to save: the last message bounded, and nothing of it when even that is too big. */
export function savedPanel(ui: unknown, target: PanelTarget | undefined, last: SavedLast | undefined): SavedPanel {
  const out: SavedPanel = { ui, target };
  if (!last) return out;
  const cut = { cut: false };
  const bounded =
    last.type === 'exchange' ? boundExchange(last, cut) : last.type === 'transcript' ? boundTranscript(last, cut) : last.type === 'wsSession' ? boundSession(last, cut) : last;
  let size: number;
  try {
    size = JSON.stringify(bounded).length;
  } catch {
    size = Infinity;
  }
  if (size > MAX_SAVED_CHARS) return { ...out, dropped: true };
  return { ...out, last: bounded, cut: cut.cut || undefined };
}

/** The fields a restored page reads, checked (the same checks as the live messages): a state that fails any of them is not rendered. */
function validLast(v: unknown, kind: SavedKind): SavedLast | undefined {
  const m = record(v);
  if (!m) return undefined;
  if (m.type === 'refused') return kind !== 'session' && isRefusedShape(m) ? (m as unknown as RefusedMessage) : undefined;
  if (kind === 'response' && m.type === 'exchange') return isExchangeShape(m) ? (m as unknown as ExchangeMessage) : undefined;
  if (kind === 'transcript' && m.type === 'transcript') return isTranscriptShape(m) ? (m as unknown as TranscriptMessage) : undefined;
  if (kind === 'session' && m.type === 'wsSession') return isSessionInfo(m.info) && isCount(m.total) && isLogFrames(m.frames) ? (m as unknown as WsSessionMessage) : undefined;
  return undefined;
}

export type SavedKind = 'response' | 'transcript' | 'session';

/**
 * The saved state of a page, checked (it comes from the webview): a bad target is left out, a `last` that
 * does not have the shape its page reads is left out (with `dropped`), and the UI state is handed on as it is
 * for the page's own checks.
 */
export function readSavedPanel(state: unknown, kind: SavedKind): SavedPanel {
  const o = record(state);
  if (!o) return {};
  const out: SavedPanel = { ui: o.ui ?? o, target: panelTarget(o.target) };
  if (o.last !== undefined) {
    const last = validLast(o.last, kind);
    if (last) out.last = last;
    else out.dropped = true;
  }
  if (o.cut === true) out.cut = true;
  if (o.dropped === true) out.dropped = true;
  return out;
}
