// The benchmark's deadlines: a step that never finishes becomes a TIMEOUT figure, and a UDP loop whose peer
// stops answering stops with its lost count instead of waiting 500 ms per datagram for the rest.
import { strict as assert } from 'node:assert';
import { failedRow, rowsWithin, StepTimeout, withDeadline } from '../../../bench/deadline';
import { udpLoop } from '../../../bench/sockets';

describe('bench deadlines', () => {
  it('a step that never settles rejects with StepTimeout at its deadline and runs its hooks', async () => {
    let stopped = 0;
    const t0 = Date.now();
    await assert.rejects(
      withDeadline('start a peer that never answers', 50, (step) => {
        step.atTimeout(() => stopped++);
        return new Promise<never>(() => undefined);
      }),
      (e: unknown) => e instanceof StepTimeout && e.message === 'start a peer that never answers: no result within 50 ms',
    );
    assert.equal(stopped, 1);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('a group past its deadline is one TIMEOUT row naming the step; a failure is an ERROR row', async () => {
    const rows = await rowsWithin('UDP round trips', 30, () => new Promise(() => undefined));
    assert.deepEqual(rows, [{ what: 'UDP round trips', netreq: 'timed out: UDP round trips: no result within 30 ms', peer: '—', ratio: '—', target: '—', verdict: 'TIMEOUT' }]);
    assert.equal(failedRow('TCP bulk', new Error('socat client failed:\n  oops')).netreq, 'failed: socat client failed: oops');
    assert.equal(failedRow('TCP bulk', new Error('x')).verdict, 'ERROR');
  });

  it('the UDP loop stops after 20 lost in a row, with the figures so far', async () => {
    let calls = 0;
    const r = await udpLoop({ signal: new AbortController().signal, atTimeout: () => undefined }, async (i) => {
      calls++;
      return i < 5; // the peer answers 5 times, then never again
    });
    assert.equal(calls, 25);
    assert.deepEqual([r.done, r.lost, r.stopped], [25, 20, '20 lost in a row (the echo peer stopped answering)']);
  });

  it('the UDP loop stops at its deadline (the signal), not after 2,000 round trips', async () => {
    const ac = new AbortController();
    let calls = 0;
    const r = await udpLoop({ signal: ac.signal, atTimeout: () => undefined }, async () => {
      if (++calls === 10) ac.abort();
      return calls % 2 === 0;
    });
    assert.equal(r.done, 10);
    assert.equal(r.lost, 5);
    assert.match(r.stopped!, /^its 60 s deadline passed$/);
  });
});
