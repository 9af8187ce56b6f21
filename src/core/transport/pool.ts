/**
 * HTTP/1.1 keep-alive connection pool, keyed by (scheme, host, port, TLS options).
 * - at most `maxSocketsPerHost` connections per key; further requests wait their turn;
 * - idle connections close after `idleTimeoutMs`, any connection after `maxAgeMs`;
 * - an idle connection the server closed (FIN, RST, or stray bytes) is dropped at once and never used to send.
 */
import { nodeCrypto } from '../lazyNode';
import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import type { TlsInfo } from '../exchange';
import { hostPort } from './address';
import { nextConnectionId } from './connectionIds';
import { formatMs } from '../../common/format';
import { openConnection, systemLookup, type ConnectTarget, type ConnectTimings, type LookupFn, type OperationControl } from './connect';

export interface PoolOptions {
  enabled: boolean;
  maxSocketsPerHost: number;
  idleTimeoutMs: number;
  maxAgeMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  enabled: true,
  maxSocketsPerHost: 6,
  idleTimeoutMs: 30_000,
  maxAgeMs: 300_000,
};

/** Whoever is using a connection right now receives its socket events; an idle connection has no owner. */
export interface ConnectionOwner {
  onData(chunk: Buffer): void;
  onEnd(): void;
  onError(err: Error): void;
  onClose(): void;
}

export interface PooledConnection {
  readonly id: number;
  readonly key: string;
  readonly target: ConnectTarget;
  readonly socket: net.Socket;
  readonly tls?: TlsInfo;
  readonly connectTimings: ConnectTimings;
  readonly createdAt: number;
  readonly pooled: boolean;
  requestsServed: number;
  busy: boolean;
  idleSince?: number;
  owner?: ConnectionOwner;
  closed: boolean;
  closeReason?: string;
}

export interface Lease {
  conn: PooledConnection;
  reused: boolean;
  idleMs?: number;
}

export interface PoolConnectionSnapshot {
  id: number;
  state: 'busy' | 'idle';
  ageMs: number;
  idleMs?: number;
  requestsServed: number;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

export interface PoolHostSnapshot {
  key: string;
  origin: string;
  tls: boolean;
  insecure: boolean;
  connections: PoolConnectionSnapshot[];
  waiting: number;
}

export interface PoolSnapshot {
  options: PoolOptions;
  hosts: PoolHostSnapshot[];
  totalOpen: number;
  totalCreated: number;
}

interface Waiter {
  wake: () => void;
}

interface HostEntry {
  target: ConnectTarget;
  conns: Set<PooledConnection>;
  /** Idle connections, most recently released last (LIFO reuse keeps the warmest socket busy). */
  idle: PooledConnection[];
  waiters: Waiter[];
  /** Connections being opened right now (they count against the limit). */
  connecting: number;
}

export function poolKey(t: ConnectTarget): string {
  return `${t.tls ? 'tls' : 'tcp'}://${hostPort(t.host, t.port)}|sni=${t.servername ?? ''}|insecure=${t.insecure ? 1 : 0}|ca=${t.ca?.length ? caDigest(t.ca) : ''}|proxy=${t.proxy ? hostPort(t.proxy.host, t.proxy.port) : ''}`;
}

function caDigest(ca: Array<string | Buffer>): string {
  const h = nodeCrypto().createHash('sha256');
  for (const c of ca) h.update(c);
  return h.digest('hex').slice(0, 16);
}

export interface PoolDeps {
  lookup?: LookupFn;
  now?: () => number;
}

export class ConnectionPool extends EventEmitter {
  private options: PoolOptions;
  private readonly hosts = new Map<string, HostEntry>();
  private readonly lookup: LookupFn;
  private readonly now: () => number;
  private created = 0;
  private disposed = false;
  private sweepTimer?: NodeJS.Timeout;

  constructor(options: Partial<PoolOptions> = {}, deps: PoolDeps = {}) {
    super();
    this.options = { ...DEFAULT_POOL_OPTIONS, ...options };
    this.lookup = deps.lookup ?? systemLookup;
    this.now = deps.now ?? Date.now;
  }

  get settings(): Readonly<PoolOptions> {
    return this.options;
  }

  setOptions(options: Partial<PoolOptions>): void {
    this.options = { ...this.options, ...options };
    if (!this.options.enabled) this.closeIdle('pooling turned off');
  }

  /**
   * A connection for `target`: a live idle one when there is one, else a new one (waiting for a free
   * slot when the host is at its limit). With `noPool` (or pooling off) a fresh, unpooled connection.
   */
  async acquire(target: ConnectTarget, ctl: OperationControl, noPool = false): Promise<Lease> {
    if (this.disposed) throw new Error('connection pool is disposed');
    if (noPool || !this.options.enabled) {
      const conn = await this.connect(target, ctl, false, undefined);
      return { conn, reused: false };
    }
    const key = poolKey(target);
    for (;;) {
      const idle = this.takeIdle(this.entryFor(key, target));
      if (idle) {
        const idleMs = this.now() - (idle.idleSince ?? this.now());
        idle.idleSince = undefined;
        this.emit('change');
        return { conn: idle, reused: true, idleMs };
      }
      // Looked up again: dropping a dead idle connection may have removed the entry.
      const entry = this.entryFor(key, target);
      if (entry.conns.size + entry.connecting < this.options.maxSocketsPerHost) {
        const conn = await this.connect(target, ctl, true, entry);
        return { conn, reused: false };
      }
      await this.waitForSlot(entry, ctl);
      if (this.disposed) throw new Error('connection pool is disposed'); // woken by dispose(): connect no more
    }
  }

  private entryFor(key: string, target: ConnectTarget): HostEntry {
    let entry = this.hosts.get(key);
    if (!entry) {
      entry = { target, conns: new Set(), idle: [], waiters: [], connecting: 0 };
      this.hosts.set(key, entry);
    }
    return entry;
  }

  /** Gives a connection back after an exchange. Not reusable (or pooling off) → closed. */
  release(conn: PooledConnection, reusable: boolean, reason: string = 'not reusable'): void {
    conn.busy = false;
    const entry = this.hosts.get(conn.key);
    const tooOld = this.now() - conn.createdAt >= this.options.maxAgeMs;
    if (!conn.pooled || !reusable || !this.options.enabled || tooOld || this.disposed || conn.closed || !isAlive(conn.socket) || !entry) {
      this.destroy(conn, !conn.pooled ? 'not pooled (@no-pool or pooling off)' : tooOld ? `reached max age ${formatMs(this.options.maxAgeMs)}` : reason);
      return;
    }
    conn.idleSince = this.now();
    conn.owner = undefined;
    entry.idle.push(conn);
    this.scheduleSweep();
    this.wakeOne(entry);
    this.emit('change');
  }

  destroy(conn: PooledConnection, reason: string): void {
    if (!conn.closed) {
      conn.closed = true;
      conn.closeReason = reason;
    }
    conn.busy = false;
    conn.socket.destroy();
    this.forget(conn);
  }

  /** One timer for the whole pool, due when the oldest idle connection reaches the idle timeout. */
  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    let oldest = Infinity;
    for (const entry of this.hosts.values()) for (const c of entry.idle) oldest = Math.min(oldest, c.idleSince ?? Infinity);
    if (oldest === Infinity) return;
    const due = Math.max(0, oldest + this.options.idleTimeoutMs - this.now());
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      const now = this.now();
      for (const entry of this.hosts.values()) {
        for (const c of [...entry.idle]) {
          if (now - (c.idleSince ?? now) >= this.options.idleTimeoutMs) this.destroy(c, `idle for ${formatMs(this.options.idleTimeoutMs)}`);
        }
      }
      this.scheduleSweep();
    }, due + 5);
    this.sweepTimer.unref();
  }

  /** Closes every pooled connection (idle at once; busy ones when their exchange ends). Returns how many were open. */
  closeAll(): number {
    let n = 0;
    for (const entry of this.hosts.values()) {
      for (const conn of [...entry.conns]) {
        n++;
        if (conn.busy) conn.closeReason = 'closed by user';
        else this.destroy(conn, 'closed by user');
      }
    }
    return n;
  }

  /** Closes one connection by id (idle at once; a busy one when its exchange ends). Returns whether it was open. */
  closeConnection(id: number): boolean {
    for (const entry of this.hosts.values()) {
      for (const conn of entry.conns) {
        if (conn.id !== id) continue;
        if (conn.busy) conn.closeReason = 'closed by user';
        else this.destroy(conn, 'closed by user');
        this.emit('change');
        return true;
      }
    }
    return false;
  }

  closeIdle(reason: string): void {
    for (const entry of this.hosts.values()) for (const conn of [...entry.idle]) this.destroy(conn, reason);
  }

  snapshot(): PoolSnapshot {
    const now = this.now();
    const hosts: PoolHostSnapshot[] = [];
    let totalOpen = 0;
    for (const [key, entry] of this.hosts) {
      if (entry.conns.size === 0 && entry.waiters.length === 0) continue;
      const connections = [...entry.conns].map<PoolConnectionSnapshot>((c) => ({
        id: c.id,
        state: c.busy ? 'busy' : 'idle',
        ageMs: now - c.createdAt,
        idleMs: c.idleSince !== undefined ? now - c.idleSince : undefined,
        requestsServed: c.requestsServed,
        localPort: c.socket.localPort,
        remoteAddress: c.socket.remoteAddress,
        remotePort: c.socket.remotePort,
      }));
      totalOpen += connections.length;
      hosts.push({
        key,
        origin: `${entry.target.tls ? 'https' : 'http'}://${hostPort(entry.target.host, entry.target.port)}`,
        tls: entry.target.tls,
        insecure: entry.target.insecure,
        connections,
        waiting: entry.waiters.length,
      });
    }
    return { options: { ...this.options }, hosts, totalOpen, totalCreated: this.created };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.sweepTimer);
    for (const entry of this.hosts.values()) {
      for (const conn of [...entry.conns]) this.destroy(conn, 'pool disposed');
      for (const w of entry.waiters.splice(0)) w.wake();
    }
    this.hosts.clear();
    this.removeAllListeners();
  }

  private async connect(target: ConnectTarget, ctl: OperationControl, pooled: boolean, entry: HostEntry | undefined): Promise<PooledConnection> {
    // Reserve the slot before the first await so concurrent acquires respect the limit.
    if (entry) entry.connecting++;
    try {
      const c = await openConnection(target, this.lookup, ctl);
      const conn: PooledConnection = {
        id: nextConnectionId(),
        key: poolKey(target),
        target,
        socket: c.socket,
        tls: c.tls,
        connectTimings: c.timings,
        createdAt: this.now(),
        pooled,
        requestsServed: 0,
        busy: true,
        closed: false,
      };
      this.created++;
      // One set of listeners for the connection's whole life: events go to the current owner;
      // on an idle connection, any byte or FIN means the server is done with it.
      c.socket.on('data', (chunk: Buffer) => (conn.owner ? conn.owner.onData(chunk) : this.destroy(conn, 'server sent unexpected bytes while idle')));
      c.socket.on('end', () => (conn.owner ? conn.owner.onEnd() : this.destroy(conn, 'closed by the server while idle')));
      c.socket.on('error', (err: Error) => conn.owner?.onError(err));
      c.socket.once('close', () => {
        if (!conn.closed) {
          conn.closed = true;
          conn.closeReason ??= 'closed by the server';
        }
        conn.owner?.onClose();
        this.forget(conn);
      });
      if (c.socket.isPaused()) c.socket.resume(); // a proxy tunnel hands the socket over paused
      if (entry) {
        entry.connecting--;
        entry.conns.add(conn);
      }
      this.emit('change');
      return conn;
    } catch (err) {
      if (entry) {
        entry.connecting--;
        this.wakeOne(entry);
      }
      throw err;
    }
  }

  private takeIdle(entry: HostEntry): PooledConnection | undefined {
    while (entry.idle.length > 0) {
      const conn = entry.idle.pop()!;
      const age = this.now() - conn.createdAt;
      if (!isAlive(conn.socket) || conn.closed) {
        this.destroy(conn, 'closed by the server while idle');
        continue;
      }
      if (age >= this.options.maxAgeMs) {
        this.destroy(conn, `reached max age ${formatMs(this.options.maxAgeMs)}`);
        continue;
      }
      conn.busy = true;
      return conn;
    }
    return undefined;
  }

  private forget(conn: PooledConnection): void {
    const entry = this.hosts.get(conn.key);
    if (!entry || !entry.conns.has(conn)) return;
    entry.conns.delete(conn);
    const i = entry.idle.indexOf(conn);
    if (i >= 0) entry.idle.splice(i, 1);
    this.wakeOne(entry);
    if (entry.conns.size === 0 && entry.waiters.length === 0 && entry.connecting === 0) this.hosts.delete(conn.key);
    this.emit('change');
  }

  private wakeOne(entry: HostEntry): void {
    entry.waiters.shift()?.wake();
  }

  private waitForSlot(entry: HostEntry, ctl: OperationControl): Promise<void> {
    return new Promise((resolve, reject) => {
      if (ctl.aborted) return reject(ctl.reason);
      const waiter: Waiter = {
        wake: () => {
          off();
          resolve();
        },
      };
      const off = ctl.onAbort(() => {
        const i = entry.waiters.indexOf(waiter);
        if (i >= 0) entry.waiters.splice(i, 1);
        reject(ctl.reason);
      });
      entry.waiters.push(waiter);
      this.emit('change');
    });
  }
}

function isAlive(s: net.Socket): boolean {
  return !s.destroyed && s.writable && !s.readableEnded;
}
