/**
 * Issue #9 §1 and §5 against hostile loopback peers: each server writes exact bytes (some of them forever),
 * and the client must stay bounded, say what happened in words, and not reuse a connection it cannot trust.
 */
import { strict as assert } from 'node:assert';
import type * as net from 'node:net';
import * as zlib from 'node:zlib';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { PLAIN, formatAnyExchange } from '../../../src/cli/format';
import { httpExchangeToJson } from '../../../src/core/serialize';
import { httpSpec, rawServer, sleep, type RawServer } from '../../support/servers';

/** Writes `head`, then `unit` over and over (backpressure respected) until `maxBytes` or the client goes away. */
function flood(s: net.Socket, head: string, unit: string, maxBytes: number): void {
  s.write(head);
  const block = Buffer.from(unit.repeat(Math.ceil(65536 / unit.length)), 'latin1');
  let sent = 0;
  const pump = (): void => {
    while (sent < maxBytes && !s.destroyed) {
      sent += block.length;
      if (!s.write(block)) return void s.once('drain', pump);
    }
  };
  pump();
}

/** Writes `bytes` one byte per write, each in its own turn of the event loop. */
async function dribble(s: net.Socket, bytes: string): Promise<void> {
  s.setNoDelay(true);
  for (const c of Buffer.from(bytes, 'latin1')) {
    if (s.destroyed) return;
    s.write(Buffer.from([c]));
    await new Promise((r) => setImmediate(r));
  }
}

describe('HTTP client against hostile loopback peers (issue #9)', () => {
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

  it('endless trailer lines: stops at 256 KB of trailers, keeps 100, and says so (the body is kept)', async () => {
    server = await rawServer((s) => flood(s, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n', 'X-Trailer: 0123456789abcdef\r\n', 64 * 1024 * 1024));
    const x = await client.send(httpSpec(server.port, {}, { timeoutMs: 10_000 }));
    assert.equal(x.error?.phase, 'parse');
    assert.match(x.error!.message, /the trailer section is larger than 256 KB, so reading stopped \(the body was complete; 100 trailer fields kept, \d+ more counted\)/);
    assert.equal(x.response!.body.toString(), 'hello');
    assert.equal(x.response!.trailers.length, 100);
    assert.ok(x.response!.trailersNotKept! > 8000);
    assert.equal(x.connection!.afterwards, 'closed');
  });

  it('endless 103 Early Hints: stops after 1 MB with 16 kept, in words', async () => {
    server = await rawServer((s) => flood(s, '', 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n', 64 * 1024 * 1024));
    const x = await client.send(httpSpec(server.port, {}, { timeoutMs: 10_000 }));
    assert.equal(x.error?.phase, 'parse');
    assert.match(x.error!.message, /more than 1 MB of interim \(1xx\) responses and empty lines came before any final response \(\d+ interim responses, 16 kept\), so reading stopped/);
    assert.ok(x.received.length <= 2 * 1024 * 1024, `kept ${x.received.length} raw bytes`);
  });

  it('many 103s before the final response: 16 kept, the rest counted, in the record, the JSON and the text', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n'.repeat(40) + 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error, undefined);
    assert.equal(x.response!.interim.length, 16);
    assert.equal(x.response!.interimNotKept, 24);
    const note = 'The server sent 40 interim (1xx) responses; the first 16 are kept, 24 more were counted, not kept';
    assert.deepEqual(x.response!.notes, [note]);
    assert.deepEqual(httpExchangeToJson(x).response!.notes, [note]);
    assert.equal(httpExchangeToJson(x).response!.interimNotKept, 24);
    assert.ok(formatAnyExchange(x, 'h', PLAIN, false).includes(`[${note}]`));
  });

  it('CONNECT answered 200 is a tunnel: done at the head, no body, connection closed', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 200 Connection Established\r\n\r\nSSH-2.0-OpenSSH_9.2\r\n'));
    const x = await client.send(httpSpec(server.port, { method: 'CONNECT', target: `127.0.0.1:${server.port}` }, { timeoutMs: 10_000 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response!.status, 200);
    assert.equal(x.response!.tunnel, true);
    assert.equal(x.response!.body.length, 0);
    assert.equal(x.connection!.afterwards, 'closed');
    assert.match(x.connection!.closeReason!, /CONNECT answered 200: the connection became a tunnel/);
    const text = formatAnyExchange(x, 'h', PLAIN, false);
    assert.match(text, /\[CONNECT answered 200: the connection became a tunnel after the headers \(RFC 9112 §6\.3\), so the response has no body; NetReq closed the tunnel\]/);
    assert.match(text, /\[21 bytes that came through the tunnel were ignored\]/);
  });

  it('a blank line after 100 Continue does not lose the final response', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 14\r\n\r\n404: Not Found'));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error, undefined, x.error?.message);
    assert.deepEqual(x.response!.interim.map((i) => i.status), [100]);
    assert.equal(x.response!.status, 404);
    assert.equal(x.response!.body.toString(), '404: Not Found');
    assert.equal(x.connection!.afterwards, 'kept-alive');
  });

  it('a head ending in LF CR LF is a head, and CR inside a value does not make a second header', async () => {
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nX-A: one\rX-Injected: two\nContent-Length: 2\n\r\nok'));
    const x = await client.send(httpSpec(server.port, {}, { timeoutMs: 5000 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.deepEqual(x.response!.headers, [
      ['X-A', 'one X-Injected: two'],
      ['Content-Length', '2'],
    ]);
    assert.equal(x.response!.body.toString(), 'ok');
    assert.match(x.response!.notes!.join(), /1 field value \(X-A\) contained CR or NUL/);
  });

  it('never reuses a connection after Transfer-Encoding with Content-Length, or HTTP/1.0 with Transfer-Encoding', async () => {
    server = await rawServer((s, req) => {
      const v10 = req.toString().startsWith('GET /old');
      s.write(`${v10 ? 'HTTP/1.0 200 OK\r\nConnection: keep-alive' : 'HTTP/1.1 200 OK\r\nContent-Length: 7'}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`);
    });
    const a = await client.send(httpSpec(server.port));
    const b = await client.send(httpSpec(server.port, { target: '/old' }));
    const c = await client.send(httpSpec(server.port));
    for (const x of [a, b, c]) {
      assert.equal(x.response!.body.toString(), 'ok');
      assert.equal(x.connection!.reused, false);
      assert.equal(x.connection!.afterwards, 'closed');
      assert.match(x.connection!.closeReason!, /ambiguous body framing/);
    }
    assert.match(a.response!.notes!.join(), /both Transfer-Encoding and Content-Length/);
    assert.match(b.response!.notes!.join(), /HTTP\/1.0 response with Transfer-Encoding has faulty framing/);
    assert.equal(server.connections, 3);
  });

  it('a gzip body cut short says so', async () => {
    const gz = zlib.gzipSync('hello compressed world '.repeat(50));
    const cut = gz.subarray(0, gz.length - 6);
    server = await rawServer((s) => s.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${cut.length}\r\n\r\n`), cut])));
    const x = await client.send(httpSpec(server.port));
    assert.equal(x.error, undefined);
    assert.match(x.response!.decodeError!, /Could not decode gzip body: the gzip data is cut short \(unexpected end of file\); showing the raw bytes/);
    assert.deepEqual(x.response!.body, cut);
  });

  it('the body cap stops a chunked body the same way in 1-byte writes as in one write', async () => {
    const chunks = Array.from({ length: 12 }, (_, i) => `a\r\n${String.fromCharCode(65 + i).repeat(10)}\r\n`).join('');
    const msg = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`;
    const results: unknown[] = [];
    for (const slow of [false, true]) {
      const srv = await rawServer((s) => void (slow ? dribble(s, msg) : s.write(msg)));
      const x = await client.send(httpSpec(srv.port, {}, { maxResponseBytes: 45, timeoutMs: 10_000 }));
      await srv.close();
      const r = x.response!;
      results.push({ error: x.error, body: r.body.toString(), truncated: r.truncated, onWire: r.bodyBytesOnWire, after: r.bytesAfterResponse, notes: r.notes, closed: x.connection!.closeReason });
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], { error: undefined, body: 'AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDDEEEEE', truncated: true, onWire: 45, after: undefined, notes: undefined, closed: 'response cut at maxResponseBytes; the rest was not read' });
  });

  it('a head in 1-byte writes is read like one write', async () => {
    const msg = `HTTP/1.1 200 OK\r\n${Array.from({ length: 40 }, (_, i) => `X-${i}: ${i}\r\n`).join('')}Content-Length: 2\r\n\r\nok`;
    server = await rawServer((s) => void dribble(s, msg));
    const x = await client.send(httpSpec(server.port, {}, { timeoutMs: 10_000 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response!.headers.length, 41);
    assert.equal(x.response!.body.toString(), 'ok');
  });

  it('an empty Content-Length and status 000 are refused in words', async () => {
    server = await rawServer((s, req) => s.write(req.toString().startsWith('GET /zero') ? 'HTTP/1.1 000 Zero\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nabc'));
    const empty = await client.send(httpSpec(server.port));
    assert.equal(empty.error?.phase, 'parse');
    assert.match(empty.error!.message, /Malformed response: empty Content-Length "", so the body length cannot be known at byte 0/);
    const zero = await client.send(httpSpec(server.port, { target: '/zero' }));
    assert.match(zero.error!.message, /invalid status line "HTTP\/1.1 000 Zero"/);
  });

  it('text output: interim lines carry their own version; bytes after the response are mentioned', async () => {
    server = await rawServer((s) => s.write('HTTP/1.0 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n'));
    const x = await client.send(httpSpec(server.port));
    await sleep(10);
    assert.equal(x.response!.bytesAfterResponse, 19);
    const lines = formatAnyExchange(x, 'h', PLAIN, false).split('\n');
    assert.ok(lines.includes('HTTP/1.0 100 Continue'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('HTTP/1.1 200 OK')));
    assert.ok(lines.includes('[19 bytes after the response were ignored]'), lines.join('\n'));
    assert.match(x.connection!.closeReason!, /server sent 19 bytes after the response/);
  });

  it('a response smuggled inside a body is never read as the next response', async () => {
    server = await rawServer((s, _req, n) => s.write(n === 1 ? 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled' : 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond'));
    const a = await client.send(httpSpec(server.port));
    const b = await client.send(httpSpec(server.port));
    assert.equal(a.response!.body.toString(), 'first');
    assert.equal(b.response!.body.toString(), 'second');
    assert.equal(b.connection!.reused, false);
  });
});
