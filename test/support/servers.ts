/** In-process loopback servers for precise HTTP edge cases: each connection's bytes are captured. */
import * as net from 'node:net';
import { DEFAULT_OPTIONS, type HttpRequestSpec, type RequestOptions } from '../../src/core/request';

export interface RawServer {
  port: number;
  /** Bytes received, one entry per connection, in arrival order. */
  received: Buffer[];
  connections: number;
  sockets: Set<net.Socket>;
  /** Called for each new connection before any byte is read (e.g. to answer a TLS hello with garbage). */
  onConnect?: (socket: net.Socket) => void;
  close(): Promise<void>;
}

/**
 * `onRequest` is called each time a full request head (and Content-Length body) has arrived on a connection,
 * with the socket and the request bytes; it writes whatever response bytes the test wants.
 */
export async function rawServer(onRequest: (socket: net.Socket, request: Buffer, n: number) => void): Promise<RawServer> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let count = 0;
  const api = {} as RawServer;
  const server = net.createServer((socket) => {
    api.onConnect?.(socket);
    const idx = received.length;
    received.push(Buffer.alloc(0));
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (d) => {
      received[idx] = Buffer.concat([received[idx], d]);
      pending = Buffer.concat([pending, d]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (pending.length < total) return;
        const req = pending.subarray(0, total);
        pending = pending.subarray(total);
        onRequest(socket, req, ++count);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  Object.defineProperty(api, 'connections', { get: () => received.length });
  return Object.assign(api, {
    port,
    received,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

export function httpSpec(port: number, over: Partial<HttpRequestSpec> = {}, options: Partial<RequestOptions> = {}): HttpRequestSpec {
  const target = over.target ?? '/';
  const tls = over.tls ?? false;
  const host = over.host ?? '127.0.0.1';
  return {
    kind: 'http',
    method: 'GET',
    url: `${tls ? 'https' : 'http'}://${host}:${port}${target}`,
    tls,
    host,
    port,
    target,
    version: 'HTTP/1.1',
    headers: [],
    ...over,
    options: { ...DEFAULT_OPTIONS, ...options },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
