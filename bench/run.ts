/**
 * `npm run bench`: NetReq's engine side by side with undici in the same run, against the same nginx on loopback.
 * Writes bench/RESULTS.md. Numbers, never assertions: nothing here fails a build.
 *
 * Each row also runs the baseline build (NETREQ_BENCH_BASELINE, default 733430a: the last commit before the issue-10
 * refactor) in the same run, alternating rounds; RESULTS.md gets a second table, the refactor check, before vs after.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baselineRev, currentName, prepareBaseline, type Baseline } from './baseline';
import { cliRows } from './cli';
import { healthRow } from './health';
import { httpRows } from './http';
import { killTracked, rowsWithin, type Row } from './deadline';
import { listenerRow } from './listener';
import { proxyRows } from './proxy';
import { socketRows } from './sockets';

const MIN = 60_000;

/** Groups for NETREQ_BENCH_ONLY (comma-separated); without it every group runs and RESULTS.md is written. */
const GROUPS = ['keepalive', 'parse', 'body', 'http', 'ws', 'tcp', 'udp', 'sockets', 'health', 'proxy', 'listener', 'clitest', 'start', 'cli'] as const;
const ONLY = process.env.NETREQ_BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);

async function main(): Promise<void> {
  const unknown = ONLY?.filter((g) => !(GROUPS as readonly string[]).includes(g)) ?? [];
  if (unknown.length) throw new Error(`NETREQ_BENCH_ONLY: unknown group ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
  const want = (g: (typeof GROUPS)[number]) => !ONLY || ONLY.includes(g);
  const rev = baselineRev();
  let baseline: Baseline | undefined;
  try {
    baseline = rev ? prepareBaseline(rev) : undefined;
  } catch (e) {
    baseline = { rev: rev!, error: `could not build ${rev}: ${(e as Error).message}` }; // its cells say so; the bench goes on
  }
  if (baseline?.error) console.error(`bench: no baseline: ${baseline.error}`);
  const rows: Row[] = [];
  const http = { keepalive: want('keepalive') || want('http'), parse: want('parse') || want('http'), body: want('body') || want('http') };
  if (http.keepalive || http.parse || http.body) rows.push(...(await httpRows(http, baseline)));
  const sockets = { ws: want('ws') || want('sockets'), tcp: want('tcp') || want('sockets'), udp: want('udp') || want('sockets') };
  rows.push(...(await socketRows(sockets, baseline)));
  if (want('health')) rows.push(...(await rowsWithin('Health: 1,000 checks on loopback', 3 * MIN, async () => [await healthRow(baseline)])));
  if (want('proxy')) rows.push(...(await rowsWithin('Proxy rows (requests/s, tunnel, soak)', 25 * MIN, (step) => proxyRows(step, baseline))));
  if (want('listener')) rows.push(...(await rowsWithin('Multicast listener at 20,000 datagrams/s', 3 * MIN, async () => [await listenerRow(baseline)])));
  const cli = { test: want('clitest') || want('cli'), start: want('start') || want('cli') };
  if (cli.test || cli.start) rows.push(...(await rowsWithin('CLI rows (netreq test vs httpyac, CLI start)', 20 * MIN, () => cliRows(cli))));
  if (ONLY) {
    // A partial run prints its rows (RESULTS.md untouched).
    for (const r of rows) console.log(`| ${r.what} | ${r.netreq} | ${r.peer} | ${r.ratio} | ${r.target} | ${r.verdict} |`);
    if (baseline) console.log(checkTable(rows, baseline).join('\n'));
    return;
  }
  writeResults(rows, baseline);
}

/** The refactor check: every row's figure for the baseline and for this build, from the same run. */
function checkTable(rows: Row[], b: Baseline): string[] {
  const after = currentName();
  return [
    `## Refactor check (issue 10): before ${b.rev} vs after ${after}`,
    '',
    b.error
      ? `The baseline ${b.rev} could not be measured: ${b.error}.`
      : `Both builds in the same run on the same peers: in-process rows load ${b.rev}'s engine (built in .cache/bench-baseline) next to this one, in alternating rounds; the proxy, tunnel, soak and listener rows run ${b.rev}'s CLI as its own process next to this one. Verdicts: within ±5 % is "unchanged" (single rounds swing by more on two shared cores; read the per-round range).`,
    '',
    `| what | before (${b.rev}) | after (${after}) | change | verdict |`,
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const c = r.check ?? { before: r.verdict === 'TIMEOUT' || r.verdict === 'ERROR' ? 'not measured: the row failed (see the table above)' : 'not measured for this row', after: r.netreq, change: '—', verdict: '—' };
      return `| ${r.what} | ${c.before} | ${c.after} | ${c.change} | ${c.verdict} |`;
    }),
    '',
  ];
}

function writeResults(rows: Row[], baseline: Baseline | undefined): void {
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
    ...(baseline ? checkTable(rows, baseline) : []),
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
