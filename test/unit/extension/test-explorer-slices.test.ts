import { strict as assert } from 'node:assert';
import { eachInSlices, SLICE_MS, Slicer } from '../../../src/extension/testing/slices';

/** A clock the test moves by hand: each item "costs" `step` ms. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Test Explorer slices (long item building in bounded slices of time)', () => {
  it('keeps the order, does every item, and breaks whenever a slice is used up (bounded by the slice length)', async () => {
    const clock = fakeClock();
    const events: string[] = [];
    const slicer = new Slicer({ sliceMs: 10, now: clock.now, pause: async () => void events.push('break') });
    const items = Array.from({ length: 10 }, (_, i) => i);
    const done = await eachInSlices(items, (n, i) => {
      assert.equal(n, i);
      events.push(String(n));
      clock.advance(4); // 4 ms an item: a 10 ms slice holds 3 items (12 ms ≥ 10 → break)
    }, slicer, { beforePause: () => events.push('flush') });
    assert.equal(done, 10);
    assert.deepEqual(events, ['0', '1', '2', 'flush', 'break', '3', '4', '5', 'flush', 'break', '6', '7', '8', 'flush', 'break', '9']);
    assert.equal(slicer.breaks, 3);
  });

  it('does at least one item per slice, even when one item is longer than a slice, and no break after the last', async () => {
    const clock = fakeClock();
    let breaks = 0;
    const slicer = new Slicer({ sliceMs: 5, now: clock.now, pause: async () => void breaks++ });
    const seen: number[] = [];
    const done = await eachInSlices([1, 2, 3], (n) => {
      seen.push(n);
      clock.advance(50);
    }, slicer);
    assert.equal(done, 3);
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(breaks, 2);
  });

  it('stops before the next item once cancelled (also during a break), and says how many were done', async () => {
    const clock = fakeClock();
    let cancel = false;
    const slicer = new Slicer({ sliceMs: 10, now: clock.now, pause: async () => void (cancel = true) });
    const seen: number[] = [];
    const done = await eachInSlices([0, 1, 2, 3, 4, 5], (n) => {
      seen.push(n);
      clock.advance(6);
    }, slicer, { cancelled: () => cancel });
    assert.equal(done, 2);
    assert.deepEqual(seen, [0, 1]);
    assert.equal(await eachInSlices([1, 2], () => assert.fail('not called'), new Slicer(), { cancelled: () => true }), 0);
  });

  it('a slice is shared across jobs: maybePause breaks only when the slice is used up, then starts a new one', async () => {
    const clock = fakeClock();
    let breaks = 0;
    const slicer = new Slicer({ sliceMs: 10, now: clock.now, pause: async () => void breaks++ });
    await slicer.maybePause();
    assert.equal(breaks, 0);
    clock.advance(10);
    assert.equal(slicer.due(), true);
    await slicer.maybePause();
    assert.equal(breaks, 1);
    assert.equal(slicer.due(), false);
  });

  it('the default break is a real setImmediate (timers and I/O get their turn) and the default slice is short', async () => {
    assert.ok(SLICE_MS > 0 && SLICE_MS <= 20);
    const order: string[] = [];
    const slicer = new Slicer({ sliceMs: 0 });
    setImmediate(() => order.push('other work'));
    const done = await eachInSlices(['a', 'b'], (s) => order.push(s), slicer);
    assert.equal(done, 2);
    assert.deepEqual(order, ['a', 'other work', 'b']);
  });
});
