// The `netreq` task type's definitions and the service terminals' log lines (plain Node, no vscode).
import { strict as assert } from 'node:assert';
import { datagramLine, listenerStatsLine, LogWriter, proxyFlowLine } from '../../../src/extension/tasks/logLines';
import { checkInterface, parseGroupPort, serviceConfig, serviceKey, serviceLabel, taskDefinition, trustRefusal } from '../../../src/extension/tasks/taskDefinition';
import { fakeDatagram, fakeFlow, FakeTimers } from './fixtures';

describe('netreq task definitions', () => {
  it('fills in the defaults: the proxy on 127.0.0.1:8888, the listener on 239.255.0.1:5000 on 127.0.0.1', () => {
    assert.deepEqual(serviceConfig({ type: 'netreq', service: 'proxy' }), { service: 'proxy', host: '127.0.0.1', port: 8888 });
    assert.deepEqual(serviceConfig({ type: 'netreq', service: 'multicastListener' }), { service: 'multicastListener', group: '239.255.0.1', port: 5000, interface: '127.0.0.1' });
  });

  it('takes what the definition says, and defaults from the settings', () => {
    const defaults = { proxy: { service: 'proxy' as const, host: '127.0.0.1', port: 9999, upstream: 'http://127.0.0.1:3128' }, listener: { service: 'multicastListener' as const, group: '239.1.2.3', port: 6000 } };
    assert.deepEqual(serviceConfig({ service: 'proxy', port: '0' }, defaults), { service: 'proxy', host: '127.0.0.1', port: 0, upstream: 'http://127.0.0.1:3128' });
    assert.deepEqual(serviceConfig({ service: 'proxy', host: ' 0.0.0.0 ', port: 8080, upstream: '' }, defaults), { service: 'proxy', host: '0.0.0.0', port: 8080 });
    assert.deepEqual(serviceConfig({ service: 'multicastListener', group: 'ff01::1234', interface: '::%lo' }, defaults), { service: 'multicastListener', group: 'ff01::1234', port: 6000, interface: '::%lo' });
  });

  it('explains a wrong definition in words', () => {
    const err = (d: Record<string, unknown>) => {
      const r = serviceConfig(d);
      assert.ok('error' in r, JSON.stringify(r));
      return r.error;
    };
    assert.match(err({ service: 'web' }), /"service" must be "proxy" or "multicastListener" \(got "web"\)/);
    assert.match(err({ service: 'proxy', port: 70000 }), /"port" must be a whole number 0–65535 \(got 70000\)/);
    assert.match(err({ service: 'proxy', host: 42 }), /"host" must be a string/);
    assert.match(err({ service: 'proxy', upstream: 'https://x' }), /"upstream" must be an HTTP proxy URL like http:\/\/127\.0\.0\.1:3128/);
    assert.match(err({ service: 'multicastListener', group: '10.0.0.1' }), /"group" "10\.0\.0\.1" is not a multicast group: use 224\.0\.0\.0\/4/);
    assert.match(err({ service: 'multicastListener', port: 0 }), /"port" must be a whole number 1–65535/);
  });

  it('takes the proxy limits and allow-lists, and explains wrong ones', () => {
    const def = { service: 'proxy', maxHeaderBytes: 8192, clientIdleTimeout: 5000, upstreamTimeout: 1500, maxConnections: 50, requestHeadTimeout: 10_000, tunnelIdleTimeout: 120_000, allowClients: ['127.0.0.1', ' ::1 '], allowConnectPorts: [443, 8443] };
    const cfg = serviceConfig(def);
    assert.deepEqual(cfg, { service: 'proxy', host: '127.0.0.1', port: 8888, maxHeaderBytes: 8192, clientIdleTimeout: 5000, upstreamTimeout: 1500, maxConnections: 50, requestHeadTimeout: 10_000, tunnelIdleTimeout: 120_000, allowClients: ['127.0.0.1', '::1'], allowConnectPorts: [443, 8443] });
    assert.ok(!('error' in cfg));
    assert.deepEqual(serviceConfig(taskDefinition(cfg)), cfg, 'round-trips through tasks.json');
    const err = (d: Record<string, unknown>) => {
      const r = serviceConfig({ service: 'proxy', ...d });
      assert.ok('error' in r, JSON.stringify(r));
      return r.error;
    };
    assert.match(err({ maxHeaderBytes: 10 }), /"maxHeaderBytes" must be a whole number 1024–16777216 \(got 10\)/);
    assert.match(err({ upstreamTimeout: '30s' }), /"upstreamTimeout" must be a whole number/);
    assert.match(err({ allowClients: ['localhost'] }), /"allowClients" must be a list of IP addresses/);
    assert.match(err({ allowConnectPorts: [0] }), /"allowConnectPorts" must be a list of ports 1–65535/);
    assert.match(err({ requestHeadTimeout: 0 }), /"requestHeadTimeout" must be a whole number 100–86400000 \(got 0\)/);
    assert.match(err({ requestHeadTimeout: '20s' }), /"requestHeadTimeout" must be a whole number 100–86400000 \(got "20s"\)/);
    assert.match(err({ tunnelIdleTimeout: 1.5 }), /"tunnelIdleTimeout" must be a whole number 100–86400000 \(got 1\.5\)/);
  });

  it('a proxy host in brackets ([::1], as in a URL) is the address inside them', () => {
    const cfg = serviceConfig({ service: 'proxy', host: '[::1]', port: 0 });
    assert.ok(!('error' in cfg) && cfg.service === 'proxy');
    assert.equal(cfg.host, '::1');
    assert.equal(serviceLabel(cfg), 'proxy [::1]:0');
  });

  it('round-trips through a task definition; labels and keys', () => {
    const p = serviceConfig({ service: 'proxy', port: 8080, upstream: 'http://127.0.0.1:3128' });
    assert.ok(!('error' in p));
    assert.deepEqual(serviceConfig(taskDefinition(p)), p);
    assert.equal(serviceLabel(p), 'proxy 127.0.0.1:8080 via http://127.0.0.1:3128');
    const l = serviceConfig({ service: 'multicastListener', group: 'ff01::1', port: 5000, interface: '::%lo' });
    assert.ok(!('error' in l) && l.service === 'multicastListener');
    assert.deepEqual(serviceConfig(taskDefinition(l)), l);
    assert.equal(serviceLabel(l), 'multicast listener [ff01::1]:5000 on ::%lo');
    assert.notEqual(serviceKey(l), serviceKey({ ...l, interface: '::%eth0' }));
  });

  it('Workspace Trust: untrusted, only what a NetReq command starts may open sockets', () => {
    assert.equal(trustRefusal('workspace', true), undefined);
    assert.equal(trustRefusal('provided', true), undefined);
    assert.equal(trustRefusal('command', false), undefined);
    for (const origin of ['workspace', 'provided'] as const) assert.match(trustRefusal(origin, false)!, /^This workspace is not trusted, so NetReq does not start the services it defines \(tasks\.json\): no socket was opened\. Trust the workspace/);
  });

  it('reads GROUP:PORT and an interface from input boxes', () => {
    assert.deepEqual(parseGroupPort(' 239.255.0.1:5000 '), { group: '239.255.0.1', port: 5000 });
    assert.deepEqual(parseGroupPort('[ff01::1234]:5000'), { group: 'ff01::1234', port: 5000 });
    assert.match((parseGroupPort('239.255.0.1') as { error: string }).error, /Write GROUP:PORT, e\.g\. 239\.255\.0\.1:5000/);
    assert.match((parseGroupPort('10.1.1.1:5000') as { error: string }).error, /10\.1\.1\.1 is not a multicast group/);
    assert.match((parseGroupPort('239.1.1.1:99999') as { error: string }).error, /Port 99999 is out of range/);
    for (const ok of ['', '127.0.0.1', '::1', '::%lo']) assert.equal(checkInterface(ok), undefined, ok);
    assert.match(checkInterface('eth0; rm')!, /is not an address of this machine/);
  });
});

describe('service terminal log lines', () => {
  it('a flow line as netreq proxy prints it, with control characters made harmless', () => {
    const f = fakeFlow({ method: 'GET', target: 'http://127.0.0.1:8080/', status: 200, bytesDown: 2048, durationMs: 12.5, done: true });
    assert.match(proxyFlowLine(f), /^\d\d:\d\d:\d\d\.\d{3} {2}127\.0\.0\.1:50000 +GET http:\/\/127\.0\.0\.1:8080\/ → 200 {2}↑0 B ↓2 KB {2}12\.5 ms$/);
    const evil = fakeFlow({ error: 'bad\x1b]0;owned\x07\r\nnext', done: true });
    const line = proxyFlowLine(evil);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(line, /[\x00-\x1f]/);
    assert.match(line, /✗ bad\\x1b\]0;owned\\x07\\r\\nnext/);
  });

  it('a datagram line with size and visible text; stats with the rate', () => {
    const line = datagramLine(fakeDatagram(Buffer.from('hi\x1b[2J\r\n')));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(line, /[\x00-\x1f]/);
    assert.match(line, /127\.0\.0\.1:40000 +8 B {2}hi\\x1b\[2J␍␊$/);
    assert.equal(listenerStatsLine({ stats: { datagrams: 3, bytes: 2048, rate: 0, startedAt: 0, kernelDrops: 0 }, rate: () => 0.6 }), '— 3 datagrams, 2 KB, 0.6/s over the last 5 s; kernel drops: 0');
    assert.equal(
      listenerStatsLine({ stats: { datagrams: 1, bytes: 64, rate: 0, startedAt: 0, kernelDrops: 32_000 }, rate: () => 0.2 }),
      "— 1 datagram, 64 B, 0.2/s over the last 5 s; kernel drops: 32,000 (the socket's receive buffer was full: datagrams came faster than the listener read them)",
    );
    assert.equal(listenerStatsLine({ stats: { datagrams: 0, bytes: 0, rate: 0, startedAt: 0, kernelDrops: null }, rate: () => 0 }), '— 0 datagrams, 0 B, 0.0/s over the last 5 s; kernel drops: unknown');
  });

  it('batches lines every 100 ms, at most N per flush, and says how many it skipped', () => {
    const timers = new FakeTimers();
    const out: string[] = [];
    const w = new LogWriter((s) => out.push(s), { timers, maxLinesPerFlush: 3 });
    for (let i = 0; i < 10; i++) w.line(`l${i}`);
    assert.equal(out.length, 0);
    timers.advance(100);
    assert.equal(out.length, 1);
    // eslint-disable-next-line no-control-regex
    assert.match(out[0], /^l0\r\nl1\r\nl2\r\n\x1b\[2m… 7 more lines not printed here \(NetReq: Show Traffic has them\)\x1b\[22m\r\n$/);
    w.now('stopped');
    assert.equal(out[1], 'stopped\r\n');
    assert.deepEqual(w.recent.slice(-2), ['… 7 more lines not printed here (NetReq: Show Traffic has them)', 'stopped']);
    w.close();
    w.line('after');
    timers.advance(1000);
    assert.equal(out.length, 2, 'nothing after close');
  });
});
