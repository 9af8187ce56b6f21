/**
 * The engines of a composition root (the CLI): the clients built once, with their ports passed in, and `send`,
 * which hands a resolved request to its protocol module (src/core/protocols/registry.ts) to run.
 */
import type { Exchange } from './exchange';
import { HttpClient } from './http/client';
import { sendSpec, type Clients } from './protocols/registry';
import type { RequestSpec } from './request';
import { TcpClient } from './sockets/tcp';
import { MulticastClient, UdpClient } from './sockets/udp';
import { WsClient } from './sockets/ws';
import type { LookupFn } from './transport/connect';
import type { ConnectionPool } from './transport/pool';

export interface Engines {
  send(spec: RequestSpec, opts?: { signal?: AbortSignal }): Promise<Exchange>;
}

/** One client per engine, on these ports (the CLI's sends, health checks). */
export function createClients(deps: { pool: ConnectionPool; lookup?: LookupFn }): Clients {
  return {
    http: new HttpClient({ pool: deps.pool }),
    tcp: new TcpClient({ lookup: deps.lookup }),
    udp: new UdpClient({ lookup: deps.lookup }),
    multicast: new MulticastClient(),
    ws: new WsClient({ lookup: deps.lookup }),
  };
}

export function createEngines(deps: { pool: ConnectionPool; lookup?: LookupFn }): Engines {
  const clients = createClients(deps);
  return { send: (spec, opts = {}) => sendSpec(spec, clients, opts) };
}
