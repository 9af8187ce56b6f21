/**
 * Proxy rows for `npm run bench`: requests/s and added latency with 50 keep-alive clients (wrk, absolute-form
 * path through a Lua script) against the same nginx: direct, NetReq's proxy, squid, tinyproxy.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProxyServer } from '../src/core/proxy/server';
import { freePort, requireBinary, spawnPeer, startNginx, startSquid, tempDir, type Peer } from '../test/support/peers';
import type { Row } from './sockets';

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
    const c = spawn(bin, args);
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => {
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

export async function proxyRows(): Promise<Row[]> {
  const dir = tempDir('bench-proxy');
  const nginx = await startNginx({ files: { 'small.txt': 'x'.repeat(512) } });
  const proxy = new ProxyServer({ port: 0 });
  const netreqPort = (await proxy.listen()).port;
  const squid = await startSquid();
  let tiny: Peer | undefined;
  try {
    tiny = await startTinyproxy();
  } catch (e) {
    console.error(`tinyproxy row skipped from the table: ${(e as Error).message}`);
  }
  try {
    await wrk(nginx.port, nginx.port, dir); // warm-up
    const direct = await wrk(nginx.port, nginx.port, dir);
    const ours = await wrk(nginx.port, netreqPort, dir);
    const sq = await wrk(nginx.port, squid.port, dir);
    const tp = tiny ? await wrk(nginx.port, tiny.port, dir) : undefined;
    const added = (r: WrkResult) => `p50 +${(r.p50 - direct.p50).toFixed(2)} ms, p99 +${(r.p99 - direct.p99).toFixed(2)} ms`;
    return [
      {
        what: 'Proxy: 50 keep-alive clients (wrk -t2 -c50 -d5s, absolute-form) to nginx, same run',
        netreq: `${ours.rps.toFixed(0)} req/s (${added(ours)}; ${ours.errors} errors)`,
        peer: `squid ${sq.rps.toFixed(0)} req/s (${added(sq)}); ${tp ? `tinyproxy ${tp.rps.toFixed(0)} req/s; ` : ''}direct ${direct.rps.toFixed(0)} req/s (p50 ${direct.p50.toFixed(2)} ms, p99 ${direct.p99.toFixed(2)} ms)`,
        ratio: `${(ours.rps / sq.rps).toFixed(2)}× squid`,
        target: '≥ 1.0× squid',
        verdict: ours.rps >= sq.rps ? 'met' : 'MISSED',
      },
    ];
  } finally {
    await proxy.close();
    await squid.stop();
    await tiny?.stop();
    await nginx.stop();
    spawnSync('rm', ['-rf', dir]);
  }
}
