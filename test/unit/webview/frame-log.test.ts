// The WebSocket frame log on the host: batching, capping, snapshots, data limits.
import { strict as assert } from 'node:assert';
import { FrameLog, type Scheduler } from '../../../src/extension/panels/wsFrameLog';
import { logFrame, logFrames, sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import type { WsLogFrame } from '../../../src/shared/messages';
import { hostileWsExchange, wsExchange, wsFrame } from './socketFixtures';
import { XSS_SCRIPT } from './fixtures';

/** A scheduler the test runs by hand. */
function manualScheduler() {
  const timers: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  const scheduler: Scheduler = {
    set: (fn, ms) => {
      const t = { fn, ms, live: true };
      timers.push(t);
      return t;
    },
    clear: (h) => {
      (h as { live: boolean }).live = false;
    },
  };
  const live = () => timers.filter((t) => t.live);
  const fire = () => {
    for (const t of live()) {
      t.live = false;
      t.fn();
    }
  };
  return { scheduler, live, fire };
}

function setup(opts: { cap?: number; frameDataLimit?: number; messageBudget?: number } = {}) {
  const clock = manualScheduler();
  const batches: Array<{ frames: WsLogFrame[]; total: number }> = [];
  const log = new FrameLog((frames, total) => batches.push({ frames, total }), { intervalMs: 50, scheduler: clock.scheduler, ...opts });
  return { clock, batches, log };
}

describe('WebSocket frame log (host)', () => {
  it('coalesces frames into one batch per interval, numbered in order', () => {
    const { clock, batches, log } = setup();
    for (let i = 0; i < 500; i++) log.push(wsFrame('received', 'text', `m${i}`, i));
    assert.equal(clock.live().length, 1, 'one timer for the whole burst');
    assert.equal(clock.live()[0].ms, 50);
    assert.equal(batches.length, 0, 'nothing posted before the interval');
    clock.fire();
    assert.equal(batches.length, 1);
    assert.equal(batches[0].frames.length, 500);
    assert.equal(batches[0].total, 500);
    assert.deepEqual(
      batches[0].frames.slice(0, 2).map((f) => [f.seq, f.dir, f.opcode, Buffer.from(f.data.base64, 'base64').toString()]),
      [
        [1, 'received', 'text', 'm0'],
        [2, 'received', 'text', 'm1'],
      ],
    );
    log.push(wsFrame('sent', 'binary', Buffer.from([1, 2])));
    clock.fire();
    assert.equal(batches.length, 2);
    assert.deepEqual(
      batches[1].frames.map((f) => f.seq),
      [501],
    );
    assert.equal(log.batches, 2);
  });

  it('keeps the newest `cap` frames and counts the dropped ones; a batch never exceeds the cap', () => {
    const { clock, batches, log } = setup({ cap: 100 });
    for (let i = 1; i <= 1000; i++) log.push(wsFrame('received', 'text', String(i)));
    assert.equal(log.total, 1000);
    assert.equal(log.size, 100);
    assert.equal(log.dropped, 900);
    clock.fire();
    assert.equal(batches[0].frames.length, 100);
    assert.equal(batches[0].frames[0].seq, 901);
    assert.equal(batches[0].total, 1000);
    assert.equal(log.find(900), undefined, 'dropped');
    assert.equal(log.find(901)!.data.toString(), '901');
    assert.equal(log.find(1000)!.data.toString(), '1000');
    assert.equal(log.find(1001), undefined);
  });

  it('flushes on demand (before a state update) and cancels the pending timer', () => {
    const { clock, batches, log } = setup();
    log.push(wsFrame('received', 'close', 'bye', 1, 4001));
    log.flush();
    assert.equal(batches.length, 1);
    assert.equal(clock.live().length, 0);
    log.flush();
    assert.equal(batches.length, 1, 'nothing pending, nothing posted');
  });

  it('a snapshot carries the kept frames and takes the pending ones with it', () => {
    const { clock, batches, log } = setup({ cap: 3 });
    for (let i = 1; i <= 5; i++) log.push(wsFrame('received', 'text', String(i)));
    const snap = log.snapshot();
    assert.deepEqual(
      snap.frames.map((f) => f.seq),
      [3, 4, 5],
    );
    assert.equal(snap.total, 5);
    clock.fire();
    assert.equal(batches.length, 0, 'the snapshot already had them');
    log.dispose();
    log.push(wsFrame('received', 'text', 'late'));
    assert.equal(clock.live().length, 0, 'disposed: no timer');
  });

  it('caps each frame’s data and the bytes of one message, newest frames first', () => {
    const { clock, batches, log } = setup({ frameDataLimit: 4, messageBudget: 6 });
    log.push(wsFrame('received', 'binary', Buffer.alloc(10, 1)));
    log.push(wsFrame('received', 'binary', Buffer.alloc(10, 2)));
    log.push(wsFrame('received', 'binary', Buffer.alloc(10, 3)));
    clock.fire();
    assert.deepEqual(
      batches[0].frames.map((f) => [f.seq, f.data.length, f.data.totalLength]),
      [
        [1, 0, 10],
        [2, 2, 10],
        [3, 4, 10],
      ],
    );
  });

  it('describes close frames in words (the reason stays data)', () => {
    const f = logFrame(7, wsFrame('received', 'close', XSS_SCRIPT, 3, 4001), 100);
    assert.equal(f.closeCode, 4001);
    assert.equal(f.closeWords, `4001 application-defined: ${XSS_SCRIPT}`);
    assert.equal(logFrame(1, wsFrame('sent', 'close', '', 1, 1000), 10).closeWords, '1000 normal closure');
    assert.equal(logFrames([], 1, 1).length, 0);
  });

  it('session info: everything but the frames, close in words, elapsed time, plain JSON', () => {
    const x = wsExchange();
    x.frames.push(wsFrame('sent', 'text', 'hi'));
    const open = sessionInfo({ title: 'T', exchange: x, script: { total: 2, sent: 1, running: true }, logCap: 10, frameDataLimit: 100, now: x.startedAt + 1234 });
    assert.equal(open.elapsedMs, 1234);
    assert.equal(open.closeWords, undefined);
    assert.ok(!('frames' in open.exchange));
    assert.deepEqual(JSON.parse(JSON.stringify(open)), open);
    const closed = sessionInfo({ title: 'T', exchange: hostileWsExchange(), script: { total: 0, sent: 0, running: false }, logCap: 10, frameDataLimit: 3, now: 0 });
    assert.equal(closed.closeWords, `4001 application-defined: ${XSS_SCRIPT}`);
    assert.equal(closed.exchange.handshake.responseBody!.length, 3, 'a refused upgrade’s body is capped');
    assert.equal(closed.exchange.handshake.responseBody!.totalLength, XSS_SCRIPT.length);
  });
});
