/**
 * NetReq's HTTP forward proxy: absolute-form requests forwarded over a keep-alive upstream pool, CONNECT
 * tunnels spliced in both directions, bodies streamed (never buffered whole), hop-by-hop headers removed,
 * and errors answered with real status codes and a readable body. Every request or tunnel is a flow,
 * reported as events for the live traffic view; a slow listener never slows the traffic.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import type { HeaderList } from '../exchange';
import { hostPort, parseProxy } from '../transport/connect';

export interface ProxyOptions {
  host: string;
  port: number;
  /** Largest request head accepted; bigger gets 431 (default 64 KB). */
  maxHeaderBytes: number;
  /** Close a client connection idle this long (ms). */
  clientIdleTimeoutMs: number;
  /** Give up on an upstream that does not answer (or a tunnel target that does not connect) in this long: 504. */
  upstreamTimeoutMs: number;
  /** Most simultaneous client connections; more are refused (503 for HTTP, closed for raw). */
  maxConnections: number;
  /** Client addresses allowed (exact IPs); undefined = any (the bind address already limits who can reach it). */
  allowClients?: string[];
  /** Ports CONNECT may reach; undefined = any. */
  allowConnectPorts?: number[];
  /** Chain through another HTTP proxy (http://host:port). */
  upstream?: string;
  /** How much of each plain-HTTP body a flow keeps for the detail view. */
  bodyPreviewBytes: number;
}

export const DEFAULT_PROXY_OPTIONS: ProxyOptions = {
  host: '127.0.0.1',
  port: 8888,
  maxHeaderBytes: 64 * 1024,
  clientIdleTimeoutMs: 60_000,
  upstreamTimeoutMs: 30_000,
  maxConnections: 1024,
  bodyPreviewBytes: 64 * 1024,
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

function pairs(raw: string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

/** Removes hop-by-hop headers, including those named in Connection. */
export function endToEnd(headers: HeaderList): HeaderList {
  const named = new Set<string>();
  for (const [k, v] of headers) if (k.toLowerCase() === 'connection') for (const t of v.split(',')) named.add(t.trim().toLowerCase());
  return headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && !named.has(k.toLowerCase()));
}

function isLoopback(addr: string): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr.startsWith('127.') || addr === '::ffff:127.0.0.1';
}

export class ProxyServer extends EventEmitter<ProxyEvents> {
  readonly options: ProxyOptions;
  private server?: http.Server;
  private readonly agent: http.Agent;
  private readonly sockets = new Set<net.Socket>();
  private nextFlow = 1;
  private upstreamProxy?: { host: string; port: number };

  constructor(options: Partial<ProxyOptions> = {}) {
    super();
    this.options = { ...DEFAULT_PROXY_OPTIONS, ...options };
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: this.options.upstreamTimeoutMs });
    if (this.options.upstream) this.upstreamProxy = parseProxy(this.options.upstream);
  }

  /** Starts listening. Binding anything but loopback is allowed only when asked for, and warned about. */
  async listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    if (!isLoopback(host)) this.emit('warning', `The proxy listens on ${host}, reachable from other machines: anyone who can reach ${hostPort(host, port)} can use it`);
    const server = http.createServer({ maxHeaderSize: this.options.maxHeaderBytes, keepAliveTimeout: this.options.clientIdleTimeoutMs, requestTimeout: 0 });
    this.server = server;
    server.maxConnections = this.options.maxConnections;
    server.headersTimeout = Math.min(this.options.clientIdleTimeoutMs, 60_000);
    server.on('connection', (s: net.Socket) => {
      if (this.options.allowClients && !this.options.allowClients.includes(s.remoteAddress ?? '')) {
        const body = `This proxy does not serve ${s.remoteAddress} (it is not on the client allow-list)\n`;
        s.pause(); // nothing it sends is parsed
        s.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      s.setTimeout(this.options.clientIdleTimeoutMs, () => s.destroy());
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => this.clientError(err, socket));
    server.on('request', (req, res) => this.forward(req, res));
    server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(req, socket, head));
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

  /** Stops listening, cuts every connection and tunnel, frees the port. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private newFlow(kind: Flow['kind'], req: http.IncomingMessage, target: string): Flow {
    const flow: Flow = {
      id: this.nextFlow++,
      kind,
      startedAt: Date.now(),
      client: hostPort(req.socket.remoteAddress ?? '?', req.socket.remotePort ?? 0),
      method: req.method ?? '?',
      target,
      bytesUp: 0,
      bytesDown: 0,
      requestHeaders: pairs(req.rawHeaders),
      timings: {},
      done: false,
    };
    this.emit('flow-start', flow);
    return flow;
  }

  private endFlow(flow: Flow, t0: number): void {
    if (flow.done) return;
    flow.done = true;
    flow.durationMs = performance.now() - t0;
    this.emit('flow-end', flow);
  }

  private clientError(err: NodeJS.ErrnoException & { reason?: string }, socket: net.Socket): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = tooLarge
      ? `The request headers are larger than this proxy accepts (${this.options.maxHeaderBytes} bytes).\n`
      : `The proxy could not parse this request: ${err.reason ?? err.message ?? err.code}.\n`;
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Absolute-form request: forward it upstream over the keep-alive pool, streaming both bodies. */
  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const t0 = performance.now();
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? '');
    } catch {
      url = undefined;
    }
    const flow = this.newFlow('http', req, url ? url.href : (req.url ?? ''));
    const fail = (status: number, message: string) => {
      flow.status = status;
      flow.error = message;
      if (!res.headersSent) {
        const body = `${message}\n`;
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-NetReq-Proxy-Error': '1' });
        res.end(body);
      } else {
        res.destroy();
      }
      this.endFlow(flow, t0);
    };
    if (!url || url.protocol !== 'http:') {
      return fail(400, url ? `This proxy forwards http:// URLs; use CONNECT for ${url.protocol}// (most clients do that by themselves for https)` : `The request target ${JSON.stringify(req.url)} is not an absolute http:// URL: send requests to this proxy as "GET http://host/path HTTP/1.1"`);
    }
    const headers = endToEnd(pairs(req.rawHeaders));
    const upstreamHost = url.hostname.replace(/^\[|\]$/g, '');
    const upstreamPort = Number(url.port || 80);
    const options: http.RequestOptions = {
      host: this.upstreamProxy?.host ?? upstreamHost,
      port: this.upstreamProxy?.port ?? upstreamPort,
      method: req.method,
      path: this.upstreamProxy ? url.href : `${url.pathname}${url.search}`,
      headers: headers.flat(),
      agent: this.agent,
      setHost: false,
    };
    const preview = (buf: Buffer[], size: { n: number }, chunk: Buffer) => {
      if (size.n < this.options.bodyPreviewBytes) buf.push(chunk.subarray(0, this.options.bodyPreviewBytes - size.n));
      size.n += chunk.length;
    };
    const upBody: Buffer[] = [];
    const upSize = { n: 0 };
    const upstream = http.request(options);
    const timer = setTimeout(() => {
      upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' }));
    }, this.options.upstreamTimeoutMs);
    upstream.on('response', (up) => {
      clearTimeout(timer);
      flow.timings.firstByte = performance.now() - t0;
      flow.status = up.statusCode;
      const responseHeaders = endToEnd(pairs(up.rawHeaders));
      flow.responseHeaders = responseHeaders;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, responseHeaders.flat());
      const downBody: Buffer[] = [];
      const downSize = { n: 0 };
      up.on('data', (d: Buffer) => {
        flow.bytesDown += d.length;
        preview(downBody, downSize, d);
      });
      up.pipe(res);
      up.on('end', () => {
        flow.responseBody = Buffer.concat(downBody);
        flow.requestBody = Buffer.concat(upBody);
        this.endFlow(flow, t0);
      });
      up.on('error', (err) => {
        flow.error = `Upstream ${hostPort(upstreamHost, upstreamPort)} broke off the response: ${err.message}`;
        res.destroy();
        this.endFlow(flow, t0);
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const where = hostPort(upstreamHost, upstreamPort);
      if (err.code === 'ETIMEDOUT') return fail(504, `Upstream ${where} did not answer within ${this.options.upstreamTimeoutMs} ms`);
      const why =
        err.code === 'ECONNREFUSED'
          ? `nothing is listening on ${where} (connection refused)`
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? `host '${upstreamHost}' not found (DNS)`
            : err.code === 'ECONNRESET'
              ? `${where} reset the connection`
              : `${where}: ${err.message}`;
      fail(502, `Upstream unreachable: ${why}`);
    });
    req.on('data', (d: Buffer) => {
      flow.bytesUp += d.length;
      preview(upBody, upSize, d);
    });
    req.pipe(upstream);
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        flow.error ??= 'The client went away before the response was complete';
        this.endFlow(flow, t0);
      }
    });
  }

  /** CONNECT host:port: splice the client socket to the target (or through the upstream proxy). */
  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const t0 = performance.now();
    const authority = req.url ?? '';
    const flow = this.newFlow('tunnel', req, authority);
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
    const refuse = (status: string, message: string) => {
      flow.status = Number(status.slice(0, 3));
      flow.error = message;
      const body = `${message}\n`;
      client.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      this.endFlow(flow, t0);
    };
    if (!m) return refuse('400 Bad Request', `CONNECT needs host:port, got ${JSON.stringify(authority)}`);
    const host = m[1].replace(/^\[|\]$/g, '');
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return refuse('400 Bad Request', `CONNECT port ${port} is out of range (1-65535)`);
    if (this.options.allowConnectPorts && !this.options.allowConnectPorts.includes(port)) {
      return refuse('403 Forbidden', `This proxy does not open tunnels to port ${port} (allowed: ${this.options.allowConnectPorts.join(', ')})`);
    }
    const upstream = net.connect({ host: this.upstreamProxy?.host ?? host, port: this.upstreamProxy?.port ?? port });
    const timer = setTimeout(() => {
      upstream.destroy();
      refuse('504 Gateway Timeout', `${authority} did not accept the connection within ${this.options.upstreamTimeoutMs} ms`);
    }, this.options.upstreamTimeoutMs);
    const cleanup = () => {
      client.destroy();
      upstream.destroy();
      this.endFlow(flow, t0);
    };
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (flow.status === undefined) {
        refuse('502 Bad Gateway', err.code === 'ECONNREFUSED' ? `Nothing is listening on ${authority} (connection refused)` : `Cannot reach ${authority}: ${err.message}`);
        upstream.destroy();
      } else {
        flow.error = `${authority}: ${err.message}`;
        cleanup();
      }
    });
    client.on('error', () => cleanup());
    const splice = () => {
      flow.status = 200;
      flow.timings.upstreamConnected = performance.now() - t0;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      flow.bytesUp += head.length;
      client.on('data', (d: Buffer) => (flow.bytesUp += d.length));
      upstream.on('data', (d: Buffer) => (flow.bytesDown += d.length));
      // Half-close passes through: a FIN from one side ends the other's write side, the tunnel lives until both are done.
      client.pipe(upstream);
      upstream.pipe(client);
      let closed = 0;
      const onClose = () => {
        if (++closed === 1) {
          // one side fully closed: give the other a moment to drain, then end the flow when it closes too
          setTimeout(cleanup, 5000).unref();
        } else cleanup();
      };
      client.once('close', onClose);
      upstream.once('close', onClose);
    };
    upstream.once('connect', () => {
      clearTimeout(timer);
      upstream.setNoDelay(true);
      client.setNoDelay(true);
      client.setTimeout(0);
      if (!this.upstreamProxy) return splice();
      // Chained: ask the upstream proxy for the tunnel first.
      upstream.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
      let buf = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        upstream.off('data', onData);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(buf.toString('latin1'))?.[1];
        if (status !== '200') return refuse('502 Bad Gateway', `The upstream proxy refused the tunnel to ${authority}: ${buf.subarray(0, buf.indexOf('\r\n')).toString('latin1')}`);
        const rest = buf.subarray(end + 4);
        splice();
        if (rest.length) client.write(rest);
      };
      upstream.on('data', onData);
    });
  }
}
