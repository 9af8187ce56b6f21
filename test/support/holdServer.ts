import * as net from 'node:net';

/** A hostile loopback peer for health checks: accepts every connection, reads, never answers; counts them. */
export interface HoldServer {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections open now (accepted, not yet closed by the client). */
  open: number;
  /** The most open at one time, as the server saw it. */
  peak: number;
  close: () => Promise<void>;
}

export async function holdServer(): Promise<HoldServer> {
  const sockets = new Set<net.Socket>();
  const api = { accepted: 0, open: 0, peak: 0 } as HoldServer;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    api.accepted++;
    api.open++;
    api.peak = Math.max(api.peak, api.open);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      api.open--;
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.port = (server.address() as net.AddressInfo).port;
  api.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  };
  return api;
}
