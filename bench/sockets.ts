/** Socket-protocol rows for `npm run bench`: WebSocket round trips, TCP bulk through an echo, UDP round trips. */
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import * as tcpMod from '../src/core/sockets/tcp';
import * as udpMod from '../src/core/sockets/udp';
import * as wsMod from '../src/core/sockets/ws';
import { startPythonWsEcho, startSocat } from '../test/support/peers';
import * as socketSupport from '../test/support/sockets';
import * as wsSupport from '../test/support/ws';
import { baselineModule, type Baseline } from './baseline';
import { BeforeRuns, inTurn, median } from './compare';
import { envCount, rowsWithin, secs, syncTimedOut, withDeadline, type Row, type Step } from './deadline';

export type { Row };

/** NETREQ_BENCH_WS_ROUND_TRIPS, NETREQ_BENCH_TCP_MB, NETREQ_BENCH_UDP_ROUND_TRIPS=200 for a short check of a row. */
const WS_ROUND_TRIPS = envCount('NETREQ_BENCH_WS_ROUND_TRIPS', 5000);
const TCP_MB = envCount('NETREQ_BENCH_TCP_MB', 256);
const UDP_ROUND_TRIPS = envCount('NETREQ_BENCH_UDP_ROUND_TRIPS', 2000);
/** A UDP round trip without an echo within this is counted as lost (and the loop goes on). */
const UDP_WAIT_MS = 500;
/** This many lost in a row: the echo peer is gone; the loop stops and says so (a figure, not a wait). */
const UDP_LOST_IN_A_ROW = 20;
/** The most one UDP loop (2,000 round trips, ~5 s when the peer answers) may take. */
const UDP_LOOP_MS = 60_000;
/** Deadlines: a peer start, one measured round, a whole group of rows. */
const START_MS = 20_000;
const ROUND_MS = 90_000;
const SYNC_CLIENT_MS = 120_000;

/** Resolves with `p`, or rejects once the step's deadline passed (a reply that never comes does not hang the loop). */
function orAbort<T>(signal: AbortSignal, p: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted at the deadline'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted at the deadline'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The engines of a build these rows use (the current one, or the baseline's, typed as the current one). */
interface WsEngine {
  WsSession: typeof wsMod.WsSession;
  wsSpec: typeof wsSupport.wsSpec;
}
interface TcpEngine {
  TcpClient: typeof tcpMod.TcpClient;
  tcpSpec: typeof socketSupport.tcpSpec;
}
interface UdpEngine {
  UdpClient: typeof udpMod.UdpClient;
  udpSpec: typeof socketSupport.udpSpec;
}
const current = { WsSession: wsMod.WsSession, wsSpec: wsSupport.wsSpec, TcpClient: tcpMod.TcpClient, tcpSpec: socketSupport.tcpSpec, UdpClient: udpMod.UdpClient, udpSpec: socketSupport.udpSpec };
const supportOf = (b: Baseline) => baselineModule<typeof socketSupport>(b, 'test/support/sockets.js');
const wsOf = (b: Baseline): WsEngine => ({ WsSession: baselineModule<typeof wsMod>(b, 'src/core/sockets/ws.js').WsSession, wsSpec: baselineModule<typeof wsSupport>(b, 'test/support/ws.js').wsSpec });
const tcpOf = (b: Baseline): TcpEngine => ({ TcpClient: baselineModule<typeof tcpMod>(b, 'src/core/sockets/tcp.js').TcpClient, tcpSpec: supportOf(b).tcpSpec });
const udpOf = (b: Baseline): UdpEngine => ({ UdpClient: baselineModule<typeof udpMod>(b, 'src/core/sockets/udp.js').UdpClient, udpSpec: supportOf(b).udpSpec });

async function netreqWs(e: WsEngine, port: number, step: Step): Promise<number> {
  const s = new e.WsSession(e.wsSpec(port));
  step.atTimeout(() => s.close());
  if (!(await s.open())) throw new Error(s.exchange.error?.message);
  let pending: (() => void) | undefined;
  s.on('frame', (f) => f.dir === 'received' && pending?.());
  const once = () => orAbort(step.signal, new Promise<void>((r) => (pending = r)));
  for (let i = 0; i < 200; i++) {
    const p = once();
    s.sendText(`warm ${i}`);
    await p;
  }
  const t0 = performance.now();
  for (let i = 0; i < WS_ROUND_TRIPS; i++) {
    const p = once();
    s.sendText(`message ${i}`);
    await p;
  }
  const rate = WS_ROUND_TRIPS / ((performance.now() - t0) / 1000);
  await s.close();
  return rate;
}

async function bareWs(port: number, step: Step): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  step.atTimeout(() => ws.terminate());
  await orAbort(step.signal, new Promise((r, j) => ws.once('open', r).once('error', j)));
  let pending: (() => void) | undefined;
  ws.on('message', () => pending?.());
  const once = () => orAbort(step.signal, new Promise<void>((r) => (pending = r)));
  for (let i = 0; i < 200; i++) {
    const p = once();
    ws.send(`warm ${i}`);
    await p;
  }
  const t0 = performance.now();
  for (let i = 0; i < WS_ROUND_TRIPS; i++) {
    const p = once();
    ws.send(`message ${i}`);
    await p;
  }
  const rate = WS_ROUND_TRIPS / ((performance.now() - t0) / 1000);
  ws.close();
  return rate;
}

function pythonWs(port: number): number {
  const script = [
    'import asyncio, time, websockets',
    'async def main():',
    `    async with websockets.connect("ws://127.0.0.1:${port}/", compression=None) as ws:`,
    '        for i in range(200):',
    '            await ws.send(f"warm {i}"); await ws.recv()',
    '        t = time.perf_counter()',
    `        for i in range(${WS_ROUND_TRIPS}):`,
    '            await ws.send(f"message {i}"); await ws.recv()',
    `        print(${WS_ROUND_TRIPS} / (time.perf_counter() - t))`,
    'asyncio.run(main())',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', timeout: SYNC_CLIENT_MS });
  syncTimedOut('python3-websockets client', SYNC_CLIENT_MS, r);
  if (r.status !== 0) throw new Error(`python websockets client failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

async function netreqTcp(e: TcpEngine, port: number, payload: Buffer): Promise<number> {
  const t0 = performance.now();
  // The default capture limit (maxResponseBytes, 50 MB) applies: the rest is counted, not kept.
  const x = await new e.TcpClient().send(e.tcpSpec(port, { payload, halfClose: true, maxBytes: payload.length + 1, idleMs: 5000 }, { timeoutMs: 120_000, maxResponseBytes: 50 * 2 ** 20 }));
  const s = (performance.now() - t0) / 1000;
  if (x.error || x.receivedBytes !== payload.length) throw new Error(`TCP bulk: ${x.error?.message ?? `got ${x.receivedBytes} of ${payload.length}`}`);
  return payload.length / 2 ** 20 / s;
}

function socatTcp(port: number, file: string, size: number): number {
  const t0 = performance.now();
  const r = spawnSync('socat', ['-b', '131072', `OPEN:${file},rdonly!!OPEN:/dev/null,wronly`, `TCP:127.0.0.1:${port}`], { timeout: SYNC_CLIENT_MS });
  syncTimedOut('socat TCP client', SYNC_CLIENT_MS, r);
  if (r.status !== 0) throw new Error(`socat client failed: ${r.stderr}`);
  return size / 2 ** 20 / ((performance.now() - t0) / 1000);
}

export interface UdpRun {
  rate: number;
  done: number;
  lost: number;
  /** Why the loop ended before UDP_ROUND_TRIPS (the deadline, or the peer stopped answering). */
  stopped?: string;
}

/**
 * Round trips until UDP_ROUND_TRIPS, the step's deadline, or UDP_LOST_IN_A_ROW lost in a row. `one` resolves
 * with whether the echo came back within UDP_WAIT_MS (socat forks a child per datagram and may drop one).
 */
export async function udpLoop(step: Step, one: (i: number) => Promise<boolean>): Promise<UdpRun> {
  let lost = 0;
  let inARow = 0;
  let done = 0;
  let stopped: string | undefined;
  const t0 = performance.now();
  for (let i = 0; i < UDP_ROUND_TRIPS; i++) {
    if (step.signal.aborted) {
      stopped = `its ${secs(UDP_LOOP_MS)} deadline passed`;
      break;
    }
    const ok = await one(i);
    done++;
    if (ok) inARow = 0;
    else {
      lost++;
      if (++inARow >= UDP_LOST_IN_A_ROW) {
        stopped = `${UDP_LOST_IN_A_ROW} lost in a row (the echo peer stopped answering)`;
        break;
      }
    }
  }
  return { rate: (done - lost) / ((performance.now() - t0) / 1000), done, lost, stopped };
}

function netreqUdp(e: UdpEngine, port: number, step: Step): Promise<UdpRun> {
  const client = new e.UdpClient();
  return udpLoop(step, async (i) => {
    const x = await client.send(e.udpSpec(port, { payload: Buffer.from(`dgram ${i}`), replies: 1, waitMs: UDP_WAIT_MS }));
    if (x.error) throw new Error(`UDP round trip ${i}: ${x.error.message}`);
    return x.stop === 'replies';
  });
}

function bareUdp(port: number, step: Step): Promise<UdpRun> {
  return udpLoop(step, async (i) => {
    const s = dgram.createSocket('udp4');
    try {
      return await new Promise<boolean>((resolve) => {
        // Every outcome answers within UDP_WAIT_MS: the echo, an error (e.g. ICMP port unreachable), or the timer.
        const t = setTimeout(() => resolve(false), UDP_WAIT_MS);
        s.once('error', () => resolve(false));
        s.once('message', () => {
          clearTimeout(t);
          resolve(true);
        });
        s.connect(port, '127.0.0.1', () => s.send(`dgram ${i}`));
      });
    } finally {
      s.close();
    }
  });
}

const udpText = (r: UdpRun) => `${r.rate.toFixed(0)} round trips/s (${r.lost} lost of ${r.done}${r.stopped ? `; stopped early: ${r.stopped}` : ''})`;

const verdict = (ratio: number, target: number) => (ratio >= target ? 'met' : 'MISSED');

/** A peer start under its own deadline (stopped if it comes up after the deadline passed). */
async function started<P extends { stop(): Promise<void> }>(what: string, start: () => Promise<P>): Promise<P> {
  let late = false;
  const p = start().then((peer) => {
    if (late) void peer.stop();
    return peer;
  });
  return withDeadline(`start ${what}`, START_MS, async (step) => {
    step.atTimeout(() => (late = true));
    return p;
  });
}

/** One measured round under its deadline. */
const round = <T>(what: string, run: (step: Step) => Promise<T>) => withDeadline(what, ROUND_MS, run);

async function wsRows(group: Step, baseline: Baseline | undefined): Promise<Row[]> {
  const before = new BeforeRuns(baseline, () => wsOf(baseline!));
  const py = await started('python3-websockets echo', startPythonWsEcho);
  group.atTimeout(() => py.stop()); // the group timed out: its peer does not outlive it
  try {
    // Alternating rounds, medians: single rounds swing with the 2-core machine's load.
    const o: number[] = [];
    const b: number[] = [];
    const was: number[] = [];
    for (let r = 0; r < 3; r++) {
      await inTurn(
        r,
        async () => o.push(await round(`WebSocket round ${r + 1} (NetReq)`, (step) => netreqWs(current, py.port, step))),
        async () => {
          const x = await before.run((e) => round(`WebSocket round ${r + 1} (NetReq, baseline)`, (step) => netreqWs(e, py.port, step)));
          if (x !== undefined) was.push(x);
        },
      );
      b.push(await round(`WebSocket round ${r + 1} (bare ws)`, (step) => bareWs(py.port, step)));
    }
    const ours = median(o);
    const bare = median(b);
    const pyRate = pythonWs(py.port);
    return [
      {
        what: `WebSocket sequential echo round trips (${WS_ROUND_TRIPS}, python3-websockets echo server, median of 3 alternating rounds)`,
        netreq: `${ours.toFixed(0)} rt/s`,
        peer: `bare ws ${bare.toFixed(0)} rt/s; python3-websockets client ${pyRate.toFixed(0)} rt/s`,
        ratio: `${(ours / bare).toFixed(2)}× ws`,
        target: '≥ 0.9× ws',
        verdict: verdict(ours / bare, 0.9),
        check: before.check({ rounds: was, unit: 'rt/s' }, { rounds: o, unit: 'rt/s' }),
      },
    ];
  } finally {
    await py.stop();
  }
}

async function tcpRows(group: Step, baseline: Baseline | undefined): Promise<Row[]> {
  const before = new BeforeRuns(baseline, () => tcpOf(baseline!));
  const echo = await started('socat TCP echo', () => startSocat('tcp', 'EXEC:cat'));
  group.atTimeout(() => echo.stop()); // the group timed out: its peer does not outlive it
  const file = path.join(os.tmpdir(), `netreq-bench-tcp-${process.pid}.bin`);
  try {
    const payload = Buffer.alloc(TCP_MB * 2 ** 20, 0x5a);
    fs.writeFileSync(file, payload);
    await round('TCP warm-up', () => netreqTcp(current, echo.port, payload)); // JIT and the first touch of the capture buffers
    await before.run((e) => round('TCP warm-up (baseline)', () => netreqTcp(e, echo.port, payload)));
    const o: number[] = [];
    const t: number[] = [];
    const was: number[] = [];
    for (let r = 0; r < 3; r++) {
      await inTurn(
        r,
        async () => o.push(await round(`TCP round ${r + 1} (NetReq)`, () => netreqTcp(current, echo.port, payload))),
        async () => {
          const x = await before.run((e) => round(`TCP round ${r + 1} (NetReq, baseline)`, () => netreqTcp(e, echo.port, payload)));
          if (x !== undefined) was.push(x);
        },
      );
      t.push(socatTcp(echo.port, file, payload.length));
    }
    const ours = median(o);
    const theirs = median(t);
    return [
      {
        what: `TCP: ${TCP_MB} MB through a socat echo (EXEC:cat), sent and read back (median of 3 alternating rounds)`,
        netreq: `${ours.toFixed(0)} MB/s`,
        peer: `socat client ${theirs.toFixed(0)} MB/s`,
        ratio: `${(ours / theirs).toFixed(2)}×`,
        target: '≥ 0.8×',
        verdict: verdict(ours / theirs, 0.8),
        check: before.check({ rounds: was, unit: 'MB/s' }, { rounds: o, unit: 'MB/s' }),
      },
    ];
  } finally {
    fs.rmSync(file, { force: true });
    await echo.stop();
  }
}

/**
 * A UDP loop with its own deadline (UDP_LOOP_MS): each round trip ends within UDP_WAIT_MS, so the loop notices the
 * deadline and stops with its figures so far (the group's deadline is there for anything else that hangs).
 */
async function udpRun(run: (step: Step) => Promise<UdpRun>): Promise<UdpRun> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), UDP_LOOP_MS);
  try {
    return await run({ signal: ac.signal, atTimeout: () => undefined });
  } finally {
    clearTimeout(timer);
  }
}

async function udpRows(group: Step, baseline: Baseline | undefined): Promise<Row[]> {
  const before = new BeforeRuns(baseline, () => udpOf(baseline!));
  const udp = await started('socat UDP echo', () => startSocat('udp', 'EXEC:cat'));
  group.atTimeout(() => udp.stop()); // the group timed out: its peer does not outlive it
  try {
    const ours = await udpRun((step) => netreqUdp(current, udp.port, step));
    const was = await before.run((e) => udpRun((step) => netreqUdp(e, udp.port, step)));
    const bare = await udpRun((step) => bareUdp(udp.port, step));
    return [
      {
        what: `UDP: ${UDP_ROUND_TRIPS} datagrams sent, each echo collected within ${UDP_WAIT_MS} ms or counted lost (socat UDP echo, fork per datagram)`,
        netreq: udpText(ours),
        peer: `bare dgram ${udpText(bare)}`,
        ratio: `${(ours.rate / bare.rate).toFixed(2)}×`,
        target: 'reported',
        verdict: ours.stopped || bare.stopped ? 'STOPPED' : '—',
        check: before.check({ rounds: was ? [was.rate] : [], unit: `round trips/s${was ? ` (${was.lost} lost)` : ''}` }, { rounds: [ours.rate], unit: `round trips/s (${ours.lost} lost)` }),
      },
    ];
  } finally {
    await udp.stop();
  }
}

/** Each group (those in `parts`) under its own deadline: one that hangs becomes a TIMEOUT row and the next group runs. */
export async function socketRows(parts: { ws: boolean; tcp: boolean; udp: boolean }, baseline: Baseline | undefined): Promise<Row[]> {
  return [
    ...(parts.ws ? await rowsWithin('WebSocket echo round trips', 10 * 60_000, (g) => wsRows(g, baseline)) : []),
    ...(parts.tcp ? await rowsWithin('TCP bulk through a socat echo', 10 * 60_000, (g) => tcpRows(g, baseline)) : []),
    ...(parts.udp ? await rowsWithin('UDP round trips through a socat echo', 4 * 60_000, (g) => udpRows(g, baseline)) : []),
  ];
}
