/**
 * One History entry: what the view lists (HistoryMeta: the block, when, the outcome in words, duration, size)
 * and what is stored of the exchange (its JSON form, header values named in `netreq.history.redact` replaced,
 * bodies / chunks / frames cut to `netreq.history.maxBodyBytes` with the cut recorded). Pure: no `vscode`, no I/O.
 */
import type { Exchange, HttpExchange, SocketExchange, WsExchange } from '../../core/exchange';
import { bytesJson, type ExchangeJson, type HttpExchangeJson, type SocketExchangeJson, type WsExchangeJson } from '../../core/serialize';
import { rcodeText } from '../../common/dns';
import { formatBytes } from '../../common/format';
import { protocolLabel } from '../../shared/transcript';
import { headsLength, redactHeaderList, redactHeads, redactHeadText } from './redact';

export const ENTRY_VERSION = 1;
/** Body bytes kept in the raw request and response as sent and received (the Raw tab); the body itself has its own limit. */
export const RAW_BODY_BYTES = 64 * 1024;

/** Entry ids name files: letters, digits, '-' and '_' only (an index line naming anything else is skipped). */
export function isEntryId(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
}

/** What the view lists of an entry (one line of the index). */
export interface HistoryMeta {
  v: number;
  id: string;
  /** Epoch ms when the exchange started. */
  at: number;
  kind: Exchange['kind'];
  /** http, ws, or the socket protocol (tcp, tls, qotd, udp, multicast, dns…). */
  protocol: string;
  /** The document (a URI string) and the block. */
  uri: string;
  blockIndex: number;
  blockName?: string;
  /** The block's title as its panel showed it. */
  title: string;
  /** The status, or the socket / WebSocket / DNS outcome, in words: "200 OK", "failed (connect: …)". */
  outcome: string;
  /** HTTP status (absent for other kinds and failures). */
  status?: number;
  /** The exchange failed or was cancelled. */
  failed: boolean;
  /** Duration, ms. */
  ms: number;
  /** Bytes received (HTTP: the body). */
  size: number;
  /** Set when history kept only part of the bytes: kept and total bytes of the body / chunks / frames. */
  cut?: { kept: number; total: number };
  /** Header values that were stored as ‹redacted›. */
  redacted?: number;
  /** Bytes of this entry on disk (its file and its index line), for netreq.history.maxBytes. */
  bytes: number;
}

/** The stored part (one file per entry). */
export interface HistoryPayload {
  v: number;
  id: string;
  exchange: ExchangeJson;
}

export interface EntryLimits {
  /** Bytes of body (HTTP), chunk data (sockets) or frame data (WebSocket) kept per entry. */
  maxBodyBytes: number;
  /** Header names whose values are stored redacted (lower case). */
  redact: ReadonlySet<string>;
}

export interface EntryContext {
  uri: string;
  blockIndex: number;
  blockName?: string;
  title: string;
}

/** A built entry: the meta (without `bytes`, set by the store) and the payload as the JSON text written to disk. */
export interface BuiltEntry {
  meta: Omit<HistoryMeta, 'bytes'>;
  payload: string;
}

const failedWords = (e: NonNullable<Exchange['error']>) => (e.phase === 'cancelled' ? 'cancelled' : `failed (${e.phase}: ${e.message})`);

/** The outcome of an exchange in words, as the view's row says it. */
export function outcomeText(x: Exchange): string {
  switch (x.kind) {
    case 'http':
      if (x.error) return failedWords(x.error);
      return x.response ? `${x.response.status} ${x.response.reason}`.trimEnd() : 'no response';
    case 'socket': {
      if (x.error) return failedWords(x.error);
      if (x.dns) return x.dns.header ? `${rcodeText(x.dns.header.rcode)} · ${x.dns.answers.length} answer${x.dns.answers.length === 1 ? '' : 's'}` : 'no answer';
      const echo = x.echoMatches === undefined ? '' : x.echoMatches ? ' · echo ✓' : ' · echo ✗';
      return `${x.stopDetail}${echo}`;
    }
    case 'ws': {
      if (x.error) return `WebSocket ${failedWords(x.error)}`;
      const h = x.handshake;
      if (h.status !== undefined && h.status !== 101) return `refused: ${h.status} ${h.reason ?? ''}`.trimEnd();
      const by = x.closedBy === 'client' ? ' by NetReq' : x.closedBy === 'server' ? ' by the server' : '';
      return `closed${x.closeCode !== undefined ? ` ${x.closeCode}` : ''}${by}${x.closeReason ? `: ${x.closeReason}` : ''}`;
    }
  }
}

function wsDuration(x: WsExchange): number {
  const last = x.frames.length > 0 ? x.frames[x.frames.length - 1].at : 0;
  return Math.max(x.timings.total, last);
}

function sizeOf(x: Exchange): number {
  if (x.kind === 'http') return x.response?.body.length ?? 0;
  if (x.kind === 'socket') return x.receivedBytes;
  return x.frames.reduce((n, f) => n + (f.dir === 'received' ? f.data.length : 0), 0);
}

interface Cut {
  kept: number;
  total: number;
}

function httpJson(x: HttpExchange, l: EntryLimits, cut: Cut, count: { n: number }): HttpExchangeJson {
  const names = l.redact;
  const heads = (b: Buffer) => {
    const r = redactHeads(b, names);
    if (r !== b) count.n++;
    return r;
  };
  const headers = <T extends [string, string][]>(h: T) => {
    const r = redactHeaderList(h, names);
    if (r !== h) count.n += r.filter(([, v], i) => v !== h[i][1]).length;
    return r;
  };
  // The raw bytes carry the body again (already kept decoded in `body`): their heads and the body's first
  // RAW_BODY_BYTES (at most maxBodyBytes) are kept, with their real size.
  const sent = heads(x.sent);
  const received = heads(x.received);
  const wire = (b: Buffer) => bytesJson(b, headsLength(b) + Math.min(l.maxBodyBytes, RAW_BODY_BYTES));
  const r = x.response;
  if (r) {
    cut.total += r.body.length;
    cut.kept += Math.min(r.body.length, l.maxBodyBytes);
  }
  const { sent: _s, received: _r, response: _p, authChallenge, ...rest } = x;
  return {
    ...rest,
    // The 401 Digest challenge before this exchange (Authorization: Digest), kept the same way.
    ...(authChallenge ? { authChallenge: httpJson(authChallenge, l, cut, count) } : {}),
    request: { ...x.request, headers: headers(x.request.headers) },
    sent: wire(sent),
    received: wire(received),
    response: r && {
      ...r,
      headers: headers(r.headers),
      trailers: headers(r.trailers),
      interim: r.interim.map((i) => ({ ...i, headers: headers(i.headers) })),
      // The still-encoded body is not kept (the panel shows the decoded one): its size is.
      rawBody: { base64: '', length: 0, totalLength: r.rawBody.length },
      body: bytesJson(r.body, l.maxBodyBytes),
    },
  };
}

function socketJson(x: SocketExchange, l: EntryLimits, cut: Cut, count: { n: number }): SocketExchangeJson {
  let left = l.maxBodyBytes;
  const transcript = x.transcript.map((e) => {
    const data = redactHeads(e.data, l.redact);
    if (data !== e.data) count.n++;
    const take = Math.min(left, data.length);
    left -= take;
    cut.total += data.length;
    cut.kept += take;
    return { ...e, data: bytesJson(data, take) };
  });
  return { ...x, transcript };
}

/** The newest frames get the budget first (as the session log keeps them). */
function wsJson(x: WsExchange, l: EntryLimits, cut: Cut, count: { n: number }): WsExchangeJson {
  let left = l.maxBodyBytes;
  const frames = new Array<WsExchangeJson['frames'][number]>(x.frames.length);
  for (let i = x.frames.length - 1; i >= 0; i--) {
    const f = x.frames[i];
    const take = Math.min(left, f.data.length);
    left -= take;
    cut.total += f.data.length;
    cut.kept += take;
    frames[i] = { ...f, data: bytesJson(f.data, take) };
  }
  const { responseBody, ...handshake } = x.handshake;
  const requestHead = redactHeadText(handshake.requestHead, l.redact);
  const responseHeaders = redactHeaderList(handshake.responseHeaders, l.redact);
  const headers = redactHeaderList(x.request.headers, l.redact);
  count.n += (requestHead !== handshake.requestHead ? 1 : 0) + (responseHeaders !== handshake.responseHeaders ? 1 : 0) + (headers !== x.request.headers ? 1 : 0);
  return {
    ...x,
    request: { ...x.request, headers },
    handshake: { ...handshake, requestHead, responseHeaders, responseBody: responseBody && bytesJson(responseBody, Math.min(l.maxBodyBytes, 64 * 1024)) },
    frames,
  };
}

/** The entry for an exchange that ended: redacted and cut as the limits say. `id` names its file (see isEntryId). */
export function buildEntry(x: Exchange, ctx: EntryContext, l: EntryLimits, id: string): BuiltEntry {
  const cut: Cut = { kept: 0, total: 0 };
  const count = { n: 0 };
  const exchange: ExchangeJson = x.kind === 'http' ? httpJson(x, l, cut, count) : x.kind === 'socket' ? socketJson(x, l, cut, count) : wsJson(x, l, cut, count);
  const meta: Omit<HistoryMeta, 'bytes'> = {
    v: ENTRY_VERSION,
    id,
    at: x.startedAt,
    kind: x.kind,
    protocol: x.kind === 'socket' ? x.request.protocol : x.kind,
    uri: ctx.uri,
    blockIndex: ctx.blockIndex,
    ...(ctx.blockName ? { blockName: ctx.blockName } : {}),
    title: ctx.title,
    outcome: outcomeText(x),
    ...(x.kind === 'http' && x.response && !x.error ? { status: x.response.status } : {}),
    failed: !!x.error,
    ms: x.kind === 'ws' ? wsDuration(x) : x.timings.total,
    size: sizeOf(x),
    ...(cut.kept < cut.total ? { cut: { kept: cut.kept, total: cut.total } } : {}),
    ...(count.n > 0 ? { redacted: count.n } : {}),
  };
  const payload: HistoryPayload = { v: ENTRY_VERSION, id: meta.id, exchange };
  return { meta, payload: JSON.stringify(payload) };
}

/** "HTTP", "TCP", "DNS", "WebSocket"… */
export function kindLabel(m: Pick<HistoryMeta, 'kind' | 'protocol'>): string {
  if (m.kind === 'http') return 'HTTP';
  if (m.kind === 'ws') return 'WebSocket';
  return protocolLabel(m.protocol);
}

/** "kept the first 1 MB of 5 MB" */
export function cutText(c: { kept: number; total: number }): string {
  return `history kept the first ${formatBytes(c.kept)} of ${formatBytes(c.total)} (netreq.history.maxBodyBytes)`;
}
