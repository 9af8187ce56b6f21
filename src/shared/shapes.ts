/**
 * Shape checks shared by the webview-side message guards (messages.ts, trafficMessages.ts) and the checks of
 * restored state (restore.ts): the fields a page reads, as their types (strings are strings, counts are
 * whole numbers, lists hold what the page iterates). A message or state that fails is not rendered.
 * Imports neither `vscode` nor the DOM.
 */
import type { BytesJson } from '../core/serialize';

export function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isStr(v: unknown): v is string {
  return typeof v === 'string';
}

export function isOptional<T>(v: unknown, is: (v: unknown) => v is T): boolean {
  return v === undefined || is(v);
}

export function isBytes(v: unknown): v is BytesJson {
  const o = record(v);
  return !!o && typeof o.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(o.base64) && isCount(o.length) && (o.totalLength === undefined || isCount(o.totalLength));
}

export function isHeaders(v: unknown): boolean {
  return Array.isArray(v) && v.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string');
}

export function isTimings(v: unknown): boolean {
  const o = record(v);
  return !!o && Object.values(o).every((t) => t === undefined || isNum(t));
}

/** A `refused` message: a title, the problems in words, and whether Restricted Mode refused it. */
export function isRefusedShape(m: Record<string, unknown>): boolean {
  return isStr(m.title) && typeof m.restricted === 'boolean' && Array.isArray(m.problems) && m.problems.every(isStr);
}

/** The part every exchange has that the pages read: request, timings, start, and an error in words. */
function isExchangeBase(x: Record<string, unknown> | undefined): x is Record<string, unknown> {
  return !!x && !!record(x.request) && isTimings(x.timings) && isNum(x.startedAt) && (x.error === undefined || typeof record(x.error)?.message === 'string');
}

/** An `exchange` message (response panel) or its restored copy. */
export function isExchangeShape(m: Record<string, unknown>): boolean {
  const x = record(m.exchange);
  if (!isStr(m.title) || !isExchangeBase(x) || !isBytes(x.sent) || !isBytes(x.received) || !isCount(m.previewLimit) || !isCount(m.maxResponseBytes)) return false;
  if (x.response === undefined) return true;
  const r = record(x.response);
  return !!r && isBytes(r.body) && isBytes(r.rawBody) && isHeaders(r.headers) && isNum(r.status);
}

/** A `transcript` message (socket transcript panel) or its restored copy. */
export function isTranscriptShape(m: Record<string, unknown>): boolean {
  const x = record(m.exchange);
  return (
    isStr(m.title) &&
    isExchangeBase(x) &&
    Array.isArray(x.transcript) &&
    x.transcript.every((e) => isBytes(record(e)?.data) && isNum(record(e)?.at)) &&
    isCount(m.dataLimit)
  );
}

const WS_STATES: readonly unknown[] = ['connecting', 'open', 'closing', 'closed'];

/** The `info` of a session message (WebSocket session panel). */
export function isSessionInfo(v: unknown): boolean {
  const info = record(v);
  if (!info) return false;
  const x = record(info.exchange);
  const h = record(x?.handshake);
  const s = record(info.script);
  return (
    isStr(info.title) &&
    isStr(info.sessionId) &&
    WS_STATES.includes(info.state) &&
    isCount(info.logCap) &&
    info.logCap > 0 &&
    isCount(info.frameDataLimit) &&
    isNum(info.elapsedMs) &&
    isOptional(info.closeWords, isStr) &&
    !!s &&
    isCount(s.total) &&
    isCount(s.sent) &&
    typeof s.running === 'boolean' &&
    isExchangeBase(x) &&
    !!h &&
    isHeaders(h.responseHeaders) &&
    (h.responseBody === undefined || isBytes(h.responseBody))
  );
}

/** One frame of the session log. */
export function isLogFrame(f: unknown): boolean {
  const o = record(f);
  return !!o && isCount(o.seq) && (o.dir === 'sent' || o.dir === 'received') && isStr(o.opcode) && isNum(o.at) && isBytes(o.data) && isOptional(o.closeWords, isStr) && (o.auto === undefined || o.auto === true);
}

export function isLogFrames(v: unknown): boolean {
  return Array.isArray(v) && v.every(isLogFrame);
}
