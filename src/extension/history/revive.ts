/**
 * A stored exchange (its JSON from an entry file) back as the exchange the panels show: bytes as Buffers, after
 * checking the fields the panels read (the file is untrusted). What history left out is said where the panels
 * already show notes: the HTTP response's notes, the socket exchange's capture note. Pure: no `vscode`.
 */
import type { Exchange, HttpExchange, SocketExchange, WsExchange } from '../../core/exchange';
import type { BytesJson, ExchangeJson, HttpExchangeJson, SocketExchangeJson, WsExchangeJson } from '../../core/serialize';
import { isBytes, isHeaders, isNum, isStr, record } from '../../shared/shapes';
import { cutText, type HistoryMeta } from './entry';

const buf = (j: BytesJson) => Buffer.from(j.base64, 'base64');

function baseOk(x: Record<string, unknown>): boolean {
  const t = record(x.timings);
  return isStr(x.id) && isNum(x.startedAt) && !!record(x.request) && !!t && Object.values(t).every((v) => v === undefined || isNum(v)) && (x.error === undefined || isStr(record(x.error)?.message));
}

const isDir = (v: unknown) => v === 'sent' || v === 'received';

/** A transcript chunk or a WebSocket frame: its direction, time and bytes. */
function isPiece(v: unknown): boolean {
  const o = record(v);
  return !!o && isDir(o.dir) && isNum(o.at) && isBytes(o.data);
}

function isHttpResponse(v: unknown): boolean {
  const r = record(v);
  if (!r) return false;
  const heads = isHeaders(r.headers) && isHeaders(r.trailers) && Array.isArray(r.interim) && r.interim.every((i) => isHeaders(record(i)?.headers));
  return heads && isNum(r.status) && isStr(r.reason) && isStr(r.version) && isBytes(r.body) && isBytes(r.rawBody);
}

/** The fields the panels read, checked. */
export function isStoredExchange(v: unknown): v is ExchangeJson {
  const x = record(v);
  if (!x || !baseOk(x)) return false;
  const req = record(x.request)!;
  switch (x.kind) {
    case 'http':
      return isBytes(x.sent) && isBytes(x.received) && isHeaders(req.headers) && isStr(req.method) && isStr(req.url) && (x.response === undefined || isHttpResponse(x.response));
    case 'socket':
      return isStr(req.protocol) && isStr(req.target) && Array.isArray(x.transcript) && x.transcript.every(isPiece) && isStr(x.stopDetail);
    case 'ws': {
      const h = record(x.handshake);
      const handshake = !!h && isStr(h.requestHead) && isHeaders(h.responseHeaders) && (h.responseBody === undefined || isBytes(h.responseBody));
      return handshake && isStr(req.url) && isHeaders(req.headers) && Array.isArray(x.frames) && x.frames.every((f) => isPiece(f) && isStr(record(f)?.opcode));
    }
    default:
      return false;
  }
}

function when(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? 'an unknown time' : d.toLocaleString();
}

function reviveHttp(j: HttpExchangeJson, meta: HistoryMeta): HttpExchange {
  const { sent, received, response, authChallenge, ...rest } = j;
  const notes = [`From History: sent ${when(meta.at)}.`];
  const challenge = authChallenge && isBytes(authChallenge.sent) && isBytes(authChallenge.received) && (authChallenge.response === undefined || isHttpResponse(authChallenge.response)) && !authChallenge.authChallenge ? reviveHttp(authChallenge, meta) : undefined;
  if (meta.cut) notes.push(`${cutText(meta.cut)[0].toUpperCase()}${cutText(meta.cut).slice(1)}.`);
  return {
    ...rest,
    sent: buf(sent),
    received: buf(received),
    response: response && { ...response, body: buf(response.body), rawBody: Buffer.alloc(0), notes: [...(Array.isArray(response.notes) ? response.notes.filter(isStr) : []), ...notes] },
    ...(challenge ? { authChallenge: challenge } : {}),
  };
}

function reviveSocket(j: SocketExchangeJson, meta: HistoryMeta): SocketExchange {
  const note = [`From History: sent ${when(meta.at)}`, meta.cut ? cutText(meta.cut) : undefined, isStr(j.captureNote) ? j.captureNote : undefined].filter(Boolean).join('; ');
  return { ...j, transcript: j.transcript.map((e) => ({ ...e, data: buf(e.data) })), captureNote: note };
}

function reviveWs(j: WsExchangeJson): WsExchange {
  const { responseBody, ...handshake } = j.handshake;
  return { ...j, state: 'closed', handshake: { ...handshake, ...(responseBody ? { responseBody: buf(responseBody) } : {}) }, frames: j.frames.map((f) => ({ ...f, data: buf(f.data) })) };
}

/** The exchange of a stored entry, or why it cannot be shown. */
export function reviveExchange(stored: unknown, meta: HistoryMeta): { ok: true; exchange: Exchange } | { ok: false; message: string } {
  if (!isStoredExchange(stored) || stored.kind !== meta.kind) return { ok: false, message: 'The history entry’s file is damaged (the exchange in it is not complete).' };
  if (stored.kind === 'http') return { ok: true, exchange: reviveHttp(stored as HttpExchangeJson, meta) };
  if (stored.kind === 'socket') return { ok: true, exchange: reviveSocket(stored as SocketExchangeJson, meta) };
  return { ok: true, exchange: reviveWs(stored as WsExchangeJson) };
}
