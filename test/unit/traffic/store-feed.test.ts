// The traffic model: the capped store (rows let go of and counted, never traffic) and the feed that
// batches it for the webview on a clock (fake here), pausing and resuming.
import { strict as assert } from 'node:assert';
import type { Flow } from '../../../src/core/proxy/server';
import { isHostToTraffic, type HostToTraffic, type TrafficBatch, type TrafficSnapshot } from '../../../src/shared/trafficMessages';
import { TrafficFeed } from '../../../src/extension/traffic/trafficFeed';
import { DATAGRAM_PREVIEW_BYTES, flowDetail, TrafficStore } from '../../../src/extension/traffic/trafficStore';
import { fakeDatagram, fakeFlow, FakeTimers } from './fixtures';

describe('traffic store', () => {
  it('records a flow at start and updates it at end; rows carry no bodies', () => {
    const s = new TrafficStore(10);
    const f = fakeFlow();
    const id = s.flowStarted(f, '127.0.0.1:8888');
    let c = s.takeChanges();
    assert.deepEqual(
      c.flows.map((r) => [r.id, r.done, r.status]),
      [[id, false, undefined]],
    );
    Object.assign(f, { done: true, status: 200, bytesDown: 42, durationMs: 3, responseBody: Buffer.from('x'), requestBody: Buffer.alloc(0) });
    s.flowEnded(f, '127.0.0.1:8888');
    c = s.takeChanges();
    assert.deepEqual(
      c.flows.map((r) => [r.id, r.done, r.status, r.bytesDown, r.proxy]),
      [[id, true, 200, 42, '127.0.0.1:8888']],
    );
    assert.ok(!('responseBody' in c.flows[0]) && !('requestHeaders' in c.flows[0]));
    const d = flowDetail(s.flow(id)!);
    assert.equal(Buffer.from(d.responseBody!, 'base64').toString(), 'x');
    assert.deepEqual(d.requestHeaders, [['Host', '127.0.0.1:8080']]);
    assert.deepEqual(s.takeChanges().flows, [], 'nothing pending after a take');
  });

  it('ids are unique across proxy restarts (the engine numbers flows from 1 again)', () => {
    const s = new TrafficStore();
    const a = s.flowStarted(fakeFlow({ id: 1 }), 'p');
    const b = s.flowStarted(fakeFlow({ id: 1 }), 'p');
    assert.notEqual(a, b);
  });

  it('keeps the last N rows of each list, counts the rest, and never reports a dropped row', () => {
    const s = new TrafficStore(3);
    const flows = Array.from({ length: 5 }, () => fakeFlow());
    for (const f of flows) s.flowStarted(f, 'p');
    for (let i = 0; i < 4; i++) s.datagram(fakeDatagram(), 'l');
    assert.deepEqual(s.dropped, { flows: 2, datagrams: 1 });
    assert.deepEqual(s.totals, { flows: 5, datagrams: 4 });
    flows[0].done = true;
    s.flowEnded(flows[0], 'p'); // let go of already: stays gone
    const c = s.takeChanges();
    assert.deepEqual(
      c.flows.map((r) => r.id),
      [3, 4, 5],
    );
    assert.equal(c.datagrams.length, 3);
    assert.deepEqual(c.dropped, { flows: 2, datagrams: 1 });
  });

  it('a flood of 100,000 flows stays fast and bounded (recording never waits on the view)', () => {
    const s = new TrafficStore(1000);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) {
      const f = fakeFlow();
      s.flowStarted(f, 'p');
      f.done = true;
      s.flowEnded(f, 'p');
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.equal(s.flowRows().length, 1000);
    assert.equal(s.dropped.flows, 99_000);
    assert.equal(s.takeChanges().flows.length, 1000);
  });

  it('keeps body previews within a byte budget: the oldest flows let go of theirs, their rows stay', () => {
    const s = new TrafficStore(10, 100);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const f = fakeFlow();
      ids.push(s.flowStarted(f, 'p'));
      Object.assign(f, { done: true, requestBody: Buffer.alloc(10), responseBody: Buffer.alloc(30), bytesUp: 10, bytesDown: 30 });
      s.flowEnded(f, 'p');
    }
    assert.equal(s.heldBodyBytes, 80);
    assert.equal(flowDetail(s.flow(ids[0])!).bodiesDropped, true);
    assert.equal(flowDetail(s.flow(ids[0])!).responseBody, undefined);
    assert.equal(flowDetail(s.flow(ids[1])!).bodiesDropped, true);
    assert.equal(Buffer.from(flowDetail(s.flow(ids[3])!).responseBody!, 'base64').length, 30);
    assert.equal(s.flowRows().length, 4);
    for (let i = 0; i < 20; i++) s.flowStarted(fakeFlow(), 'p'); // trims every flow with a body
    assert.equal(s.heldBodyBytes, 0);
  });

  it('datagram rows carry a preview; the detail carries all of it', () => {
    const s = new TrafficStore();
    const big = Buffer.alloc(1000, 0x41);
    s.datagram(fakeDatagram(big), '239.255.0.1:5000 on 127.0.0.1', { group: '239.255.0.1', port: 5000, interface: '127.0.0.1' });
    const row = s.datagramRows()[0];
    assert.equal(Buffer.from(row.preview, 'base64').length, DATAGRAM_PREVIEW_BYTES);
    assert.equal(row.size, 1000);
    assert.deepEqual(s.datagramById(row.id)?.source, { group: '239.255.0.1', port: 5000, interface: '127.0.0.1' });
  });

  it('setMax trims at once; clear forgets one list and its counts', () => {
    const s = new TrafficStore(10);
    for (let i = 0; i < 10; i++) s.flowStarted(fakeFlow(), 'p');
    s.datagram(fakeDatagram(), 'l');
    assert.equal(s.setMax(4), true);
    assert.equal(s.setMax(4), false);
    assert.equal(s.flowRows().length, 4);
    assert.equal(s.dropped.flows, 6);
    s.clear('flows');
    assert.equal(s.flowRows().length, 0);
    assert.equal(s.dropped.flows, 0);
    assert.equal(s.datagramRows().length, 1);
    assert.equal(new TrafficStore(-5).max, 1000, 'a bad cap falls back to the default');
  });
});

describe('traffic feed (fake clock)', () => {
  function setup(max = 1000) {
    const timers = new FakeTimers();
    const store = new TrafficStore(max);
    const posted: HostToTraffic[] = [];
    const post = (m: HostToTraffic) => {
      assert.ok(isHostToTraffic(JSON.parse(JSON.stringify(m))), `the view's guard accepts what the feed posts: ${JSON.stringify(m).slice(0, 200)}`);
      posted.push(m);
    };
    const feed = new TrafficFeed(store, post, () => [{ kind: 'proxy', label: 'proxy 127.0.0.1:8888' }], { timers });
    const record = (f: Flow) => {
      store.flowStarted(f, 'p');
      feed.notify();
    };
    return { timers, store, posted, feed, record };
  }

  it('sends nothing until the webview is ready; then a snapshot, then one batch per 100 ms', () => {
    const { timers, posted, feed, record } = setup();
    record(fakeFlow());
    timers.advance(500);
    assert.equal(posted.length, 0, 'hidden: nothing posted');
    feed.setVisible(true);
    feed.snapshot();
    assert.equal(posted.length, 1);
    const snap = posted[0] as TrafficSnapshot;
    assert.equal(snap.type, 'snapshot');
    assert.equal(snap.flows.length, 1);
    assert.deepEqual(snap.services, [{ kind: 'proxy', label: 'proxy 127.0.0.1:8888' }]);
    for (let i = 0; i < 50; i++) record(fakeFlow({ done: true }));
    assert.equal(posted.length, 1, 'batched, not one message per flow');
    timers.advance(99);
    assert.equal(posted.length, 1);
    timers.advance(1);
    assert.equal(posted.length, 2);
    const batch = posted[1] as TrafficBatch;
    assert.equal(batch.type, 'batch');
    assert.equal(batch.flows.length, 50);
    assert.deepEqual(feed.posted, { snapshots: 1, batches: 1, flows: 51, datagrams: 0 });
  });

  it('a burst past the cap sends only the rows kept, and the dropped count', () => {
    const { timers, posted, feed, record } = setup(100);
    feed.setVisible(true);
    feed.snapshot();
    for (let i = 0; i < 5000; i++) record(fakeFlow({ done: true }));
    timers.advance(100);
    const batch = posted[1] as TrafficBatch;
    assert.equal(batch.flows.length, 100);
    assert.equal(batch.dropped.flows, 4900);
  });

  it('pause stops batches (recording goes on); resume sends a snapshot of everything kept', () => {
    const { timers, posted, feed, record, store } = setup();
    feed.setVisible(true);
    feed.snapshot();
    feed.setPaused(true);
    for (let i = 0; i < 3; i++) record(fakeFlow({ done: true }));
    timers.advance(1000);
    assert.equal(posted.length, 1);
    assert.equal(store.flowRows().length, 3, 'still recorded');
    feed.setPaused(false);
    assert.equal(posted.length, 2);
    assert.equal((posted[1] as TrafficSnapshot).flows.length, 3);
    assert.equal((posted[1] as TrafficSnapshot).paused, false);
  });

  it('refreshes open flows (tunnels) every second so their byte counts move, and stops when none are open', () => {
    const { timers, posted, feed, record, store } = setup();
    feed.setVisible(true);
    feed.snapshot();
    const tunnel = fakeFlow({ kind: 'tunnel', method: 'CONNECT', target: 'example.com:443' });
    record(tunnel);
    timers.advance(100);
    assert.equal(posted.length, 2);
    tunnel.bytesDown = 1234;
    timers.advance(1000);
    const refresh = posted[posted.length - 1] as TrafficBatch;
    assert.equal(refresh.flows[0].bytesDown, 1234);
    tunnel.done = true;
    store.flowEnded(tunnel, 'p');
    feed.notify();
    timers.advance(5000);
    const n = posted.length;
    timers.advance(5000);
    assert.equal(posted.length, n, 'no refresh once nothing is open');
    assert.equal(timers.pending, 0);
  });

  it('hidden or disposed: no timers left behind', () => {
    const { timers, feed, record } = setup();
    feed.setVisible(true);
    record(fakeFlow());
    assert.equal(timers.pending, 1, 'the batch');
    feed.setVisible(false);
    assert.equal(timers.pending, 0);
    feed.setVisible(true);
    record(fakeFlow());
    feed.dispose();
    assert.equal(timers.pending, 0);
  });
});
