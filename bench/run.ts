/**
 * `npm run bench`: NetReq's engine side by side with undici in the same run, against the same nginx on loopback.
 * Writes bench/RESULTS.md. Numbers, never assertions: nothing here fails a build.
 */
import { fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpClient } from '../src/core/http/client';
import { parseNetreq } from '../src/core/netreq';
import { ConnectionPool } from '../src/core/transport/pool';
import { startNginx, type Peer } from '../test/support/peers';
import { healthRow } from './health';
import { failedRow, killTracked, rowsWithin, track, withDeadline, type Row } from './deadline';
import { listenerRow, proxyRows } from './proxy';
import { socketRows, udpRows } from './sockets';
import { httpSpec } from '../test/support/servers';

const REQUESTS = 2000;
const ROUNDS = 7;
const BODY_MB = 50;
/** Deadlines: one round of 2,000 requests, one big-body child, a group of rows. */
const ROUND_MS = 120_000;
const CHILD_MS = 120_000;
const MIN = 60_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function netreqRps(port: number, noPool: boolean): Promise<number> {
  const pool = new ConnectionPool();
  const client = new HttpClient({ pool });
  const spec = httpSpec(port, { target: '/small.txt' }, { noPool });
  for (let i = 0; i < 50; i++) await client.send(spec); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const x = await client.send(spec);
    if (x.error || x.response?.status !== 200) throw new Error(`request ${i} failed: ${x.error?.message ?? x.response?.status}`);
  }
  const rps = REQUESTS / ((performance.now() - t0) / 1000);
  pool.dispose();
  return rps;
}

async function undiciRps(port: number): Promise<number> {
  const { Pool } = await import('undici');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 6, pipelining: 1 });
  const get = async () => {
    const r = await pool.request({ path: '/small.txt', method: 'GET' });
    const body = Buffer.from(await r.body.arrayBuffer());
    if (r.statusCode !== 200 || body.length === 0) throw new Error(`undici got ${r.statusCode}`);
  };
  for (let i = 0; i < 50; i++) await get();
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) await get();
  const rps = REQUESTS / ((performance.now() - t0) / 1000);
  await pool.close();
  return rps;
}

function parseBench(): { ms: number; blocks: number } {
  const parts: string[] = ['@host = 127.0.0.1', '@port = 8080', ''];
  for (let i = 0; i < 5000; i++) {
    parts.push(`### request ${i}`, `# @name r${i}`, `POST http://{{host}}:{{port}}/items/${i}?q=${i} HTTP/1.1`, 'Content-Type: application/json', `X-Index: ${i}`, '', `{"id": ${i}, "name": "item {{host}}"}`, '');
  }
  const text = parts.join('\n');
  for (let i = 0; i < 5; i++) parseNetreq(text); // warm-up (JIT)
  const times: number[] = [];
  let blocks = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    blocks = parseNetreq(text).blocks.length;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), blocks };
}

/** Peak RSS growth of a fresh process fetching the big file with `mode` (measured in that child). */
function bigBodyChild(port: number, mode: 'netreq' | 'undici'): Promise<{ growthMb: number; bodyMb: number }> {
  return withDeadline(`${BODY_MB} MB body child (${mode})`, CHILD_MS, (step) =>
    new Promise((resolve, reject) => {
      const child = track(fork(path.join(__dirname, 'bigbody.js'), [String(port), mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      step.atTimeout(() => child.kill('SIGKILL'));
      child.once('message', (m) => resolve(m as { growthMb: number; bodyMb: number }));
      child.once('exit', (code) => reject(new Error(`bigbody child (${mode}) exited ${code} without a result`)));
    }),
  );
}

const timed = <T>(what: string, run: () => Promise<T>) => withDeadline(what, ROUND_MS, run);

/** `NETREQ_BENCH_ONLY=proxy,listener npm run bench` runs only those groups and prints them (RESULTS.md untouched). */
const ONLY = process.env.NETREQ_BENCH_ONLY?.split(',').map((s) => s.trim());

async function main(): Promise<void> {
  if (ONLY) {
    const rows: Row[] = [];
    if (ONLY.includes('proxy')) rows.push(...(await proxyGroup()));
    if (ONLY.includes('listener')) rows.push(...(await listenerGroup()));
    if (ONLY.includes('sockets')) rows.push(...(await socketRows()));
    if (ONLY.includes('udp')) rows.push(...(await rowsWithin('UDP round trips through a socat echo', 3 * MIN, udpRows)));
    if (ONLY.includes('health')) rows.push(...(await healthGroup()));
    for (const r of rows) console.log(`| ${r.what} | ${r.netreq} | ${r.peer} | ${r.ratio} | ${r.target} | ${r.verdict} |`);
    return;
  }
  const bigPath = path.join(os.tmpdir(), `netreq-bench-${process.pid}.bin`);
  fs.writeFileSync(bigPath, Buffer.alloc(BODY_MB * 1024 * 1024, 0x61));
  let nginx: Peer | undefined;
  const rows: Row[] = [];
  try {
    nginx = await withDeadline('start nginx', 20_000, () => startNginx({
      files: { 'small.txt': 'x'.repeat(512) },
      serverExtra: `location = /big.bin { alias ${bigPath}; }`,
    }));
    const port = nginx.port;
    const ours: number[] = [];
    const theirs: number[] = [];
    const nopool: number[] = [];
    // One discarded round each: nginx, the JIT and the TCP stack warm up over the first thousands of requests.
    await timed('HTTP warm-up (NetReq)', () => netreqRps(port, false));
    await timed('HTTP warm-up (undici)', () => undiciRps(port));
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await timed(`HTTP round ${r + 1} (NetReq)`, () => netreqRps(port, false)));
      theirs.push(await timed(`HTTP round ${r + 1} (undici)`, () => undiciRps(port)));
      nopool.push(await timed(`HTTP round ${r + 1} (NetReq, no pool)`, () => netreqRps(port, true)));
      console.log(`round ${r + 1}: netreq ${ours[r].toFixed(0)} req/s, undici ${theirs[r].toFixed(0)} req/s, netreq no-pool ${nopool[r].toFixed(0)} req/s`);
    }
    const o = median(ours);
    const t = median(theirs);
    const np = median(nopool);
    const ratios = ours.map((x, i) => x / theirs[i]).sort((a, b) => a - b);
    rows.push({
      what: `${REQUESTS} sequential keep-alive GETs (512 B body), median of ${ROUNDS} alternating rounds after a warm-up round`,
      netreq: `${o.toFixed(0)} req/s`,
      peer: `undici ${t.toFixed(0)} req/s`,
      ratio: `${(o / t).toFixed(2)}× (per-round ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)})`,
      target: '≥ 1.0× (< 0.8× is a defect)',
      verdict: o / t >= 1 ? 'met' : o / t >= 0.8 ? 'below target, within 0.8×' : 'DEFECT',
    });
    rows.push({
      what: 'Pool gain: the same with pooling off (new TCP connection per request)',
      netreq: `${np.toFixed(0)} req/s without pool`,
      peer: `${o.toFixed(0)} req/s with pool`,
      ratio: `pool gain ${(o / np).toFixed(2)}×`,
      target: 'reported',
      verdict: '—',
    });
    const p = parseBench();
    rows.push({
      what: `Parse a ${p.blocks}-block .netreq file (median of 10)`,
      netreq: `${p.ms.toFixed(1)} ms`,
      peer: '—',
      ratio: '—',
      target: '< 50 ms',
      verdict: p.ms < 50 ? 'met' : 'MISSED',
    });
    const big = await bigBodyChild(port, 'netreq');
    const bigU = await bigBodyChild(port, 'undici');
    rows.push({
      what: `${BODY_MB} MB response, peak RSS growth in a fresh process`,
      netreq: `${big.growthMb.toFixed(0)} MB (${(big.growthMb / big.bodyMb).toFixed(2)}× body)`,
      peer: `undici arrayBuffer ${bigU.growthMb.toFixed(0)} MB (${(bigU.growthMb / bigU.bodyMb).toFixed(2)}×)`,
      ratio: `${(big.growthMb / bigU.growthMb).toFixed(2)}× undici`,
      target: '≤ 2× body',
      verdict: big.growthMb <= 2 * big.bodyMb ? 'met' : 'MISSED',
    });
  } catch (e) {
    // A round past its deadline (or a failure) is a row of the table; the other groups still run.
    console.error(`bench: HTTP rows: ${(e as Error).message}`);
    rows.push(failedRow('HTTP rows (keep-alive GETs, pool gain, parse, 50 MB body)', e));
  } finally {
    await nginx?.stop();
    fs.rmSync(bigPath, { force: true });
  }
  rows.push(...(await socketRows()));
  rows.push(...(await healthGroup()));
  rows.push(...(await proxyGroup()));
  rows.push(...(await listenerGroup()));
  writeResults(rows);
}

const healthGroup = () => rowsWithin('Health: 1,000 checks on loopback', 2 * MIN, async () => [await healthRow()]);
const proxyGroup = () => rowsWithin('Proxy rows (requests/s, tunnel, soak)', 20 * MIN, proxyRows);
const listenerGroup = () => rowsWithin('Multicast listener at 20,000 datagrams/s', 2 * MIN, async () => [await listenerRow()]);

function writeResults(rows: Row[]): void {
  const nginxVersion = spawnSync('sh', ['-c', 'nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1'], { encoding: 'utf8' }).stdout.trim();
  const undiciVersion = JSON.parse(fs.readFileSync(require.resolve('undici/package.json'), 'utf8')).version;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${nginxVersion}, undici ${undiciVersion}.`,
    'Everything on 127.0.0.1 against one nginx started by the benchmark; NetReq and the peer run in the same process, same run, alternating rounds.',
    '',
    '| what | NetReq | peer | ratio | target | verdict |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.netreq} | ${r.peer} | ${r.ratio} | ${r.target} | ${r.verdict} |`),
    '',
  ];
  const out = path.join(__dirname, '..', '..', 'bench', 'RESULTS.md');
  const notesPath = path.join(__dirname, '..', '..', 'bench', 'NOTES.md');
  const notes = fs.existsSync(notesPath) ? `\n${fs.readFileSync(notesPath, 'utf8')}` : '';
  fs.writeFileSync(out, lines.join('\n') + notes);
  console.log(lines.join('\n'));
}

// The end is the end: a step that timed out may leave a socket or a child behind, which must not keep the bench alive.
main().then(
  () => {
    killTracked();
    process.exit(0);
  },
  (e) => {
    console.error(e);
    killTracked();
    process.exit(1);
  },
);
