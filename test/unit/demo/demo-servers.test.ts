import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { HttpClient } from '../../../src/core/http/client';
import type { HttpExchange, HeaderList } from '../../../src/core/exchange';
import { CERT_FILE, KEY_FILE } from '../../../src/core/demo/certs';
import { DemoServerError, startDemoServers, type DemoServers } from '../../../src/core/demo';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { requireBinary, tempDir } from '../../support/peers';
import { httpSpec } from '../../support/servers';

/** Socket demo servers on free ports, so tests never collide with a running `npm start`. */
const NO_FIXED_SOCKET_PORTS = { qotdPort: 0, daytimePort: 0, echoPort: 0, wsPort: 0 };

function header(h: HeaderList, name: string): string[] {
  return h.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

function json(x: HttpExchange): Record<string, unknown> {
  assert.equal(x.error, undefined, x.error?.message);
  return JSON.parse(x.response!.body.toString('utf8'));
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Sends bytes on a fresh connection and collects what comes back until the server closes (bounded). */
function rawExchange(port: number, bytes: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${Buffer.concat(chunks).toString('latin1')}`));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.once('error', reject);
    s.once('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    s.write(bytes);
  });
}

describe('demo servers (real sockets on 127.0.0.1)', function () {
  this.timeout(30_000);
  let certDir: string;
  let demo: DemoServers;
  let httpPort: number;
  let httpsPort: number;
  let pool: ConnectionPool;
  let client: HttpClient;
  const logs: string[] = [];

  before(async () => {
    requireBinary('openssl', 'openssl');
    certDir = path.join(tempDir('demo'), 'certs');
    demo = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir, log: (l) => logs.push(l) });
    httpPort = demo.servers.find((s) => s.name === 'http')!.port;
    httpsPort = demo.servers.find((s) => s.name === 'https')!.port;
  });
  after(async () => {
    await demo?.stop();
    fs.rmSync(path.dirname(certDir), { recursive: true, force: true });
  });
  beforeEach(() => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
  });
  afterEach(() => pool.dispose());

  const get = (target: string, over: Parameters<typeof httpSpec>[1] = {}, options: Parameters<typeof httpSpec>[2] = {}) =>
    client.send(httpSpec(httpPort, { target, ...over }, options));

  it('starts HTTP, HTTPS and the socket demos on loopback ports (port 0: any free one) and names their URLs', () => {
    const port = (name: string) => demo.servers.find((s) => s.name === name)!.port;
    assert.deepEqual(
      demo.servers.map((s) => [s.name, s.host, s.url]),
      [
        ['http', '127.0.0.1', `http://127.0.0.1:${httpPort}/`],
        ['https', '127.0.0.1', `https://127.0.0.1:${httpsPort}/`],
        ['qotd', '127.0.0.1', `tcp://127.0.0.1:${port('qotd')}`],
        ['daytime', '127.0.0.1', `tcp://127.0.0.1:${port('daytime')}`],
        ['echo', '127.0.0.1', `tcp+udp://127.0.0.1:${port('echo')}`],
        ['ws', '127.0.0.1', `ws://127.0.0.1:${port('ws')}/`],
      ],
    );
    assert.ok(httpPort > 0 && httpsPort > 0 && httpPort !== httpsPort);
    assert.equal(demo.servers[1].certFile, path.join(certDir, CERT_FILE));
    assert.ok(logs.some((l) => l.startsWith('made a self-signed certificate for localhost, 127.0.0.1 and ::1')), logs.join('\n'));
  });

  it('/ and /index.html: an HTML page listing the routes; HEAD over HTTP/1.0 gets the head only', async () => {
    for (const target of ['/', '/index.html']) {
      const x = await get(target);
      assert.equal(x.response!.status, 200, x.error?.message);
      assert.match(header(x.response!.headers, 'content-type')[0], /^text\/html/);
      const html = x.response!.body.toString();
      for (const route of ['/json', '/post', '/headers', '/status/', '/delay/', '/chunked', '/gzip', '/big', '/close', '/cookies']) assert.ok(html.includes(`<code>${route}`), route);
    }
    const head = await get('/', { method: 'HEAD', version: 'HTTP/1.0' });
    assert.equal(head.error, undefined, head.error?.message);
    assert.equal(head.response!.status, 200);
    assert.equal(head.connection!.afterwards, 'closed', 'HTTP/1.0 without keep-alive: the server closes');
    assert.equal(head.response!.body.length, 0);
    assert.ok(Number(header(head.response!.headers, 'content-length')[0]) > 500);
  });

  it('/json: a JSON document', async () => {
    const x = await get('/json');
    assert.match(header(x.response!.headers, 'content-type')[0], /^application\/json/);
    const j = json(x);
    assert.equal(j.name, 'NetReq');
    assert.equal(j.scheme, 'http');
  });

  it('/post: echoes method, headers in wire order and a form body', async () => {
    const body = Buffer.from('name=John&email=john@example.com&message=Hello');
    const x = await get('/post?x=1', { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded'], ['X-B', '2'], ['X-A', '1'], ['X-A', 'again']], body });
    const j = json(x);
    assert.equal(j.method, 'POST');
    assert.deepEqual(j.query, { x: '1' });
    assert.equal(j.bodyBytes, body.length);
    assert.equal(j.body, body.toString());
    assert.deepEqual(j.form, { name: 'John', email: 'john@example.com', message: 'Hello' });
    const names = (j.headers as string[][]).map(([n]) => n);
    assert.deepEqual(names, ['Host', 'Content-Type', 'X-B', 'X-A', 'X-A', 'Content-Length']);
  });

  it('/post: parses a JSON body, reports a broken one, and takes other methods', async () => {
    const ok = json(await get('/post', { method: 'PUT', headers: [['Content-Type', 'application/json']], body: Buffer.from('{"lucky": 7}') }));
    assert.equal(ok.method, 'PUT');
    assert.deepEqual(ok.json, { lucky: 7 });
    const bad = json(await get('/post', { method: 'PATCH', headers: [['Content-Type', 'application/json']], body: Buffer.from('{"lucky": ') }));
    assert.equal(bad.json, undefined);
    assert.match(String(bad.jsonError), /JSON/);
  });

  it('/headers: the request headers with repeats', async () => {
    const j = json(await get('/headers', { headers: [['Accept', 'text/plain'], ['X-Twice', 'a'], ['X-Twice', 'b']] }));
    assert.deepEqual(j.headers, [
      ['Host', `127.0.0.1:${httpPort}`],
      ['Accept', 'text/plain'],
      ['X-Twice', 'a'],
      ['X-Twice', 'b'],
    ]);
  });

  it('/status/:code answers with that status; 204 has no body; out-of-range codes are a 400 that says why', async () => {
    const teapot = await get('/status/418');
    assert.equal(teapot.response!.status, 418);
    assert.equal(teapot.response!.body.toString(), 'status 418\n');
    const created = await get('/status/201', { method: 'POST', body: Buffer.from('x') });
    assert.equal(created.response!.status, 201);
    const none = await get('/status/204');
    assert.equal(none.response!.status, 204);
    assert.equal(none.response!.body.length, 0);
    const bad = await get('/status/99');
    assert.equal(bad.response!.status, 400);
    assert.match(String(json(bad).error), /status code must be 200–599, not 99/);
    assert.equal((await get('/nowhere')).response!.status, 404);
  });

  it('/delay/:ms answers after the delay; more than 30 s is refused; a cancelled wait leaves the server fine', async () => {
    const t0 = Date.now();
    const x = await get('/delay/300');
    assert.ok(Date.now() - t0 >= 290, `answered after ${Date.now() - t0} ms`);
    assert.deepEqual(json(x), { delayedMs: 300 });
    assert.ok(x.timings.firstByte! >= 250, `first byte after ${x.timings.firstByte} ms`);
    const tooLong = await get('/delay/30001');
    assert.equal(tooLong.response!.status, 400);
    assert.match(String(json(tooLong).error), /at most 30000 ms/);
    const timedOut = await get('/delay/5000', {}, { timeoutMs: 200 });
    assert.equal(timedOut.error?.phase, 'wait');
    assert.equal((await get('/json')).response!.status, 200);
  });

  it('/chunked: chunked framing, five chunks, then trailers', async () => {
    const x = await get('/chunked');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response!.framing, 'chunked');
    assert.equal(x.response!.body.toString(), [1, 2, 3, 4, 5].map((n) => `chunk ${n} of 5\n`).join(''));
    assert.deepEqual(x.response!.trailers, [
      ['X-Chunk-Count', '5'],
      ['X-Body-Length', String(x.response!.body.length)],
    ]);
    assert.ok(x.timings.download! >= 300, `download took ${x.timings.download} ms`);
  });

  it('/gzip: a gzip-encoded JSON body that NetReq decodes', async () => {
    const x = await get('/gzip');
    assert.equal(x.response!.contentEncoding, 'gzip');
    assert.deepEqual([...x.response!.rawBody.subarray(0, 2)], [0x1f, 0x8b]);
    assert.equal(json(x).compressed, true);
  });

  it('/big?mb=N streams N MiB of text with Content-Length; bounds are enforced', async () => {
    const x = await get('/big?mb=3');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response!.body.length, 3 * 1024 * 1024);
    assert.equal(header(x.response!.headers, 'content-length')[0], String(3 * 1024 * 1024));
    assert.match(x.response!.body.subarray(0, 64).toString(), /^NetReq demo body, line 00000001 \.+\n$/);
    const cut = await get('/big?mb=2', {}, { maxResponseBytes: 100_000 });
    assert.equal(cut.response!.truncated, true);
    for (const q of ['0', '101', 'lots']) {
      const bad = await get(`/big?mb=${q}`);
      assert.equal(bad.response!.status, 400, q);
      assert.match(String(json(bad).error), /mb must be a number above 0 and at most 100/);
    }
  });

  it('/close: Connection: close, and the connection is not reused', async () => {
    const a = await get('/close');
    assert.equal(a.response!.status, 200);
    assert.deepEqual(header(a.response!.headers, 'connection'), ['close']);
    assert.equal(a.connection!.afterwards, 'closed');
    const b = await get('/json');
    assert.equal(b.connection!.reused, false);
    const c = await get('/json');
    assert.equal(c.connection!.reused, true, 'other routes keep the connection alive');
  });

  it('/cookies: sets two cookies and shows the ones sent', async () => {
    const x = await get('/cookies', { headers: [['Cookie', 'session=abc123; theme=dark']] });
    const cookies = header(x.response!.headers, 'set-cookie');
    assert.equal(cookies.length, 2);
    assert.match(cookies[0], /^session=abc123; Path=\/; HttpOnly/);
    assert.deepEqual(json(x).received, { session: 'abc123', theme: 'dark' });
  });

  it('answers a malformed request with a 400 that gives the parser\'s reason, then closes', async () => {
    const reply = await rawExchange(httpPort, 'GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(reply, /Connection: close\r\n/);
    assert.match(reply, /\r\n\r\nthe demo server could not parse this request: .+ \(HPE_[A-Z_]+\)\n$/);
  });

  it('answers an HTTP/1.1 request without Host with a 400 that says so (HTTP/1.0 needs none)', async () => {
    const reply = await rawExchange(httpPort, 'GET /json HTTP/1.1\r\nX-Note: no Host header\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(reply, /HTTP\/1\.1 requests need a Host header/);
    const old = await rawExchange(httpPort, 'GET /json HTTP/1.0\r\n\r\n');
    assert.match(old, /^HTTP\/1\.1 200 OK\r\n[^]*"name": "NetReq"/);
  });

  describe('HTTPS', () => {
    const tls = (target: string, options: Parameters<typeof httpSpec>[2] = {}, over: Parameters<typeof httpSpec>[1] = {}) =>
      client.send(httpSpec(httpsPort, { target, tls: true, ...over }, options));

    it('serves the same routes with the generated certificate, trusted through the ca option', async () => {
      const ca = fs.readFileSync(path.join(certDir, CERT_FILE));
      const x = await tls('/json', { ca: [ca] });
      assert.equal(json(x).scheme, 'https');
      assert.equal(x.tls!.authorized, true, x.tls!.authorizationError);
      assert.match(x.tls!.chain[0].subject, /^CN=localhost\b/);
      assert.deepEqual(x.tls!.chain[0].subjectAltNames, ['DNS:localhost', 'IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1']);
      const byName = await tls('/chunked', { ca: [ca] }, { servername: 'localhost' });
      assert.equal(byName.tls!.authorized, true);
      assert.equal(byName.response!.trailers.length, 2);
    });

    it('is refused without trust (self-signed), and accepted with insecure', async () => {
      const refused = await tls('/');
      assert.equal(refused.error?.phase, 'tls');
      assert.match(refused.error!.message, /self-signed certificate/);
      const insecure = await tls('/post', { insecure: true }, { method: 'POST', body: Buffer.from('hi') });
      assert.equal(json(insecure).body, 'hi');
      assert.equal(insecure.tls!.verify, false);
    });

    it('reuses the certificate on the next start, and remakes a damaged one', async () => {
      const certPath = path.join(certDir, CERT_FILE);
      const before = new crypto.X509Certificate(fs.readFileSync(certPath)).fingerprint256;
      const again: string[] = [];
      const second = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir, log: (l) => again.push(l) });
      await second.stop();
      assert.deepEqual(again, [`using the demo certificate ${certPath}`]);
      assert.equal(new crypto.X509Certificate(fs.readFileSync(certPath)).fingerprint256, before);

      fs.writeFileSync(path.join(certDir, KEY_FILE), 'not a key');
      const remade: string[] = [];
      const third = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir, log: (l) => remade.push(l) });
      try {
        assert.match(remade[0], /^made a self-signed certificate/);
        assert.notEqual(new crypto.X509Certificate(fs.readFileSync(certPath)).fingerprint256, before);
        const x = await client.send(httpSpec(third.servers[1].port, { tls: true, target: '/json' }, { ca: [fs.readFileSync(certPath)] }));
        assert.equal(x.tls?.authorized, true, x.error?.message);
      } finally {
        await third.stop();
      }
      assert.equal(fs.statSync(path.join(certDir, KEY_FILE)).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(certDir).sort(), [CERT_FILE, KEY_FILE].sort(), 'no temporary files left');
    });
  });

  describe('starting and stopping', () => {
    it('without openssl, skips HTTPS with a line naming apt-get install openssl, and HTTP still runs', async () => {
      const dir = tempDir('demo-noopenssl');
      const lines: string[] = [];
      const d = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir: dir, opensslPath: path.join(dir, 'no-such-openssl'), log: (l) => lines.push(l) });
      try {
        assert.deepEqual(d.servers.map((s) => s.name), ['http', 'qotd', 'daytime', 'echo', 'ws']);
        assert.equal(lines.length, 1);
        assert.match(lines[0], /^HTTPS demo server skipped: the openssl program is not installed \(install it with 'apt-get install openssl'.*The HTTP demo server still runs\.$/);
        const x = await client.send(httpSpec(d.servers[0].port, { target: '/json' }));
        assert.equal(x.response?.status, 200);
      } finally {
        await d.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a port in use is an error naming the port and the option, and nothing is left running', async () => {
      await assert.rejects(startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: httpPort, httpsPort: 0, certDir }), (e: Error) => {
        assert.ok(e instanceof DemoServerError);
        assert.equal(
          e.message,
          `cannot start the http demo server: port ${httpPort} on 127.0.0.1 is already in use (another demo server, or another program); choose another port with --http-port P, or stop what uses it`,
        );
        return true;
      });
      // HTTPS fails after HTTP started: the HTTP server it started is stopped again.
      const blocker = net.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      const blocked = (blocker.address() as net.AddressInfo).port;
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const freeHttp = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      try {
        await assert.rejects(startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: freeHttp, httpsPort: blocked, certDir }), /port \d+ on 127\.0\.0\.1 is already in use .*--https-port P/);
        assert.equal(await listening(freeHttp), false, 'the HTTP server started first was stopped');
      } finally {
        await new Promise<void>((r) => blocker.close(() => r()));
      }
    });

    it('stop() closes open keep-alive connections and delayed requests at once, and frees the ports', async () => {
      const d = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir });
      const [h, s] = d.servers.map((x) => x.port);
      const warm = await client.send(httpSpec(h, { target: '/json' }));
      assert.equal(warm.connection?.afterwards, 'kept-alive');
      const slow = client.send(httpSpec(h, { target: '/delay/20000' }, { noPool: true }));
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await d.stop();
      await d.stop();
      assert.ok(Date.now() - t0 < 2000, `stop took ${Date.now() - t0} ms`);
      const x = await slow;
      assert.ok(x.error, 'the delayed request ended with the server');
      assert.equal(await listening(h), false);
      assert.equal(await listening(s), false);
    });

    it('checks port numbers', async () => {
      await assert.rejects(startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 70000 }), /--http-port takes a port number 0–65535/);
    });

    it('listens on ::1 when asked (IPv6 URL in brackets)', async () => {
      const probe = net.createServer();
      const v6 = await new Promise<boolean>((r) => {
        probe.once('error', () => r(false));
        probe.listen(0, '::1', () => probe.close(() => r(true)));
      });
      // ::1 is part of every machine this project runs on (the multicast tests use it too): its absence is a failure, not a skip.
      assert.ok(v6, 'this machine cannot listen on ::1 (no IPv6 loopback); enable IPv6 on lo');
      const d = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, host: '::1', httpPort: 0, httpsPort: 0, certDir });
      try {
        assert.match(d.servers[0].url, /^http:\/\/\[::1\]:\d+\/$/);
        const x = await client.send(httpSpec(d.servers[1].port, { tls: true, host: '::1', target: '/json' }, { ca: [fs.readFileSync(path.join(certDir, CERT_FILE))] }));
        assert.equal(x.tls?.authorized, true, x.error?.message ?? x.tls?.authorizationError);
      } finally {
        await d.stop();
      }
    });
  });
});
