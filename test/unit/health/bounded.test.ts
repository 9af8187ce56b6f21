import { strict as assert } from 'node:assert';
import { runCheck, type HealthCheckConfig, type HealthResult } from '../../../src/core/health/checks';
import { cycleBoundMs, HealthScheduler } from '../../../src/core/health/scheduler';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { holdServer, type HoldServer } from '../../support/holdServer';
import { sleep } from '../../support/servers';

describe('health: a cycle is bounded (concurrency, per-check deadline)', function () {
  this.timeout(15_000);
  let hold: HoldServer;
  const pool = new ConnectionPool();
  beforeEach(async () => (hold = await holdServer()));
  afterEach(() => hold.close());
  after(() => pool.dispose());

  it('40 checks against a peer that accepts and never answers: every result arrives, at most `concurrency` run at once', async () => {
    let running = 0;
    let peak = 0;
    const s = new HealthScheduler({
      pool,
      concurrency: 8,
      run: async (cfg, deps, signal) => {
        running++;
        peak = Math.max(peak, running);
        try {
          return await runCheck(cfg, deps, signal);
        } finally {
          running--;
        }
      },
    });
    const checks: HealthCheckConfig[] = Array.from({ length: 40 }, (_, i) => ({
      name: `c${i}`,
      target: i % 2 ? `http://127.0.0.1:${hold.port}/c${i}` : `tls://127.0.0.1:${hold.port}`,
      timeoutMs: 200,
    }));
    s.setChecks(checks);
    const statuses = await s.runAll();
    assert.equal(statuses.length, 40);
    assert.equal(peak, 8, 'never more than 8 checks at once, and the limit is used');
    assert.equal(hold.accepted, 40, 'each check connected once');
    for (const st of statuses) {
      assert.equal(st.state, 'unhealthy', st.config.name);
      assert.match(st.last!.error!, st.config.target.startsWith('tls') ? /^no answer within 200 ms \(TLS handshake\)$/ : /^Timed out after 200 ms during /);
    }
    assert.deepEqual(s.summary(), { total: 40, healthy: 0, degraded: 0, unhealthy: 40, unknown: 0 });
    // The stated bound for this cycle: ceil(40 / 8) × (200 ms + 1 s).
    assert.equal(cycleBoundMs(checks, 8), 5 * 1200);
    s.dispose();
  });

  it('a run that outlives its timeout + grace is stopped (its socket closed), recorded as timed out, and not waited for', async () => {
    const signals: AbortSignal[] = [];
    let late = 0;
    const s = new HealthScheduler({
      pool,
      concurrency: 2,
      graceMs: 100,
      run: async (cfg, deps, signal) => {
        signals.push(signal!);
        if (cfg.name === 'deaf') {
          // Ignores the signal and never settles until much later: the scheduler must not wait for it.
          await sleep(3000);
          late++;
          return { state: 'healthy', latencyMs: 1, at: Date.now(), summary: 'late' } satisfies HealthResult;
        }
        // An engine with a much longer timeout of its own: only the scheduler's deadline stops it.
        return runCheck({ ...cfg, timeoutMs: 60_000 }, deps, signal);
      },
    });
    s.setChecks([
      { name: 'deaf', target: 'tcp://127.0.0.1:1', timeoutMs: 100 },
      ...[1, 2, 3].map((i) => ({ name: `held${i}`, target: `http://127.0.0.1:${hold.port}/${i}`, timeoutMs: 100 })),
    ]);
    await s.runAll();
    assert.equal(late, 0, 'the cycle ended before the deaf run did');
    assert.equal(signals.length, 4);
    assert.ok(signals.every((x) => x.aborted), 'every run was told to stop');
    for (const st of s.statuses()) {
      assert.equal(st.state, 'unhealthy');
      assert.equal(st.last!.summary, 'timed out');
      assert.equal(st.last!.error, 'timed out: no result within 200 ms (its timeout of 100 ms plus 100 ms), so the check was stopped');
    }
    assert.equal(hold.accepted, 3);
    for (let i = 0; i < 40 && hold.open > 0; i++) await sleep(25);
    assert.equal(hold.open, 0, 'stopping a check closed its connection');
    s.dispose();
  });

  it('dispose stops the runs under way: their connections close and waiting callers get no result', async () => {
    const s = new HealthScheduler({ pool, concurrency: 4 });
    s.setChecks([1, 2, 3].map((i) => ({ name: `h${i}`, target: `http://127.0.0.1:${hold.port}/${i}`, timeoutMs: 60_000 })));
    const all = s.runAll();
    for (let i = 0; i < 80 && hold.accepted < 3; i++) await sleep(25);
    assert.equal(hold.accepted, 3);
    s.dispose();
    const statuses = await all;
    assert.deepEqual(statuses.map((x) => [x.running, x.history.length]), [[false, 0], [false, 0], [false, 0]]);
    for (let i = 0; i < 40 && hold.open > 0; i++) await sleep(25);
    assert.equal(hold.open, 0, 'the held connections were closed');
  });
});
