/**
 * Health row for `npm run bench`: 1,000 checks on loopback (half closed ports, a quarter slow) at concurrency 64;
 * alternating cycles of this build and the baseline (NETREQ_BENCH_BASELINE) on the same servers.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HealthCheckConfig } from '../src/core/health/checks';
import * as schedulerMod from '../src/core/health/scheduler';
import * as poolMod from '../src/core/transport/pool';
import { baselineModule, type Baseline } from './baseline';
import { BeforeRuns, inTurn, median } from './compare';
import { envCount, type Row } from './deadline';

/** Cycles of each build, alternating (NETREQ_BENCH_HEALTH_CYCLES). */
const CYCLES = envCount('NETREQ_BENCH_HEALTH_CYCLES', 3);

interface HealthEngine {
  HealthScheduler: typeof schedulerMod.HealthScheduler;
  ConnectionPool: typeof poolMod.ConnectionPool;
}
const current: HealthEngine = { HealthScheduler: schedulerMod.HealthScheduler, ConnectionPool: poolMod.ConnectionPool };
const baselineEngine = (b: Baseline): HealthEngine => ({
  HealthScheduler: baselineModule<typeof schedulerMod>(b, 'src/core/health/scheduler.js').HealthScheduler,
  ConnectionPool: baselineModule<typeof poolMod>(b, 'src/core/transport/pool.js').ConnectionPool,
});

async function listen(handler: (s: net.Socket) => void): Promise<{ port: number; server: net.Server; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    handler(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, server, sockets };
}

async function closedPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    ports.push((s.address() as net.AddressInfo).port);
    await new Promise((r) => s.close(r));
  }
  return ports;
}

/** Open file descriptors of this process (Linux). */
function openFds(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

interface Cycle {
  ms: number;
  p99: number;
  left: number;
  fdsBefore: number;
  fdsAfter: number;
  healthy: number;
  unhealthy: number;
}

type Server = Awaited<ReturnType<typeof listen>>;

async function cycle(e: HealthEngine, checks: HealthCheckConfig[], servers: Server[]): Promise<Cycle> {
  const fdsBefore = openFds();
  const pool = new e.ConnectionPool();
  const scheduler = new e.HealthScheduler({ pool, concurrency: 64 });
  scheduler.setChecks(checks);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  await scheduler.runAll();
  const ms = performance.now() - t0;
  delay.disable();
  const p99 = delay.percentile(99) / 1e6;
  const s = scheduler.summary();
  scheduler.dispose();
  pool.dispose();
  await new Promise((r) => setTimeout(r, 200));
  const left = servers.reduce((n, x) => n + x.sockets.size, 0);
  return { ms, p99, left, fdsBefore, fdsAfter: openFds(), healthy: s.healthy, unhealthy: s.unhealthy };
}

export async function healthRow(baseline?: Baseline): Promise<Row> {
  // A quarter: HTTP servers answering after 200 ms; a quarter: answering at once; half: closed ports.
  const fast = await listen((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')));
  const slow = await listen((s) => s.once('data', () => setTimeout(() => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'), 200)));
  const closed = await closedPorts(50);
  const checks: HealthCheckConfig[] = [];
  for (let i = 0; i < 1000; i++) {
    const kind = i % 4;
    const target = kind < 2 ? `tcp://127.0.0.1:${closed[i % closed.length]}` : kind === 2 ? `http://127.0.0.1:${slow.port}/` : `http://127.0.0.1:${fast.port}/`;
    checks.push({ name: `check ${i}`, target, timeoutMs: 2000, slowMs: 1000 });
  }
  const before = new BeforeRuns(baseline, () => baselineEngine(baseline!));
  const ours: Cycle[] = [];
  const was: Cycle[] = [];
  try {
    for (let r = 0; r < CYCLES; r++) {
      await inTurn(
        r,
        async () => ours.push(await cycle(current, checks, [fast, slow])),
        async () => {
          const x = await before.run((e) => cycle(e, checks, [fast, slow]));
          if (x) was.push(x);
        },
      );
    }
  } finally {
    fast.server.close();
    slow.server.close();
  }
  const mid = (xs: Cycle[]) => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)];
  const m = mid(ours);
  // What this build left behind: the most sockets left open and the largest descriptor growth of its cycles.
  const left = Math.max(...ours.map((c) => c.left));
  const worst = [...ours].sort((a, b) => b.fdsAfter - b.fdsBefore - (a.fdsAfter - a.fdsBefore))[0];
  const p99 = median(ours.map((c) => c.p99));
  const ok = m.ms < 3000 && p99 < 50 && left === 0 && worst.fdsAfter <= worst.fdsBefore;
  return {
    what: `Health: 1,000 checks on loopback (500 closed ports, 250 slow 200 ms HTTP, 250 fast HTTP), concurrency 64, one cycle (${m.healthy} healthy, ${m.unhealthy} unhealthy), median of ${CYCLES}`,
    netreq: `${(m.ms / 1000).toFixed(2)} s; event-loop delay p99 ${p99.toFixed(1)} ms`,
    peer: `sockets left open ${left}; fds ${worst.fdsBefore} → ${worst.fdsAfter}`,
    ratio: '—',
    target: '< 3 s, p99 < 50 ms, nothing left open',
    verdict: ok ? 'met' : 'MISSED',
    check: before.check({ rounds: was.map((c) => c.ms / 1000), unit: 's per cycle', digits: 2 }, { rounds: ours.map((c) => c.ms / 1000), unit: 's per cycle', digits: 2 }, true),
  };
}
