/**
 * Service rows for `npm run bench`. NetReq's proxy runs as the real CLI (`netreq proxy`) in its own process,
 * logging a line per flow to a file, as a user would run it; the peers (squid, tinyproxy, nginx) are processes too.
 * The baseline's CLI (NETREQ_BENCH_BASELINE) runs next to it, in alternating rounds, for the refactor check.
 * - requests/s and added latency with 50 keep-alive clients (wrk, absolute-form path through a Lua script)
 *   against the same nginx: direct, NetReq (and its baseline), squid, tinyproxy;
 * - 1 GB through a CONNECT tunnel vs the same transfer direct;
 * - a soak of 100,000 requests from 200 clients: errors, RSS, file descriptors (soak.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, requireBinary, spawnPeer, startNginx, startSquid, tempDir, type Peer } from '../test/support/peers';
import type { Baseline } from './baseline';
import { compare, noBefore } from './compare';
import { envCount, failedRow, StepTimeout, track, type Row, type Step } from './deadline';
import { baselineCli, child, CURRENT_CLI, procStatus, startNetreqProxy, startSource, type CliService } from './services';
import { soakOnce, SOAK_CLIENTS, SOAK_REQUESTS } from './soak';

/** NETREQ_BENCH_WRK_SECONDS and NETREQ_BENCH_TUNNEL_MB for a short check of the rows. */
const WRK_SECONDS = envCount('NETREQ_BENCH_WRK_SECONDS', 5);
const TUNNEL_MB = envCount('NETREQ_BENCH_TUNNEL_MB', 1024);
const TUNNEL_BYTES = TUNNEL_MB * 1024 ** 2;
const TUNNEL_SIZE = TUNNEL_MB % 1024 === 0 ? `${TUNNEL_MB / 1024} GB` : `${TUNNEL_MB} MB`;
/** Deadlines of the steps: a wrk run (5 s of load), a 1 GB transfer. */
const WRK_MS = Math.max(30_000, WRK_SECONDS * 1000 + 25_000);
const SINK_MS = 120_000;

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function ms(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** wrk -t2 -c50 -d5s --latency (NETREQ_BENCH_WRK_SECONDS); with a proxy, the Lua script makes every request absolute-form. */
function wrk(targetPort: number, connectTo: number, dir: string): Promise<WrkResult> {
  const bin = requireBinary('wrk', 'wrk');
  const script = path.join(dir, `abs-${connectTo}.lua`);
  fs.writeFileSync(script, `wrk.path = "http://127.0.0.1:${targetPort}/small.txt"\n`);
  const args = ['-t2', '-c50', `-d${WRK_SECONDS}s`, '--latency', ...(connectTo !== targetPort ? ['-s', script] : []), `http://127.0.0.1:${connectTo}/small.txt`];
  return new Promise((resolve, reject) => {
    const c = track(spawn(bin, args));
    // wrk runs for WRK_SECONDS; past WRK_MS it is stuck: killed, and the round is a timeout.
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      c.kill('SIGKILL');
    }, WRK_MS);
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => {
      clearTimeout(timer);
      if (killed) return reject(new StepTimeout(`wrk through port ${connectTo}`, WRK_MS));
      if (code !== 0) return reject(new Error(`wrk failed: ${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const errs = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        rps,
        p50: p50 ? ms(p50[1], p50[2]) : NaN,
        p99: p99 ? ms(p99[1], p99[2]) : NaN,
        errors: (errs ? Number(errs[1]) : 0) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
      });
    });
  });
}

async function startTinyproxy(): Promise<Peer> {
  const bin = requireBinary('tinyproxy', 'tinyproxy');
  const dir = tempDir('tinyproxy');
  const port = await freePort();
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(conf, [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 200', 'Allow 127.0.0.1', 'LogLevel Critical', `PidFile "${dir}/tp.pid"`, 'ConnectPort 443', ''].join('\n'));
  return spawnPeer('tinyproxy', bin, ['-d', '-c', conf], port, dir);
}


const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

export async function proxyRows(group: Step, baseline: Baseline | undefined): Promise<Row[]> {
  const dir = tempDir('bench-proxy');
  // Each peer start is bounded (waitForPort: 10 s); if the group's deadline passes, every peer is stopped.
  const nginx = await startNginx({ files: { 'small.txt': 'x'.repeat(512) } });
  group.atTimeout(() => nginx.stop());
  const netreq = await startNetreqProxy(CURRENT_CLI, dir);
  group.atTimeout(() => netreq.stop());
  const idle = procStatus(netreq.pid); // before any traffic: the baseline the soak must come back to
  // The baseline's proxy on its own port (or why there is none); a failure of it ends its rounds, not the rows.
  const bc = baselineCli(baseline);
  let was: CliService | undefined;
  let wasWhy = bc?.why;
  if (bc?.cli) {
    try {
      was = await startNetreqProxy(bc.cli, dir);
      group.atTimeout(() => was?.stop());
    } catch (e) {
      wasWhy = `its \`netreq proxy\` did not start: ${(e as Error).message}`;
    }
  }
  const wasIdle = was ? procStatus(was.pid) : undefined;
  const beforeRun = async <T>(fn: (svc: CliService) => Promise<T>): Promise<T | undefined> => {
    if (!was || wasWhy) return undefined;
    try {
      return await fn(was);
    } catch (e) {
      wasWhy = `its run failed: ${(e as Error).message}`;
      console.error(`bench: baseline proxy: ${wasWhy}`);
      return undefined;
    }
  };
  const checkOf = (before: number[], after: number[], unit: string, afterText: string) =>
    !bc ? undefined : wasWhy || !before.length ? noBefore(wasWhy ?? 'no round finished', afterText) : compare({ rounds: before, unit }, { rounds: after, unit });
  const squid = await startSquid();
  group.atTimeout(() => squid.stop());
  let tiny: Peer | undefined;
  try {
    tiny = await startTinyproxy();
    group.atTimeout(() => tiny?.stop());
  } catch (e) {
    console.error(`tinyproxy row skipped from the table: ${(e as Error).message}`);
  }
  const rows: Row[] = [];
  try {
    // Each section is a row; one that times out or fails is a row saying so, and the next section runs.
    const section = async (what: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (e) {
        console.error(`bench: ${what}: ${(e as Error).message}`);
        rows.push(failedRow(what, e));
      }
    };
    await section('Proxy: 50 keep-alive clients (wrk)', async () => {
      await wrk(nginx.port, nginx.port, dir); // warm-up
      await wrk(nginx.port, netreq.port, dir); // warm-up (JIT)
      await beforeRun((svc) => wrk(nginx.port, svc.port, dir));
      // Three alternating rounds; each figure is the round with the median req/s (these runs swing with load).
      const rounds: Record<'direct' | 'netreq' | 'before' | 'squid' | 'tiny', WrkResult[]> = { direct: [], netreq: [], before: [], squid: [], tiny: [] };
      for (let i = 0; i < 3; i++) {
        rounds.direct.push(await wrk(nginx.port, nginx.port, dir));
        const ours = async () => rounds.netreq.push(await wrk(nginx.port, netreq.port, dir));
        const theirs = async () => {
          const r = await beforeRun((svc) => wrk(nginx.port, svc.port, dir));
          if (r) rounds.before.push(r);
        };
        // The baseline first in every other round.
        if (i % 2) await theirs().then(ours);
        else await ours().then(theirs);
        rounds.squid.push(await wrk(nginx.port, squid.port, dir));
        if (tiny) rounds.tiny.push(await wrk(nginx.port, tiny.port, dir));
      }
      const mid = (xs: WrkResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)];
      const direct = mid(rounds.direct);
      const ours = mid(rounds.netreq);
      const sq = mid(rounds.squid);
      const tp = tiny ? mid(rounds.tiny) : undefined;
      const allRps = (xs: WrkResult[]) => xs.map((x) => x.rps.toFixed(0)).join(', ');
      console.log(`proxy req/s: netreq ${allRps(rounds.netreq)}; baseline ${allRps(rounds.before)}; squid ${allRps(rounds.squid)}; tinyproxy ${allRps(rounds.tiny)}; direct ${allRps(rounds.direct)}`);
      const added = (r: WrkResult) => `p50 +${(r.p50 - direct.p50).toFixed(2)} ms, p99 +${(r.p99 - direct.p99).toFixed(2)} ms`;
      const check = checkOf(rounds.before.map((r) => r.rps), rounds.netreq.map((r) => r.rps), 'req/s', `${ours.rps.toFixed(0)} req/s`);
      if (check && rounds.before.length) {
        const b = mid(rounds.before);
        check.before += `; ${added(b)}; ${b.errors} errors`;
        check.after += `; ${added(ours)}; ${ours.errors} errors`;
      }
      rows.push({
        what: `Proxy: 50 keep-alive clients (wrk -t2 -c50 -d${WRK_SECONDS}s, absolute-form) to nginx, median of 3 alternating rounds; NetReq as \`netreq proxy\` logging every flow`,
        netreq: `${ours.rps.toFixed(0)} req/s (${added(ours)}; ${ours.errors} errors; rounds ${allRps(rounds.netreq)})`,
        peer: `squid ${sq.rps.toFixed(0)} req/s (${added(sq)}; rounds ${allRps(rounds.squid)}); ${tp ? `tinyproxy ${tp.rps.toFixed(0)} req/s (${added(tp)}); ` : ''}direct ${direct.rps.toFixed(0)} req/s (p50 ${direct.p50.toFixed(2)} ms, p99 ${direct.p99.toFixed(2)} ms)`,
        ratio: `${(ours.rps / sq.rps).toFixed(2)}× squid`,
        target: '≥ 1.0× squid',
        verdict: ours.rps >= sq.rps ? 'met' : 'MISSED',
        check,
      });
    });

    await section(`${TUNNEL_SIZE} through a CONNECT tunnel`, async () => {
      // 1 GB through a CONNECT tunnel vs the same transfer direct (and through squid's tunnel), alternating, 3 runs each.
      const src = await startSource(TUNNEL_BYTES);
      // socat as a plain TCP relay with 1 MB reads (no CONNECT): what a C relay does on the same machine.
      const relayPort = await freePort();
      const relay = await spawnPeer('socat relay', requireBinary('socat', 'socat'), ['-b', '1048576', `TCP-LISTEN:${relayPort},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${src.port}`], relayPort, tempDir('socat-relay'));
      try {
        const runs: Record<'direct' | 'netreq' | 'before' | 'squid' | 'socat', number[]> = { direct: [], netreq: [], before: [], squid: [], socat: [] };
        const transfer = async (name: keyof typeof runs, port: number, via?: number) => {
          const r = await child<{ bytes: number; ms: number }>(['sink', String(port), ...(via ? [String(via)] : [])], undefined, SINK_MS).done;
          if (r.bytes !== TUNNEL_BYTES) throw new Error(`the ${name} transfer carried ${r.bytes} bytes, not ${TUNNEL_BYTES}`);
          runs[name].push(TUNNEL_BYTES / 1024 ** 2 / (r.ms / 1000));
        };
        for (let i = 0; i < 3; i++) {
          await transfer('direct', src.port);
          const ours = () => transfer('netreq', src.port, netreq.port);
          const theirs = () => beforeRun((svc) => transfer('before', src.port, svc.port));
          if (i % 2) await theirs().then(ours);
          else await ours().then(theirs);
          await transfer('squid', src.port, squid.port);
          await transfer('socat', relayPort);
        }
        const d = med(runs.direct);
        const t = med(runs.netreq);
        console.log(`tunnel MB/s: netreq ${list(runs.netreq)}; baseline ${list(runs.before)}; squid ${list(runs.squid)}; socat relay ${list(runs.socat)}; direct ${list(runs.direct)}`);
        rows.push({
          what: `${TUNNEL_SIZE} through a CONNECT tunnel (source and sink in their own processes), median of 3 alternating runs`,
          netreq: `${t.toFixed(0)} MB/s (runs ${list(runs.netreq)})`,
          peer: `direct loopback ${d.toFixed(0)} MB/s (runs ${list(runs.direct)}); squid's tunnel ${med(runs.squid).toFixed(0)} MB/s (${(med(runs.squid) / d).toFixed(2)}×; runs ${list(runs.squid)}); socat relay ${med(runs.socat).toFixed(0)} MB/s (${(med(runs.socat) / d).toFixed(2)}×; runs ${list(runs.socat)})`,
          ratio: `${(t / d).toFixed(2)}× direct`,
          target: '≥ 0.8× direct',
          verdict: t / d >= 0.8 ? 'met' : 'MISSED',
          check: checkOf(runs.before, runs.netreq, 'MB/s', `${t.toFixed(0)} MB/s`),
        });
      } finally {
        await relay.stop();
        src.stop();
      }
    });

    await section(`Soak: ${SOAK_REQUESTS.toLocaleString('en')} GETs through \`netreq proxy\``, async () => {
      // Soak: 100,000 requests from 200 clients; RSS sampled, fds compared with those before any traffic.
      const s = await soakOnce(netreq, idle, nginx.port);
      const b = await beforeRun((svc) => soakOnce(svc, wasIdle!, nginx.port));
      const check = checkOf(b ? [b.rps] : [], [s.rps], 'req/s', s.text);
      if (check && b) {
        check.before = b.text;
        check.after = s.text;
        // A soak is one run each: its throughput is a figure to read; the verdict is on errors, descriptors and memory.
        const worse = [s.errors > b.errors && 'more errors', b.fdsBack && !s.fdsBack && 'descriptors not back', s.peakRss > b.peakRss * 1.2 && 'peak RSS over 1.2× before'].filter(Boolean);
        check.verdict = worse.length ? `WORSE (${worse.join(', ')})` : 'unchanged (errors, descriptors, RSS)';
      }
      rows.push({
        what: `Soak: ${SOAK_REQUESTS.toLocaleString('en')} GETs through \`netreq proxy\` from ${SOAK_CLIENTS} concurrent keep-alive clients (a fresh connection every 100th request)`,
        netreq: s.text,
        peer: '—',
        ratio: '—',
        target: '0 errors, fds back to baseline, RSS < 150 MB',
        verdict: s.errors === 0 && s.fdsBack && s.peakRss < 150 ? 'met' : 'MISSED',
        check,
      });
    });
  } finally {
    // Every peer is stopped even when one stop fails (a failed run must not leave squid or nginx behind).
    for (const stop of [() => netreq.stop(), () => was?.stop(), () => squid.stop(), () => tiny?.stop(), () => nginx.stop()]) await Promise.resolve(stop()).catch((e) => console.error(`bench cleanup: ${(e as Error).message}`));
    spawnSync('rm', ['-rf', dir]);
  }
  return rows;
}
