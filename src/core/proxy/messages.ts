/** Pieces of HTTP/1.x messages the proxy writes: hop-by-hop filtering, framing headers, its own short answers. */
import type * as net from 'node:net';
import type { HeaderList } from '../exchange';
import { LENGTH } from '../wire/http1/framing';
import type { Framing } from './http1';
import { REFUSAL_LINGER_MS } from './limits';

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

/** The proxy's own short answer: `status` (e.g. `400 Bad Request`), `message` as a plain-text body, then close. */
export function simpleResponse(status: string, message: string, extra = ''): string {
  const body = `${message}\n`;
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

/**
 * Answers a client the proxy will not serve further, and closes: what it sends afterwards is read and dropped
 * (so its FIN closes the connection), and the connection is cut REFUSAL_LINGER_MS after, whatever it does (a
 * client trickling bytes must not keep it open through the idle timeout).
 */
export function refuseAndLinger(socket: net.Socket, status: string, message: string): void {
  socket.resume();
  socket.end(simpleResponse(status, message));
  const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
  socket.once('close', () => clearTimeout(linger));
}
