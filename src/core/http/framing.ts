/** How a response's body is delimited (RFC 9112 §6.3), decided from the request method and the final head. */
import { decideFraming, responseHasNoBody, type FramingProblem } from '../wire/http1/framing';
import type { ResponseHead } from './head';

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
  if (responseHasNoBody(method, status)) return { kind: 'none' };
  const d = decideFraming(head.headers, 'response');
  switch (d.kind) {
    case 'problem':
      return { kind: 'error', what: problemWords(d.problem) };
    case 'chunked':
    case 'close': {
      const ambiguous = d.withLength
        ? 'The response has both Transfer-Encoding and Content-Length, a sign of response smuggling; the body was read by Transfer-Encoding (RFC 9112 §6.3) and the connection is not reused'
        : d.codings.length > 0 && head.version === 'HTTP/1.0'
          ? 'An HTTP/1.0 response with Transfer-Encoding has faulty framing (RFC 9112 §6.1); the body was read by Transfer-Encoding and the connection is not reused'
          : undefined;
      return { kind: d.kind, ambiguous };
    }
    default:
      return d;
  }
}

function problemWords(p: FramingProblem): string {
  switch (p.kind) {
    case 'empty-length':
      return `empty Content-Length ${JSON.stringify(p.values.join(', '))}, so the body length cannot be known`;
    case 'invalid-length':
      return `invalid Content-Length ${JSON.stringify(p.value)}`;
    case 'conflicting-lengths':
      return `conflicting Content-Length values: ${p.distinct.join(', ')}`;
    default:
      return `its Transfer-Encoding cannot be read (${p.kind})`; // request-only problems: a response never has them
  }
}
