/** How a response's body is delimited (RFC 9112 §6.3), decided from the request method and the final head. */
import { tokens, trimOws, type ResponseHead } from './head';

export type Framing =
  /** A 2xx answer to CONNECT: the connection is a tunnel from the end of the head. */
  | { kind: 'tunnel' }
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  /** `ambiguous`: why the framing is doubtful (the connection must not carry another request), in words. */
  | { kind: 'chunked' | 'close'; ambiguous?: string }
  | { kind: 'error'; what: string };

export function framingOf(requestMethod: string, head: ResponseHead): Framing {
  const method = requestMethod.toUpperCase();
  const { status } = head;
  // Content-Length / Transfer-Encoding mean nothing in a 2xx answer to CONNECT (RFC 9110 §9.3.6).
  if (method === 'CONNECT' && status >= 200 && status < 300) return { kind: 'tunnel' };
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) return { kind: 'none' };
  const te = tokens(head.headers, 'transfer-encoding');
  const cl = head.headers.filter(([k]) => k.toLowerCase() === 'content-length').map(([, v]) => v);
  if (te.length > 0) {
    const ambiguous =
      cl.length > 0
        ? 'The response has both Transfer-Encoding and Content-Length, a sign of response smuggling; the body was read by Transfer-Encoding (RFC 9112 §6.3) and the connection is not reused'
        : head.version === 'HTTP/1.0'
          ? 'An HTTP/1.0 response with Transfer-Encoding has faulty framing (RFC 9112 §6.1); the body was read by Transfer-Encoding and the connection is not reused'
          : undefined;
    return { kind: te[te.length - 1] === 'chunked' ? 'chunked' : 'close', ambiguous };
  }
  if (cl.length > 0) {
    const parts = cl.flatMap((v) => v.split(',')).map(trimOws);
    if (parts.some((p) => p === '')) return { kind: 'error', what: `empty Content-Length ${JSON.stringify(cl.join(', '))}, so the body length cannot be known` };
    const distinct = [...new Set(parts)];
    if (distinct.length > 1) return { kind: 'error', what: `conflicting Content-Length values: ${distinct.join(', ')}` };
    if (!/^\d{1,15}$/.test(distinct[0])) return { kind: 'error', what: `invalid Content-Length ${JSON.stringify(distinct[0])}` };
    return { kind: 'length', length: Number(distinct[0]) };
  }
  return { kind: 'close' };
}
