/**
 * The decision on a response head from upstream (pure): an interim (1xx) one relayed or not, the final one's
 * head for the client, how its body is framed, and whether either connection may be used again — or why the
 * proxy cannot forward it (the client gets 502), or what the client gets when no response came at all.
 */
import { responseHasNoBody } from '../wire/http1/framing';
import { bodyFraming, headerTokens, serializeHead, type Framing, type RequestHead, type ResponseHead } from './http1';
import { endToEnd, framingHeaders, lengthOf, withoutFraming } from './messages';
import type { ForwardingRules, RequestPlan } from './requestPlan';

export interface FinalResponse {
  framing: Framing;
  /** The head written to the client. */
  head: string;
  /** The upstream connection may carry another request after this body. */
  upstreamKeep: boolean;
  /** The client connection may carry another request after this body. */
  clientKeep: boolean;
  /** A chunked body to an HTTP/1.0 client: its payload is sent without the chunk framing, and the end is the close. */
  dechunk: boolean;
}

/**
 * The head of an interim (1xx) response as relayed, undefined when the client is HTTP/1.0 (it does not expect
 * one, RFC 9110 §15.2), or a sentence when it cannot be relayed (101). A 1xx has no body (RFC 9110 §8.6 forbids
 * Content-Length in one): its framing headers are dropped, a client reading them would lose the final response.
 */
export function interimResponse(req: RequestHead, res: ResponseHead, where: string): { head?: string } | string {
  if (res.status === 101) return `Upstream ${where} switched protocols (101), which this proxy does not relay for absolute-form requests`;
  return req.minor === 1 ? { head: serializeHead(`HTTP/1.1 ${res.status} ${res.reason}`, withoutFraming(endToEnd(res.headers))) } : {};
}

/** The final response: what the client gets and what happens to both connections, or why it is a 502. */
export function finalResponse(req: RequestHead, res: ResponseHead, clientKeep: boolean, where: string): FinalResponse | string {
  const framing: Framing | string = responseHasNoBody(req.method, res.status) ? { kind: 'none' } : bodyFraming(res.headers, false);
  if (typeof framing === 'string') return `Upstream ${where} sent a response this proxy cannot forward: ${framing}`;
  const connection = headerTokens(res.headers, 'connection');
  const codings = headerTokens(res.headers, 'transfer-encoding');
  // Transfer-Encoding with Content-Length, or in HTTP/1.0, is faulty framing: the upstream may mean another
  // end of the body, so its connection is closed after this response (RFC 9112 §6.1, §6.3), never reused.
  const faulty = codings.length > 0 && (res.minor === 0 || res.headers.some(([k]) => k.length === 14 && k.toLowerCase() === 'content-length'));
  const upstreamKeep = !faulty && framing.kind !== 'close' && (res.minor === 1 ? !connection.includes('close') : connection.includes('keep-alive'));
  const dechunk = framing.kind === 'chunked' && req.minor === 0;
  if (req.minor === 0 && codings.some((c) => c !== 'chunked')) return `Upstream ${where} sent Transfer-Encoding: ${codings.join(', ')}, which an HTTP/1.0 client cannot receive`;
  const keep = clientKeep && framing.kind !== 'close' && !dechunk;
  const headers = withoutFraming(endToEnd(res.headers));
  const bodyless = res.status === 304 || req.method === 'HEAD';
  const extra =
    (dechunk ? '' : bodyless ? lengthOf(res.headers) : framingHeaders(framing, codings, res.status !== 204)) +
    (keep ? (req.minor === 0 ? 'Connection: keep-alive\r\n' : '') : 'Connection: close\r\n');
  return { framing, head: serializeHead(`HTTP/1.1 ${res.status} ${res.reason}`, headers, extra), upstreamKeep, clientKeep: keep, dechunk };
}

/** The answer when the upstream connection failed or closed before any response (502, 504, or 508 for a loop). */
export function noResponse(err: NodeJS.ErrnoException | undefined, plan: RequestPlan, rules: ForwardingRules): { status: 502 | 504 | 508; message: string } {
  const { where, upstream } = plan;
  if (err?.code === 'ELOOPDETECTED') return { status: 508, message: err.message };
  if (err?.code === 'ETIMEDOUT') return { status: 504, message: `Upstream ${where} did not answer within ${rules.options.upstreamTimeoutMs} ms` };
  const via = rules.upstreamProxy ? `the upstream proxy ${upstream.key}` : where;
  const why =
    err?.code === 'ECONNREFUSED'
      ? `nothing is listening on ${via} (connection refused)`
      : err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN'
        ? `host '${upstream.host}' not found (DNS)`
        : err?.code === 'ECONNRESET'
          ? `${via} reset the connection`
          : err
            ? `${via}: ${err.message}`
            : `${via} closed the connection without answering`;
  return { status: 502, message: `Upstream unreachable: ${why}` };
}
