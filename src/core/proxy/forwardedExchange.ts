/**
 * ForwardedExchange: one request forwarded upstream and its response relayed back (./client.ts runs one
 * at a time per connection). Not the core `Exchange` (../exchange.ts), the result of a request NetReq sends.
 */
import type { LookupFunction } from 'node:net';
import type { HeaderList } from '../exchange';
import { hostPort } from '../transport/address';
import type { ClientConnection } from './client';
import { BodyFramer, bodyFraming, headerTokens, parseResponseHead, serializeHead, type Framing, type RequestHead } from './http1';
import { responseHasNoBody } from '../wire/http1/framing';
import { endToEnd, framingHeaders, Growing, lengthOf, simpleResponse, withoutFraming } from './messages';
import type { Flow, ProxyOptions } from './server';
import type { Upstream, UpstreamPool } from './upstreams';

/** Methods a proxy may send again on a fresh connection when a reused one turns out dead (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const MAX_RESPONSE_HEAD = 256 * 1024;

/** What an exchange needs from the proxy. */
export interface ProxyCore {
  readonly options: ProxyOptions;
  readonly pool: UpstreamPool;
  readonly upstreamProxy?: { host: string; port: number };
  newFlow(kind: Flow['kind'], client: ClientConnection, method: string, target: string, headers: HeaderList): Flow;
  endFlow(flow: Flow, t0: number): void;
  /** Why going to host:port (or through the upstream proxy) would come back to this proxy, when IPs say so. */
  loopRefusal(host: string, port: number): string | undefined;
  /** A lookup for net.connect that refuses names resolving to the proxy itself (code ELOOPDETECTED). */
  selfLookup(port: number, target: string): LookupFunction | undefined;
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
export class ForwardedExchange {
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
  /** Interim (1xx) responses received so far. */
  private interim = 0;

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
    this.reqFramer = new BodyFramer(framing, true);
    this.requestDone = this.reqFramer.done;
    const host = hostName.replace(/^\[|\]$/g, '');
    this.where = hostPort(host, port);
    this.connectTo = core.upstreamProxy ?? { host, port };
    this.key = hostPort(this.connectTo.host, this.connectTo.port);
    const loop = core.loopRefusal(host, port);
    if (loop) return this.fail(508, loop);
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
    this.attach(core.pool.take(this.key) ?? this.connectUpstream());
    this.timer = setTimeout(() => this.timedOut(), core.options.upstreamTimeoutMs);
    return true;
  }

  /** A new upstream connection; direct, a name resolving to the proxy itself fails it (ELOOPDETECTED). */
  private connectUpstream(): Upstream {
    const { host, port } = this.connectTo;
    return this.core.pool.connect(host, port, this.key, this.core.selfLookup(port, this.core.upstreamProxy ? `The upstream proxy ${this.key}` : this.where));
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
    if (this.resFramer) {
      this.timer?.refresh();
      return this.responseBody(d, 0);
    }
    // Bytes of a response head do not refresh the upstream timer: only a complete interim response does
    // (a bounded number of times, below), so the final head must come within the timeout of the last one.
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
        const max = this.core.options.maxInterimResponses;
        if (++this.interim > max) return void this.fail(502, `Upstream ${this.where} sent more than ${max} interim (1xx) responses without a final one; the proxy gave up on this request`);
        this.timer?.refresh();
        // HTTP/1.0 clients do not expect interim responses (RFC 9110 §15.2): they get only the final one.
        // Written with backpressure: while the client does not take them, the upstream is not read.
        // A 1xx has no body (RFC 9110 §8.6 forbids Content-Length in one): a client reading one would lose the final response.
        if (this.req.minor === 1) this.writeClient(Buffer.from(serializeHead(`HTTP/1.1 ${res.status} ${res.reason}`, withoutFraming(endToEnd(res.headers))), 'latin1'));
        buf = rest;
        this.resScan = 0;
        continue;
      }
      this.resBuf = undefined;
      const flow = this.flow;
      flow.timings.firstByte = performance.now() - this.t0;
      flow.status = res.status;
      const framing: Framing | string = responseHasNoBody(this.req.method, res.status) ? { kind: 'none' } : bodyFraming(res.headers, false);
      if (typeof framing === 'string') return void this.fail(502, `Upstream ${this.where} sent a response this proxy cannot forward: ${framing}`);
      const connection = headerTokens(res.headers, 'connection');
      const codings = headerTokens(res.headers, 'transfer-encoding');
      // Transfer-Encoding with Content-Length, or in HTTP/1.0, is faulty framing: the upstream may mean another
      // end of the body, so its connection is closed after this response (RFC 9112 §6.1, §6.3), never reused.
      const faulty = codings.length > 0 && (res.minor === 0 || res.headers.some(([k]) => k.length === 14 && k.toLowerCase() === 'content-length'));
      this.upstreamKeep = !faulty && framing.kind !== 'close' && (res.minor === 1 ? !connection.includes('close') : connection.includes('keep-alive'));
      this.dechunk = framing.kind === 'chunked' && this.req.minor === 0;
      if (this.req.minor === 0 && codings.some((c) => c !== 'chunked')) return void this.fail(502, `Upstream ${this.where} sent Transfer-Encoding: ${codings.join(', ')}, which an HTTP/1.0 client cannot receive`);
      if (framing.kind === 'close' || this.dechunk) this.clientKeep = false;
      const headers = withoutFraming(endToEnd(res.headers));
      flow.responseHeaders = res.headers; // as the upstream sent them (the traffic view shows the wire)
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
      this.attach(this.connectUpstream());
      this.timer?.refresh();
      return;
    }
    const err = u.error;
    const where = this.core.upstreamProxy ? `the upstream proxy ${this.key}` : this.where;
    if (err?.code === 'ELOOPDETECTED') return void this.fail(508, err.message);
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
    // The body stalled while the upstream was taking it (not held back by backpressure): the silence is the
    // client's, as with nginx's client_body_timeout.
    if (!this.requestDone && !this.waitingDrain && !this.responseHeadSent) {
      return void this.fail(408, `The client sent no more of the request body for ${this.core.options.upstreamTimeoutMs} ms (${this.flow.bytesUp} bytes of it came); the proxy gave up on this request`);
    }
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
      const reason = { 400: 'Bad Request', 408: 'Request Timeout', 502: 'Bad Gateway', 504: 'Gateway Timeout', 508: 'Loop Detected' }[status as 400 | 408 | 502 | 504 | 508] ?? 'Error';
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
