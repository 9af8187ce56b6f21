/** Socket-protocol rows for `npm run bench`: WebSocket round trips, TCP bulk through an echo, UDP round trips. */
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { TcpClient } from '../src/core/sockets/tcp';
import { UdpClient } from '../src/core/sockets/udp';
import { WsSession } from '../src/core/sockets/ws';
import { startPythonWsEcho, startSocat } from '../test/support/peers';
import { tcpSpec, udpSpec } from '../test/support/sockets';
import { wsSpec } from '../test/support/ws';

export interface Row {
  what: string;
  netreq: string;
  peer: string;
  ratio: string;
  target: string;
  verdict: string;
}

const WS_ROUND_TRIPS = 5000;
const TCP_MB = 256;
const UDP_ROUND_TRIPS = 2000;

async function netreqWs(port: number): Promise<number> {
  const s = new WsSession(wsSpec(port));
  if (!(await s.open())) throw new Error(s.exchange.error?.message);
  let pending: (() => void) | undefined;
  s.on('frame', (f) => f.dir === 'received' && pending?.());
  const once = () => new Promise<void>((r) => (pending = r));
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

async function bareWs(port: number): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  let pending: (() => void) | undefined;
  ws.on('message', () => pending?.());
  const once = () => new Promise<void>((r) => (pending = r));
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
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python websockets client failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

async function netreqTcp(port: number, payload: Buffer): Promise<number> {
  const t0 = performance.now();
  // The default capture limit (maxResponseBytes, 50 MB) applies: the rest is counted, not kept.
  const x = await new TcpClient().send(tcpSpec(port, { payload, halfClose: true, maxBytes: payload.length + 1, idleMs: 5000 }, { timeoutMs: 120_000, maxResponseBytes: 50 * 2 ** 20 }));
  const s = (performance.now() - t0) / 1000;
  if (x.error || x.receivedBytes !== payload.length) throw new Error(`TCP bulk: ${x.error?.message ?? `got ${x.receivedBytes} of ${payload.length}`}`);
  return payload.length / 2 ** 20 / s;
}

function socatTcp(port: number, file: string, size: number): number {
  const t0 = performance.now();
  const r = spawnSync('socat', ['-b', '131072', `OPEN:${file},rdonly!!OPEN:/dev/null,wronly`, `TCP:127.0.0.1:${port}`], { timeout: 120_000 });
  if (r.status !== 0) throw new Error(`socat client failed: ${r.stderr}`);
  return size / 2 ** 20 / ((performance.now() - t0) / 1000);
}

/** UDP may drop a datagram (socat forks a child per datagram): a round trip without a reply in 500 ms counts as lost. */
async function netreqUdp(port: number): Promise<{ rate: number; lost: number }> {
  const client = new UdpClient();
  let lost = 0;
  const t0 = performance.now();
  for (let i = 0; i < UDP_ROUND_TRIPS; i++) {
    const x = await client.send(udpSpec(port, { payload: Buffer.from(`dgram ${i}`), replies: 1, waitMs: 500 }));
    if (x.error) throw new Error(`UDP round trip ${i}: ${x.error.message}`);
    if (x.stop !== 'replies') lost++;
  }
  return { rate: (UDP_ROUND_TRIPS - lost) / ((performance.now() - t0) / 1000), lost };
}

async function bareUdp(port: number): Promise<{ rate: number; lost: number }> {
  let lost = 0;
  const t0 = performance.now();
  for (let i = 0; i < UDP_ROUND_TRIPS; i++) {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.connect(port, '127.0.0.1', () => r()));
    const got = new Promise<boolean>((r) => {
      const t = setTimeout(() => r(false), 500);
      s.once('message', () => {
        clearTimeout(t);
        r(true);
      });
    });
    s.send(`dgram ${i}`);
    if (!(await got)) lost++;
    s.close();
  }
  return { rate: (UDP_ROUND_TRIPS - lost) / ((performance.now() - t0) / 1000), lost };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const verdict = (ratio: number, target: number) => (ratio >= target ? 'met' : 'MISSED');

export async function socketRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const py = await startPythonWsEcho();
  try {
    // Alternating rounds, medians: single rounds swing with the 2-core machine's load.
    const o: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < 3; r++) {
      o.push(await netreqWs(py.port));
      b.push(await bareWs(py.port));
    }
    const ours = median(o);
    const bare = median(b);
    const pyRate = pythonWs(py.port);
    rows.push({
      what: `WebSocket sequential echo round trips (${WS_ROUND_TRIPS}, python3-websockets echo server, median of 3 alternating rounds)`,
      netreq: `${ours.toFixed(0)} rt/s`,
      peer: `bare ws ${bare.toFixed(0)} rt/s; python3-websockets client ${pyRate.toFixed(0)} rt/s`,
      ratio: `${(ours / bare).toFixed(2)}× ws`,
      target: '≥ 0.9× ws',
      verdict: verdict(ours / bare, 0.9),
    });
  } finally {
    await py.stop();
  }
  const echo = await startSocat('tcp', 'EXEC:cat');
  const file = path.join(os.tmpdir(), `netreq-bench-tcp-${process.pid}.bin`);
  try {
    const payload = Buffer.alloc(TCP_MB * 2 ** 20, 0x5a);
    fs.writeFileSync(file, payload);
    await netreqTcp(echo.port, payload); // warm-up: JIT and the first touch of the capture buffers
    const o: number[] = [];
    const t: number[] = [];
    for (let r = 0; r < 3; r++) {
      o.push(await netreqTcp(echo.port, payload));
      t.push(socatTcp(echo.port, file, payload.length));
    }
    const ours = median(o);
    const theirs = median(t);
    rows.push({
      what: `TCP: ${TCP_MB} MB through a socat echo (EXEC:cat), sent and read back (median of 3 alternating rounds)`,
      netreq: `${ours.toFixed(0)} MB/s`,
      peer: `socat client ${theirs.toFixed(0)} MB/s`,
      ratio: `${(ours / theirs).toFixed(2)}×`,
      target: '≥ 0.8×',
      verdict: verdict(ours / theirs, 0.8),
    });
  } finally {
    fs.rmSync(file, { force: true });
    await echo.stop();
  }
  const udp = await startSocat('udp', 'EXEC:cat');
  try {
    const ours = await netreqUdp(udp.port);
    const bare = await bareUdp(udp.port);
    rows.push({
      what: `UDP: ${UDP_ROUND_TRIPS} datagrams sent, each echo collected (socat UDP echo, fork per datagram)`,
      netreq: `${ours.rate.toFixed(0)} round trips/s (${ours.lost} lost)`,
      peer: `bare dgram ${bare.rate.toFixed(0)}/s (${bare.lost} lost)`,
      ratio: `${(ours.rate / bare.rate).toFixed(2)}×`,
      target: 'reported',
      verdict: '—',
    });
  } finally {
    await udp.stop();
  }
  return rows;
}
