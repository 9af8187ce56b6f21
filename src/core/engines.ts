/**
 * One place that maps a resolved request to the engine that sends it: HTTP over the pool, TCP/TLS (and
 * QOTD/DAYTIME/ECHO), UDP, MULTICAST and WebSocket. Used by the CLI; ports are passed in.
 */
import type { Exchange } from './exchange';
import { HttpClient } from './http/client';
import type { RequestSpec } from './request';
import { TcpClient } from './sockets/tcp';
import { MulticastClient, UdpClient } from './sockets/udp';
import { WsClient } from './sockets/ws';
import type { LookupFn } from './transport/connect';
import type { ConnectionPool } from './transport/pool';

export interface Engines {
  send(spec: RequestSpec, opts?: { signal?: AbortSignal }): Promise<Exchange>;
}

export function createEngines(deps: { pool: ConnectionPool; lookup?: LookupFn }): Engines {
  const http = new HttpClient({ pool: deps.pool });
  const tcp = new TcpClient({ lookup: deps.lookup });
  const udp = new UdpClient({ lookup: deps.lookup });
  const multicast = new MulticastClient();
  const ws = new WsClient({ lookup: deps.lookup });
  return {
    send(spec, opts = {}) {
      switch (spec.kind) {
        case 'http':
          return http.send(spec, opts);
        case 'tcp':
        case 'tls':
          return tcp.send(spec, opts);
        case 'udp':
          return udp.send(spec, opts);
        case 'multicast':
          return multicast.send(spec, opts);
        case 'ws':
          return ws.send(spec, opts);
      }
    },
  };
}
