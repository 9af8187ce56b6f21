// Pure host-side helpers of the extension (no vscode runtime needed).
import { strict as assert } from 'node:assert';
import type { RequestSpec } from '../../../src/core/request';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import type { PoolSnapshot } from '../../../src/core/transport/pool';
import { poolMarkdown } from '../../../src/extension/pool/poolFormat';
import { describeSpec, dispatch, unsupportedMessage } from '../../../src/extension/requests/dispatch';
import { exchange } from './fixtures';

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

describe('dispatch (the one place that maps kinds to engines)', () => {
  it('sends http through the HTTP client with the signal', async () => {
    const x = exchange();
    let seen: AbortSignal | undefined;
    const signal = new AbortController().signal;
    const got = await dispatch(http, { http: { send: async (_spec, o) => ((seen = o?.signal), x) } }, signal);
    assert.equal(got, x);
    assert.equal(seen, signal);
  });

  it('says which kinds arrive later', () => {
    assert.equal(unsupportedMessage(http), undefined);
    assert.match(unsupportedMessage(tcp)!, /^QOTD requests arrive in a later version/);
    assert.match(unsupportedMessage({ ...tcp, service: undefined })!, /^TCP requests arrive in a later version/);
    assert.match(unsupportedMessage({ ...tcp, kind: 'tls', service: undefined })!, /^TLS requests/);
  });

  it('describes requests for titles', () => {
    assert.deepEqual(describeSpec(http), { method: 'GET', url: 'http://127.0.0.1:8080/a', path: '/a' });
    assert.equal(describeSpec(tcp).method, 'QOTD');
  });
});

describe('connection pool report', () => {
  it('lists hosts and connections as Markdown', () => {
    const snap: PoolSnapshot = {
      options: { enabled: true, maxSocketsPerHost: 6, idleTimeoutMs: 30_000, maxAgeMs: 300_000 },
      totalOpen: 2,
      totalCreated: 5,
      hosts: [
        {
          key: 'k',
          origin: 'http://127.0.0.1:8080',
          tls: false,
          insecure: false,
          waiting: 1,
          connections: [
            { id: 4, state: 'idle', ageMs: 2500, idleMs: 1000, requestsServed: 3, localPort: 50001, remoteAddress: '127.0.0.1', remotePort: 8080 },
            { id: 5, state: 'busy', ageMs: 100, requestsServed: 1, remoteAddress: '::1', remotePort: 8080 },
          ],
        },
      ],
    };
    const md = poolMarkdown(snap, new Date(0));
    assert.match(md, /Open connections: \*\*2\*\* · opened since start: 5/);
    assert.match(md, /## http:\/\/127\.0\.0\.1:8080/);
    assert.match(md, /2 connections: 1 busy, 1 idle · 1 request waiting for a slot/);
    assert.match(md, /\| 4 \| idle \| 2\.50 s \| 1\.00 s \| 3 \| 50001 \| 127\.0\.0\.1:8080 \|/);
    assert.ok(md.includes('| 5 | busy | 100 ms |  | 1 |  | [::1]:8080 |'));
  });

  it('says when there is nothing pooled', () => {
    const md = poolMarkdown({ options: { enabled: false, maxSocketsPerHost: 6, idleTimeoutMs: 1, maxAgeMs: 1 }, hosts: [], totalOpen: 0, totalCreated: 0 });
    assert.match(md, /pooling \*\*off\*\*/);
    assert.match(md, /_No pooled connections._/);
  });
});
