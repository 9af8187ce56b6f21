/**
 * Request variables (REST Client's chaining, RC@6649589 src/utils/requestVariableCacheValueProcessor.ts): the value
 * of `{{name.(request|response).part.path}}` from the requests already sent (ResolveContext.sent).
 *
 *   {{login.response.body.*}}              the whole body as text
 *   {{login.response.body.$.token}}        JSONPath (a JSON body); `body.token` is the same path without `$.`
 *   {{login.response.body.//token}}        XPath (an XML body)
 *   {{login.response.headers.X-Token}}     a header, name case-insensitive (repeats joined with ", ")
 *   {{login.request.body.*|$.path|//x}}    the body NetReq sent; {{login.request.headers.Name}} its headers
 *   {{chat.response.headers.Name}}         WebSocket: the handshake's response (request: its request) headers
 *   {{tcp1.response.received}}             TCP/TLS/UDP/multicast: every byte received, as UTF-8 text
 *   {{chat.response.frames.received.0}}    WebSocket: a text/binary frame's data as UTF-8 text; `sent` for ours;
 *   {{chat.response.frames.received.last}} the index counts data frames (not ping/pong/close) from 0, or `last`
 *
 * Text from bytes is UTF-8 where valid, other bytes as `\xNN` (core/text.ts utf8Text). Where REST Client gives a
 * warning and sends the `{{…}}` literally (no match, a missing header, a body that is neither JSON nor XML, a request
 * not sent), NetReq refuses with an error naming the request.
 */
import type { Exchange, HeaderList } from '../exchange';
import { utf8Text } from '../text';
import { bodyTypeOf, queryJson, queryXml, type QueryResult } from './bodyQuery';
import type { Block, NetreqDocument, SentRequest, SentRequests } from './types';

export interface RequestVarRef {
  request: string;
  entity: 'request' | 'response';
  /** 'body', 'headers', 'received', 'frames', … ('' when absent). */
  part: string;
  /** What follows the part ('' when absent). */
  path: string;
}

const REF = /^([^.\s]+)\.(request|response)(?:\.([A-Za-z]+)(?:\.([\s\S]*))?)?$/;

/** The parts of a request variable reference, or undefined when the name does not have that shape. */
export function parseRequestVarRef(name: string): RequestVarRef | undefined {
  const m = REF.exec(name);
  if (!m) return undefined;
  return { request: m[1], entity: m[2] as 'request' | 'response', part: m[3] ?? '', path: m[4] ?? '' };
}

export interface RequestVarContext {
  doc: NetreqDocument;
  /** The block being resolved (for "comes after this request"). */
  current?: Block;
  sent?: SentRequests;
  /** Largest body read for a query (maxResponseBytes). */
  maxBodyBytes: number;
  /** Longest value (MAX_VALUE_CHARS). */
  maxChars: number;
}

export type RequestVarResult = { value: string } | { error: string; code: 'request-not-sent' | 'request-failed' | 'request-variable' | 'value-too-large' };

/** The 1-based line of a block for messages: its request line. */
export function blockLine(b: Block): number {
  return (b.requestLine?.line ?? b.startLine) + 1;
}

export function requestVariableValue(name: string, ctx: RequestVarContext): RequestVarResult {
  const shown = `{{${name.length > 80 ? `${name.slice(0, 79)}…` : name}}}`;
  const ref = parseRequestVarRef(name);
  if (!ref) {
    return { error: `${shown} is not a request variable NetReq can read: write {{name.response.body.*}}, {{name.response.body.$.path}}, {{name.response.headers.Name}} or the same with request`, code: 'request-variable' };
  }
  const target = ctx.doc.blocks.find((b) => b.name === ref.request);
  const where = target ? ` (line ${blockLine(target)})` : '';
  const bad = (message: string): RequestVarResult => ({ error: `${shown}: ${message}`, code: 'request-variable' });
  const got = ctx.sent?.get(ref.request);
  if (!got) {
    const scope = ctx.sent ? (ctx.sent.scope ?? 'run') : undefined;
    const later = target && ctx.current && target.index > ctx.current.index && scope === 'run'
      ? `: it comes after this request (line ${blockLine(ctx.current)}), and requests are sent in file order; move '${ref.request}' above this one`
      : '';
    return { error: `${shown} needs the ${ref.entity} of '${ref.request}'${where}, which has not been sent ${scope ? `in this ${scope}` : 'yet'}${later}`, code: 'request-not-sent' };
  }
  if (got.exchange.error) {
    return { error: `${shown} needs the ${ref.entity} of '${ref.request}'${where}, whose request failed (${got.exchange.error.phase}: ${got.exchange.error.message})`, code: 'request-failed' };
  }
  const r = partValue(ref, got, ctx);
  if ('error' in r) return bad(r.error);
  if (r.value.length > ctx.maxChars) {
    return { error: `${shown} is ${r.value.length.toLocaleString('en-US')} characters, more than ${ctx.maxChars.toLocaleString('en-US')} (1 MiB), the limit for one variable`, code: 'value-too-large' };
  }
  return r;
}

function partValue(ref: RequestVarRef, got: SentRequest, ctx: RequestVarContext): QueryResult {
  const x = got.exchange;
  const what = `the ${ref.entity} of '${ref.request}'`;
  const parts = partsFor(x, ref.entity);
  if (!parts.includes(ref.part)) {
    const kind = x.kind === 'http' ? 'an HTTP' : x.kind === 'ws' ? 'a WebSocket' : `a ${x.request.protocol.toUpperCase()}`;
    const list = parts.map((p) => `${ref.request}.${ref.entity}.${p}`).join(', ');
    return { error: ref.part ? `'${ref.request}' is ${kind} request: its ${ref.entity} has ${list || 'nothing to refer to'}` : `say which part of ${what}: ${list}` };
  }
  if (ref.part === 'headers') {
    if (!ref.path) return { error: `name the header, e.g. {{${ref.request}.${ref.entity}.headers.Content-Type}}` };
    return header(headersOf(x, ref.entity), ref.path, what);
  }
  if (ref.part === 'received' && x.kind === 'socket') {
    if (ref.path) return { error: `received takes nothing after it (the whole transcript's received bytes as text)` };
    const chunks = x.transcript.filter((e) => e.dir === 'received').map((e) => e.data);
    return { value: utf8Text(Buffer.concat(chunks)) };
  }
  if (ref.part === 'frames' && x.kind === 'ws') return frame(x.frames, ref, x.framesDropped ?? 0);
  return body(ref, got, ctx);
}

function partsFor(x: Exchange, entity: 'request' | 'response'): string[] {
  if (x.kind === 'http') return ['body', 'headers'];
  if (x.kind === 'ws') return entity === 'response' ? ['headers', 'frames'] : ['headers'];
  return entity === 'response' ? ['received'] : [];
}

function headersOf(x: Exchange, entity: 'request' | 'response'): HeaderList {
  if (x.kind === 'http') return entity === 'request' ? x.request.headers : (x.response?.headers ?? []);
  if (x.kind === 'ws') return entity === 'request' ? headLines(x.handshake.requestHead) : x.handshake.responseHeaders;
  return [];
}

/** The header lines of a request head as it went out (after the request line). */
function headLines(head: string): HeaderList {
  const out: HeaderList = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) out.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return out;
}

function header(list: HeaderList, name: string, what: string): QueryResult {
  const want = name.trim().toLowerCase();
  const values = list.filter(([n]) => n.toLowerCase() === want).map(([, v]) => v);
  if (values.length === 0 || values.join('') === '') return { error: `${what} has no header ${JSON.stringify(name.trim())}` };
  return { value: values.join(', ') };
}

function frame(frames: readonly { dir: string; opcode: string; data: Buffer; auto?: true }[], ref: RequestVarRef, dropped: number): QueryResult {
  const m = /^(sent|received)\.(\d{1,9}|last)$/.exec(ref.path);
  if (!m) return { error: `write frames.received.N or frames.sent.N (N counts text and binary frames from 0), or frames.received.last` };
  const list = frames.filter((f) => f.dir === m[1] && (f.opcode === 'text' || f.opcode === 'binary') && !f.auto);
  if (m[2] === 'last') {
    if (list.length === 0) return { error: `the session of '${ref.request}' has no ${m[1]} text or binary frame` };
    return { value: utf8Text(list[list.length - 1].data) };
  }
  if (dropped > 0) return { error: `the session of '${ref.request}' no longer keeps its first ${dropped.toLocaleString('en-US')} frames, so frame numbers are unknown: use frames.${m[1]}.last` };
  const i = Number(m[2]);
  if (i >= list.length) return { error: `the session of '${ref.request}' has ${list.length} ${m[1]} text or binary frame${list.length === 1 ? '' : 's'} (numbered from 0)` };
  return { value: utf8Text(list[i].data) };
}

function body(ref: RequestVarRef, got: SentRequest, ctx: RequestVarContext): QueryResult {
  const x = got.exchange;
  if (x.kind !== 'http') return { error: 'no body' };
  const what = `the ${ref.entity} of '${ref.request}'`;
  let bytes: Buffer;
  let headers: HeaderList;
  if (ref.entity === 'response') {
    const res = x.response;
    if (!res) return { error: `'${ref.request}' got no response` };
    if (res.truncated) return { error: `${what} was cut at ${res.body.length.toLocaleString('en-US')} bytes (the response size limit), so its body is not whole` };
    bytes = res.body;
    headers = res.headers;
  } else {
    bytes = requestBody(got);
    headers = x.request.headers;
  }
  if (!ref.path) return { error: `write {{${ref.request}.${ref.entity}.body.*}} for the whole body, or a JSONPath ($.id) or XPath (//id) after body.` };
  if (bytes.length === 0) return { error: `${what} has no body` };
  if (bytes.length > ctx.maxBodyBytes) {
    return { error: `${what} has a body of ${bytes.length.toLocaleString('en-US')} bytes, more than the ${ctx.maxBodyBytes.toLocaleString('en-US')} NetReq reads for a request variable (the response size limit)` };
  }
  let text: string | undefined;
  const textOf = (): string => (text ??= utf8Text(bytes));
  if (ref.path === '*') return { value: textOf() };
  const ct = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const type = bodyTypeOf(ct, textOf);
  if (type === 'json') return queryJson(textOf(), ref.path);
  if (type === 'xml') return queryXml(textOf(), ref.path);
  return {
    error: `only JSON and XML bodies can be queried, and ${what} has ${ct ? `Content-Type ${JSON.stringify(ct)}` : 'no Content-Type'}; use {{${ref.request}.${ref.entity}.body.*}} for the whole body`,
  };
}

/** The body NetReq sent: the spec's body, or with `# @raw` what follows the head in the raw bytes. */
function requestBody(got: SentRequest): Buffer {
  const spec = got.spec;
  if (spec.kind !== 'http') return Buffer.alloc(0);
  if (spec.raw) {
    const end = spec.raw.indexOf('\r\n\r\n');
    return end < 0 ? Buffer.alloc(0) : spec.raw.subarray(end + 4);
  }
  return spec.body ?? Buffer.alloc(0);
}
