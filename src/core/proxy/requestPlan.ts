/**
 * The decision on a request head the proxy is asked to forward (pure: no sockets, no clock): where it goes,
 * the head sent upstream, how its body is framed, whether the client connection may carry another request —
 * or the refusal (400, 508) the client gets instead, in words.
 */
import type { HeaderList } from '../exchange';
import { hostPort } from '../transport/address';
import { bodyFraming, headerTokens, serializeHead, type Framing, type RequestHead } from './http1';
import { endToEnd, framingHeaders, lengthOf, withoutFraming } from './messages';

/** Where an exchange connects: the origin, or the upstream proxy when chaining. */
export interface UpstreamTarget {
  host: string;
  port: number;
  /** host:port, the pool's key. */
  key: string;
  /** How a loop is named if the name resolves to this proxy ("The upstream proxy h:p", or the origin's h:p). */
  loopName: string;
}

/** What the proxy knows that decides a forwarded request (the server supplies it; tests write one). */
export interface ForwardingRules {
  readonly options: {
    readonly upstreamTimeoutMs: number;
    readonly maxInterimResponses: number;
    readonly bodyPreviewBytes: number;
    readonly maxHeaderBytes: number;
    readonly requestHeadTimeoutMs: number;
  };
  readonly upstreamProxy?: { host: string; port: number };
  /** Why going to host:port (or through the upstream proxy) would come back to this proxy, when IPs say so. */
  loopRefusal(host: string, port: number): string | undefined;
}

export interface RequestPlan {
  kind: 'forward';
  /** The absolute URL the flow shows (default port and empty path normalised). */
  target: string;
  /** The origin's host:port, as messages name it. */
  where: string;
  /** The origin's host (unbracketed), as a DNS failure names it. */
  host: string;
  upstream: UpstreamTarget;
  /** The head written upstream: origin-form (absolute-form when chaining), Host from the target, hop-by-hop removed. */
  head: string;
  framing: Framing;
  /** Whether the client asked to keep its connection (HTTP/1.1 without close, HTTP/1.0 with keep-alive). */
  clientKeep: boolean;
}

export interface RequestRefusal {
  kind: 'refuse';
  target: string;
  status: 400 | 508;
  message: string;
}

const ABSOLUTE_HTTP = /^http:\/\/(\[[0-9A-Fa-f:.]+\]|[^/?#:@[\]\s]+)(?::(\d{1,5}))?([/?][^#]*)?(#.*)?$/i;

function refuse(target: string, status: 400 | 508, message: string): RequestRefusal {
  return { kind: 'refuse', target, status, message };
}

/** Decides what to do with a request head (not CONNECT, which is a tunnel). */
export function planRequest(req: RequestHead, rules: ForwardingRules): RequestPlan | RequestRefusal {
  const m = ABSOLUTE_HTTP.exec(req.target);
  const hostName = m ? m[1].toLowerCase() : '';
  const path = m ? (m[3] === undefined ? '/' : m[3].startsWith('?') ? `/${m[3]}` : m[3]) : '';
  const target = m ? `http://${hostName}${m[2] && m[2] !== '80' ? `:${m[2]}` : ''}${path}` : req.target;
  if (!m) {
    return refuse(
      target,
      400,
      /^https:\/\//i.test(req.target)
        ? 'This proxy forwards http:// URLs; use CONNECT for https:// (most clients do that by themselves for https)'
        : `The request target ${JSON.stringify(req.target)} is not an absolute http:// URL: send requests to this proxy as "GET http://host/path HTTP/1.1"`,
    );
  }
  const port = Number(m[2] ?? 80);
  if (port < 1 || port > 65535) return refuse(target, 400, `The port in ${req.target} is out of range (1-65535)`);
  const framing = bodyFraming(req.headers, true);
  if (typeof framing === 'string') return refuse(target, 400, `The proxy could not forward this request: ${framing}`);
  if (framing.kind === 'chunked' && req.minor === 0) return refuse(target, 400, 'The proxy could not forward this request: HTTP/1.0 has no Transfer-Encoding, so its length is unknown');
  const host = hostName.replace(/^\[|\]$/g, '');
  const where = hostPort(host, port);
  const loop = rules.loopRefusal(host, port);
  if (loop) return refuse(target, 508, loop);
  const via = rules.upstreamProxy;
  const key = via ? hostPort(via.host, via.port) : where;
  const upstream: UpstreamTarget = via ? { host: via.host, port: via.port, key, loopName: `The upstream proxy ${key}` } : { host, port, key, loopName: where };
  const authority = port === 80 ? hostName : `${hostName}:${port}`;
  // The request target's authority replaces any Host the client sent (RFC 9112 §3.2.2).
  const headers: HeaderList = [];
  let hostSeen = false;
  for (const h of withoutFraming(endToEnd(req.headers))) {
    if (h[0].length === 4 && h[0].toLowerCase() === 'host') {
      if (!hostSeen) headers.push([h[0], authority]);
      hostSeen = true;
    } else headers.push(h);
  }
  if (!hostSeen) headers.unshift(['Host', authority]);
  const head = serializeHead(`${req.method} ${via ? target : path} HTTP/1.1`, headers, framingHeaders(framing, headerTokens(req.headers, 'transfer-encoding'), lengthOf(req.headers) !== ''));
  const connection = headerTokens(req.headers, 'connection');
  const clientKeep = req.minor === 1 ? !connection.includes('close') : connection.includes('keep-alive');
  return { kind: 'forward', target, where, host, upstream, head, framing, clientKeep };
}
