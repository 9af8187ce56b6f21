/**
 * CLI rows for `npm run bench` (issue 13), whole processes against one nginx on loopback:
 * - `netreq test --junit` vs `httpyac send --all --junit` (httpyac 6.16.7, a devDependency) on the same 1,000-request
 *   .http file with 3 `??` asserts each; median of 3 alternating rounds (NETREQ_BENCH_CLI_ROUNDS);
 * - CLI start: `node -e 0` (the floor), `netreq run` of one request (the esbuild bundle, dist/cli.js), curl; median of
 *   21 alternating runs (NETREQ_BENCH_START_RUNS).
 * Numbers, never assertions.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBinary, startNginx, tempDir, type Peer } from '../test/support/peers';
import { ROOT } from './baseline';
import { median } from './compare';
import { envCount, track, withDeadline, type Row } from './deadline';

const ROUNDS = envCount('NETREQ_BENCH_CLI_ROUNDS', 3);
const START_RUNS = envCount('NETREQ_BENCH_START_RUNS', 21);
const REQUESTS = 1000;
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');
const HTTPYAC = path.join(ROOT, 'node_modules', 'httpyac', 'bin', 'httpyac.js');
/**
 * httpyac 6.16.7 with Node's default stack throws "RangeError: Maximum call stack size exceeded" (in xmldom-format,
 * serializing its JUnit) for 1,000 requests and writes no XML: it runs with a larger V8 stack (within Linux's 8 MB).
 */
const HTTPYAC_NODE_ARGS = ['--stack-size=7800'];

interface Timed {
  ms: number;
  code: number | null;
  cpu?: number;
}

/** One whole process, wall time from spawn to exit; stdout to `outFile` or nowhere; `cpu` when the child reports it. */
function timed(cmd: string, args: string[], cwd: string, outFile?: string): Promise<Timed> {
  const fd = outFile ? fs.openSync(outFile, 'w') : 'ignore';
  const t0 = performance.now();
  const c = track(spawn(cmd, args, { cwd, stdio: ['ignore', fd, 'pipe'] }));
  let err = '';
  c.stderr?.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    c.on('error', reject);
    c.on('close', (code) => {
      const ms = performance.now() - t0;
      if (typeof fd === 'number') fs.closeSync(fd);
      const cpu = /NETREQ_BENCH_CPU (\d+(?:\.\d+)?)/.exec(err);
      resolve({ ms, code, cpu: cpu ? Number(cpu[1]) : undefined });
    });
  });
}

/** A preload that prints the process's own CPU time (user + system) at exit: steadier than wall time on a busy machine. */
const CPU_PRELOAD = `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, 'NETREQ_BENCH_CPU ' + (u.user + u.system) / 1000 + '\\n'); });\n`;

function junitCounts(file: string): string {
  const head = /<testsuites[^>]*>/.exec(fs.readFileSync(file, 'utf8'))?.[0] ?? '';
  const n = (a: string) => Number(new RegExp(`\\b${a}="(\\d+)"`).exec(head)?.[1] ?? 0);
  return `${n('tests')} tests, ${n('failures') + n('errors')} failed`;
}

function buildBundle(): void {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed: ${r.stderr || r.error}`);
}

async function testRow(nginx: Peer, dir: string): Promise<Row> {
  const blocks: string[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    blocks.push(`### r${i}\n# @name r${i}\nGET http://127.0.0.1:${nginx.port}/small.txt\n?? status == 200\n?? header content-type == text/plain\n?? body startsWith xxxx\n`);
  }
  fs.writeFileSync(path.join(dir, 'asserts.http'), blocks.join('\n'));
  const ours: number[] = [];
  const theirs: number[] = [];
  let counts = { ours: '', theirs: '' };
  for (let r = 0; r < ROUNDS; r++) {
    const netreq = async () => {
      const t = await timed(process.execPath, [BUNDLE, 'test', 'asserts.http', '--junit', 'netreq.xml'], dir);
      ours.push(t.ms);
      counts = { ...counts, ours: `${junitCounts(path.join(dir, 'netreq.xml'))}, exit ${t.code}` };
    };
    const httpyac = async () => {
      const t = await timed(process.execPath, [...HTTPYAC_NODE_ARGS, HTTPYAC, 'send', 'asserts.http', '--all', '--junit'], dir, path.join(dir, 'httpyac.xml'));
      theirs.push(t.ms);
      counts = { ...counts, theirs: `${junitCounts(path.join(dir, 'httpyac.xml'))}, exit ${t.code}` };
    };
    if (r % 2) {
      await httpyac();
      await netreq();
    } else {
      await netreq();
      await httpyac();
    }
  }
  const a = median(ours);
  const b = median(theirs);
  const ratio = b / a;
  const list = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  return {
    what: `\`netreq test --junit\` vs \`httpyac send --all --junit\`: one .http file of ${REQUESTS.toLocaleString('en-US')} GETs (512 B body) with 3 \`??\` asserts each (status, header, body), whole process, median of ${ROUNDS} alternating rounds`,
    netreq: `${(a / 1000).toFixed(2)} s (${counts.ours}; rounds ${list(ours)})`,
    peer: `httpyac 6.16.7 ${(b / 1000).toFixed(2)} s (${counts.theirs}; rounds ${list(theirs)}; run with node --stack-size=7800: with the default stack it throws RangeError: Maximum call stack size exceeded writing the JUnit of 1,000 requests)`,
    ratio: `${ratio.toFixed(1)}× faster`,
    target: '≥ 5× httpyac',
    verdict: ratio >= 5 ? 'met' : 'MISSED',
  };
}

async function startRow(nginx: Peer, dir: string): Promise<Row> {
  fs.writeFileSync(path.join(dir, 'one.netreq'), `GET http://127.0.0.1:${nginx.port}/small.txt\n`);
  const curl = requireBinary('curl', 'curl');
  const preload = path.join(dir, 'cpu-preload.js');
  fs.writeFileSync(preload, CPU_PRELOAD);
  const cmds: Array<[string, string[]]> = [
    [process.execPath, ['-r', preload, '-e', '0']],
    [process.execPath, ['-r', preload, BUNDLE, 'run', 'one.netreq']],
    [curl, ['-s', '-o', '/dev/null', `http://127.0.0.1:${nginx.port}/small.txt`]],
  ];
  const runs: number[][] = cmds.map(() => []);
  const cpus: number[][] = cmds.map(() => []);
  for (let r = 0; r < START_RUNS; r++) {
    // Alternating order: each command runs first, second and third equally often.
    for (let k = 0; k < cmds.length; k++) {
      const i = (k + r) % cmds.length;
      const t = await timed(cmds[i][0], cmds[i][1], dir);
      runs[i].push(t.ms);
      if (t.cpu !== undefined) cpus[i].push(t.cpu);
    }
  }
  const cpuFloor = median(cpus[0]);
  const cpuOurs = median(cpus[1]);
  const [floor, ours, theirs] = runs.map(median);
  const min = (xs: number[]) => Math.min(...xs).toFixed(0);
  const ratio = ours / floor;
  return {
    what: `CLI start: one \`netreq run\` of one GET (the esbuild bundle) against \`node -e 0\`, whole process, median of ${START_RUNS} alternating runs`,
    netreq: `${ours.toFixed(0)} ms (fastest ${min(runs[1])} ms; CPU ${cpuOurs.toFixed(0)} ms)`,
    peer: `node -e 0 ${floor.toFixed(0)} ms (fastest ${min(runs[0])} ms; CPU ${cpuFloor.toFixed(0)} ms); curl ${theirs.toFixed(0)} ms (fastest ${min(runs[2])} ms)`,
    ratio: `${ratio.toFixed(2)}× node -e 0 (CPU ${(cpuOurs / cpuFloor).toFixed(2)}×)`,
    target: '≤ 1.3× node -e 0',
    verdict: ratio <= 1.3 ? 'met' : 'MISSED',
  };
}

export async function cliRows(parts: { test: boolean; start: boolean }): Promise<Row[]> {
  if (!parts.test && !parts.start) return [];
  buildBundle();
  const dir = tempDir('bench-cli');
  let nginx: Peer | undefined;
  const rows: Row[] = [];
  try {
    nginx = await withDeadline('start nginx', 20_000, () => startNginx({ files: { 'small.txt': 'x'.repeat(512) } }));
    if (parts.test) rows.push(await withDeadline('netreq test vs httpyac', 15 * 60_000, () => testRow(nginx!, dir)));
    if (parts.start) rows.push(await withDeadline('CLI start', 5 * 60_000, () => startRow(nginx!, dir)));
  } finally {
    await nginx?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
