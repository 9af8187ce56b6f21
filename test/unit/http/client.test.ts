import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import * as net from 'node:net';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpSpec, rawServer, sleep, type RawServer } from '../../support/servers';

const OK = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('HttpClient against loopback servers', () => {
  let pool: ConnectionPool;
  let client: HttpClient;
  let server: RawServer | undefined;

  beforeEach(() => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
  });
  afterEach(async () => {
    pool.dispose();
    await server?.close();
    server = undefined;
  });

  it('sends exactly the request bytes, adding only Host and Content-Length', async () => {
    server = await rawServer((s) => s.write(OK('done')));
    const x = await client.send(
      httpSpec(server.port, {
        method: 'POST',
        target: '/post?a=1',
        headers: [
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['X-Dup', '1'],
          ['X-Dup', '2'],
        ],
        body: Buffer.from('name=John&email=john@example.com'),
      }),
    );
    assert.equal(x.error, undefined);
    const expected =
      'POST /post?a=1 HTTP/1.1\r\nHost: 127.0.0.1:' +
      server.port +
      '\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Dup: 1\r\nX-Dup: 2\r\nContent-Length: 32\r\n\r\nname=John&email=john@example.com';
    assert.equal(server.received[0].toString('latin1'), expected);
    assert.equal(x.sent.toString('latin1'), expected);
    assert.equal(x.response!.status, 200);
    assert.equal(x.response!.body.toString(), 'done');
  });

  it('does not add Host or Content-Length when they are written', async () => {
    server = await rawServer((s) => s.write(OK('')));
    await client.send(
      httpSpec(server.port, {
        method: 'POST',
        headers: [
          ['host', 'example.test'],
          ['Transfer-Encoding', 'chunked'],
        ],
        body: Buffer.from('0\r\n\r\n'),
      }),
    );
    assert.equal(server.received[0].toString('latin1'), 'POST / HTTP/1.1\r\nhost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
  });

  it('@raw sends the bytes exactly, even a malformed request', async () => {
    server = await rawServer(() => undefined);
    const srv = server;
    const raw = Buffer.from('GET  /odd  HTTP/1.1\r\nX:\r\n\r\n', 'latin1');
    const p = client.send(httpSpec(srv.port, { raw }, { timeoutMs: 300 }));
    const x = await p;
    assert.deepEqual(srv.received[0], raw);
    assert.equal(x.error?.phase, 'wait');
    assert.match(x.error!.message, /Timed out after 300 ms during waiting for the response.*sent nothing back/);
  });

  it('decodes chunked bodies with extensions and trailers', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n4;a=b\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Sum: 9\r\n\r\n'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.response!.body.toString(), 'Wikipedia');
    assert.equal(x.response!.framing, 'chunked');
    assert.deepEqual(x.response!.trailers, [['X-Sum', '9']]);
    assert.equal(x.connection!.afterwards, 'kept-alive');
  });

  it('reads until close when the server gives no length', async () => {
    server = await rawServer((s) => s.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it'));
    const x = await client.send(httpSpec(server.port, { version: 'HTTP/1.0' }));
    assert.equal(x.error, undefined);
    assert.equal(x.response!.body.toString(), 'all of it');
    assert.equal(x.response!.framing, 'close');
    assert.equal(x.connection!.afterwards, 'closed');
  });

  it('reports a close in the middle of the body and still shows the bytes', async () => {
    server = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error?.phase, 'receive');
    assert.match(x.error!.message, /before the body was complete: got 7 of 100 bytes/);
    assert.equal(x.response?.status, 200);
    assert.equal(x.response?.body.toString(), 'partial');
    assert.match(x.received.toString(), /partial$/);
  });

  it('shows a 100 Continue interim response before the final one', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 100 Continue\r\n\r\n' + OK('created')));
    const x = await client.send(httpSpec(server.port, { method: 'PUT', headers: [['Expect', '100-continue']], body: Buffer.from('data') }));
    assert.deepEqual(
      x.response!.interim.map((i) => i.status),
      [100],
    );
    assert.equal(x.response!.body.toString(), 'created');
  });

  it('explains an invalid status line and keeps what was received', async () => {
    server = await rawServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error?.phase, 'parse');
    assert.match(x.error!.message, /invalid status line "SSH-2.0-OpenSSH_9.2"/);
    assert.equal(x.received.toString(), 'SSH-2.0-OpenSSH_9.2\r\n');
  });

  it('times out on slow headers and names the phase', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nX-Slow: '));
    const x = await client.send(httpSpec(server.port, {}, { timeoutMs: 250 }));
    assert.equal(x.error?.phase, 'receive');
    assert.match(x.error!.message, /Timed out after 250 ms during receiving the response \(got \d+ bytes so far\)/);
    assert.ok(x.timings.total >= 240 && x.timings.total < 2000, `total ${x.timings.total}`);
  });

  it('cuts a huge body at maxResponseBytes, says so, and closes the connection', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    server = await rawServer((s) => {
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`);
      s.write(big);
    });
    const x = await client.send(httpSpec(server.port, {}, { maxResponseBytes: 1024 * 1024 }));
    assert.equal(x.error, undefined);
    assert.ok(x.response!.truncated);
    assert.equal(x.response!.body.length, 1024 * 1024);
    assert.ok(x.received.length <= 1024 * 1024 + 100);
    assert.equal(x.connection!.afterwards, 'closed');
    assert.match(x.connection!.closeReason!, /maxResponseBytes/);
  });

  it('decodes gzip, deflate (zlib and raw) and br for display, keeping the raw bytes', async () => {
    const text = 'hello compressed world '.repeat(50);
    const bodies: Record<string, Buffer> = {
      gzip: zlib.gzipSync(text),
      deflate: zlib.deflateSync(text),
      'deflate-raw': zlib.deflateRawSync(text),
      br: zlib.brotliCompressSync(text),
    };
    for (const [name, data] of Object.entries(bodies)) {
      const enc = name === 'deflate-raw' ? 'deflate' : name;
      const srv = await rawServer((s) => {
        s.write(`HTTP/1.1 200 OK\r\nContent-Encoding: ${enc}\r\nContent-Length: ${data.length}\r\n\r\n`);
        s.write(data);
      });
      const x = await client.send(httpSpec(srv.port));
      await srv.close();
      assert.equal(x.response!.body.toString(), text, name);
      assert.deepEqual(x.response!.rawBody, data, name);
      assert.equal(x.response!.decodeError, undefined);
    }
  });

  it('keeps the raw body and explains when decoding fails', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error, undefined);
    assert.equal(x.response!.body.toString(), 'nope');
    assert.match(x.response!.decodeError!, /Could not decode gzip body/);
  });

  it('HEAD, 204 and 304 have no body and keep the connection', async () => {
    server = await rawServer((s, req) => {
      const line = req.toString().split('\r\n')[0];
      if (line.startsWith('HEAD')) s.write('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n');
      else if (line.includes('/204')) s.write('HTTP/1.1 204 No Content\r\n\r\n');
      else s.write('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n');
    });
    const h = await client.send(httpSpec(server.port, { method: 'HEAD' }));
    const n = await client.send(httpSpec(server.port, { target: '/204' }));
    const m = await client.send(httpSpec(server.port, { target: '/304' }));
    assert.deepEqual(
      [h, n, m].map((x) => [x.response!.status, x.response!.body.length, x.connection!.reused]),
      [
        [200, 0, false],
        [204, 0, true],
        [304, 0, true],
      ],
    );
    assert.equal(server.connections, 1);
  });

  it('honours HTTP/1.0 and Connection: close', async () => {
    server = await rawServer((s, req) => {
      if (req.toString().includes('HTTP/1.0')) s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else s.write(OK('ok', 'Connection: close\r\n'));
    });
    const a = await client.send(httpSpec(server.port, { version: 'HTTP/1.0' }));
    const b = await client.send(httpSpec(server.port));
    const c = await client.send(httpSpec(server.port));
    assert.equal(a.connection!.afterwards, 'closed');
    assert.match(a.connection!.closeReason!, /HTTP\/1.0/);
    assert.equal(b.connection!.reused, false);
    assert.match(b.connection!.closeReason!, /Connection: close/);
    assert.equal(c.connection!.reused, false);
    assert.equal(server.connections, 3);
  });

  it('connection refused names the address', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const x = await client.send(httpSpec(port));
    assert.equal(x.error?.phase, 'connect');
    assert.equal(x.error?.message, `Connection refused: nothing is listening on 127.0.0.1:${port}`);
  });

  it('cancelling aborts the socket and says where it stopped', async () => {
    server = await rawServer(() => undefined);
    const ac = new AbortController();
    const p = client.send(httpSpec(server.port), { signal: ac.signal });
    await sleep(100);
    ac.abort();
    const x = await p;
    assert.equal(x.error?.phase, 'cancelled');
    assert.match(x.error!.message, /Cancelled during waiting for the response/);
    await sleep(50);
    assert.equal(server.sockets.size, 0, 'the server saw the socket close');
  });

  it('reports a reset by the peer while waiting', async () => {
    server = await rawServer((s) => s.resetAndDestroy());
    const x = await client.send(httpSpec(server.port, { method: 'POST', body: Buffer.from('x') }));
    assert.ok(x.error);
    assert.match(x.error.message, /reset|closed the connection/);
  });

  it('measures connect, send, first byte and download for a new connection', async () => {
    server = await rawServer((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc');
      setTimeout(() => s.write('def'), 60);
    });
    const x = await client.send(httpSpec(server.port, { host: 'localhost' }));
    const t = x.timings;
    assert.equal(x.error, undefined, x.error?.message);
    assert.ok(t.dnsLookup! >= 0 && t.tcpConnect! >= 0 && t.requestSent! >= 0 && t.firstByte! >= 0);
    assert.ok(t.download! >= 50, `download ${t.download}`);
    assert.ok(t.total >= (t.dnsLookup ?? 0) + t.tcpConnect! + t.download!);
    assert.equal(x.response!.body.toString(), 'abcdef');
  });
});
