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

/** The fields the panels read, checked. */
export function isStoredExchange(v: unknown): v is ExchangeJson {
  const x = record(v);
  if (!x || !baseOk(x)) return false;
  const req = record(x.request)!;
  if (x.kind === 'http') {
    if (!isBytes(x.sent) || !isBytes(x.received) || !isHeaders(req.headers) || !isStr(req.method) || !isStr(req.url)) return false;
    if (x.response === undefined) return true;
    const r = record(x.response);
    return !!r && isNum(r.status) && isStr(r.reason) && isStr(r.version) && isHeaders(r.headers) && isHeaders(r.trailers) && Array.isArray(r.interim) && r.interim.every((i) => isHeaders(record(i)?.headers)) && isBytes(r.body) && isBytes(r.rawBody);
  }
  if (x.kind === 'socket') {
    return isStr(req.protocol) && isStr(req.target) && Array.isArray(x.transcript) && x.transcript.every((e) => { const o = record(e); return !!o && (o.dir === 'sent' || o.dir === 'received') && isNum(o.at) && isBytes(o.data); }) && isStr(x.stopDetail);
  }
  if (x.kind === 'ws') {
    const h = record(x.handshake);
    return isStr(req.url) && isHeaders(req.headers) && !!h && isStr(h.requestHead) && isHeaders(h.responseHeaders) && (h.responseBody === undefined || isBytes(h.responseBody)) && Array.isArray(x.frames) && x.frames.every((f) => { const o = record(f); return !!o && (o.dir === 'sent' || o.dir === 'received') && isStr(o.opcode) && isNum(o.at) && isBytes(o.data); });
  }
  return false;
}

function when(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? 'an unknown time' : d.toLocaleString();
}

function reviveHttp(j: HttpExchangeJson, meta: HistoryMeta): HttpExchange {
  const { sent, received, response, ...rest } = j;
  const notes = [`From History: sent ${when(meta.at)}.`];
  if (meta.cut) notes.push(`${cutText(meta.cut)[0].toUpperCase()}${cutText(meta.cut).slice(1)}.`);
  return {
    ...rest,
    sent: buf(sent),
    received: buf(received),
    response: response && { ...response, body: buf(response.body), rawBody: Buffer.alloc(0), notes: [...(Array.isArray(response.notes) ? response.notes.filter(isStr) : []), ...notes] },
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
