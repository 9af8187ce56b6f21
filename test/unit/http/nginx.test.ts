import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { startNginx, type Peer } from '../../support/peers';
import { httpSpec } from '../../support/servers';

describe('HTTP/1.x against nginx (real server)', function () {
  this.timeout(30_000);
  let nginx: Peer;
  let pool: ConnectionPool;
  let client: HttpClient;
  const json = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });

  before(async () => {
    nginx = await startNginx({
      files: { 'index.html': '<h1>hello</h1>\n', 'data.json': json },
      serverExtra: `
        gzip on; gzip_types application/json; gzip_min_length 100;
        location = /echo { return 200 "$request_method $request_uri $http_x_test\\n"; }
        location = /close { keepalive_timeout 0; return 200 "bye"; }
        location = /redirect { return 301 /index.html; }`,
    });
  });
  after(async () => nginx?.stop());
  beforeEach(() => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
  });
  afterEach(() => pool.dispose());

  it('GET a static file, then reuse the kept-alive connection', async () => {
    const a = await client.send(httpSpec(nginx.port, { target: '/index.html' }));
    const b = await client.send(httpSpec(nginx.port, { target: '/index.html' }));
    assert.equal(a.error, undefined, a.error?.message);
    assert.equal(a.response!.status, 200);
    assert.equal(a.response!.body.toString(), '<h1>hello</h1>\n');
    assert.ok(a.response!.headers.some(([k, v]) => k === 'Server' && v.startsWith('nginx')));
    assert.equal(b.connection!.id, a.connection!.id);
    assert.equal(b.connection!.reused, true);
    assert.equal(b.connection!.requestsServed, 2);
  });

  it('decodes a gzip, chunked JSON response and keeps the raw bytes', async () => {
    const x = await client.send(httpSpec(nginx.port, { target: '/data.json', headers: [['Accept-Encoding', 'gzip']] }));
    assert.equal(x.response!.contentEncoding, 'gzip');
    assert.equal(x.response!.framing, 'chunked');
    assert.equal(x.response!.body.toString(), json);
    assert.equal(zlib.gunzipSync(x.response!.rawBody).toString(), json);
    assert.ok(x.response!.rawBody.length < json.length);
  });

  it('HEAD gets headers only; a conditional GET gets 304', async () => {
    const h = await client.send(httpSpec(nginx.port, { method: 'HEAD', target: '/index.html', version: 'HTTP/1.0' }));
    assert.equal(h.response!.status, 200);
    assert.equal(h.response!.body.length, 0);
    const etag = h.response!.headers.find(([k]) => k.toLowerCase() === 'etag')![1];
    const c = await client.send(httpSpec(nginx.port, { target: '/index.html', headers: [['If-None-Match', etag]] }));
    assert.equal(c.response!.status, 304);
  });

  it('sends headers and the method as written, and reports 404 and 301 as responses', async () => {
    const e = await client.send(httpSpec(nginx.port, { method: 'DELETE', target: '/echo?x=1', headers: [['X-Test', 'yes']] }));
    assert.equal(e.response!.body.toString(), 'DELETE /echo?x=1 yes\n');
    const n = await client.send(httpSpec(nginx.port, { target: '/missing' }));
    assert.equal(n.response!.status, 404);
    assert.equal(n.error, undefined);
    const r = await client.send(httpSpec(nginx.port, { target: '/redirect' }));
    assert.equal(r.response!.status, 301);
    assert.ok(r.response!.headers.some(([k, v]) => k === 'Location' && v.endsWith('/index.html')));
  });

  it('POST a form body', async () => {
    const x = await client.send(
      httpSpec(nginx.port, {
        method: 'POST',
        target: '/echo',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: Buffer.from('name=John&email=john@example.com&message=Hello'),
      }),
    );
    assert.equal(x.response!.status, 200);
    assert.equal(x.response!.body.toString(), 'POST /echo \n');
  });

  it('honours the server closing with Connection: close', async () => {
    const x = await client.send(httpSpec(nginx.port, { target: '/close' }));
    assert.equal(x.response!.body.toString(), 'bye');
    assert.equal(x.connection!.afterwards, 'closed');
    assert.match(x.connection!.closeReason!, /Connection: close/);
  });

  it('carries many concurrent requests over at most 6 connections', async () => {
    const xs = await Promise.all(Array.from({ length: 30 }, () => client.send(httpSpec(nginx.port, { target: '/index.html' }))));
    assert.ok(xs.every((x) => x.response?.status === 200));
    assert.ok(new Set(xs.map((x) => x.connection!.id)).size <= 6);
  });
});
