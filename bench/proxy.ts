/**
 * Service rows for `npm run bench`. NetReq's proxy and listener run as the real CLI (`netreq proxy`,
 * `netreq listen`) in their own processes, logging a line per flow or datagram to a file, as a user would
 * run them; the peers (squid, tinyproxy, nginx) are processes too.
 * - requests/s and added latency with 50 keep-alive clients (wrk, absolute-form path through a Lua script)
 *   against the same nginx: direct, NetReq, squid, tinyproxy;
 * - 1 GB through a CONNECT tunnel vs the same transfer direct;
 * - a soak of 100,000 requests from 200 clients: errors, RSS, file descriptors;
 * - the multicast listener at 20,000 datagrams/s for 10 s on loopback.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, requireBinary, spawnPeer, startNginx, startSquid, tempDir, waitForPort, type Peer } from '../test/support/peers';
import { failedRow, StepTimeout, track, type Row, type Step } from './deadline';

const CLI = path.join(__dirname, '..', 'src', 'cli', 'main.js');
const CHILDREN = path.join(__dirname, 'children.js');
const TUNNEL_BYTES = 1024 ** 3;
const SOAK_REQUESTS = 100_000;
const SOAK_CLIENTS = 200;
const MCAST_RATE = 20_000;
const MCAST_SECONDS = 10;
/** Deadlines of the steps: a wrk run (5 s of load), a 1 GB transfer, the soak, the multicast sender. */
const WRK_MS = 30_000;
const SINK_MS = 120_000;
const SOAK_MS = 300_000;
const MCAST_MS = (MCAST_SECONDS + 30) * 1000;

interface CliService {
  pid: number;
  port: number;
  logFile: string;
  stop(): Promise<{ code: number | null; lastLine: string }>;
}

/** Starts `netreq ARGS` with its output going to a log file; resolves once `ready()` says so (bounded). */
async function startCli(args: string[], dir: string, ready: (log: () => string) => Promise<number>): Promise<CliService> {
  const logFile = path.join(dir, `netreq-${args[0]}-${Date.now()}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = track(spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', fd, 'pipe'] }));
  fs.closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let port: number;
  try {
    port = await ready(() => fs.readFileSync(logFile, 'utf8'));
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`netreq ${args.join(' ')} did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return {
    pid: child.pid!,
    port,
    logFile,
    async stop() {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
      return { code, lastLine: lines[lines.length - 1] ?? '' };
    },
  };
}

async function startNetreqProxy(dir: string): Promise<CliService> {
  const port = await freePort();
  return startCli(['proxy', '--port', String(port)], dir, async () => {
    await waitForPort(port);
    return port;
  });
}

async function startNetreqListener(dir: string, group: string, port: number): Promise<CliService> {
  return startCli(['listen', `${group}:${port}`, '--interface', '127.0.0.1'], dir, async (log) => {
    for (let i = 0; i < 100; i++) {
      if (log().includes('Listening on')) return port;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no "Listening on" line within 10 s');
  });
}

function procStatus(pid: number): { rssMb: number; fds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: rssKb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

/** Runs a bench child (children.ts) and resolves with its `result` message (or rejects with its `error`). */
function child<T>(args: string[], onReady?: (port: number) => void, timeoutMs = 300_000): { done: Promise<T>; proc: ChildProcess } {
  const proc = track(fork(CHILDREN, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NETREQ_BENCH_CHILD_MS: String(timeoutMs + 5000) } }));
  const done = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new StepTimeout(`bench child ${args[0]}`, timeoutMs));
    }, timeoutMs);
    proc.on('message', (m: { ready?: number; result?: T; error?: string }) => {
      if (m.ready !== undefined) onReady?.(m.ready);
      if (m.error) {
        clearTimeout(timer);
        reject(new Error(m.error));
      }
      if (m.result) {
        clearTimeout(timer);
        resolve(m.result);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench child ${args[0]} exited ${code} without a result`));
    });
  });
  return { done, proc };
}

async function startSource(bytes: number): Promise<{ port: number; stop: () => void }> {
  let ready!: (p: number) => void;
  const port = new Promise<number>((r) => (ready = r));
  const c = child<never>(['source', String(bytes)], ready);
  c.done.catch(() => undefined);
  return { port: await Promise.race([port, c.done]), stop: () => c.proc.kill() };
}

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

/** wrk -t2 -c50 -d5s --latency; with a proxy, the Lua script makes every request absolute-form. */
function wrk(targetPort: number, connectTo: number, dir: string): Promise<WrkResult> {
  const bin = requireBinary('wrk', 'wrk');
  const script = path.join(dir, `abs-${connectTo}.lua`);
  fs.writeFileSync(script, `wrk.path = "http://127.0.0.1:${targetPort}/small.txt"\n`);
  const args = ['-t2', '-c50', '-d5s', '--latency', ...(connectTo !== targetPort ? ['-s', script] : []), `http://127.0.0.1:${connectTo}/small.txt`];
  return new Promise((resolve, reject) => {
    const c = track(spawn(bin, args));
    // wrk runs for 5 s; past WRK_MS it is stuck: killed, and the round is a timeout.
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

export async function proxyRows(group: Step): Promise<Row[]> {
  const dir = tempDir('bench-proxy');
  // Each peer start is bounded (waitForPort: 10 s); if the group's deadline passes, every peer is stopped.
  const nginx = await startNginx({ files: { 'small.txt': 'x'.repeat(512) } });
  group.atTimeout(() => nginx.stop());
  const netreq = await startNetreqProxy(dir);
  group.atTimeout(() => netreq.stop());
  const idle = procStatus(netreq.pid); // before any traffic: the baseline the soak must come back to
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
      // Three alternating rounds; each figure is the round with the median req/s (these runs swing with load).
      const rounds: Record<'direct' | 'netreq' | 'squid' | 'tiny', WrkResult[]> = { direct: [], netreq: [], squid: [], tiny: [] };
      for (let i = 0; i < 3; i++) {
        rounds.direct.push(await wrk(nginx.port, nginx.port, dir));
        rounds.netreq.push(await wrk(nginx.port, netreq.port, dir));
        rounds.squid.push(await wrk(nginx.port, squid.port, dir));
        if (tiny) rounds.tiny.push(await wrk(nginx.port, tiny.port, dir));
      }
      const mid = (xs: WrkResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)];
      const direct = mid(rounds.direct);
      const ours = mid(rounds.netreq);
      const sq = mid(rounds.squid);
      const tp = tiny ? mid(rounds.tiny) : undefined;
      const allRps = (xs: WrkResult[]) => xs.map((x) => x.rps.toFixed(0)).join(', ');
      console.log(`proxy req/s: netreq ${allRps(rounds.netreq)}; squid ${allRps(rounds.squid)}; tinyproxy ${allRps(rounds.tiny)}; direct ${allRps(rounds.direct)}`);
      const added = (r: WrkResult) => `p50 +${(r.p50 - direct.p50).toFixed(2)} ms, p99 +${(r.p99 - direct.p99).toFixed(2)} ms`;
      rows.push({
        what: 'Proxy: 50 keep-alive clients (wrk -t2 -c50 -d5s, absolute-form) to nginx, median of 3 alternating rounds; NetReq as `netreq proxy` logging every flow',
        netreq: `${ours.rps.toFixed(0)} req/s (${added(ours)}; ${ours.errors} errors; rounds ${allRps(rounds.netreq)})`,
        peer: `squid ${sq.rps.toFixed(0)} req/s (${added(sq)}; rounds ${allRps(rounds.squid)}); ${tp ? `tinyproxy ${tp.rps.toFixed(0)} req/s (${added(tp)}); ` : ''}direct ${direct.rps.toFixed(0)} req/s (p50 ${direct.p50.toFixed(2)} ms, p99 ${direct.p99.toFixed(2)} ms)`,
        ratio: `${(ours.rps / sq.rps).toFixed(2)}× squid`,
        target: '≥ 1.0× squid',
        verdict: ours.rps >= sq.rps ? 'met' : 'MISSED',
      });
    });

    await section('1 GB through a CONNECT tunnel', async () => {
      // 1 GB through a CONNECT tunnel vs the same transfer direct (and through squid's tunnel), alternating, 3 runs each.
      const src = await startSource(TUNNEL_BYTES);
      // socat as a plain TCP relay with 1 MB reads (no CONNECT): what a C relay does on the same machine.
      const relayPort = await freePort();
      const relay = await spawnPeer('socat relay', requireBinary('socat', 'socat'), ['-b', '1048576', `TCP-LISTEN:${relayPort},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${src.port}`], relayPort, tempDir('socat-relay'));
      try {
        const runs: Record<'direct' | 'netreq' | 'squid' | 'socat', number[]> = { direct: [], netreq: [], squid: [], socat: [] };
        for (let i = 0; i < 3; i++) {
          for (const [name, via] of [['direct', undefined], ['netreq', netreq.port], ['squid', squid.port], ['socat', undefined]] as const) {
            const r = await child<{ bytes: number; ms: number }>(['sink', String(name === 'socat' ? relayPort : src.port), ...(via ? [String(via)] : [])], undefined, SINK_MS).done;
            if (r.bytes !== TUNNEL_BYTES) throw new Error(`the ${name} transfer carried ${r.bytes} bytes, not ${TUNNEL_BYTES}`);
            runs[name].push(TUNNEL_BYTES / 1024 ** 2 / (r.ms / 1000));
          }
        }
        const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
        const d = med(runs.direct);
        const t = med(runs.netreq);
        console.log(`tunnel MB/s: netreq ${list(runs.netreq)}; squid ${list(runs.squid)}; socat relay ${list(runs.socat)}; direct ${list(runs.direct)}`);
        rows.push({
          what: '1 GB through a CONNECT tunnel (source and sink in their own processes), median of 3 alternating runs',
          netreq: `${t.toFixed(0)} MB/s (runs ${list(runs.netreq)})`,
          peer: `direct loopback ${d.toFixed(0)} MB/s (runs ${list(runs.direct)}); squid's tunnel ${med(runs.squid).toFixed(0)} MB/s (${(med(runs.squid) / d).toFixed(2)}×; runs ${list(runs.squid)}); socat relay ${med(runs.socat).toFixed(0)} MB/s (${(med(runs.socat) / d).toFixed(2)}×; runs ${list(runs.socat)})`,
          ratio: `${(t / d).toFixed(2)}× direct`,
          target: '≥ 0.8× direct',
          verdict: t / d >= 0.8 ? 'met' : 'MISSED',
        });
      } finally {
        await relay.stop();
        src.stop();
      }
    });

    await section(`Soak: ${SOAK_REQUESTS.toLocaleString('en')} GETs through \`netreq proxy\``, async () => {
      // Soak: 100,000 requests from 200 clients; RSS sampled, fds compared with the baseline taken before any traffic.
      const base = idle;
      let peakRss = procStatus(netreq.pid).rssMb;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStatus(netreq.pid).rssMb)), 100);
      type Soak = { done: number; ms: number; statuses: Record<string, number>; errors: Record<string, number>; p50: number; p99: number };
      let soak: Soak;
      try {
        soak = await child<Soak>(['soak', `http://127.0.0.1:${nginx.port}/small.txt`, String(netreq.port), String(SOAK_REQUESTS), String(SOAK_CLIENTS)], undefined, SOAK_MS).done;
      } finally {
        clearInterval(sampler);
      }
      // Idle upstream connections close after the proxy's idle timeout; wait (bounded) for the fds to come back.
      const t0 = Date.now();
      let after = procStatus(netreq.pid);
      while (after.fds > base.fds && Date.now() - t0 < 30_000) {
        await new Promise((r) => setTimeout(r, 250));
        after = procStatus(netreq.pid);
      }
      const backIn = ((Date.now() - t0) / 1000).toFixed(1);
      const ok = soak.statuses['200'] ?? 0;
      const proxyErrors = soak.done - ok;
      console.log(`soak: ${JSON.stringify(soak)}; rss peak ${peakRss.toFixed(0)} MB; fds ${base.fds} → ${after.fds}`);
      rows.push({
        what: `Soak: ${SOAK_REQUESTS.toLocaleString('en')} GETs through \`netreq proxy\` from ${SOAK_CLIENTS} concurrent keep-alive clients (a fresh connection every 100th request)`,
        netreq: `${ok.toLocaleString('en')} × 200 in ${(soak.ms / 1000).toFixed(1)} s (${((soak.done / soak.ms) * 1000).toFixed(0)} req/s, p50 ${soak.p50.toFixed(1)} ms, p99 ${soak.p99.toFixed(1)} ms); ${proxyErrors} errors${proxyErrors ? ` ${JSON.stringify({ ...soak.statuses, ...soak.errors })}` : ''}; peak RSS ${peakRss.toFixed(0)} MB (${base.rssMb.toFixed(0)} MB at start); fds ${base.fds} at start, ${after.fds} after (back in ${backIn} s: idle upstream connections close after 15 s)`,
        peer: '—',
        ratio: '—',
        target: '0 errors, fds back to baseline, RSS < 150 MB',
        verdict: proxyErrors === 0 && after.fds <= base.fds && peakRss < 150 ? 'met' : 'MISSED',
      });
    });
  } finally {
    // Every peer is stopped even when one stop fails (a failed run must not leave squid or nginx behind).
    for (const stop of [() => netreq.stop(), () => squid.stop(), () => tiny?.stop(), () => nginx.stop()]) await Promise.resolve(stop()).catch((e) => console.error(`bench cleanup: ${(e as Error).message}`));
    spawnSync('rm', ['-rf', dir]);
  }
  return rows;
}

/** The multicast listener (`netreq listen`, pinned to loopback) receiving 20,000 datagrams/s for 10 s from another process. */
export async function listenerRow(): Promise<Row> {
  const dir = tempDir('bench-listen');
  const group = '239.255.0.91';
  const port = await freePort();
  const listener = await startNetreqListener(dir, group, port);
  let sent: { sent: number; ms: number };
  let stopped: { code: number | null; lastLine: string };
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStatus(listener.pid).rssMb)), 200);
  try {
    sent = await child<{ sent: number; ms: number }>(['mcast', group, String(port), String(MCAST_RATE), String(MCAST_SECONDS)], undefined, MCAST_MS).done;
    await new Promise((r) => setTimeout(r, 1000)); // let the last datagrams be read
  } finally {
    clearInterval(sampler);
    stopped = await listener.stop();
    const lines = fs.readFileSync(listener.logFile, 'utf8').split('\n').length;
    console.log(`listener: ${stopped.lastLine} (${lines} log lines)`);
    spawnSync('rm', ['-rf', dir]);
  }
  const received = Number(/: (\d+) datagrams/.exec(stopped.lastLine)?.[1] ?? NaN);
  const kernel = /kernel drops: ([\d,]+|unknown)/.exec(stopped.lastLine)?.[1] ?? 'not printed';
  const lost = sent.sent - received;
  const rate = sent.sent / (sent.ms / 1000);
  return {
    what: `Multicast listener (\`netreq listen\` on loopback, a line per datagram) at ${MCAST_RATE.toLocaleString('en')} datagrams/s for ${MCAST_SECONDS} s from another process`,
    netreq: `${received.toLocaleString('en')} of ${sent.sent.toLocaleString('en')} received (${lost} lost; the listener's kernel drops: ${kernel}; sent at ${rate.toFixed(0)}/s); peak RSS ${peakRss.toFixed(0)} MB`,
    peer: '—',
    ratio: '—',
    target: '0 lost',
    verdict: lost === 0 && rate >= MCAST_RATE * 0.98 ? 'met' : 'MISSED',
  };
}
