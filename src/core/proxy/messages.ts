/** Pieces of HTTP/1.x messages the proxy writes: hop-by-hop filtering, framing headers, its own short answers. */
import type { HeaderList } from '../exchange';
import { LENGTH } from '../wire/http1/framing';
import type { Framing } from './http1';

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers a Connection header may not remove: the message's framing and its target are the proxy's to decide. */
const NOT_NAMEABLE = new Set(['content-length', 'host']);

/** Removes hop-by-hop headers, including those named in Connection (never Content-Length or Host). */
export function endToEnd(headers: HeaderList): HeaderList {
  let named: Set<string> | undefined;
  for (const [k, v] of headers) if (k.length === 10 && k.toLowerCase() === 'connection') for (const t of v.split(',')) (named ??= new Set()).add(t.trim().toLowerCase());
  return headers.filter(([k]) => {
    const l = k.toLowerCase();
    return !HOP_BY_HOP.has(l) && !(named?.has(l) && !NOT_NAMEABLE.has(l));
  });
}

/** The headers without Content-Length and Transfer-Encoding, which the proxy writes from its framing decision. */
export function withoutFraming(headers: HeaderList): HeaderList {
  return headers.filter(([k]) => {
    const l = k.toLowerCase();
    return l !== 'content-length' && l !== 'transfer-encoding';
  });
}

/** The framing headers for a body the proxy passes on as it came (`length0`: say Content-Length: 0 for an empty one). */
export function framingHeaders(framing: Framing, codings: string[], length0: boolean): string {
  if (framing.kind === 'length') return `Content-Length: ${framing.length}\r\n`;
  if (framing.kind === 'none') return length0 ? 'Content-Length: 0\r\n' : '';
  if (codings.length > 0) return `Transfer-Encoding: ${codings.join(', ')}\r\n`;
  return '';
}

/** The first Content-Length header as it came (for HEAD and 304, where it describes a body that is not sent). */
export function lengthOf(headers: HeaderList): string {
  const h = headers.find(([k]) => k.toLowerCase() === 'content-length');
  return h && LENGTH.test(h[1]) ? `Content-Length: ${h[1]}\r\n` : '';
}

export function simpleResponse(status: string, message: string, extra = ''): string {
  const body = `${message}\n`;
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}
