import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { main, type Io } from '../../../src/cli/main';
import { MulticastClient } from '../../../src/core/sockets/udp';
import { requireBinary, startNginx, tempDir, type Peer } from '../../support/peers';
import { rawServer, sleep } from '../../support/servers';
import { freeUdpPort, multicastSpec } from '../../support/sockets';

/** Runs a long-lived command until `stop` is called (stands in for Ctrl+C). */
function service(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: (why: string) => void;
  const stopped = new Promise<string>((r) => (stop = r));
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env: {}, untilStopped: () => stopped, cwd };
  const done = main(args, io);
  return { out, err, stop, done };
}

async function waitFor(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  for (let t = 0; t < ms; t += 25) {
    if (pred()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('netreq proxy / listen / health', function () {
  this.timeout(30_000);
  let nginx: Peer;
  let dir: string;

  before(async () => {
    nginx = await startNginx({ files: { 'index.html': 'hello\n' } });
    dir = tempDir('cli-services');
  });
  after(async () => {
    await nginx.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('proxy: serves curl, logs one line per flow, stops on the signal and frees the port', async () => {
    const s = service(['proxy', '--port', '0']);
    await waitFor(() => s.out.some((l) => l.startsWith('NetReq proxy on')), 'the proxy to start');
    const port = Number(/:(\d+) —/.exec(s.out[0])![1]);
    const curl = requireBinary('curl', 'curl');
    const body = await new Promise<string>((resolve) => {
      const c = spawn(curl, ['-s', '--max-time', '5', '-x', `http://127.0.0.1:${port}`, `http://127.0.0.1:${nginx.port}/index.html`]);
      let o = '';
      c.stdout.on('data', (d) => (o += d));
      c.on('close', () => resolve(o));
    });
    assert.equal(body, 'hello\n');
    await waitFor(() => s.out.some((l) => l.includes(`GET http://127.0.0.1:${nginx.port}/index.html → 200`)), 'the flow line');
    s.stop('SIGINT');
    assert.equal(await s.done, 0);
    assert.match(s.out[s.out.length - 1], /^Proxy stopped \(SIGINT\)\.$/);
  });

  it('proxy: limits and allow-lists from flags; a wrong value is a usage error (exit 2)', async () => {
    const s = service(['proxy', '--port', '0', '--allow-connect-ports', '443', '--max-header-bytes', '2048']);
    await waitFor(() => s.out.some((l) => l.startsWith('NetReq proxy on')), 'the proxy to start');
    const port = Number(/:(\d+) —/.exec(s.out[0])![1]);
    const ask = (bytes: string) =>
      new Promise<string>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => c.write(bytes));
        let got = '';
        c.on('data', (d) => (got += d));
        c.on('close', () => resolve(got));
        c.on('error', () => undefined);
        setTimeout(() => c.destroy(), 3000);
      });
    assert.match(await ask(`CONNECT 127.0.0.1:${nginx.port} HTTP/1.1\r\n\r\n`), /^HTTP\/1\.1 403 [\s\S]*allowed: 443/);
    assert.match(await ask(`GET http://127.0.0.1:${nginx.port}/ HTTP/1.1\r\nX: ${'a'.repeat(3000)}\r\n\r\n`), /^HTTP\/1\.1 431 [\s\S]*\(2048 bytes\)/);
    s.stop('SIGINT');
    assert.equal(await s.done, 0);
    for (const [flag, value, says] of [
      ['--max-connections', '0', /--max-connections takes a whole number 1–1000000, not '0'/],
      ['--allow-clients', 'localhost', /--allow-clients takes a comma-separated list, e\.g\. --allow-clients 127\.0\.0\.1,::1/],
      ['--upstream-timeout', '2s', /--upstream-timeout takes a whole number/],
    ] as const) {
      const bad = service(['proxy', '--port', '0', flag, value]);
      assert.equal(await bad.done, 2);
      assert.match(bad.err.join('\n'), says);
    }
  });

  it('proxy: --host [::1] (brackets, as in a URL), --request-head-timeout and --tunnel-idle-timeout', async () => {
    const s = service(['proxy', '--host', '[::1]', '--port', '0', '--request-head-timeout', '300', '--tunnel-idle-timeout', '300']);
    await waitFor(() => s.out.some((l) => l.startsWith('NetReq proxy on')), 'the proxy to start');
    assert.match(s.out[0], /^NetReq proxy on http:\/\/\[::1\]:\d+ — Ctrl\+C to stop$/);
    assert.deepEqual(s.err, [], 'no warning: ::1 is loopback');
    const port = Number(/:(\d+) —/.exec(s.out[0])![1]);
    /** Writes `first`, then nothing; what came back until the proxy closed (bounded). */
    const ask = (first: string) =>
      new Promise<string>((resolve) => {
        const c = net.connect(port, '::1', () => c.write(first));
        let got = '';
        c.on('data', (d) => (got += d));
        c.on('close', () => resolve(got));
        c.on('error', () => undefined);
        setTimeout(() => c.destroy(), 5000);
      });
    assert.match(await ask('GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127'), /^HTTP\/1\.1 408 Request Timeout[\s\S]*within 300 ms of its first byte/);
    assert.match(await ask(`CONNECT 127.0.0.1:${nginx.port} HTTP/1.1\r\n\r\n`), /^HTTP\/1\.1 200 Connection Established\r\n\r\n$/, 'an idle tunnel is closed');
    await waitFor(() => s.out.some((l) => l.includes('The tunnel was idle (no bytes either way) for 300 ms')), 'the tunnel log line');
    s.stop('SIGINT');
    assert.equal(await s.done, 0);
    for (const [flag, value, says] of [
      ['--request-head-timeout', '50', /--request-head-timeout takes a whole number 100–86400000, not '50'/],
      ['--tunnel-idle-timeout', '5m', /--tunnel-idle-timeout takes a whole number 100–86400000, not '5m'/],
    ] as const) {
      const bad = service(['proxy', '--port', '0', flag, value]);
      assert.equal(await bad.done, 2);
      assert.match(bad.err.join('\n'), says);
    }
  });

  it('proxy: a port in use is a clear error with exit 1', async () => {
    const s = service(['proxy', '--port', String(nginx.port)]);
    assert.equal(await s.done, 1);
    assert.match(s.err.join('\n'), new RegExp(`port ${nginx.port} on 127\\.0\\.0\\.1 is already in use \\(choose another with --port\\)`));
  });

  it('listen: prints every datagram sent to the group on loopback, and the totals on stop', async () => {
    const port = await freeUdpPort();
    const s = service(['listen', `239.255.0.9:${port}`, '--interface', '127.0.0.1']);
    await waitFor(() => s.out.some((l) => l.startsWith('Listening on')), 'the listener');
    await new MulticastClient().send(multicastSpec('239.255.0.9', port, { payload: Buffer.from('tick\r\n'), repeat: 2, everyMs: 20, waitMs: 50 }));
    await waitFor(() => s.out.filter((l) => l.includes('tick')).length === 2, 'two datagrams');
    assert.match(s.out.find((l) => l.includes('tick'))!, /127\.0\.0\.1:\d+ +6 B {2}tick␍␊/);
    s.stop('SIGINT');
    assert.equal(await s.done, 0);
    assert.match(s.out[s.out.length - 1], /2 datagrams, 12 B, .*\/s over the last 5 s; kernel drops: 0; left the group\.$/);
  });

  it('health: one cycle prints a table and exits 0 only when all are healthy; --json too', async () => {
    const down = await rawServer(() => undefined);
    await down.close();
    const cfg = path.join(dir, 'checks.json');
    fs.writeFileSync(cfg, JSON.stringify([{ name: 'web', target: `http://127.0.0.1:${nginx.port}/index.html` }, { name: 'dns', target: 'dns://localhost' }]));
    const ok = service(['health', '--config', cfg]);
    assert.equal(await ok.done, 0);
    assert.match(ok.out.join('\n'), /^NAME +TARGET +STATE +LATENCY +ERROR\nweb +http:\/\/127\.0\.0\.1:\d+\/index\.html +healthy [\s\S]*2\/2 healthy \(100%\)$/);
    fs.mkdirSync(path.join(dir, 'ws', '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'ws', '.vscode', 'settings.json'),
      `{ // settings\n "netreq.health.checks": [ { "name": "gone", "target": "tcp://127.0.0.1:${down.port}" }, { "name": "web", "target": "http://127.0.0.1:${nginx.port}/" }, ] }`,
    );
    const bad = service(['health', '--json'], path.join(dir, 'ws'));
    assert.equal(await bad.done, 1);
    const report = JSON.parse(bad.out[0]);
    assert.deepEqual(report.summary, { total: 2, healthy: 1, degraded: 0, unhealthy: 1, unknown: 0 });
    assert.equal(report.checks[0].error, `Connection refused: nothing is listening on 127.0.0.1:${down.port}`);
    const none = service(['health'], '/');
    assert.equal(await none.done, 2);
    assert.match(none.err.join('\n'), /no health checks: pass --config FILE/);
  });
});
