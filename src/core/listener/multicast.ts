/**
 * The multicast listener: joins a group on an interface (IPv4 or IPv6), shares the port with other listeners
 * (address reuse), reports every datagram with time, sender, size and bytes, keeps counts and a rate, and
 * leaves the group when stopped.
 */
import * as dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { hostPort } from '../transport/address';
import { readKernelDrops, socketInode } from './kernelDrops';
import type { KernelDrops } from './types';
import { isMulticastAddress } from '../netreq/hostport';

export interface ListenerOptions {
  group: string;
  port: number;
  /** Local interface address to join on (IPv4 address, or `::%lo` style for IPv6). Undefined = the OS default. */
  interface?: string;
  /** Kernel receive buffer to ask for (capped by net.core.rmem_max): room for bursts while the loop is busy. Default 4 MB. */
  receiveBufferBytes?: number;
  /** How often to read the kernel's drop count and emit `stats`, ms. Default 5000. */
  statsIntervalMs?: number;
}

/** The rate window: 50 slots of 100 ms (5 s), counted per slot so a datagram costs O(1) however fast they come. */
const SLOT_MS = 100;
const SLOTS = 50;

export interface Datagram {
  /** Epoch ms. */
  at: number;
  from: string;
  size: number;
  data: Buffer;
}

export interface ListenerStats {
  datagrams: number;
  bytes: number;
  /** Datagrams per second over the last few seconds. */
  rate: number;
  startedAt: number;
  /**
   * Datagrams the kernel dropped because the socket's receive buffer was full (Linux: /proc/net/udp),
   * as of the last poll; null when this system does not say.
   */
  kernelDrops: KernelDrops;
}

export interface ListenerEvents {
  datagram: [Datagram];
  error: [Error];
  /** Every statsIntervalMs, after the kernel's drop count was read. */
  stats: [ListenerStats];
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8: the one check the MULTICAST request kind uses too. */
export const isMulticast = isMulticastAddress;

export class MulticastListener extends EventEmitter<ListenerEvents> {
  private socket?: dgram.Socket;
  private readonly slotIds = new Float64Array(SLOTS).fill(-1);
  private readonly slotCounts = new Uint32Array(SLOTS);
  readonly stats: ListenerStats = { datagrams: 0, bytes: 0, rate: 0, startedAt: 0, kernelDrops: null };
  private inode?: number;
  private statsTimer?: NodeJS.Timeout;

  constructor(readonly options: ListenerOptions) {
    super();
  }

  get label(): string {
    return `${hostPort(this.options.group, this.options.port)}${this.options.interface ? ` on ${this.options.interface}` : ''}`;
  }

  /** Binds and joins. Rejects with a sentence a person can act on. */
  async start(): Promise<void> {
    const { group, port } = this.options;
    if (!isMulticast(group)) throw new Error(`${group} is not a multicast group: use 224.0.0.0/4 (e.g. 239.255.0.1) or ff00::/8 (e.g. ff01::1234)`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port ${port} is out of range: valid ports are 1–65535`);
    const v6 = net.isIPv6(group);
    const s = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: true });
    this.socket = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, () => {
        s.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      this.socket = undefined;
      s.close();
      throw new Error(err.code === 'EACCES' ? `Port ${port} needs privileges: use a port above 1023` : `Cannot listen on port ${port}: ${err.message}`, { cause: err });
    });
    try {
      s.addMembership(group, this.options.interface);
    } catch (err) {
      s.close();
      this.socket = undefined;
      const e = err as NodeJS.ErrnoException;
      const hint = v6 && !this.options.interface ? ' (IPv6 groups need an interface, e.g. ::%lo or ::%eth0)' : e.code === 'ENODEV' || e.code === 'EADDRNOTAVAIL' ? ` (is ${this.options.interface ?? 'the default interface'} an address of this machine with a multicast route?)` : '';
      throw new Error(`Cannot join ${group}${this.options.interface ? ` on ${this.options.interface}` : ''}: ${e.message}${hint}`, { cause: err });
    }
    try {
      s.setRecvBufferSize(this.options.receiveBufferBytes ?? 4 * 1024 * 1024);
    } catch {
      /* the OS keeps its default size: fine, only bursts are at risk */
    }
    this.stats.startedAt = Date.now();
    s.on('message', (msg, rinfo) => {
      const at = Date.now();
      this.stats.datagrams++;
      this.stats.bytes += msg.length;
      const id = Math.floor(at / SLOT_MS);
      const i = id % SLOTS;
      if (this.slotIds[i] !== id) {
        this.slotIds[i] = id;
        this.slotCounts[i] = 0;
      }
      this.slotCounts[i]++;
      this.emit('datagram', { at, from: hostPort(rinfo.address, rinfo.port), size: msg.length, data: msg });
    });
    s.on('error', (err) => this.emit('error', err));
    this.inode = socketInode(s);
    await this.pollKernelDrops();
    this.statsTimer = setInterval(() => {
      void this.pollKernelDrops().then(() => {
        if (!this.socket) return;
        this.rate();
        this.emit('stats', this.stats);
      });
    }, this.options.statsIntervalMs ?? 5000);
    this.statsTimer.unref();
  }

  /** Reads the kernel's drop count for this socket (bounded; null when unknown) into `stats.kernelDrops`. */
  async pollKernelDrops(): Promise<KernelDrops> {
    const s = this.socket;
    if (!s) return this.stats.kernelDrops;
    let localPort: number;
    try {
      localPort = s.address().port;
    } catch {
      return this.stats.kernelDrops;
    }
    this.stats.kernelDrops = await readKernelDrops({ inode: this.inode, localPort }, net.isIPv6(this.options.group));
    return this.stats.kernelDrops;
  }

  /** Datagrams per second over the last 5 s (or since start). */
  rate(now = Date.now()): number {
    const current = Math.floor(now / SLOT_MS);
    let n = 0;
    for (let i = 0; i < SLOTS; i++) if (this.slotIds[i] > current - SLOTS && this.slotIds[i] <= current) n += this.slotCounts[i];
    const span = Math.min(SLOTS * SLOT_MS, Math.max(1, now - this.stats.startedAt));
    this.stats.rate = (n * 1000) / span;
    return this.stats.rate;
  }

  /** Leaves the group and frees the port. */
  async stop(): Promise<void> {
    clearInterval(this.statsTimer);
    if (this.socket) await this.pollKernelDrops(); // the last count, for the totals printed on stop
    const s = this.socket;
    this.socket = undefined;
    if (!s) return;
    try {
      s.dropMembership(this.options.group, this.options.interface);
    } catch {
      /* the socket may already be unusable; closing frees it either way */
    }
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
