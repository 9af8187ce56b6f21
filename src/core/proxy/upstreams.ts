/** The proxy's keep-alive connections to upstreams (origin servers, or the upstream proxy when chaining). */
import * as net from 'node:net';
import type { ProxyOptions } from './server';
import { internalErrorText } from '../text';

/** The events an upstream connection reports to the exchange that owns it (./exchangeMachine.ts). */
export interface UpstreamEvents {
  upstreamData(d: Buffer): void;
  /** FIN (`closed` false) or close; `reused`: the connection came from the pool. */
  upstreamGone(closed: boolean, error: NodeJS.ErrnoException | undefined, reused: boolean): void;
  abort(): void;
}

/** A pooled connection to an upstream (origin server, or the upstream proxy when chaining). */
export class Upstream {
  /** The exchange using it; none while idle in the pool. */
  owner?: UpstreamEvents;
  reused = false;
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
        pool.warn(`Internal error on an upstream connection (closed it): ${internalErrorText(e)}`);
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
    socket.on('end', () => this.owner?.upstreamGone(false, this.error, this.reused));
    socket.on('close', () => {
      pool.forget(this);
      this.owner?.upstreamGone(true, this.error, this.reused);
    });
  }
}

export class UpstreamPool {
  private readonly idle = new Map<string, Upstream[]>();
  private readonly all = new Set<Upstream>();
  /** Every idle connection, oldest first (for the total cap). */
  private readonly idleOrder = new Set<Upstream>();

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
      this.idleOrder.delete(u);
      if (u.socket.destroyed || u.socket.readyState !== 'open') continue;
      u.socket.setTimeout(0);
      u.reused = true;
      return u;
    }
    return undefined;
  }

  connect(host: string, port: number, key: string, lookup?: net.LookupFunction): Upstream {
    const u = new Upstream(net.connect({ host, port, ...(lookup ? { lookup } : {}) }), key, this);
    this.all.add(u);
    return u;
  }

  give(u: Upstream): void {
    u.owner = undefined;
    let list = this.idle.get(u.key);
    if (!list) this.idle.set(u.key, (list = []));
    if (list.length >= this.options.maxIdleUpstreamsPerHost || u.socket.destroyed) return void u.socket.destroy();
    // Over the total: the oldest idle connection (whatever its host) makes room.
    if (this.idleOrder.size >= this.options.maxIdleUpstreams) {
      const oldest = this.idleOrder.values().next().value;
      if (!oldest) return void u.socket.destroy(); // a cap of 0: nothing is kept
      this.forget(oldest);
      oldest.socket.destroy();
    }
    list.push(u);
    this.idleOrder.add(u);
    u.socket.setTimeout(this.options.upstreamIdleTimeoutMs);
  }

  forget(u: Upstream): void {
    this.all.delete(u);
    this.idleOrder.delete(u);
    const list = this.idle.get(u.key);
    const i = list?.indexOf(u) ?? -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) this.idle.delete(u.key);
  }

  destroyAll(): void {
    for (const u of this.all) u.socket.destroy();
    this.all.clear();
    this.idle.clear();
    this.idleOrder.clear();
  }
}
