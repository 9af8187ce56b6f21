/**
 * NetReq's local demo servers: what examples/*.netreq talk to in the `local` environment.
 * Used by `netreq demo-servers` and `npm start`. Plain Node, no vscode; loopback only by default.
 *
 * Each server is a DemoServerDefinition (name, the option that picks its port, how to start it);
 * `startDemoServers` starts them in order and stops the ones already running if a later one fails.
 * More protocols (QOTD, daytime, echo, UDP, WebSocket) are added by appending definitions.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { CertificateUnavailable, defaultCertDir, ensureDemoCertificate } from './certs';
import { handleDemoRequest } from './routes';
import { SOCKET_DEMOS } from './sockets';
import { hostPort, isLoopback } from '../transport/address';
import { DemoServerError, listen } from './listen';

export { DemoServerError, listen } from './listen';

export { defaultCertDir, ensureDemoCertificate, CertificateUnavailable } from './certs';
export { ROUTES, MAX_BIG_MB, MAX_DELAY_MS } from './routes';

export interface DemoServerOptions {
  /** Address to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 picks a free port. Default 8080. */
  httpPort?: number;
  /** 0 picks a free port. Default 8443. */
  httpsPort?: number;
  /** Socket demo ports (0 picks a free port): QOTD 8017, daytime 8013, echo (TCP and UDP) 8007, WebSocket echo 8081. */
  qotdPort?: number;
  daytimePort?: number;
  echoPort?: number;
  wsPort?: number;
  /** Where the HTTPS certificate is kept (made at first start). Default ~/.cache/netreq/demo. */
  certDir?: string;
  /** Path of the openssl program (default: `openssl` from PATH). */
  opensslPath?: string;
  /** Progress and notices, one line each. */
  log?: (line: string) => void;
}

export interface DemoServerInfo {
  /** e.g. "http", "https". */
  name: string;
  /** e.g. http://127.0.0.1:8080/ */
  url: string;
  host: string;
  port: number;
  /** HTTPS: the self-signed certificate (PEM) a client can trust (CLI --cacert, netreq.tls.caFiles). */
  certFile?: string;
}

export interface DemoServers {
  servers: DemoServerInfo[];
  /** Stops every server and closes their open connections. Safe to call more than once. */
  stop(): Promise<void>;
}

/** A running server: what to show, how to stop it. */
export interface RunningDemoServer {
  info: DemoServerInfo;
  stop(): Promise<void>;
}

/** What a definition gets to start with: the merged options. */
export interface DemoContext {
  host: string;
  certDir: string;
  opensslPath: string;
  log: (line: string) => void;
  options: DemoServerOptions;
}

export interface DemoServerDefinition {
  name: string;
  /** The command-line option that picks its port, named in "port in use" messages. */
  portOption: string;
  /** The port from the options (or the default). */
  port(options: DemoServerOptions): number;
  /** Starts it, or returns undefined (after logging why) when it cannot run here and the others should still start. */
  start(ctx: DemoContext, port: number): Promise<RunningDemoServer | undefined>;
}

export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_HTTPS_PORT = 8443;

/**
 * Stops a demo server now: closes the listener and every connection, including raw sockets an HTTPS server has
 * not handed to HTTP yet (a client that connected and never started TLS: closeAllConnections does not see it, and
 * the stop waited for that client to leave).
 */
function stopHttp(server: http.Server): () => Promise<void> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket: import('node:net').Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }));
}

async function startHttpLike(def: DemoServerDefinition, ctx: DemoContext, port: number, server: http.Server, scheme: string, certFile?: string): Promise<RunningDemoServer> {
  server.keepAliveTimeout = 15_000;
  // A half-sent request must not hold a connection forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  // Malformed requests are what NetReq's @raw blocks explore: answer with the parser's reason, then close.
  server.on('clientError', (err: NodeJS.ErrnoException & { reason?: string }, socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) return void socket.destroy();
    const body = `the demo server could not parse this request: ${err.reason ?? err.message} (${err.code ?? 'error'})\n`;
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const bound = await listen(server, def, ctx.host, port);
  return {
    info: { name: def.name, url: `${scheme}://${hostPort(ctx.host, bound)}/`, host: ctx.host, port: bound, certFile },
    stop: stopHttp(server),
  };
}

export const HTTP_DEMO: DemoServerDefinition = {
  name: 'http',
  portOption: '--http-port',
  port: (o) => o.httpPort ?? DEFAULT_HTTP_PORT,
  start(ctx, port) {
    const server = http.createServer({ requireHostHeader: false }, (req, res) => handleDemoRequest({ scheme: 'http' }, req, res));
    return startHttpLike(this, ctx, port, server, 'http');
  },
};

export const HTTPS_DEMO: DemoServerDefinition = {
  name: 'https',
  portOption: '--https-port',
  port: (o) => o.httpsPort ?? DEFAULT_HTTPS_PORT,
  async start(ctx, port) {
    let cert;
    try {
      cert = await ensureDemoCertificate(ctx.certDir, ctx.opensslPath);
    } catch (e) {
      if (!(e instanceof CertificateUnavailable)) throw e;
      ctx.log(`HTTPS demo server skipped: ${e.message}. The HTTP demo server still runs.`);
      return undefined;
    }
    ctx.log(cert.created ? `made a self-signed certificate for localhost, 127.0.0.1 and ::1: ${cert.certPath}` : `using the demo certificate ${cert.certPath}`);
    // A client that connects and never finishes its handshake is dropped after 10 s (Node's default: 120 s).
    const server = https.createServer({ cert: cert.cert, key: cert.key, ALPNProtocols: ['http/1.1'], requireHostHeader: false, handshakeTimeout: 10_000 }, (req, res) => handleDemoRequest({ scheme: 'https' }, req, res));
    // A TLS handshake that fails (the client refused the self-signed certificate) is normal here.
    server.on('tlsClientError', () => undefined);
    return startHttpLike(this, ctx, port, server, 'https', cert.certPath);
  },
};

/** The servers `startDemoServers` starts, in order. */
export const DEMO_SERVERS: DemoServerDefinition[] = [HTTP_DEMO, HTTPS_DEMO, ...SOCKET_DEMOS];

export async function startDemoServers(options: DemoServerOptions = {}, definitions: DemoServerDefinition[] = DEMO_SERVERS): Promise<DemoServers> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const ctx: DemoContext = { host, certDir: options.certDir ?? defaultCertDir(), opensslPath: options.opensslPath ?? 'openssl', log, options };
  if (!isLoopback(host)) log(`note: listening on ${host}, not loopback: other machines may reach the demo servers`);
  const running: RunningDemoServer[] = [];
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  };
  try {
    for (const def of definitions) {
      const port = def.port(options);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DemoServerError(`${def.portOption} takes a port number 0–65535 (0: any free port), not '${port}'`);
      const r = await def.start(ctx, port);
      if (r) running.push(r);
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    servers: running.map((r) => r.info),
    stop: () => (stopping ??= stopAll()),
  };
}
