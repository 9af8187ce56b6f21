/**
 * HTTP rows for `npm run bench`: keep-alive GETs against undici, the pool gain, parsing a 5,000-block file and a
 * 50 MB body, each also run with the baseline build (NETREQ_BENCH_BASELINE) in alternating rounds.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as clientMod from '../src/core/http/client';
import * as netreqMod from '../src/core/netreq';
import * as poolMod from '../src/core/transport/pool';
import { startNginx, type Peer } from '../test/support/peers';
import * as serversMod from '../test/support/servers';
import { baselineModule, type Baseline } from './baseline';
import { BeforeRuns, inTurn, median } from './compare';
import { envCount, failedRow, track, withDeadline, type Row } from './deadline';

/** NETREQ_BENCH_REQUESTS / NETREQ_BENCH_ROUNDS / NETREQ_BENCH_BODY_MB / NETREQ_BENCH_PARSE_RUNS: shorter (or longer) rows. */
const REQUESTS = envCount('NETREQ_BENCH_REQUESTS', 2000);
const ROUNDS = envCount('NETREQ_BENCH_ROUNDS', 7);
const BODY_MB = envCount('NETREQ_BENCH_BODY_MB', 50);
/** Parses of each build in all (split over its fresh processes). */
const PARSE_RUNS = envCount('NETREQ_BENCH_PARSE_RUNS', 600);
/** Deadlines: one round of 2,000 requests, one big-body child. */
const ROUND_MS = 120_000;
const CHILD_MS = 120_000;

/** What a build offers to these rows (the current one, or the baseline's, typed as the current one). */
interface HttpEngine {
  HttpClient: typeof clientMod.HttpClient;
  ConnectionPool: typeof poolMod.ConnectionPool;
  httpSpec: typeof serversMod.httpSpec;
  parseNetreq: typeof netreqMod.parseNetreq;
}

type Parser = Pick<HttpEngine, 'parseNetreq'>;

const current: HttpEngine = { HttpClient: clientMod.HttpClient, ConnectionPool: poolMod.ConnectionPool, httpSpec: serversMod.httpSpec, parseNetreq: netreqMod.parseNetreq };

function loadBaseline(b: Baseline): HttpEngine {
  return {
    HttpClient: baselineModule<typeof clientMod>(b, 'src/core/http/client.js').HttpClient,
    ConnectionPool: baselineModule<typeof poolMod>(b, 'src/core/transport/pool.js').ConnectionPool,
    httpSpec: baselineModule<typeof serversMod>(b, 'test/support/servers.js').httpSpec,
    parseNetreq: baselineParser(b).parseNetreq,
  };
}

const baselineParser = (b: Baseline): Parser => ({ parseNetreq: baselineModule<typeof netreqMod>(b, 'src/core/netreq/index.js').parseNetreq });

async function netreqRps(e: HttpEngine, port: number, noPool: boolean): Promise<number> {
  const pool = new e.ConnectionPool();
  const client = new e.HttpClient({ pool });
  const spec = e.httpSpec(port, { target: '/small.txt' }, { noPool });
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

/** Peak RSS growth of a fresh process fetching the big file with `mode` (measured in that child); `from`: a build's out/. */
function bigBodyChild(port: number, mode: 'netreq' | 'undici', from?: string): Promise<{ growthMb: number; bodyMb: number }> {
  const label = `${mode}${from ? ', baseline' : ''}`;
  return withDeadline(`${BODY_MB} MB body child (${label})`, CHILD_MS, (step) =>
    new Promise((resolve, reject) => {
      const child = track(fork(path.join(__dirname, 'bigbody.js'), [String(port), mode, ...(from ? [from] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      step.atTimeout(() => child.kill('SIGKILL'));
      child.once('message', (m) => resolve(m as { growthMb: number; bodyMb: number }));
      child.once('exit', (code) => reject(new Error(`bigbody child (${label}) exited ${code} without a result`)));
    }),
  );
}

const timed = <T>(what: string, run: () => Promise<T>) => withDeadline(what, ROUND_MS, run);

export interface HttpParts {
  keepalive: boolean;
  parse: boolean;
  body: boolean;
}

/** The HTTP rows (those in `parts`), under the deadlines of their steps; a failure is a row saying so. */
export async function httpRows(parts: HttpParts, baseline: Baseline | undefined): Promise<Row[]> {
  const before = new BeforeRuns(baseline, () => loadBaseline(baseline!));
  const bigPath = path.join(os.tmpdir(), `netreq-bench-${process.pid}.bin`);
  if (parts.body) fs.writeFileSync(bigPath, Buffer.alloc(BODY_MB * 1024 * 1024, 0x61));
  let nginx: Peer | undefined;
  const rows: Row[] = [];
  try {
    if (parts.keepalive || parts.body) {
      nginx = await withDeadline('start nginx', 20_000, () => startNginx({ files: { 'small.txt': 'x'.repeat(512) }, serverExtra: parts.body ? `location = /big.bin { alias ${bigPath}; }` : '' }));
    }
    if (parts.keepalive) rows.push(...(await keepAliveRows(nginx!.port, before)));
    if (parts.parse) rows.push(await parseRow(new BeforeRuns(baseline, () => baselineParser(baseline!)), baseline?.out));
    if (parts.body) rows.push(await bodyRow(nginx!.port, before, baseline?.out));
  } catch (e) {
    // A round past its deadline (or a failure) is a row of the table; the other groups still run.
    console.error(`bench: HTTP rows: ${(e as Error).message}`);
    rows.push(failedRow('HTTP rows (keep-alive GETs, pool gain, parse, 50 MB body)', e));
  } finally {
    await nginx?.stop();
    fs.rmSync(bigPath, { force: true });
  }
  return rows;
}

async function keepAliveRows(port: number, before: BeforeRuns<HttpEngine>): Promise<Row[]> {
  const ours: number[] = [];
  const theirs: number[] = [];
  const nopool: number[] = [];
  const was: number[] = [];
  const wasNopool: number[] = [];
  // One discarded round each: nginx, the JIT and the TCP stack warm up over the first thousands of requests.
  await timed('HTTP warm-up (NetReq)', () => netreqRps(current, port, false));
  await before.run((e) => timed('HTTP warm-up (NetReq, baseline)', () => netreqRps(e, port, false)));
  await timed('HTTP warm-up (undici)', () => undiciRps(port));
  for (let r = 0; r < ROUNDS; r++) {
    const afterRound = async () => ours.push(await timed(`HTTP round ${r + 1} (NetReq)`, () => netreqRps(current, port, false)));
    const beforeRound = async () => {
      const x = await before.run((e) => timed(`HTTP round ${r + 1} (NetReq, baseline)`, () => netreqRps(e, port, false)));
      if (x !== undefined) was.push(x);
    };
    await inTurn(r, afterRound, beforeRound);
    theirs.push(await timed(`HTTP round ${r + 1} (undici)`, () => undiciRps(port)));
    nopool.push(await timed(`HTTP round ${r + 1} (NetReq, no pool)`, () => netreqRps(current, port, true)));
    const np = await before.run((e) => timed(`HTTP round ${r + 1} (NetReq no pool, baseline)`, () => netreqRps(e, port, true)));
    if (np !== undefined) wasNopool.push(np);
    const b = was[r] !== undefined ? `, baseline ${was[r].toFixed(0)} req/s (no-pool ${wasNopool[r]?.toFixed(0)})` : '';
    console.log(`round ${r + 1}: netreq ${ours[r].toFixed(0)} req/s, undici ${theirs[r].toFixed(0)} req/s, netreq no-pool ${nopool[r].toFixed(0)} req/s${b}`);
  }
  const o = median(ours);
  const t = median(theirs);
  const np = median(nopool);
  const ratios = ours.map((x, i) => x / theirs[i]).sort((a, b) => a - b);
  return [
    {
      what: `${REQUESTS} sequential keep-alive GETs (512 B body), median of ${ROUNDS} alternating rounds after a warm-up round`,
      netreq: `${o.toFixed(0)} req/s`,
      peer: `undici ${t.toFixed(0)} req/s`,
      ratio: `${(o / t).toFixed(2)}× (per-round ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)})`,
      target: '≥ 1.0× (< 0.8× is a defect)',
      verdict: o / t >= 1 ? 'met' : o / t >= 0.8 ? 'below target, within 0.8×' : 'DEFECT',
      check: before.check({ rounds: was, unit: 'req/s' }, { rounds: ours, unit: 'req/s' }),
    },
    {
      what: 'Pool gain: the same with pooling off (new TCP connection per request)',
      netreq: `${np.toFixed(0)} req/s without pool`,
      peer: `${o.toFixed(0)} req/s with pool`,
      ratio: `pool gain ${(o / np).toFixed(2)}×`,
      target: 'reported',
      verdict: '—',
      check: before.check({ rounds: wasNopool, unit: 'req/s without pool' }, { rounds: nopool, unit: 'req/s without pool' }),
    },
  ];
}

/** One child's parses of the file with the build in `from` (default this one): their times and the blocks found. */
function parseChild(runs: number, from?: string): Promise<{ ms: number[]; blocks: number }> {
  const label = from ? 'baseline' : 'this build';
  return withDeadline(`parse child (${label})`, CHILD_MS, (step) =>
    new Promise((resolve, reject) => {
      const child = track(fork(path.join(__dirname, 'parsechild.js'), [String(runs), ...(from ? [from] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      step.atTimeout(() => child.kill('SIGKILL'));
      child.once('message', (m) => resolve(m as { ms: number[]; blocks: number }));
      child.once('exit', (code) => reject(new Error(`parse child (${label}) exited ${code} without a result`)));
    }),
  );
}

/** Rounds of the parse row: each a fresh process per build, alternating; a round's figure is its child's median. */
const PARSE_ROUNDS = 30;

async function parseRow(before: BeforeRuns<unknown>, baselineOut: string | undefined): Promise<Row> {
  const perChild = Math.max(1, Math.ceil(PARSE_RUNS / PARSE_ROUNDS));
  const ms: number[] = [];
  const rounds: number[] = [];
  const was: number[] = [];
  let blocks = 0;
  let wasBlocks = 0;
  for (let r = 0; r < PARSE_ROUNDS; r++) {
    await inTurn(
      r,
      async () => {
        const c = await parseChild(perChild);
        ms.push(...c.ms);
        rounds.push(median(c.ms));
        blocks = c.blocks;
      },
      async () => {
        const c = await before.run(() => parseChild(perChild, baselineOut));
        if (!c) return;
        was.push(median(c.ms));
        wasBlocks = c.blocks;
      },
    );
  }
  if (!before.error && was.length && wasBlocks !== blocks) before.error = `it found ${wasBlocks} blocks, this build ${blocks}`;
  const m = median(ms);
  return {
    what: `Parse a ${blocks}-block .netreq file (median of ${ms.length}: ${PARSE_ROUNDS} fresh processes per build, alternating)`,
    netreq: `${m.toFixed(1)} ms`,
    peer: '—',
    ratio: '—',
    target: '< 50 ms',
    verdict: m < 50 ? 'met' : 'MISSED',
    check: before.check({ rounds: was, unit: 'ms', digits: 1 }, { rounds, unit: 'ms', digits: 1 }, true),
  };
}

async function bodyRow(port: number, before: BeforeRuns<HttpEngine>, baselineOut: string | undefined): Promise<Row> {
  const big = await bigBodyChild(port, 'netreq');
  const was = await before.run(() => bigBodyChild(port, 'netreq', baselineOut));
  const bigU = await bigBodyChild(port, 'undici');
  const check = before.check({ rounds: was ? [was.growthMb] : [], unit: 'MB growth' }, { rounds: [big.growthMb], unit: 'MB growth' }, true);
  return {
    what: `${BODY_MB} MB response, peak RSS growth in a fresh process`,
    netreq: `${big.growthMb.toFixed(0)} MB (${(big.growthMb / big.bodyMb).toFixed(2)}× body)`,
    peer: `undici arrayBuffer ${bigU.growthMb.toFixed(0)} MB (${(bigU.growthMb / bigU.bodyMb).toFixed(2)}×)`,
    ratio: `${(big.growthMb / bigU.growthMb).toFixed(2)}× undici`,
    target: '≤ 2× body',
    verdict: big.growthMb <= 2 * big.bodyMb ? 'met' : 'MISSED',
    check,
  };
}
