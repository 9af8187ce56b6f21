import { strict as assert } from 'node:assert';
import { armDeadline, Cancelled, TimedOut } from '../../../src/core/transport/deadline';
import { Operation } from '../../../src/core/transport/operation';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadline: one timeout and cancel for an operation', () => {
  it('aborts with TimedOut once the deadline passes', async () => {
    const op = new Operation();
    const release = armDeadline(op, 10);
    const reason = await op.race(new Promise(() => undefined)).catch((e: unknown) => e);
    release();
    assert.ok(reason instanceof TimedOut);
    assert.equal(reason.timeoutMs, 10);
    assert.equal(op.reason, reason);
  });

  it('aborts with Cancelled when the signal fires, and at once when it already had', () => {
    const ac = new AbortController();
    const op = new Operation();
    const release = armDeadline(op, 60_000, ac.signal);
    assert.equal(op.aborted, false);
    ac.abort();
    assert.ok(op.reason instanceof Cancelled);
    release();

    const early = new Operation();
    armDeadline(early, undefined, AbortSignal.abort())();
    assert.ok(early.reason instanceof Cancelled);
  });

  it('after release neither the timer nor the signal aborts the operation', async () => {
    const ac = new AbortController();
    const op = new Operation();
    armDeadline(op, 5, ac.signal)();
    ac.abort();
    await sleep(20);
    assert.equal(op.aborted, false);
  });

  it('without a timeout only the signal counts; the first reason stays', async () => {
    const ac = new AbortController();
    const op = new Operation();
    const release = armDeadline(op, undefined, ac.signal);
    await sleep(5);
    assert.equal(op.aborted, false);
    op.abort(new TimedOut(1));
    ac.abort();
    assert.ok(op.reason instanceof TimedOut);
    release();
  });
});
