/** Health row for `npm run bench`: 1,000 checks on loopback (half closed ports, a quarter slow) at concurrency 64. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HealthCheckConfig } from '../src/core/health/checks';
import { HealthScheduler } from '../src/core/health/scheduler';
import { ConnectionPool } from '../src/core/transport/pool';
import type { Row } from './sockets';

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

export async function healthRow(): Promise<Row> {
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
  const fdsBefore = openFds();
  const pool = new ConnectionPool();
  const scheduler = new HealthScheduler({ pool, concurrency: 64 });
  scheduler.setChecks(checks);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  await scheduler.runAll();
  const cycleMs = performance.now() - t0;
  delay.disable();
  const p99 = delay.percentile(99) / 1e6;
  const s = scheduler.summary();
  scheduler.dispose();
  pool.dispose();
  await new Promise((r) => setTimeout(r, 200));
  const left = fast.sockets.size + slow.sockets.size;
  const fdsAfter = openFds();
  fast.server.close();
  slow.server.close();
  const ok = cycleMs < 3000 && p99 < 50 && left === 0 && fdsAfter <= fdsBefore;
  return {
    what: `Health: 1,000 checks on loopback (500 closed ports, 250 slow 200 ms HTTP, 250 fast HTTP), concurrency 64, one cycle (${s.healthy} healthy, ${s.unhealthy} unhealthy)`,
    netreq: `${(cycleMs / 1000).toFixed(2)} s; event-loop delay p99 ${p99.toFixed(1)} ms`,
    peer: `sockets left open ${left}; fds ${fdsBefore} → ${fdsAfter}`,
    ratio: '—',
    target: '< 3 s, p99 < 50 ms, nothing left open',
    verdict: ok ? 'met' : 'MISSED',
  };
}
