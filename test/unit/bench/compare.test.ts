// The bench's refactor check: before/after cells and verdicts, and a baseline that cannot be had says why in words
// (the bench goes on) instead of throwing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baselineModule, baselineRev, prepareBaseline } from '../../../bench/baseline';
import { BeforeRuns, compare, inTurn, noBefore } from '../../../bench/compare';

describe('bench refactor check', () => {
  const env = process.env.NETREQ_BENCH_BASELINE;
  afterEach(() => {
    if (env === undefined) delete process.env.NETREQ_BENCH_BASELINE;
    else process.env.NETREQ_BENCH_BASELINE = env;
  });

  it('paired rounds: the verdict goes by the median of the per-round ratios, printed with their range', () => {
    const c = compare({ rounds: [100, 200, 300], unit: 'req/s' }, { rounds: [110, 190, 330], unit: 'req/s' });
    assert.equal(c.before, '200 req/s (rounds 100, 200, 300)');
    assert.equal(c.after, '190 req/s (rounds 110, 190, 330)');
    // per-round 1.10, 0.95, 1.10 → median 1.10 (the medians alone would say 0.95)
    assert.equal(c.change, 'after ÷ before 1.10× (median of per-round ratios, range 0.95–1.10; of the medians 0.95×)');
    assert.equal(c.verdict, 'better');
  });

  it('lower is better for times: slower is WORSE, within 5 % is unchanged', () => {
    assert.equal(compare({ rounds: [10], unit: 'ms' }, { rounds: [12], unit: 'ms' }, true).verdict, 'WORSE');
    assert.equal(compare({ rounds: [10], unit: 'ms' }, { rounds: [10.4], unit: 'ms' }, true).verdict, 'unchanged (±5 %)');
    assert.equal(compare({ rounds: [10], unit: 'ms' }, { rounds: [8], unit: 'ms' }, true).verdict, 'better');
    assert.equal(compare({ rounds: [10], unit: 'ms', digits: 1 }, { rounds: [8], unit: 'ms', digits: 1 }, true).change, 'after ÷ before 0.80×, lower is better');
  });

  it('many runs are printed as their count and range, not one by one', () => {
    const rounds = Array.from({ length: 20 }, (_, i) => 10 + i);
    assert.equal(compare({ rounds, unit: 'ms', digits: 1 }, { rounds, unit: 'ms', digits: 1 }, true).before, '20.0 ms (20 runs, 10.0–29.0)');
  });

  it('without a baseline a row has no check; a baseline whose modules are missing says so in its cells', async () => {
    assert.equal(new BeforeRuns(undefined, () => ({})).check({ rounds: [], unit: 'x' }, { rounds: [1], unit: 'x' }), undefined);
    const missing = new BeforeRuns({ rev: 'abc' }, () => {
      throw new Error('src/core/http/client.ts does not exist in abc');
    });
    assert.equal(await missing.run(async () => 1), undefined);
    assert.deepEqual(missing.check({ rounds: [], unit: 'req/s' }, { rounds: [5], unit: 'req/s' }), noBefore('src/core/http/client.ts does not exist in abc', '5 req/s'));
    assert.equal(missing.check({ rounds: [], unit: 'req/s' }, { rounds: [5], unit: 'req/s' })?.verdict, 'NO BASELINE');
  });

  it("a baseline round that fails ends the baseline's later rounds and is its reason", async () => {
    const b = new BeforeRuns({ rev: 'abc' }, () => ({ n: 1 }));
    assert.equal(await b.run(async (m) => m.n), 1);
    assert.equal(
      await b.run(async () => {
        throw new Error('socket hang up');
      }),
      undefined,
    );
    let ran = false;
    await b.run(async () => (ran = true));
    assert.equal(ran, false);
    assert.equal(b.check({ rounds: [1], unit: 'x' }, { rounds: [1], unit: 'x' })?.before, 'not measured: its run failed: socket hang up');
  });

  it('rounds alternate: the baseline runs first in every other round', async () => {
    const order: string[] = [];
    for (let r = 0; r < 3; r++) await inTurn(r, async () => order.push('after'), async () => order.push('before'));
    assert.deepEqual(order, ['after', 'before', 'before', 'after', 'after', 'before']);
  });

  it('NETREQ_BENCH_BASELINE: 733430a by default, none turns the check off', () => {
    delete process.env.NETREQ_BENCH_BASELINE;
    assert.equal(baselineRev(), '733430a');
    process.env.NETREQ_BENCH_BASELINE = 'none';
    assert.equal(baselineRev(), undefined);
    process.env.NETREQ_BENCH_BASELINE = ' HEAD~3 ';
    assert.equal(baselineRev(), 'HEAD~3');
  });

  it('a revision git does not know is a sentence, not a throw', () => {
    const b = prepareBaseline('no-such-revision-0123');
    assert.equal(b.out, undefined);
    assert.match(b.error!, /^git does not know no-such-revision-0123 in this checkout \(a shallow clone\?/);
  });

  it("a module the baseline lacks is named in words; one it has is loaded from the baseline's tree", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
    try {
      fs.mkdirSync(path.join(out, 'src', 'core'), { recursive: true });
      fs.writeFileSync(path.join(out, 'src', 'core', 'thing.js'), 'exports.answer = 42;');
      const b = { rev: 'abc', out };
      assert.equal(baselineModule<{ answer: number }>(b, 'src/core/thing.js').answer, 42);
      assert.throws(() => baselineModule(b, 'src/core/http/client.js'), { message: 'src/core/http/client.ts does not exist in abc' });
      assert.throws(() => baselineModule({ rev: 'abc', error: 'tsc of abc failed: x' }, 'src/core/thing.js'), { message: 'tsc of abc failed: x' });
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
