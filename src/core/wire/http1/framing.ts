/**
 * How a message's body is delimited (RFC 9112 §6.1–6.3), from its Transfer-Encoding and Content-Length
 * fields. One decision for the client and the proxy; where they differ it is by the message's role:
 *
 * - a request (the proxy forwards it): anything two parties could read differently is a problem —
 *   Transfer-Encoding with Content-Length, chunked applied twice, codings not ending with chunked;
 * - a response (the client reads it, or the proxy relays it): Transfer-Encoding wins over Content-Length
 *   (`withLength` says both came: faulty framing, the connection must not be reused), and codings not
 *   ending with chunked mean the body runs to the end of the connection.
 *
 * Content-Length (RFC 9110 §8.6): a comma-separated list of 1–15 digit decimals, all the same number.
 */
import type { HeaderList } from '../../exchange';
import { listTokens, trimOws } from './tokens';

export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export type FramingProblem =
  | { kind: 'te-and-cl' }
  | { kind: 'chunked-twice'; codings: string[] }
  | { kind: 'not-chunked'; codings: string[] }
  /** A Content-Length element is empty (`values`: the fields as they came). */
  | { kind: 'empty-length'; values: string[] }
  /** `value`: the first element that is not 1–15 digits. */
  | { kind: 'invalid-length'; value: string; values: string[] }
  /** `distinct`: the elements as written, each once. */
  | { kind: 'conflicting-lengths'; distinct: string[]; values: string[] };

export type FramingDecision =
  | { kind: 'length'; length: number }
  /** `codings`: the Transfer-Encoding, lower-cased; `withLength`: a response with one also had Content-Length. */
  | { kind: 'chunked' | 'close'; codings: string[]; withLength: boolean }
  | { kind: 'none' }
  | { kind: 'problem'; problem: FramingProblem };

/** The Content-Length field values, as they came. */
/** One Content-Length element: 1–15 decimal digits (RFC 9110 §8.6; 15 keeps it an exact integer). */
export const LENGTH = /^\d{1,15}$/;

export function contentLengths(headers: HeaderList): string[] {
  const out: string[] = [];
  for (const [k, v] of headers) if (k.length === 14 && k.toLowerCase() === 'content-length') out.push(v);
  return out;
}

export function decideFraming(headers: HeaderList, role: 'request' | 'response'): FramingDecision {
  const codings = listTokens(headers, 'transfer-encoding');
  const values = contentLengths(headers);
  if (codings.length > 0) {
    if (role === 'request' && values.length > 0) return { kind: 'problem', problem: { kind: 'te-and-cl' } };
    const last = codings[codings.length - 1];
    // chunked applied twice (RFC 9112 §6.1 forbids it) would be undone once by one party and twice by another.
    if (role === 'request' && last === 'chunked' && codings.indexOf('chunked') !== codings.length - 1) return { kind: 'problem', problem: { kind: 'chunked-twice', codings } };
    if (last === 'chunked') return { kind: 'chunked', codings, withLength: values.length > 0 };
    if (role === 'request') return { kind: 'problem', problem: { kind: 'not-chunked', codings } };
    return { kind: 'close', codings, withLength: values.length > 0 };
  }
  if (values.length > 0) {
    const parts = values.flatMap((v) => v.split(',')).map(trimOws);
    if (parts.some((p) => p === '')) return { kind: 'problem', problem: { kind: 'empty-length', values } };
    const invalid = parts.find((p) => !LENGTH.test(p));
    if (invalid !== undefined) return { kind: 'problem', problem: { kind: 'invalid-length', value: invalid, values } };
    if (new Set(parts.map(Number)).size > 1) return { kind: 'problem', problem: { kind: 'conflicting-lengths', distinct: [...new Set(parts)], values } };
    return { kind: 'length', length: Number(parts[0]) };
  }
  return role === 'request' ? { kind: 'none' } : { kind: 'close', codings, withLength: false };
}

/** A response that has no body whatever its fields say (RFC 9110 §6.4.1): to HEAD, 1xx, 204, 304. Methods are case-sensitive. */
export function responseHasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}
