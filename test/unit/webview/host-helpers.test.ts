// Pure host-side helpers of the extension (no vscode runtime needed).
import { strict as assert } from 'node:assert';
import type { RequestSpec } from '../../../src/core/request';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import type { PoolSnapshot } from '../../../src/core/transport/pool';
import { connectionRow, hostRow, poolMessage } from '../../../src/extension/pool/poolFormat';
import type { SocketExchange } from '../../../src/core/exchange';
import { describeSpec, dispatch, route, type DispatchDeps } from '../../../src/extension/requests/dispatch';
import type { WsSessionLike } from '../../../src/extension/panels/wsSessionController';
import { exchange } from './fixtures';
import { socketExchange } from './socketFixtures';

const http: RequestSpec = {
  kind: 'http',
  method: 'GET',
  url: 'http://127.0.0.1:8080/a',
  tls: false,
  host: '127.0.0.1',
  port: 8080,
  target: '/a',
  version: 'HTTP/1.1',
  headers: [],
  options: DEFAULT_OPTIONS,
};
const tcp: RequestSpec = { kind: 'tcp', service: 'qotd', host: '127.0.0.1', port: 17, payload: Buffer.alloc(0), idleMs: 1000, maxBytes: 1000, halfClose: false, hex: false, options: DEFAULT_OPTIONS };

const udp: RequestSpec = { kind: 'udp', host: '::1', port: 9001, payload: Buffer.from('hi'), waitMs: 100, hex: false, options: DEFAULT_OPTIONS };
const multicast: RequestSpec = { kind: 'multicast', group: '239.1.2.3', port: 5000, family: 4, payload: Buffer.from('hi'), ttl: 1, loopback: true, repeat: 1, everyMs: 1000, waitMs: 100, hex: false, options: DEFAULT_OPTIONS };
const ws: RequestSpec = { kind: 'ws', url: 'ws://127.0.0.1:9/chat', tls: false, host: '127.0.0.1', port: 9, target: '/chat', headers: [], messages: [], waitMs: 0, options: DEFAULT_OPTIONS };

/** Engines that record which one was asked, with which signal. */
function fakeEngines() {
  const calls: Array<[string, unknown, AbortSignal | undefined]> = [];
  const sx = (protocol: string) => socketExchange({ request: { protocol, host: 'h', port: 1, target: 'h:1', payloadBytes: 0 } });
  const deps: DispatchDeps = {
    http: { send: async (spec, o) => (calls.push(['http', spec, o?.signal]), exchange()) },
    tcp: { send: async (spec, o) => (calls.push(['tcp', spec, o?.signal]), sx(spec.kind)) },
    udp: { send: async (spec, o) => (calls.push(['udp', spec, o?.signal]), sx('udp')) },
    multicast: { send: async (spec, o) => (calls.push(['multicast', spec, o?.signal]), sx('multicast')) },
    wsSession: (spec) => (calls.push(['ws', spec, undefined]), {} as WsSessionLike),
  };
  return { deps, calls };
}

describe('dispatch (the one place that maps kinds to engines)', () => {
  it('sends http through the HTTP client with the signal', async () => {
    const x = exchange();
    let seen: AbortSignal | undefined;
    const signal = new AbortController().signal;
    const { deps } = fakeEngines();
    const got = await dispatch(http, { ...deps, http: { send: async (_spec, o) => ((seen = o?.signal), x) } }, signal);
    assert.equal(got, x);
    assert.equal(seen, signal);
  });

  it('sends TCP, TLS, the classic services, UDP and MULTICAST through their socket clients, with the signal', async () => {
    const { deps, calls } = fakeEngines();
    const signal = new AbortController().signal;
    const tls: RequestSpec = { ...tcp, kind: 'tls', service: undefined } as RequestSpec;
    for (const spec of [tcp, tls, udp, multicast]) {
      const r = route(spec);
      assert.equal(r.view, 'transcript');
      if (r.view !== 'transcript') continue;
      const x: SocketExchange = await dispatch(r.spec, deps, signal);
      assert.equal(x.kind, 'socket');
    }
    assert.deepEqual(
      calls.map(([engine, spec, s]) => [engine, (spec as RequestSpec).kind, s === signal]),
      [
        ['tcp', 'tcp', true],
        ['tcp', 'tls', true],
        ['udp', 'udp', true],
        ['multicast', 'multicast', true],
      ],
    );
  });

  it('routes HTTP to the response panel and WS to an interactive session, not a one-shot client', () => {
    assert.equal(route(http).view, 'response');
    const r = route(ws);
    assert.equal(r.view, 'session');
    assert.equal(r.spec, ws);
  });

  it('describes requests for titles', () => {
    assert.deepEqual(describeSpec(http), { method: 'GET', url: 'http://127.0.0.1:8080/a', path: '/a' });
    assert.equal(describeSpec(tcp).method, 'QOTD');
    assert.deepEqual(describeSpec(udp), { method: 'UDP', url: '[::1]:9001', path: '[::1]:9001' });
    assert.equal(describeSpec(multicast).url, '239.1.2.3:5000');
    assert.equal(describeSpec(ws).method, 'WS');
  });
});

describe('connection pool view rows', () => {
  const host: PoolSnapshot['hosts'][number] = {
    key: 'k',
    origin: 'http://127.0.0.1:8080',
    tls: false,
    insecure: true,
    waiting: 1,
    connections: [
      { id: 4, state: 'idle', ageMs: 2500, idleMs: 1000, requestsServed: 3, localPort: 50001, remoteAddress: '127.0.0.1', remotePort: 8080 },
      { id: 5, state: 'busy', ageMs: 100, requestsServed: 1, remoteAddress: '::1', remotePort: 8080 },
    ],
  };

  it('a host row: origin, connections busy and idle, requests waiting', () => {
    const r = hostRow(host);
    assert.equal(r.label, 'http://127.0.0.1:8080');
    assert.equal(r.description, '2 connections · 1 busy · 1 idle · 1 waiting');
    assert.match(r.tooltip, /^http:\/\/127\.0\.0\.1:8080 \(certificate checks off\)\n2 connections, 1 busy, 1 idle, 1 waiting for a free slot\npool key: k$/);
  });

  it('a connection row: id and state, age, idle time, requests served, addresses', () => {
    assert.deepEqual(connectionRow(host.connections[0]), {
      label: '#4 idle',
      description: 'age 2.5 s · idle 1 s · 3 requests',
      tooltip: 'connection #4, idle\nage 2.5 s, idle 1 s, 3 requests\nlocal port 50001 → 127.0.0.1:8080',
    });
    assert.equal(connectionRow(host.connections[1]).description, 'age 100 ms · 1 request');
  });

  it('the view message: limits, or that pooling is off', () => {
    assert.equal(poolMessage({ enabled: true, maxSocketsPerHost: 6, idleTimeoutMs: 30_000, maxAgeMs: 300_000 }, 2), '2 open connections · at most 6 per host · idle timeout 30 s · max age 300 s');
    assert.match(poolMessage({ enabled: false, maxSocketsPerHost: 6, idleTimeoutMs: 1, maxAgeMs: 1 }, 0), /^Pooling is off/);
  });
});
