/**
 * UDP and multicast: send datagram(s), then collect replies with their sender, size and time until
 * `@replies N` or the reply window (`@timeout`, default 2 s) ends. A connected UDP socket turns an ICMP
 * port-unreachable into ECONNREFUSED, reported as "no one is listening", not as a silent timeout.
 */
import type * as dgram from 'node:dgram';
import { nodeDgram } from '../lazyNode';
import * as net from 'node:net';
import type { NetError, SocketExchange, StopReason } from '../exchange';
import { newSocketExchange } from '../exchange';
import type { MulticastRequestSpec, UdpRequestSpec } from '../request';
import { hostPort } from '../transport/address';
import { systemLookup, type LookupFn } from '../transport/connect';
import { describeError, PhaseError } from '../transport/errors';
import { armDeadline, Cancelled } from '../transport/deadline';
import { Operation } from '../transport/operation';
import { formatBytes, formatMs } from '../../common/format';
import type { SocketSendOptions } from './tcp';
import { monoMs } from '../clock';

/** The largest UDP payload: 65,535 − 8 (UDP header) − 20 (IPv4 header), or − 40 for IPv6 without jumbograms. */
export const MAX_DATAGRAM = { 4: 65_507, 6: 65_527 } as const;

/**
 * What a UDP or MULTICAST exchange keeps of its replies: the first 1,000 (or `# @replies N` when higher) and at
 * most 16 MB (less when netreq.maxResponseBytes is lower). Past that, replies are counted (how many, how many
 * bytes), not kept: a peer flooding 60 KB datagrams cannot grow the transcript without end.
 */
export const DATAGRAM_KEEP = { count: 1000, bytes: 16 * 1024 * 1024 } as const;

function checkSize(payload: Buffer, family: 4 | 6): void {
  const max = MAX_DATAGRAM[family];
  if (payload.length > max) {
    throw new PhaseError('send', `The payload is ${payload.length} bytes, but a UDP datagram over IPv${family} holds at most ${max.toLocaleString('en')} bytes: send less, or use TCP`, 'EMSGSIZE');
  }
}

interface Collector {
  socket: dgram.Socket;
  x: SocketExchange;
  t0: number;
  op: Operation;
  replies?: number;
  /** Replies received (kept or not): a counter, so a datagram costs O(1) however many came before. */
  got: number;
  kept: number;
  keptBytes: number;
  /** Set once a reply did not fit: later ones are counted too, so the kept ones stay the first, without gaps. */
  full: boolean;
  keepCount: number;
  keepBytes: number;
  /** Which limit the bytes cap is, in words. */
  bytesLimit: string;
}

function collector(socket: dgram.Socket, run: DatagramRun, replies: number | undefined, maxResponseBytes: number): Collector {
  const bytesFromSetting = maxResponseBytes < DATAGRAM_KEEP.bytes;
  const keepBytes = bytesFromSetting ? maxResponseBytes : DATAGRAM_KEEP.bytes;
  return {
    socket,
    x: run.x,
    t0: run.t0,
    op: run.op,
    replies,
    got: 0,
    kept: 0,
    keptBytes: 0,
    full: false,
    keepCount: Math.max(DATAGRAM_KEEP.count, replies ?? 0),
    keepBytes,
    bytesLimit: `${formatBytes(keepBytes)}${bytesFromSetting ? ' (netreq.maxResponseBytes)' : ''}`,
  };
}

/** Counts a reply; keeps it while under both caps. */
function receive(c: Collector, msg: Buffer, rinfo: dgram.RemoteInfo): void {
  c.got++;
  c.x.receivedBytes += msg.length;
  c.x.datagramsReceived = c.got;
  if (!c.full && c.kept < c.keepCount && c.keptBytes + msg.length <= c.keepBytes) {
    c.x.transcript.push({ dir: 'received', at: monoMs() - c.t0, data: msg, peer: hostPort(rinfo.address, rinfo.port) });
    c.kept++;
    c.keptBytes += msg.length;
    return;
  }
  c.full = true;
  c.x.datagramsNotKept = (c.x.datagramsNotKept ?? 0) + 1;
  c.x.uncapturedBytes = (c.x.uncapturedBytes ?? 0) + msg.length;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The words for replies counted but not kept (undefined when every reply was kept). */
function captureNote(c: Collector): string | undefined {
  const notKept = c.x.datagramsNotKept ?? 0;
  if (notKept === 0) return undefined;
  return (
    `kept the first ${plural(c.kept, 'reply', 'replies')} (${formatBytes(c.keptBytes)}) of ${plural(c.got, 'reply', 'replies')} received; ` +
    `${notKept.toLocaleString('en')} more (${formatBytes(c.x.uncapturedBytes ?? 0)}) were counted, not kept: ` +
    `a datagram exchange keeps at most ${plural(c.keepCount, 'reply', 'replies')} and ${c.bytesLimit}`
  );
}

/** Collects replies until `replies` or the window after `windowStart` ends; resolves with why it stopped. */
function collect(c: Collector, windowMs: number, sendAll: () => Promise<void>): Promise<{ reason: StopReason; detail: string; err?: unknown }> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (reason: StopReason, detail: string, err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      c.socket.off('message', onMessage);
      c.socket.off('error', onError);
      resolve({ reason, detail, err });
    };
    const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      c.op.phase = 'receive';
      receive(c, msg, rinfo);
      if (c.replies !== undefined && c.got >= c.replies) finish('replies', `got the ${c.replies} ${c.replies === 1 ? 'reply' : 'replies'} asked for (# @replies)`);
    };
    const onError = (err: Error) => finish('error', 'error', err);
    const off = c.op.onAbort(() => finish('cancelled', 'cancelled', c.op.reason));
    c.socket.on('message', onMessage);
    c.socket.on('error', onError);
    sendAll().then(
      () => {
        if (settled) return;
        c.op.phase = 'wait';
        timer = setTimeout(() => {
          finish('wait-elapsed', c.got === 0 ? `no reply within ${formatMs(windowMs)}` : `the ${formatMs(windowMs)} reply window ended`);
        }, windowMs);
      },
      (err) => finish('error', 'error', err),
    );
  });
}

function sendDatagram(c: Collector, payload: Buffer, port?: number, address?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null) => {
      if (err) return reject(err);
      c.x.transcript.push({ dir: 'sent', at: monoMs() - c.t0, data: payload, peer: address ? hostPort(address, port!) : undefined });
      c.x.sentBytes += payload.length;
      resolve();
    };
    if (address) c.socket.send(payload, port, address, cb);
    else c.socket.send(payload, cb);
  });
}

function closeSocket(s: dgram.Socket): void {
  try {
    s.close();
  } catch {
    /* already closed */
  }
}

function words(err: unknown, where: string, phase: Operation['phase']) {
  if (err instanceof PhaseError) return err.toNetError();
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ECONNREFUSED') {
    return { phase: 'receive' as const, code: e.code, message: `No one is listening on ${where}: the host answered "port unreachable" (ICMP)` };
  }
  if (e?.code === 'EMSGSIZE') return { phase: 'send' as const, code: e.code, message: `The datagram is too large for the path to ${where} (EMSGSIZE)` };
  return describeError(err, phase, where);
}

interface DatagramRun {
  x: SocketExchange;
  op: Operation;
  t0: number;
  /** The socket to close at the end, set by the body once it has one. */
  socket?: dgram.Socket;
}

/**
 * What UDP and MULTICAST share: the exchange, the abort wiring, failures in words, closing the socket and the
 * timings. `body` does the protocol's part and sets `run.socket`.
 */
async function datagramExchange(
  protocol: string,
  host: string,
  port: number,
  payload: Buffer,
  opts: SocketSendOptions,
  body: (run: DatagramRun) => Promise<void>,
  reword?: (err: unknown, ne: NetError) => void,
): Promise<SocketExchange> {
  const run: DatagramRun = { x: newSocketExchange({ protocol, host, port, target: hostPort(host, port), payloadBytes: payload.length }), op: new Operation(), t0: monoMs() };
  const { x, op } = run;
  const release = armDeadline(op, undefined, opts.signal);
  try {
    await body(run);
  } catch (err) {
    if (err instanceof Cancelled || op.reason instanceof Cancelled) {
      x.stop = 'cancelled';
      x.error = { phase: 'cancelled', message: 'Cancelled' };
    } else {
      x.error = words(err, hostPort(host, port), op.phase);
      reword?.(err, x.error);
      x.stop = 'error';
    }
    x.stopDetail = x.error.message;
  } finally {
    release();
    if (run.socket) closeSocket(run.socket);
    finishTimings(x, run.t0);
  }
  return x;
}

/** Collects until the window or the replies; a failure other than a cancel is thrown to the caller's catch. */
async function collectInto(run: DatagramRun, c: Collector, windowMs: number, sendAll: () => Promise<void>): Promise<void> {
  const stop = await collect(c, windowMs, sendAll);
  run.x.stop = stop.reason;
  run.x.stopDetail = stop.detail;
  const note = captureNote(c);
  if (note) run.x.captureNote = note;
  if (stop.err && !(stop.err instanceof Cancelled)) throw stop.err;
}

function bindOrConnect(s: dgram.Socket, op: Operation, start: (done: () => void) => void): Promise<void> {
  return op.race(
    new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      start(() => {
        s.off('error', reject);
        resolve();
      });
    }),
  );
}

export class UdpClient {
  constructor(private readonly deps: { lookup?: LookupFn } = {}) {}

  send(spec: UdpRequestSpec, opts: SocketSendOptions = {}): Promise<SocketExchange> {
    return datagramExchange('udp', spec.host, spec.port, spec.payload, opts, async (run) => {
      const { x, op } = run;
      let address = spec.host;
      if (!net.isIP(spec.host)) {
        op.phase = 'dns';
        const tDns = monoMs();
        const found = await op.race((this.deps.lookup ?? systemLookup)(spec.host));
        if (found.length === 0) throw new PhaseError('dns', `DNS lookup failed: host '${spec.host}' has no addresses`, 'ENOTFOUND');
        address = found[0].address;
        x.timings.dnsLookup = monoMs() - tDns;
      }
      const family = net.isIPv6(address) ? 6 : 4;
      checkSize(spec.payload, family);
      const s = nodeDgram().createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
      run.socket = s;
      op.phase = 'connect';
      const tConnect = monoMs();
      await bindOrConnect(s, op, (done) => s.connect(spec.port, address, done));
      x.timings.tcpConnect = monoMs() - tConnect; // "connect" of a UDP socket: choosing the route and local port
      const local = s.address();
      x.connection = { id: 0, reused: false, requestsServed: 1, pooled: false, localAddress: local.address, localPort: local.port, remoteAddress: address, remotePort: spec.port };
      const c = collector(s, run, spec.replies, spec.options.maxResponseBytes);
      op.phase = 'send';
      await collectInto(run, c, spec.waitMs, () => sendDatagram(c, spec.payload));
    });
  }
}

export class MulticastClient {
  send(spec: MulticastRequestSpec, opts: SocketSendOptions = {}): Promise<SocketExchange> {
    const where = hostPort(spec.group, spec.port);
    const noRoute = (err: unknown, ne: NetError) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') ne.message = `No route for multicast to ${where}: set the interface with # @interface (e.g. 127.0.0.1 for this machine only)`;
    };
    return datagramExchange(
      'multicast',
      spec.group,
      spec.port,
      spec.payload,
      opts,
      async (run) => {
        const { x, op } = run;
        checkSize(spec.payload, spec.family);
        const s = nodeDgram().createSocket({ type: spec.family === 6 ? 'udp6' : 'udp4', reuseAddr: true });
        run.socket = s;
        op.phase = 'connect';
        await bindOrConnect(s, op, (done) => s.bind(0, done));
        try {
          s.setMulticastTTL(spec.ttl);
          s.setMulticastLoopback(spec.loopback);
          if (spec.interface) s.setMulticastInterface(spec.interface);
        } catch (err) {
          throw new PhaseError('connect', `Cannot use ${spec.interface ? `interface ${spec.interface}` : 'the default interface'} for multicast: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code);
        }
        const local = s.address();
        x.connection = { id: 0, reused: false, requestsServed: spec.repeat, pooled: false, localAddress: local.address, localPort: local.port, remoteAddress: spec.group, remotePort: spec.port };
        const c = collector(s, run, spec.replies, spec.options.maxResponseBytes);
        op.phase = 'send';
        await collectInto(run, c, spec.waitMs, async () => {
          for (let i = 0; i < spec.repeat; i++) {
            if (op.aborted) return;
            if (i > 0) await pause(op, spec.everyMs);
            await sendDatagram(c, spec.payload, spec.port, spec.group);
          }
        });
      },
      noRoute,
    );
  }
}

/** Waits `ms`, or rejects with the operation's reason when it is cancelled (the timer cleared, not left to run). */
function pause(op: Operation, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      resolve();
    }, ms);
    const off = op.onAbort(() => {
      clearTimeout(timer);
      reject(op.reason);
    });
  });
}

function finishTimings(x: SocketExchange, t0: number): void {
  x.timings.total = monoMs() - t0;
  const sent = x.transcript.find((e) => e.dir === 'sent');
  const first = x.transcript.find((e) => e.dir === 'received');
  if (sent && first) x.timings.firstByte = first.at - sent.at;
}
