/**
 * NetReq's HTTP forward proxy: absolute-form requests forwarded over a keep-alive upstream pool, CONNECT
 * tunnels spliced in both directions, bodies streamed (never buffered whole), hop-by-hop headers removed,
 * and errors answered with real status codes and a readable body. Every request or tunnel is a flow,
 * reported as events for the live traffic view; a slow listener never slows the traffic.
 *
 * It speaks HTTP/1.x on raw sockets (./http1.ts finds where heads and bodies end) rather than through
 * node:http: the bytes of a body pass through as they came (chunked stays chunked), and a request costs a
 * fraction of what an http.Server plus an http.Agent cost (see bench/RESULTS.md).
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { HeaderList } from '../exchange';
import { hostPort, parseProxy } from '../transport/connect';
import { BodyFramer, bodyFraming, headerTokens, parseRequestHead, parseResponseHead, serializeHead, type Framing, type RequestHead } from './http1';

export interface ProxyOptions {
  host: string;
  port: number;
  /** Largest request head accepted; bigger gets 431 (default 64 KB). */
  maxHeaderBytes: number;
  /** Close a client connection idle this long (ms). */
  clientIdleTimeoutMs: number;
  /** Give up on an upstream that does not answer (or a tunnel target that does not connect) in this long: 504. */
  upstreamTimeoutMs: number;
  /** Most simultaneous client connections; more are closed as they arrive. */
  maxConnections: number;
  /** Client addresses allowed (exact IPs); undefined = any (the bind address already limits who can reach it). */
  allowClients?: string[];
  /** Ports CONNECT may reach; undefined = any. */
  allowConnectPorts?: number[];
  /** Chain through another HTTP proxy (http://host:port). */
  upstream?: string;
  /** How much of each plain-HTTP body a flow keeps for the detail view. */
  bodyPreviewBytes: number;
  /** Close an idle pooled upstream connection after this long (ms). */
  upstreamIdleTimeoutMs: number;
  /** Most idle upstream connections kept per upstream host:port. */
  maxIdleUpstreamsPerHost: number;
}

export const DEFAULT_PROXY_OPTIONS: ProxyOptions = {
  host: '127.0.0.1',
  port: 8888,
  maxHeaderBytes: 64 * 1024,
  clientIdleTimeoutMs: 60_000,
  upstreamTimeoutMs: 30_000,
  maxConnections: 1024,
  bodyPreviewBytes: 64 * 1024,
  upstreamIdleTimeoutMs: 15_000,
  maxIdleUpstreamsPerHost: 256,
};

export interface Flow {
  id: number;
  kind: 'http' | 'tunnel';
  /** Epoch ms. */
  startedAt: number;
  client: string;
  method: string;
  /** Absolute URL (http) or host:port (tunnel). */
  target: string;
  status?: number;
  bytesUp: number;
  bytesDown: number;
  durationMs?: number;
  requestHeaders: HeaderList;
  responseHeaders?: HeaderList;
  requestBody?: Buffer;
  responseBody?: Buffer;
  /** Upstream timings (ms since start): connected (tunnel), first response byte (http). */
  timings: { upstreamConnected?: number; firstByte?: number };
  /** What went wrong, in words, when something did. */
  error?: string;
  done: boolean;
}

export interface ProxyEvents {
  'flow-start': [Flow];
  'flow-end': [Flow];
  listening: [{ host: string; port: number }];
  warning: [string];
}

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

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
function withoutFraming(headers: HeaderList): HeaderList {
  return headers.filter(([k]) => {
    const l = k.toLowerCase();
    return l !== 'content-length' && l !== 'transfer-encoding';
  });
}

/** The framing headers for a body the proxy passes on as it came (`length0`: say Content-Length: 0 for an empty one). */
function framingHeaders(framing: Framing, codings: string[], length0: boolean): string {
  if (framing.kind === 'length') return `Content-Length: ${framing.length}\r\n`;
  if (framing.kind === 'none') return length0 ? 'Content-Length: 0\r\n' : '';
  if (codings.length > 0) return `Transfer-Encoding: ${codings.join(', ')}\r\n`;
  return '';
}

/** The first Content-Length header as it came (for HEAD and 304, where it describes a body that is not sent). */
function lengthOf(headers: HeaderList): string {
  const h = headers.find(([k]) => k.toLowerCase() === 'content-length');
  return h && /^\d{1,15}$/.test(h[1]) ? `Content-Length: ${h[1]}\r\n` : '';
}

/**
 * A buffer that grows by doubling, for heads that arrive in many small pieces: appending costs amortized
 * O(size) instead of a copy of everything so far per piece.
 */
class Growing {
  private store: Buffer;
  private length: number;
  view: Buffer;

  constructor(first: Buffer) {
    this.store = Buffer.allocUnsafe(Math.max(4096, first.length * 2));
    first.copy(this.store);
    this.length = first.length;
    this.view = this.store.subarray(0, this.length);
  }

  append(d: Buffer): Buffer {
    if (this.length + d.length > this.store.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.store.length * 2, this.length + d.length));
      this.store.copy(bigger, 0, 0, this.length);
      this.store = bigger;
    }
    d.copy(this.store, this.length);
    this.length += d.length;
    this.view = this.store.subarray(0, this.length);
    return this.view;
  }

  /** `prev` with `d` appended, reusing `acc` when `prev` is its current view. */
  static join(acc: Growing | undefined, prev: Buffer, d: Buffer): { acc: Growing; buf: Buffer } {
    const g = acc && acc.view === prev ? acc : new Growing(prev);
    return { acc: g, buf: g.append(d) };
  }
}

/** Whether a listen address keeps the proxy on this machine (IPv4/IPv6 loopback, or the name localhost). */
export function isLoopback(addr: string): boolean {
  const a = addr.toLowerCase();
  return a === 'localhost' || a.startsWith('127.') || a === '::1' || a === '[::1]' || a.startsWith('::ffff:127.');
}

/** Methods a proxy may send again on a fresh connection when a reused one turns out dead (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const MAX_RESPONSE_HEAD = 256 * 1024;
/**
 * Read sizes for the download side of a tunnel: fewer, larger reads move bulk data at a fraction of the cost.
 * A tunnel starts with a small block and moves to the large one the first time a read fills the small one
 * (bulk traffic), so a thousand quiet tunnels hold 64 MB, not 1 GB.
 */
const TUNNEL_FIRST_READ_BYTES = 64 * 1024;
const TUNNEL_BULK_READ_BYTES = 1024 * 1024;

function simpleResponse(status: string, message: string, extra = ''): string {
  const body = `${message}\n`;
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

/** A pooled connection to an upstream (origin server, or the upstream proxy when chaining). */
class Upstream {
  owner?: Exchange;
  reused = false;
  /** Bytes received for the current exchange (a reused connection that dies before any may be retried). */
  received = 0;
  error?: NodeJS.ErrnoException;

  constructor(
    readonly socket: net.Socket,
    readonly key: string,
    pool: UpstreamPool,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      const owner = this.owner;
      if (!owner) return void socket.destroy(); // an idle connection must not send anything
      try {
        owner.upstreamData(d);
      } catch (e) {
        socket.destroy();
        pool.warn(`Internal error on an upstream connection (closed it): ${(e as Error).stack ?? e}`);
        try {
          owner.abort();
        } catch {
          /* the connection is gone either way */
        }
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (this.error = e));
    socket.on('timeout', () => {
      if (!this.owner) socket.destroy(); // idle in the pool for too long
    });
    socket.on('end', () => this.owner?.upstreamGone(false));
    socket.on('close', () => {
      pool.forget(this);
      this.owner?.upstreamGone(true);
    });
  }
}

class UpstreamPool {
  private readonly idle = new Map<string, Upstream[]>();
  private readonly all = new Set<Upstream>();

  constructor(
    private readonly options: ProxyOptions,
    readonly warn: (message: string) => void,
  ) {}

  get size(): number {
    return this.all.size;
  }

  take(key: string): Upstream | undefined {
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const u = list.pop()!;
      if (u.socket.destroyed || u.socket.readyState !== 'open') continue;
      u.socket.setTimeout(0);
      u.reused = true;
      return u;
    }
    return undefined;
  }

  connect(host: string, port: number, key: string): Upstream {
    const u = new Upstream(net.connect({ host, port }), key, this);
    this.all.add(u);
    return u;
  }

  give(u: Upstream): void {
    u.owner = undefined;
    u.received = 0;
    let list = this.idle.get(u.key);
    if (!list) this.idle.set(u.key, (list = []));
    if (list.length >= this.options.maxIdleUpstreamsPerHost || u.socket.destroyed) return void u.socket.destroy();
    list.push(u);
    u.socket.setTimeout(this.options.upstreamIdleTimeoutMs);
  }

  forget(u: Upstream): void {
    this.all.delete(u);
    const list = this.idle.get(u.key);
    const i = list?.indexOf(u) ?? -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) this.idle.delete(u.key);
  }

  destroyAll(): void {
    for (const u of this.all) u.socket.destroy();
    this.all.clear();
    this.idle.clear();
  }
}

/** What an exchange needs from the proxy. */
interface ProxyCore {
  readonly options: ProxyOptions;
  readonly pool: UpstreamPool;
  readonly upstreamProxy?: { host: string; port: number };
  newFlow(kind: Flow['kind'], client: ClientConnection, method: string, target: string, headers: HeaderList): Flow;
  endFlow(flow: Flow, t0: number): void;
}

/** Keeps the first `limit` bytes of a body for the detail view (copied, so socket buffers are not retained). */
class Preview {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  add = (b: Buffer): void => {
    if (this.size >= this.limit) return;
    const take = b.length <= this.limit - this.size ? b : b.subarray(0, this.limit - this.size);
    this.parts.push(Buffer.from(take));
    this.size += take.length;
  };
  result(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
  }
}

/** One request forwarded upstream and its response relayed back. */
class Exchange {
  readonly t0 = performance.now();
  flow!: Flow;
  requestDone = false;
  private finished = false;
  private upstream?: Upstream;
  private head = '';
  private where = '';
  private key = '';
  private connectTo!: { host: string; port: number };
  private reqFramer!: BodyFramer;
  private readonly reqPreview: Preview;
  private readonly resPreview: Preview;
  private responseHeadSent = false;
  private resBuf?: Growing;
  private resScan = 0;
  private drainHandler?: () => void;
  private resFramer?: BodyFramer;
  private dechunk = false;
  private clientKeep: boolean;
  private upstreamKeep = false;
  private timer?: ReturnType<typeof setTimeout>;
  private retried = false;
  private waitingDrain = false;

  constructor(
    private readonly core: ProxyCore,
    private readonly client: ClientConnection,
    private readonly req: RequestHead,
  ) {
    this.reqPreview = new Preview(core.options.bodyPreviewBytes);
    this.resPreview = new Preview(core.options.bodyPreviewBytes);
    const connection = headerTokens(req.headers, 'connection');
    this.clientKeep = req.minor === 1 ? !connection.includes('close') : connection.includes('keep-alive');
  }

  /** Validates and sends the head upstream; false when it answered the client itself (and the connection closes). */
  start(): boolean {
    const { req, core } = this;
    const m = /^http:\/\/(\[[0-9A-Fa-f:.]+\]|[^/?#:@[\]\s]+)(?::(\d{1,5}))?([/?][^#]*)?(#.*)?$/i.exec(req.target);
    const hostName = m ? m[1].toLowerCase() : '';
    const target = m ? `http://${hostName}${m[2] && m[2] !== '80' ? `:${m[2]}` : ''}${m[3] === undefined ? '/' : m[3].startsWith('?') ? `/${m[3]}` : m[3]}` : req.target;
    this.flow = core.newFlow('http', this.client, req.method, target, req.headers);
    if (!m) {
      const https = /^https:\/\//i.test(req.target);
      return this.fail(
        400,
        https
          ? 'This proxy forwards http:// URLs; use CONNECT for https:// (most clients do that by themselves for https)'
          : `The request target ${JSON.stringify(req.target)} is not an absolute http:// URL: send requests to this proxy as "GET http://host/path HTTP/1.1"`,
      );
    }
    const port = Number(m[2] ?? 80);
    if (port < 1 || port > 65535) return this.fail(400, `The port in ${req.target} is out of range (1-65535)`);
    const framing = bodyFraming(req.headers, true);
    if (typeof framing === 'string') return this.fail(400, `The proxy could not forward this request: ${framing}`);
    if (framing.kind === 'chunked' && req.minor === 0) return this.fail(400, 'The proxy could not forward this request: HTTP/1.0 has no Transfer-Encoding, so its length is unknown');
    this.reqFramer = new BodyFramer(framing);
    this.requestDone = this.reqFramer.done;
    const host = hostName.replace(/^\[|\]$/g, '');
    this.where = hostPort(host, port);
    this.connectTo = core.upstreamProxy ?? { host, port };
    this.key = hostPort(this.connectTo.host, this.connectTo.port);
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
    const path = core.upstreamProxy ? target : (m[3] === undefined ? '/' : m[3].startsWith('?') ? `/${m[3]}` : m[3]);
    this.head = serializeHead(`${req.method} ${path} HTTP/1.1`, headers, framingHeaders(framing, headerTokens(req.headers, 'transfer-encoding'), lengthOf(req.headers) !== ''));
    this.attach(core.pool.take(this.key) ?? core.pool.connect(this.connectTo.host, this.connectTo.port, this.key));
    this.timer = setTimeout(() => this.timedOut(), core.options.upstreamTimeoutMs);
    return true;
  }

  private attach(u: Upstream): void {
    this.upstream = u;
    u.owner = this;
    u.socket.write(this.head);
  }

  /** Request body bytes from the client; returns how many belonged to this request's body. */
  requestData(buf: Buffer, start: number): number {
    if (this.requestDone || this.finished) return 0;
    const n = this.reqFramer.consume(buf, start, this.reqPreview.add);
    if (this.reqFramer.error) {
      this.fail(400, `The proxy could not forward this request: ${this.reqFramer.error}`);
      return buf.length - start;
    }
    if (n > 0) {
      this.flow.bytesUp += n;
      this.timer?.refresh(); // an upload in progress is not an upstream that does not answer
      const u = this.upstream!;
      if (!u.socket.write(start === 0 && n === buf.length ? buf : buf.subarray(start, start + n)) && !this.waitingDrain) {
        this.waitingDrain = true;
        this.client.socket.pause();
        u.socket.once('drain', () => {
          this.waitingDrain = false;
          if (!this.finished) this.client.socket.resume();
        });
      }
    }
    if (this.reqFramer.done) {
      this.requestDone = true;
      if (this.resFramer?.done) this.complete();
    }
    return n;
  }

  upstreamData(d: Buffer): void {
    if (this.finished) return;
    const u = this.upstream!;
    u.received += d.length;
    this.timer?.refresh();
    if (this.resFramer) return this.responseBody(d, 0);
    const acc = this.resBuf;
    let buf = acc ? acc.append(d) : d;
    this.resBuf = undefined;
    // 1xx interim responses are relayed and the final one follows.
    for (;;) {
      const end = buf.indexOf('\r\n\r\n', this.resScan);
      if (end < 0) {
        if (buf.length > MAX_RESPONSE_HEAD) return void this.fail(502, `Upstream ${this.where} sent a response head larger than ${MAX_RESPONSE_HEAD / 1024} KB`);
        this.resScan = Math.max(0, buf.length - 3);
        this.resBuf = acc && acc.view === buf ? acc : new Growing(buf);
        return;
      }
      const res = parseResponseHead(buf.toString('latin1', 0, end));
      if (typeof res === 'string') return void this.fail(502, `Upstream ${this.where} sent a response this proxy cannot read: ${res}`);
      const rest = buf.subarray(end + 4);
      if (res.status >= 100 && res.status < 200) {
        if (res.status === 101) return void this.fail(502, `Upstream ${this.where} switched protocols (101), which this proxy does not relay for absolute-form requests`);
        // HTTP/1.0 clients do not expect interim responses (RFC 9110 §15.2): they get only the final one.
        if (this.req.minor === 1) this.client.socket.write(serializeHead(`HTTP/1.1 ${res.status} ${res.reason}`, endToEnd(res.headers)));
        buf = rest;
        this.resScan = 0;
        continue;
      }
      this.resBuf = undefined;
      const flow = this.flow;
      flow.timings.firstByte = performance.now() - this.t0;
      flow.status = res.status;
      const framing: Framing | string = this.req.method === 'HEAD' || res.status === 204 || res.status === 304 ? { kind: 'none' } : bodyFraming(res.headers, false);
      if (typeof framing === 'string') return void this.fail(502, `Upstream ${this.where} sent a response this proxy cannot forward: ${framing}`);
      const connection = headerTokens(res.headers, 'connection');
      this.upstreamKeep = framing.kind !== 'close' && (res.minor === 1 ? !connection.includes('close') : connection.includes('keep-alive'));
      const codings = headerTokens(res.headers, 'transfer-encoding');
      this.dechunk = framing.kind === 'chunked' && this.req.minor === 0;
      if (this.req.minor === 0 && codings.some((c) => c !== 'chunked')) return void this.fail(502, `Upstream ${this.where} sent Transfer-Encoding: ${codings.join(', ')}, which an HTTP/1.0 client cannot receive`);
      if (framing.kind === 'close' || this.dechunk) this.clientKeep = false;
      const headers = withoutFraming(endToEnd(res.headers));
      flow.responseHeaders = headers;
      const bodyless = res.status === 304 || this.req.method === 'HEAD';
      const extra =
        (this.dechunk ? '' : bodyless ? lengthOf(res.headers) : framingHeaders(framing, codings, res.status !== 204)) +
        (this.clientKeep ? (this.req.minor === 0 ? 'Connection: keep-alive\r\n' : '') : 'Connection: close\r\n');
      this.responseHeadSent = true;
      this.resFramer = new BodyFramer(framing);
      this.writeClient(Buffer.from(serializeHead(`HTTP/1.1 ${res.status} ${res.reason}`, headers, extra), 'latin1'));
      if (this.resFramer.done) {
        if (rest.length > 0) this.upstreamKeep = false;
        return this.complete();
      }
      if (rest.length > 0) this.responseBody(rest, 0);
      return;
    }
  }

  private responseBody(d: Buffer, start: number): void {
    const framer = this.resFramer!;
    const n = framer.consume(d, start, this.dechunk ? (p) => {
      this.resPreview.add(p);
      this.writeClient(p);
    } : this.resPreview.add);
    if (framer.error) {
      this.flow.error = `Upstream ${this.where} sent a broken body: ${framer.error}`;
      return this.abort();
    }
    this.flow.bytesDown += n;
    if (!this.dechunk && n > 0) this.writeClient(start === 0 && n === d.length ? d : d.subarray(start, start + n));
    if (framer.done) {
      if (start + n < d.length) this.upstreamKeep = false; // bytes after the end of the response
      this.complete();
    }
  }

  private writeClient(b: Buffer): void {
    const c = this.client.socket;
    if (!c.write(b) && this.upstream && !this.drainHandler) {
      const up = this.upstream.socket;
      up.pause();
      this.drainHandler = () => {
        this.drainHandler = undefined;
        up.resume();
      };
      c.once('drain', this.drainHandler);
    }
  }

  /** The upstream connection ended (FIN) or closed. */
  upstreamGone(closed: boolean): void {
    if (this.finished) return;
    const u = this.upstream!;
    if (this.resFramer?.framing.kind === 'close' && !u.error) {
      this.upstreamKeep = false;
      this.resFramer.done = true;
      return this.complete();
    }
    if (this.resFramer) {
      this.flow.error = `Upstream ${this.where} broke off the response: ${u.error ? u.error.message : 'the connection closed before the end of the body'}`;
      return this.abort();
    }
    if (!closed && !u.error) return; // FIN without an answer: wait for close to decide (a retry, or 502)
    // A reused connection the server had closed: send an idempotent request without a body again, once, on a fresh one.
    if (u.reused && u.received === 0 && !this.retried && IDEMPOTENT.has(this.req.method) && this.reqFramer.framing.kind === 'none') {
      this.retried = true;
      u.owner = undefined;
      this.attach(this.core.pool.connect(this.connectTo.host, this.connectTo.port, this.key));
      this.timer?.refresh();
      return;
    }
    const err = u.error;
    const where = this.core.upstreamProxy ? `the upstream proxy ${this.key}` : this.where;
    if (err?.code === 'ETIMEDOUT') return void this.fail(504, `Upstream ${this.where} did not answer within ${this.core.options.upstreamTimeoutMs} ms`);
    const why =
      err?.code === 'ECONNREFUSED'
        ? `nothing is listening on ${where} (connection refused)`
        : err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN'
          ? `host '${this.connectTo.host}' not found (DNS)`
          : err?.code === 'ECONNRESET'
            ? `${where} reset the connection`
            : err
              ? `${where}: ${err.message}`
              : `${where} closed the connection without answering`;
    this.fail(502, `Upstream unreachable: ${why}`);
  }

  private timedOut(): void {
    if (this.finished) return;
    // Waiting on a slow client is not the upstream's silence: the client's idle timeout covers a client that stops reading.
    if (this.drainHandler) return void this.timer?.refresh();
    if (!this.responseHeadSent) return void this.fail(504, `Upstream ${this.where} did not answer within ${this.core.options.upstreamTimeoutMs} ms`);
    this.flow.error = `Upstream ${this.where} sent nothing for ${this.core.options.upstreamTimeoutMs} ms in the middle of the body`;
    this.abort();
  }

  /** The client went away. */
  clientGone(): void {
    if (this.finished) return;
    if (this.flow) this.flow.error ??= 'The client went away before the response was complete';
    this.finish();
    this.upstream?.socket.destroy();
  }

  /** Answers the client with an error (or cuts it, once a response has started) and ends the flow. */
  private fail(status: number, message: string): false {
    if (this.finished) return false;
    this.flow.status = status;
    this.flow.error = message;
    if (!this.responseHeadSent) {
      this.responseHeadSent = true;
      const reason = { 400: 'Bad Request', 502: 'Bad Gateway', 504: 'Gateway Timeout' }[status as 400 | 502 | 504] ?? 'Error';
      this.client.socket.end(simpleResponse(`${status} ${reason}`, message, 'X-NetReq-Proxy-Error: 1\r\n'));
    } else this.client.socket.destroy();
    this.finish();
    this.upstream?.socket.destroy();
    this.client.exchangeDone(false);
    return false;
  }

  /** Cuts both sides (a broken response, or an internal error). */
  abort(): void {
    if (this.finished) return;
    this.finish();
    this.upstream?.socket.destroy();
    this.client.socket.destroy();
    this.client.exchangeDone(false);
  }

  private finish(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.drainHandler) {
      // Never leave a pooled connection paused, nor a stale listener that would resume it for its next owner.
      this.client.socket.off('drain', this.drainHandler);
      this.drainHandler = undefined;
      this.upstream?.socket.resume();
    }
    if (this.upstream) this.upstream.owner = undefined;
    if (!this.flow) return; // it failed before it began (an internal error)
    this.flow.requestBody = this.reqPreview.result();
    if (this.resFramer) this.flow.responseBody = this.resPreview.result();
    this.core.endFlow(this.flow, this.t0);
  }

  private complete(): void {
    if (!this.requestDone) {
      // The response ended before the request body did: the rest of the request cannot be told from the next one.
      this.clientKeep = false;
      this.upstreamKeep = false;
    }
    const u = this.upstream!;
    this.finish();
    if (this.upstreamKeep) this.core.pool.give(u);
    else u.socket.destroy();
    this.client.exchangeDone(this.clientKeep);
  }
}

/** One client connection: reads request heads, runs one exchange at a time (pipelined requests wait), or becomes a tunnel. */
class ClientConnection {
  private buf?: Buffer;
  private acc?: Growing;
  private ended = false;
  private scanFrom = 0;
  private exchange?: Exchange;
  private closed = false;

  constructor(
    private readonly core: ProxyCore & { tunnel(client: ClientConnection, req: RequestHead, rest: Buffer): void; emit(event: 'warning', message: string): boolean },
    readonly socket: net.Socket,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
  }

  /** The client sent FIN: finish what it asked for (pipelined requests included), then close. */
  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.exchange && !this.exchange.requestDone) {
      // FIN in the middle of a request body: the rest will never come.
      this.exchange.clientGone();
      this.exchange = undefined;
      this.closed = true;
      this.socket.destroy();
      return;
    }
    if (!this.exchange && !this.closed) {
      this.closed = true;
      this.socket.end();
    }
  };

  private readonly onError = (): void => undefined; // the close that follows ends the exchange
  private readonly onClose = (): void => {
    this.closed = true;
    this.exchange?.clientGone();
  };

  private readonly onData = (d: Buffer): void => {
    try {
      this.received(d);
    } catch (e) {
      // A bug here must cost one connection, not the proxy and every other client.
      this.socket.destroy();
      this.core.emit('warning', `Internal error on a client connection (closed it): ${(e as Error).stack ?? e}`);
      const ex = this.exchange;
      this.exchange = undefined;
      this.closed = true;
      try {
        ex?.clientGone();
      } catch {
        /* the connection is gone either way */
      }
    }
  };

  private received(d: Buffer): void {
    if (this.closed) return;
    const ex = this.exchange;
    if (ex && !ex.requestDone) {
      const n = ex.requestData(d, 0);
      if (n < d.length && !this.closed && this.exchange === ex) {
        this.buf = d.subarray(n);
        this.socket.pause(); // a pipelined request waits for this response
      }
      return;
    }
    if (this.buf) ({ acc: this.acc, buf: this.buf } = Growing.join(this.acc, this.buf, d));
    else this.buf = d;
    if (ex) this.socket.pause();
    else this.next();
  }

  /** Parses the next request head from what has arrived, and starts it. */
  private next(): void {
    const max = this.core.options.maxHeaderBytes;
    while (this.buf && !this.exchange && !this.closed) {
      let buf = this.buf;
      let skip = 0;
      while (skip + 1 < buf.length && buf[skip] === 0x0d && buf[skip + 1] === 0x0a) skip += 2; // empty lines before a request are ignored
      if (skip > 0) {
        buf = this.buf = buf.length > skip ? buf.subarray(skip) : undefined!;
        this.scanFrom = 0;
        if (!buf) return;
      }
      const end = buf.indexOf('\r\n\r\n', this.scanFrom);
      if (end < 0) {
        if (buf.length > max) return this.refuse('431 Request Header Fields Too Large', `The request headers are larger than this proxy accepts (${max} bytes).`);
        this.scanFrom = Math.max(0, buf.length - 3);
        return;
      }
      if (end + 4 > max) return this.refuse('431 Request Header Fields Too Large', `The request headers are larger than this proxy accepts (${max} bytes).`);
      const req = parseRequestHead(buf.toString('latin1', 0, end));
      const rest = buf.subarray(end + 4);
      this.buf = rest.length > 0 ? rest : undefined;
      this.acc = undefined; // the head is parsed: its growing buffer is not appended to again
      this.scanFrom = 0;
      if (typeof req === 'string') return this.refuse('400 Bad Request', `The proxy could not parse this request: ${req}.`);
      if (req.method === 'CONNECT') {
        this.buf = undefined;
        this.socket.off('data', this.onData);
        this.socket.off('close', this.onClose);
        this.socket.off('error', this.onError);
        this.socket.off('end', this.onEnd);
        return this.core.tunnel(this, req, rest);
      }
      const ex = new Exchange(this.core, this, req);
      this.exchange = ex;
      if (!ex.start()) return;
      const b = this.buf;
      if (b && this.exchange === ex) {
        const n = ex.requestData(b, 0);
        if (this.buf === b) this.buf = n < b.length ? b.subarray(n) : undefined;
      }
    }
    if (this.buf && this.exchange) this.socket.pause();
  }

  /** Called by the exchange when it is over; `keep` says whether the connection carries another request. */
  exchangeDone(keep: boolean): void {
    this.exchange = undefined;
    if (this.closed) return;
    if (!keep) {
      this.closed = true;
      this.buf = undefined;
      this.acc = undefined;
      if (!this.socket.destroyed) {
        this.socket.resume(); // read (and drop) the rest, so the client's FIN closes the connection
        this.socket.end();
      }
      return;
    }
    this.socket.resume();
    if (this.buf) this.next();
    if (this.ended && !this.exchange && !this.closed) {
      this.closed = true;
      this.socket.end();
    }
  }

  private refuse(status: string, message: string): void {
    this.closed = true;
    this.buf = undefined;
    this.socket.end(simpleResponse(status, message));
  }
}

export class ProxyServer extends EventEmitter<ProxyEvents> implements ProxyCore {
  readonly options: ProxyOptions;
  readonly pool: UpstreamPool;
  readonly upstreamProxy?: { host: string; port: number };
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly tunnels = new Set<net.Socket>();
  private nextFlow = 1;

  constructor(options: Partial<ProxyOptions> = {}) {
    super();
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<ProxyOptions>;
    this.options = { ...DEFAULT_PROXY_OPTIONS, ...given };
    this.pool = new UpstreamPool(this.options, (m) => this.emit('warning', m));
    if (this.options.upstream) this.upstreamProxy = parseProxy(this.options.upstream);
  }

  /** Starts listening. Binding anything but loopback is allowed only when asked for, and warned about. */
  async listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    if (!isLoopback(host)) this.emit('warning', `The proxy listens on ${host}, reachable from other machines: anyone who can reach ${hostPort(host, port)} can use it`);
    // Half-open allowed: a client may send its request and FIN, and still read the answer (and tunnels pass FINs on).
    const server = net.createServer({ noDelay: true, allowHalfOpen: true });
    this.server = server;
    server.maxConnections = this.options.maxConnections;
    server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      s.setTimeout(this.options.clientIdleTimeoutMs, () => s.destroy());
      if (this.options.allowClients && !this.options.allowClients.includes(s.remoteAddress ?? '')) {
        s.on('error', () => undefined);
        s.resume(); // read and drop what it sends (nothing is parsed), so its FIN closes the connection
        s.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(`This proxy does not serve ${s.remoteAddress} (it is not on the client allow-list)\n`)}\r\n\r\nThis proxy does not serve ${s.remoteAddress} (it is not on the client allow-list)\n`);
        return;
      }
      new ClientConnection(this, s);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address() as net.AddressInfo;
    const where = { host: addr.address, port: addr.port };
    this.emit('listening', where);
    return where;
  }

  get address(): { host: string; port: number } | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
  }

  /** Open client connections (for tests and the status view). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Open upstream connections, busy or idle in the pool (for tests). */
  get upstreamConnections(): number {
    return this.pool.size;
  }

  /** Open connections to tunnel targets (for tests). */
  get openTunnels(): number {
    return this.tunnels.size;
  }

  /** Stops listening, cuts every connection and tunnel, frees the port. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    for (const s of this.tunnels) s.destroy();
    this.pool.destroyAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  newFlow(kind: Flow['kind'], client: ClientConnection, method: string, target: string, headers: HeaderList): Flow {
    const flow: Flow = {
      id: this.nextFlow++,
      kind,
      startedAt: Date.now(),
      client: hostPort(client.socket.remoteAddress ?? '?', client.socket.remotePort ?? 0),
      method,
      target,
      bytesUp: 0,
      bytesDown: 0,
      requestHeaders: headers,
      timings: {},
      done: false,
    };
    this.emit('flow-start', flow);
    return flow;
  }

  endFlow(flow: Flow, t0: number): void {
    if (flow.done) return;
    flow.done = true;
    flow.durationMs = performance.now() - t0;
    this.emit('flow-end', flow);
  }

  /** CONNECT host:port: splice the client socket to the target (or through the upstream proxy). */
  tunnel(conn: ClientConnection, req: RequestHead, head: Buffer): void {
    const client = conn.socket;
    const t0 = performance.now();
    const authority = req.target;
    const flow = this.newFlow('tunnel', conn, req.method, authority, req.headers);
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
    client.on('error', () => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined = undefined; // set once the target is known; refuse() may run before
    const refuse = (status: string, message: string) => {
      if (timer) clearTimeout(timer);
      if (flow.done) return;
      flow.status = Number(status.slice(0, 3));
      flow.error = message;
      client.resume(); // read (and drop) anything it sent after its CONNECT, so its FIN closes the connection
      client.setTimeout(this.options.clientIdleTimeoutMs, () => client.destroy());
      client.end(simpleResponse(status, message));
      this.endFlow(flow, t0);
    };
    if (!m) return refuse('400 Bad Request', `CONNECT needs host:port, got ${JSON.stringify(authority)}`);
    const host = m[1].replace(/^\[|\]$/g, '');
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return refuse('400 Bad Request', `CONNECT port ${port} is out of range (1-65535)`);
    if (this.options.allowConnectPorts && !this.options.allowConnectPorts.includes(port)) {
      return refuse('403 Forbidden', `This proxy does not open tunnels to port ${port} (allowed: ${this.options.allowConnectPorts.join(', ')})`);
    }
    client.pause();
    // Downloads are read in large blocks (onread): each block is written to the client before the next read,
    // so the block buffer is reused only once the client has taken it.
    let onChunk: (b: Buffer) => void = () => undefined;
    let block: Buffer | undefined;
    const upstream = net.connect({
      host: this.upstreamProxy?.host ?? host,
      port: this.upstreamProxy?.port ?? port,
      allowHalfOpen: true,
      onread: {
        // Node asks for the block before every read; the callback's block stays untouched until the next read,
        // which onChunk holds off until the client has taken what was written from it.
        buffer: () => (block ??= Buffer.allocUnsafe(TUNNEL_FIRST_READ_BYTES)),
        callback: (n: number, buf: Buffer) => {
          if (n === buf.length && buf.length < TUNNEL_BULK_READ_BYTES) block = Buffer.allocUnsafe(TUNNEL_BULK_READ_BYTES);
          onChunk(buf.subarray(0, n));
          return true;
        },
      },
    });
    timer = setTimeout(() => {
      upstream.destroy();
      refuse('504 Gateway Timeout', `${this.upstreamProxy ? `The upstream proxy did not open the tunnel to ${authority}` : `${authority} did not accept the connection`} within ${this.options.upstreamTimeoutMs} ms`);
    }, this.options.upstreamTimeoutMs);
    this.tunnels.add(upstream);
    upstream.once('close', () => this.tunnels.delete(upstream));
    const cleanup = () => {
      clearTimeout(timer);
      client.destroy();
      upstream.destroy();
      this.endFlow(flow, t0);
    };
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (flow.status === undefined) {
        refuse('502 Bad Gateway', err.code === 'ECONNREFUSED' ? `Nothing is listening on ${authority} (connection refused)` : `Cannot reach ${authority}: ${err.message}`);
        upstream.destroy();
      } else {
        flow.error = `${authority}: ${err.message}`;
        cleanup();
      }
    });
    client.once('close', () => {
      if (flow.status === undefined) cleanup();
    });
    const splice = (early: Buffer) => {
      clearTimeout(timer);
      flow.status = 200;
      flow.timings.upstreamConnected = performance.now() - t0;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      flow.bytesUp += head.length;
      client.on('data', (d: Buffer) => (flow.bytesUp += d.length));
      // Half-close passes through (both sockets allow half-open): a FIN from one side ends the other's write
      // side, and the tunnel lives until both directions are done.
      client.pipe(upstream);
      client.resume();
      let waiting = false;
      const written = () => {
        if (waiting && client.writableLength === 0) {
          waiting = false;
          upstream.resume();
        }
      };
      onChunk = (b) => {
        flow.bytesDown += b.length;
        client.write(b, written);
        // Whatever the socket could not take at once still points into the block buffer, which the next
        // read overwrites: stop reading until this write is done.
        if (client.writableLength > 0 && !waiting) {
          waiting = true;
          upstream.pause();
        }
      };
      if (early.length) onChunk(Buffer.from(early));
      // Once either direction has ended, a tunnel silent for the client idle timeout is closed (a peer that
      // never sends its own FIN must not hold it open forever).
      const halfClosed = () => client.setTimeout(this.options.clientIdleTimeoutMs, cleanup);
      upstream.on('end', () => {
        client.end();
        halfClosed();
      });
      client.on('end', halfClosed);
      if (client.readableEnded) {
        // its FIN came with the CONNECT: pass it on (pipe will not, 'end' has been emitted already)
        upstream.end();
        halfClosed();
      }
      // The client gone: nobody is left to read. What it sent before its FIN still reaches the target (bounded);
      // an aborted client (an error) cuts the target at once.
      client.once('close', (hadError: boolean) => {
        if (hadError || upstream.destroyed || upstream.writableLength === 0) return cleanup();
        const t = setTimeout(cleanup, this.options.upstreamTimeoutMs);
        const done = () => {
          clearTimeout(t);
          cleanup();
        };
        upstream.once('finish', done);
        upstream.once('close', done);
      });
      // The target gone: the client drains what was written to it (it was sent FIN); its idle timeout bounds that.
      upstream.once('close', () => {
        if (!flow.done && !client.destroyed) halfClosed();
      });
    };
    upstream.once('connect', () => {
      upstream.setNoDelay(true);
      client.setNoDelay(true);
      client.setTimeout(0);
      if (client.destroyed) return cleanup();
      if (!this.upstreamProxy) return splice(Buffer.alloc(0));
      // Chained: ask the upstream proxy for the tunnel first.
      upstream.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
      let buf = Buffer.alloc(0);
      const answerless = () => {
        upstream.destroy();
        refuse('502 Bad Gateway', `The upstream proxy closed the connection without answering the CONNECT to ${authority}`);
      };
      upstream.once('end', answerless);
      onChunk = (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > 64 * 1024) {
            upstream.destroy();
            refuse('502 Bad Gateway', `The upstream proxy answered the CONNECT to ${authority} with more than 64 KB of head`);
          }
          return;
        }
        onChunk = () => undefined;
        upstream.off('end', answerless);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(buf.toString('latin1'))?.[1];
        if (status !== '200') {
          upstream.destroy();
          return refuse('502 Bad Gateway', `The upstream proxy refused the tunnel to ${authority}: ${buf.subarray(0, buf.indexOf('\r\n')).toString('latin1')}`);
        }
        splice(buf.subarray(end + 4));
      };
    });
  }
}
