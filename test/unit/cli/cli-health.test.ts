import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main, type Io } from '../../../src/cli/main';
import { holdServer, type HoldServer } from '../../support/holdServer';
import { tempDir } from '../../support/peers';

/** Runs `netreq health …` once (no --watch) and collects its output. */
async function health(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env: {}, untilStopped: () => new Promise(() => undefined), cwd };
  const code = await main(['health', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('netreq health: config errors, --concurrency, bounded cycle', function () {
  this.timeout(20_000);
  let dir: string;
  let hold: HoldServer;
  const file = (name: string, v: unknown) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
    return p;
  };

  before(() => (dir = tempDir('cli-health')));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => (hold = await holdServer()));
  afterEach(() => hold.close());

  it('two checks named "api": exit 2 naming both (before: the earlier was dropped and it said "1/1 healthy")', async () => {
    const cfg = file('dup.json', [
      { name: 'api', target: 'tcp://127.0.0.1:1' },
      { name: 'api', target: `tcp://127.0.0.1:${hold.port}` },
    ]);
    const r = await health(['--config', cfg]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '', 'nothing was checked');
    assert.equal(r.err, `netreq: health config: check "api" (#2): has the same name as check #1: give each check its own name\nnetreq: 1 problem in ${cfg}; nothing was checked`);
    assert.equal(hold.accepted, 0);
  });

  it('wrong types, bad numbers and unknown schemes: exit 2 with each check and field named; unknown fields warn', async () => {
    const cfg = file(
      'bad.json',
      `{ // a settings file
        "netreq.health.checks": [
          { "name": "tls", "target": "tls://127.0.0.1:${hold.port}", "insecure": "false", "timeoutt": 5 },
          { "name": "slow", "target": "tcp://127.0.0.1:${hold.port}", "timeoutMs": 3000000000 },
          { "name": "old", "target": "gopher://127.0.0.1:70" },
        ],
        "netreq.health.concurrency": 0 }`,
    );
    const r = await health(['--config', cfg]);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      [
        'netreq: warning: health config: check "tls" (#1): field "timeoutt" is not a known field (ignored): did you mean "timeoutMs"?',
        'netreq: health config: check "tls" (#1): field "insecure" must be true or false, got the string "false"',
        'netreq: health config: check "slow" (#2): field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got 3000000000',
        'netreq: health config: check "old" (#3): field "target" is not usable: Unknown check kind "gopher://": use tcp, http, https, tls, dns, udp, ws or wss',
        'netreq: health config: "netreq.health.concurrency" must be a whole number from 1 to 256, got 0',
        `netreq: 4 problems in ${cfg}; nothing was checked`,
      ].join('\n'),
    );
    assert.equal(hold.accepted, 0, 'no check ran');
  });

  it('an unknown field alone is a warning: the checks still run', async () => {
    const r = await health(['--config', file('warn.json', [{ name: 'up', target: `tcp://127.0.0.1:${hold.port}`, colour: 'red' }])]);
    assert.equal(r.code, 0);
    assert.match(r.err, /^netreq: warning: health config: check "up" \(#1\): field "colour" is not a known field \(ignored\); known fields: name, target, /);
    assert.match(r.out, /1\/1 healthy \(100%\)$/);
  });

  it('--concurrency takes a whole number 1-256, said in words, exit 2', async () => {
    const cfg = file('one.json', [{ name: 'up', target: `tcp://127.0.0.1:${hold.port}` }]);
    for (const v of ['0', '257', '1.5', 'many', '-3']) {
      const r = await health(['--config', cfg, '--concurrency', v]);
      assert.equal(r.code, 2, v);
      assert.equal(r.err, `netreq: --concurrency takes a whole number 1–256, not '${v}'`);
    }
    assert.equal(hold.accepted, 0);
  });

  it('12 checks that never answer at --concurrency 3: all 12 results arrive as timeouts, never all at once', async () => {
    const checks = Array.from({ length: 12 }, (_, i) => ({ name: `hang${i}`, target: `http://127.0.0.1:${hold.port}/${i}`, timeoutMs: 150 }));
    const r = await health(['--config', file('hang.json', checks), '--concurrency', '3']);
    assert.equal(r.code, 1);
    const rows = r.out.split('\n').filter((l) => l.startsWith('hang'));
    assert.equal(rows.length, 12);
    for (const row of rows) assert.match(row, /unhealthy .*Timed out after 150 ms during /);
    assert.match(r.out, /0\/12 healthy \(0%\)$/);
    assert.equal(hold.accepted, 12);
    // The client closes a timed-out connection before it opens the next, but the server may see the next
    // connect before that close: at most one extra per slot. Without the limit all 12 would be open at once.
    assert.ok(hold.peak >= 3 && hold.peak <= 6, `peak ${hold.peak}`);
  });

  it('says how long a round can take when that is over a minute, and what --concurrency 256 would make it', async () => {
    const refused = Array.from({ length: 20 }, (_, i) => ({ name: `r${i}`, target: 'tcp://127.0.0.1:1', timeoutMs: 99_000 }));
    const r = await health(['--config', file('long.json', refused), '--concurrency', '2']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'netreq: note: 20 checks, 2 at a time: a round can take up to 1000 s when none answer; --concurrency 256 would make it 100 s');
    assert.match(r.out, /0\/20 healthy/);
    const quick = await health(['--config', file('quick.json', refused.map((c) => ({ ...c, timeoutMs: 1000 })))]);
    assert.equal(quick.err, '', 'no note when a round is bounded by a minute or less');
  });

  it('netreq.health.concurrency in the settings file applies when there is no flag; the flag wins', async () => {
    const checks = () => Array.from({ length: 6 }, (_, i) => ({ name: `h${i}`, target: `http://127.0.0.1:${hold.port}/${i}`, timeoutMs: 100 }));
    const cfg = file('settings.json', { 'netreq.health.checks': checks(), 'netreq.health.concurrency': 1 });
    assert.equal((await health(['--config', cfg])).code, 1);
    assert.equal(hold.accepted, 6);
    assert.ok(hold.peak <= 2, `peak ${hold.peak} at concurrency 1`);
    await hold.close();
    hold = await holdServer();
    const cfg2 = file('settings2.json', { 'netreq.health.checks': checks(), 'netreq.health.concurrency': 1 });
    assert.equal((await health(['--config', cfg2, '--concurrency', '6'])).code, 1);
    assert.equal(hold.peak, 6, 'all six at once with --concurrency 6');
  });
});
