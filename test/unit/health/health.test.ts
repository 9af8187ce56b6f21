import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { parseTarget, runCheck, type HealthCheckConfig, type HealthResult } from '../../../src/core/health/checks';
import { HealthScheduler, historyBars } from '../../../src/core/health/scheduler';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { makeCaSigned, startOpensslServer, startSocat, tempDir, type Peer } from '../../support/peers';
import { rawServer, sleep } from '../../support/servers';
import { startWsServer } from '../../support/ws';

function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('health checks against loopback peers', function () {
  this.timeout(30_000);
  const pool = new ConnectionPool();
  const deps = { pool };
  after(() => pool.dispose());
  const check = (target: string, extra: Partial<HealthCheckConfig> = {}) => runCheck({ name: target, target, timeoutMs: 1000, ...extra }, deps);

  it('tcp: healthy while a server listens, unhealthy in words when it is gone', async () => {
    const srv = await rawServer(() => undefined);
    const up = await check(`tcp://127.0.0.1:${srv.port}`);
    assert.equal(up.state, 'healthy');
    assert.match(up.summary, /^connected in /);
    await srv.close();
    const down = await check(`tcp://127.0.0.1:${srv.port}`);
    assert.equal(down.state, 'unhealthy');
    assert.equal(down.error, `Connection refused: nothing is listening on 127.0.0.1:${srv.port}`);
  });

  it('http: status expectations, body text, and a server that never answers (timeout in words)', async () => {
    const srv = await rawServer((s, req) => {
      const path = req.toString().split(' ')[1];
      if (path === '/hang') return;
      const status = path === '/500' ? '500 Internal Server Error' : '200 OK';
      s.write(`HTTP/1.1 ${status}\r\nContent-Length: 11\r\n\r\nall is fine`);
    });
    try {
      assert.equal((await check(`http://127.0.0.1:${srv.port}/`)).state, 'healthy');
      const bad = await check(`http://127.0.0.1:${srv.port}/500`);
      assert.equal(bad.state, 'unhealthy');
      assert.equal(bad.error, 'status 500 Internal Server Error (expected 2xx or 3xx)');
      assert.equal((await check(`http://127.0.0.1:${srv.port}/500`, { expect: { status: ['5xx'] } })).state, 'healthy');
      const text = await check(`http://127.0.0.1:${srv.port}/`, { expect: { bodyContains: 'on fire' } });
      assert.equal(text.error, 'the body does not contain "on fire"');
      const hang = await check(`http://127.0.0.1:${srv.port}/hang`, { timeoutMs: 300 });
      assert.equal(hang.state, 'unhealthy');
      assert.match(hang.error!, /^Timed out after 300 ms during waiting for the response \(request sent\): the request was sent but 127\.0\.0\.1:\d+ sent nothing back$/);
      const slow = await check(`http://127.0.0.1:${srv.port}/`, { slowMs: 0 });
      assert.equal(slow.state, 'degraded');
      assert.match(slow.error!, /^slow: /);
    } finally {
      await srv.close();
    }
  });

  it('tls: degraded when the certificate expires within warnDays (5 days left), unhealthy when expired', async () => {
    const dir = tempDir('health-tls');
    const day = 86_400_000;
    const soon = makeCaSigned(dir, { name: 'soon', cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1', start: asn1Time(new Date(Date.now() - day)), end: asn1Time(new Date(Date.now() + 5 * day + 3600_000)) });
    const old = makeCaSigned(dir, { name: 'old', cn: 'localhost', san: 'DNS:localhost', start: asn1Time(new Date(Date.now() - 10 * day)), end: asn1Time(new Date(Date.now() - day)) });
    const peers: Peer[] = [await startOpensslServer(soon), await startOpensslServer(old)];
    try {
      const r = await check(`tls://127.0.0.1:${peers[0].port}`, { insecure: true });
      assert.equal(r.state, 'degraded');
      assert.match(r.error!, /^certificate expires in 5 days \(on \d{4}-\d{2}-\d{2}; warning at 14\)$/);
      assert.equal(r.details?.daysLeft, 5);
      const e = await check(`tls://127.0.0.1:${peers[1].port}`, { insecure: true });
      assert.equal(e.state, 'unhealthy');
      assert.match(e.error!, /^certificate expired on /);
      const untrusted = await check(`tls://127.0.0.1:${peers[0].port}`, { warnDays: 1 });
      assert.equal(untrusted.state, 'unhealthy');
      assert.match(untrusted.error!, /certificate not trusted/);
    } finally {
      for (const p of peers) await p.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dns: localhost resolves (addresses listed); an expected address that is missing is unhealthy', async () => {
    const r = await check('dns://localhost');
    assert.equal(r.state, 'healthy');
    assert.ok((r.details!.addresses as string[]).some((a) => a === '127.0.0.1' || a === '::1'));
    const wrong = await check('dns://localhost', { expect: { address: '192.0.2.1' } });
    assert.equal(wrong.state, 'unhealthy');
    assert.match(wrong.error!, /^localhost resolved to .*, not 192\.0\.2\.1$/);
  });

  it('udp: a socat echo answers with the expected reply; a closed port says nobody listens', async () => {
    const echo = await startSocat('udp', 'EXEC:cat');
    try {
      const r = await check(`udp://127.0.0.1:${echo.port}`, { expect: { payload: 'are you up', reply: 'up' } });
      assert.equal(r.state, 'healthy', r.error);
    } finally {
      await echo.stop();
    }
    const port = await closedPort();
    const down = await check(`udp://127.0.0.1:${port}`);
    assert.equal(down.state, 'unhealthy');
    assert.match(down.error!, /No one is listening/);
  });

  it('ws: the handshake succeeds; a non-WebSocket server fails it', async () => {
    const ws = await startWsServer();
    const http = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    try {
      assert.equal((await check(`ws://127.0.0.1:${ws.port}/`)).state, 'healthy');
      const bad = await check(`ws://127.0.0.1:${http.port}/`);
      assert.equal(bad.state, 'unhealthy');
      assert.match(bad.error!, /WebSocket handshake failed: the server answered 200 OK/);
    } finally {
      await ws.close();
      await http.close();
    }
  });

  it('explains bad targets', () => {
    assert.throws(() => parseTarget('127.0.0.1:80'), /has no scheme/);
    assert.throws(() => parseTarget('tcp://host'), /needs host:port/);
    assert.throws(() => parseTarget('gopher://x'), /Unknown check kind "gopher:\/\/"/);
    assert.throws(() => parseTarget('tcp://h:70000'), /out of range/);
  });
});

describe('HealthScheduler', function () {
  this.timeout(20_000);
  const result = (state: HealthResult['state'], latencyMs = 1): HealthResult => ({ state, latencyMs, at: Date.now(), summary: state });

  it('runs at most `concurrency` checks at once and each check never overlaps itself', async () => {
    let running = 0;
    let peak = 0;
    const perCheck = new Map<string, number>();
    let overlap = false;
    const s = new HealthScheduler({
      pool: new ConnectionPool(),
      concurrency: 3,
      run: async (cfg) => {
        running++;
        peak = Math.max(peak, running);
        perCheck.set(cfg.name, (perCheck.get(cfg.name) ?? 0) + 1);
        if (perCheck.get(cfg.name)! > 1) overlap = true;
        await sleep(30);
        perCheck.set(cfg.name, perCheck.get(cfg.name)! - 1);
        running--;
        return result('healthy');
      },
    });
    s.setChecks(Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, target: 'tcp://127.0.0.1:1' })));
    await Promise.all([s.runAll(), s.runAll(), s.runNow('c1')]);
    assert.equal(peak, 3);
    assert.equal(overlap, false);
    assert.deepEqual(s.summary(), { total: 10, healthy: 10, degraded: 0, unhealthy: 0, unknown: 0 });
    s.dispose();
  });

  it('emits state changes, keeps the last 50 results, pauses and resumes its timers', async () => {
    const states: string[] = [];
    let next: HealthResult['state'] = 'healthy';
    let runs = 0;
    const s = new HealthScheduler({
      pool: new ConnectionPool(),
      random: () => 0,
      minIntervalMs: 10,
      run: async () => {
        runs++;
        return result(next);
      },
    });
    s.on('state-change', (c, before) => states.push(`${before}→${c.state}`));
    s.setChecks([{ name: 'a', target: 'tcp://127.0.0.1:1', intervalSeconds: 0.05 }]);
    for (let i = 0; i < 55; i++) await s.runNow('a');
    next = 'unhealthy';
    await s.runNow('a');
    assert.deepEqual(states, ['unknown→healthy', 'healthy→unhealthy']);
    assert.equal(s.get('a')!.history.length, 50);
    s.start();
    await sleep(300);
    const during = runs;
    assert.ok(during > 56, 'the interval timer ran the check');
    s.pause();
    await sleep(200);
    assert.ok(runs <= during + 1, 'no runs while paused');
    s.resume();
    await sleep(200);
    assert.ok(runs > during + 1, 'runs again after resume');
    s.dispose();
  });

  it('history bars and uptime', () => {
    const h = [result('healthy', 10), result('healthy', 80), result('unhealthy'), result('degraded', 40)];
    assert.deepEqual(historyBars(h), { bars: '▁█✕▄', uptimePct: 75 });
  });
});
