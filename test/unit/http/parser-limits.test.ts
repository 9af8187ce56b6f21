import { strict as assert } from 'node:assert';
import { MAX_HEAD_BYTES, MAX_INTERIM_KEPT, MAX_TRAILERS_KEPT, ResponseParser } from '../../../src/core/http/response-parser';
import { PhaseError } from '../../../src/core/transport/errors';

/** Pushes `text` in pieces of `piece` bytes; returns the parser and the error it threw (if any). */
function feed(text: string | Buffer, piece = Infinity, method = 'GET', max = 1 << 20): { p: ResponseParser; err?: PhaseError } {
  const buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const p = new ResponseParser(method, max);
  try {
    for (let i = 0; i < buf.length; i += piece) p.push(buf.subarray(i, Math.min(buf.length, i + piece)));
    if (!p.done) p.end();
  } catch (e) {
    assert.ok(e instanceof PhaseError, `expected a PhaseError, got ${e}`);
    return { p, err: e };
  }
  return { p };
}

/** Everything a parse decided, to compare two ways of reading the same bytes. */
function outcome(r: { p: ResponseParser; err?: PhaseError }): unknown {
  const { p } = r;
  return {
    err: r.err?.message,
    done: p.done,
    head: p.head,
    interim: p.interim,
    interimNotKept: p.interimNotKept,
    trailers: p.trailers,
    trailersNotKept: p.trailersNotKept,
    body: p.rawBody.toString('latin1'),
    truncated: p.truncated,
    bodyBytesOnWire: p.bodyBytesOnWire,
    extraBytes: p.extraBytes,
    notes: p.notes(),
  };
}

describe('ResponseParser limits and RFC 9110/9112 conformance', () => {
  it('keeps 16 interim responses, counts the rest, and says so', () => {
    const hint = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n';
    const { p, err } = feed(hint.repeat(100) + 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    assert.equal(err, undefined);
    assert.equal(p.interim.length, MAX_INTERIM_KEPT);
    assert.equal(p.interimNotKept, 100 - MAX_INTERIM_KEPT);
    assert.equal(p.head!.status, 200);
    assert.deepEqual(p.notes(), ['The server sent 100 interim (1xx) responses; the first 16 are kept, 84 more were counted, not kept']);
  });

  it('stops after 1 MB of interim responses with no final response, in words', () => {
    const hint = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n';
    const n = Math.ceil((1024 * 1024) / hint.length) + 10;
    const { p, err } = feed(hint.repeat(n), 64 * 1024);
    assert.match(err!.message, /^Malformed response: more than 1 MB of interim \(1xx\) responses and empty lines came before any final response \(\d+ interim responses, 16 kept\), so reading stopped at byte \d+$/);
    assert.equal(p.interim.length, MAX_INTERIM_KEPT);
    assert.ok(p.interimNotKept > 20_000);
  });

  it('keeps 100 trailer fields, counts the rest, and stops past 256 KB of trailers', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n';
    const few = feed(`${head}${Array.from({ length: 150 }, (_, i) => `X-T${i}: v\r\n`).join('')}\r\n`);
    assert.equal(few.err, undefined);
    assert.equal(few.p.trailers.length, MAX_TRAILERS_KEPT);
    assert.equal(few.p.trailersNotKept, 50);
    assert.deepEqual(few.p.trailers[0], ['X-T0', 'v']);
    assert.match(few.p.notes().join('\n'), /The server sent 150 trailer fields; the first 100 are kept, 50 more were counted, not kept/);

    const endless = feed(head + 'X-Trailer: 0123456789\r\n'.repeat(20_000), 1000);
    assert.match(endless.err!.message, /the trailer section is larger than 256 KB, so reading stopped \(the body was complete; 100 trailer fields kept, \d+ more counted\)/);
    assert.equal(endless.p.rawBody.toString(), 'ok');
    assert.equal(endless.p.trailers.length, MAX_TRAILERS_KEPT);
  });

  it('reads a 250 KB head and trailer section in 1-byte pieces with linear work', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `X-${String(i).padStart(5, '0')}: ${'v'.repeat(88)}\r\n`).join('');
    const msg = Buffer.from(`HTTP/1.1 200 OK\r\n${fields(2500)}Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n${fields(2000)}\r\n`, 'latin1');
    assert.ok(msg.length > 400_000 && fields(2500).length < MAX_HEAD_BYTES);
    const whole = feed(msg);
    const bytes = feed(msg, 1);
    assert.equal(bytes.err, undefined);
    assert.deepEqual(outcome(bytes), outcome(whole));
    assert.equal(bytes.p.head!.headers.length, 2501);
    // Each byte is examined a bounded number of times, however the input was split (quadratic would be ~1e11).
    assert.ok(bytes.p.work.scanned <= 2 * msg.length, `scanned ${bytes.p.work.scanned} for ${msg.length} bytes`);
    assert.ok(bytes.p.work.copied <= 4 * msg.length, `copied ${bytes.p.work.copied} for ${msg.length} bytes`);
  });

  it('stops a chunked body at the cap the same way whatever the read boundaries', () => {
    const chunks = Array.from({ length: 20 }, (_, i) => `a\r\n${String.fromCharCode(65 + i).repeat(10)}\r\n`).join('');
    const msg = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\nHTTP/1.1 200 OK\r\n`;
    const reference = outcome(feed(msg, Infinity, 'GET', 55));
    for (const piece of [1, 2, 3, 7, 13, 64]) assert.deepEqual(outcome(feed(msg, piece, 'GET', 55)), reference, `pieces of ${piece}`);
    const r = feed(msg, 1, 'GET', 55);
    assert.ok(r.p.truncated);
    assert.equal(r.p.bodyBytesOnWire, 55);
    assert.equal(r.p.extraBytes, 0);
    // A body exactly at the cap is not cut.
    const exact = feed(msg, 1, 'GET', 200);
    assert.equal(exact.p.truncated, false);
    assert.equal(exact.p.rawBody.length, 200);
  });

  it('a head or a chunk line over its limit fails the same way in one read or many', () => {
    const big = `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`;
    assert.deepEqual(outcome(feed(big)), outcome(feed(big, 4096)));
    assert.match(feed(big).err!.message, /response headers are larger than 256 KB at byte 0/);
    const ext = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(5000)}\r\nx\r\n0\r\n\r\n`;
    assert.deepEqual(outcome(feed(ext)), outcome(feed(ext, 1)));
    assert.match(feed(ext).err!.message, /chunk size line is longer than 4 KB/);
  });

  it('skips empty lines before a status line (after a 1xx too) and says so', () => {
    const { p, err } = feed('\r\nHTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 14\r\n\r\n404: Not Found');
    assert.equal(err, undefined);
    assert.equal(p.head!.status, 404);
    assert.equal(p.rawBody.toString(), '404: Not Found');
    assert.deepEqual(p.notes(), ['2 empty lines before a status line were ignored']);
  });

  it('takes LF CR LF as the end of a head', () => {
    for (const piece of [Infinity, 1]) {
      const { p, err } = feed('HTTP/1.1 200 OK\nContent-Length: 2\n\r\nok', piece);
      assert.equal(err, undefined);
      assert.deepEqual(p.head!.headers, [['Content-Length', '2']]);
      assert.equal(p.rawBody.toString(), 'ok');
    }
  });

  it('turns CR and NUL inside a field value into spaces, and says so', () => {
    const { p } = feed('HTTP/1.1 200 OK\r\nX-A: one\rX-Injected: two\r\nX-B: n\0ul\r\nContent-Length: 0\r\n\r\n');
    assert.deepEqual(p.head!.headers, [
      ['X-A', 'one X-Injected: two'],
      ['X-B', 'n ul'],
      ['Content-Length', '0'],
    ]);
    assert.deepEqual(p.notes(), ['2 field values (X-A, X-B) contained CR or NUL, which RFC 9110 §5.5 forbids; each such byte was replaced with a space']);
  });

  it('folds obs-fold lines without a leading space after an empty first line', () => {
    const { p } = feed('HTTP/1.1 200 OK\r\nX-A:\r\n  two\r\n\tthree\r\nContent-Length: 0\r\n\r\n');
    assert.deepEqual(p.head!.headers[0], ['X-A', 'two three']);
  });

  it('trims only SP and HTAB from values and chunk sizes (VT, FF and NBSP are data)', () => {
    const { p } = feed('HTTP/1.1 200 OK\r\nX-A: \x0bv\x0c\xa0 \t\r\nContent-Length: 0\r\n\r\n');
    assert.deepEqual(p.head!.headers[0], ['X-A', '\x0bv\x0c\xa0']);
    for (const bad of ['\x0b2', '2\x0c', '\xa02']) {
      const r = feed(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${bad}\r\nok\r\n0\r\n\r\n`);
      assert.match(r.err!.message, /invalid chunk size/, JSON.stringify(bad));
    }
    assert.equal(feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \t; x=1\r\nok\r\n0\r\n\r\n').p.rawBody.toString(), 'ok');
  });

  it('refuses an empty Content-Length and a status outside 100–999', () => {
    assert.match(feed('HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nabc').err!.message, /empty Content-Length "", so the body length cannot be known/);
    assert.match(feed('HTTP/1.1 200 OK\r\nContent-Length: 3,\r\n\r\nabc').err!.message, /empty Content-Length/);
    for (const s of ['000', '099', '012']) assert.match(feed(`HTTP/1.1 ${s} X\r\nContent-Length: 0\r\n\r\n`).err!.message, /invalid status line/, s);
    assert.equal(feed('HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n').p.head!.status, 999);
  });

  it('a 2xx answer to CONNECT ends at the head: a tunnel, no body, never reused', () => {
    const { p, err } = feed('HTTP/1.1 200 Connection Established\r\nContent-Length: 10\r\n\r\nSSH-2.0-x\r\n', Infinity, 'CONNECT');
    assert.equal(err, undefined);
    assert.ok(p.done && p.tunnel);
    assert.equal(p.rawBody.length, 0);
    assert.equal(p.extraBytes, 11);
    assert.equal(p.keepAlive([]), false);
    assert.match(p.notes().join('\n'), /CONNECT answered 200: the connection became a tunnel.*\n11 bytes that came through the tunnel were ignored/);
    const refused = feed('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 4\r\n\r\nauth', Infinity, 'CONNECT');
    assert.equal(refused.p.tunnel, false);
    assert.equal(refused.p.rawBody.toString(), 'auth');
  });

  it('never reuses a connection after ambiguous framing', () => {
    const both = feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\nok\r\n0\r\n\r\n').p;
    assert.equal(both.rawBody.toString(), 'ok');
    assert.equal(both.keepAlive([]), false);
    assert.match(both.ambiguousFraming!, /both Transfer-Encoding and Content-Length/);
    const old = feed('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n').p;
    assert.equal(old.rawBody.toString(), 'ok');
    assert.equal(old.keepAlive([]), false);
    assert.match(old.ambiguousFraming!, /HTTP\/1.0 response with Transfer-Encoding/);
  });

  it('counts bytes after the response and says so', () => {
    const { p } = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n');
    assert.equal(p.extraBytes, 17);
    assert.deepEqual(p.notes(), ['17 bytes after the response were ignored']);
  });

  it('keeps each interim response’s own version', () => {
    const { p } = feed('HTTP/1.0 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    assert.equal(p.interim[0].version, 'HTTP/1.0');
    assert.equal(p.head!.version, 'HTTP/1.1');
  });
});
