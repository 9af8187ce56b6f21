/**
 * NetReq's HTTP forward proxy: absolute-form requests forwarded over a keep-alive upstream pool, CONNECT
 * tunnels spliced in both directions, bodies streamed (never buffered whole), hop-by-hop headers removed,
 * and errors answered with real status codes and a readable body. Every request or tunnel is a flow,
 * reported as events for the live traffic view; a slow listener never slows the traffic.
 *
 * It speaks HTTP/1.x on raw sockets (./http1.ts finds where heads and bodies end) rather than through
 * node:http: the bytes of a body pass through as they came (chunked stays chunked), and a request costs a
 * fraction of what an http.Server plus an http.Agent cost (see bench/RESULTS.md).
 *
 * Pieces. The decisions, without I/O (tested by playbooks, test/unit/proxy/playbook.test.ts):
 * ./connectionMachine.ts (a client connection: heads, their deadline, exchanges in turn, pipelining order),
 * ./exchangeMachine.ts (one forwarded request and its response), ./requestPlan.ts and ./responsePlan.ts (what a
 * head means: where it goes, what is sent on, what the answer is). On sockets: ./client.ts and
 * ./forwardedExchange.ts (carry out those decisions), ./upstreams.ts (the keep-alive pool), ./tunnel.ts (CONNECT).
 * Words and rules: ./http1.ts (heads on the shared wire layer), ./messages.ts (hop-by-hop headers, the proxy's own
 * answers), ./limits.ts (allow-list addresses, the proxy's own addresses, caps), ./log.ts (one line per flow).
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { isIP } from 'node:net';
import type { HeaderList } from '../exchange';
import { hostPort, isLoopback, unbracket } from '../transport/address';
import { parseProxy } from '../transport/connect';
import { ClientConnection } from './client';
import type { ProxyCore } from './forwardedExchange';
import type { RequestHead } from './http1';
import { admission, MAX_INTERIM_RESPONSES, OwnAddresses } from './limits';
import { refuseAndLinger, simpleResponse } from './messages';
import { openTunnel } from './tunnel';
import { UpstreamPool } from './upstreams';
import { monoMs } from '../clock';

export { endToEnd } from './messages';

export interface ProxyOptions {
  host: string;
  port: number;
  /** Largest request head accepted; bigger gets 431 (default 64 KB). */
  maxHeaderBytes: number;
  /** Close a client connection idle this long (ms). */
  clientIdleTimeoutMs: number;
  /** Give up on an upstream that does not answer (or a tunnel target that does not connect) in this long: 504. */
  upstreamTimeoutMs: number;
  /** Most simultaneous client connections; more are answered 503 and closed as they arrive. */
  maxConnections: number;
  /**
   * A request head must arrive in full within this long (ms) of its first byte, or the client gets 408 and the
   * connection closes (a client trickling a byte at a time no longer holds a connection for ever).
   */
  requestHeadTimeoutMs: number;
  /** Close a CONNECT tunnel when no byte has passed either way for this long (ms). */
  tunnelIdleTimeoutMs: number;
  /** Most interim (1xx) responses relayed for one request; more fail it with 502. */
  maxInterimResponses: number;
  /** Client addresses allowed (IPs, compared canonically: v4-mapped IPv6 counts as IPv4); undefined = any (the bind address already limits who can reach it). */
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
  /**
   * Most idle upstream connections kept in all (the oldest goes first): without it, one client naming many
   * hosts (127.0.0.2, 127.0.0.3, … all reach a server on 0.0.0.0) leaves one idle connection per host.
   */
  maxIdleUpstreams: number;
}

export const DEFAULT_PROXY_OPTIONS: ProxyOptions = {
  host: '127.0.0.1',
  port: 8888,
  maxHeaderBytes: 64 * 1024,
  clientIdleTimeoutMs: 60_000,
  upstreamTimeoutMs: 30_000,
  maxConnections: 1024,
  // Apache's RequestReadTimeout header=20 (nginx's client_header_timeout is 60 s): a real client sends its
  // head at once, and a trickling one frees its slot three times sooner than with nginx's default.
  requestHeadTimeoutMs: 20_000,
  // Longer than the client idle timeout: a tunnel often carries a TLS connection kept open between requests,
  // or a WebSocket with pings a minute or more apart.
  tunnelIdleTimeoutMs: 300_000,
  maxInterimResponses: MAX_INTERIM_RESPONSES,
  bodyPreviewBytes: 64 * 1024,
  upstreamIdleTimeoutMs: 15_000,
  maxIdleUpstreamsPerHost: 256,
  maxIdleUpstreams: 512,
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

/** A request the proxy answered itself before any flow began (400 unparsable, 408 head too slow, 431 too large). */
export interface Refusal {
  /** Epoch ms. */
  at: number;
  client: string;
  /** e.g. `400 Bad Request`. */
  status: string;
  reason: string;
}

export interface ProxyEvents {
  'flow-start': [Flow];
  'flow-end': [Flow];
  refused: [Refusal];
  listening: [{ host: string; port: number }];
  warning: [string];
}
export class ProxyServer extends EventEmitter<ProxyEvents> implements ProxyCore {
  readonly options: ProxyOptions;
  readonly pool: UpstreamPool;
  readonly upstreamProxy?: { host: string; port: number };
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  readonly tunnels = new Set<net.Socket>();
  private nextFlow = 1;
  private own?: OwnAddresses;

  constructor(options: Partial<ProxyOptions> = {}) {
    super();
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<ProxyOptions>;
    this.options = { ...DEFAULT_PROXY_OPTIONS, ...given };
    this.options.host = unbracket(this.options.host); // --host [::1], as in a URL
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
    server.on('connection', (s: net.Socket) => {
      const admitted = admission(this.sockets.size, s.remoteAddress, this.options);
      if (admitted.kind === 'overloaded') {
        // Said in words, and nothing kept: the answer is written and the socket destroyed at once.
        s.on('error', () => undefined);
        s.end(simpleResponse(admitted.status, admitted.message, 'Retry-After: 1\r\n'));
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      s.setTimeout(this.options.clientIdleTimeoutMs, () => s.destroy());
      if (admitted.kind === 'forbidden') {
        s.on('error', () => undefined);
        refuseAndLinger(s, admitted.status, admitted.message);
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
    this.own = new OwnAddresses(where);
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

  /** Why going to host:port (or through the upstream proxy) would come back to this proxy, when IPs say so (names: selfLookup). */
  loopRefusal(host: string, port: number): string | undefined {
    const own = this.own;
    if (!own) return undefined;
    if (isIP(host) && own.isSelf(host, port)) return own.loopMessage(hostPort(host, port));
    const up = this.upstreamProxy;
    if (up && isIP(up.host) && own.isSelf(up.host, up.port)) return own.loopMessage(`The upstream proxy ${hostPort(up.host, up.port)}`);
    return undefined;
  }

  /** For net.connect: a lookup refusing names that resolve to this proxy (undefined before it listens). */
  selfLookup(port: number, target: string): net.LookupFunction | undefined {
    return this.own?.lookup(port, target);
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
    flow.durationMs = monoMs() - t0;
    this.emit('flow-end', flow);
  }

  /** CONNECT host:port: splice the client socket to the target (or through the upstream proxy). */
  tunnel(conn: ClientConnection, req: RequestHead, head: Buffer): void {
    openTunnel(this, conn, req, head);
  }
}
