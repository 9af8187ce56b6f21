import { strict as assert } from 'node:assert';
import { ResponseParser } from '../../../src/core/http/response-parser';
import { PhaseError } from '../../../src/core/transport/errors';

function parseAll(text: string | Buffer, method = 'GET', max = 1 << 20, splitAt?: number): ResponseParser {
  const buf = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const p = new ResponseParser(method, max);
  if (splitAt === undefined) p.push(buf);
  else {
    p.push(buf.subarray(0, splitAt));
    if (!p.done) p.push(buf.subarray(splitAt));
  }
  return p;
}

function parseError(text: string, method = 'GET'): PhaseError {
  try {
    const p = parseAll(text, method);
    if (!p.done) p.end();
  } catch (e) {
    assert.ok(e instanceof PhaseError, `expected PhaseError, got ${e}`);
    return e;
  }
  assert.fail('expected a parse error');
}

describe('ResponseParser', () => {
  it('parses status, headers in order with repeats, and a Content-Length body', () => {
    const p = parseAll('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Y:  z \r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\nhello');
    assert.ok(p.done);
    assert.deepEqual(p.head, {
      version: 'HTTP/1.1',
      status: 200,
      reason: 'OK',
      headers: [
        ['Set-Cookie', 'a=1'],
        ['X-Y', 'z'],
        ['Set-Cookie', 'b=2'],
        ['Content-Length', '5'],
      ],
    });
    assert.equal(p.framing, 'content-length');
    assert.equal(p.rawBody.toString(), 'hello');
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const msg = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (let i = 1; i < msg.length; i++) {
      const p = parseAll(msg, 'GET', 1 << 20, i);
      assert.ok(p.done, `split at ${i}`);
      assert.equal(p.rawBody.toString(), 'hello world', `split at ${i}`);
      assert.deepEqual(p.trailers, [['X-Trailer', 't']]);
    }
  });

  it('reads a body until close when there is no length', () => {
    const p = parseAll('HTTP/1.0 200 OK\r\n\r\nuntil the end');
    assert.equal(p.done, false);
    assert.equal(p.framing, 'close');
    p.end();
    assert.ok(p.done);
    assert.equal(p.rawBody.toString(), 'until the end');
    assert.equal(p.keepAlive([]), false);
  });

  it('keeps 1xx interim responses and parses the final one', () => {
    const p = parseAll('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
    assert.ok(p.done);
    assert.deepEqual(
      p.interim.map((i) => i.status),
      [100, 103],
    );
    assert.deepEqual(p.interim[1].headers, [['Link', '</a.css>']]);
    assert.equal(p.head!.status, 201);
  });

  it('reads no body for HEAD, 204 and 304 even with a Content-Length', () => {
    assert.ok(parseAll('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', 'HEAD').done);
    assert.ok(parseAll('HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n').done);
    assert.ok(parseAll('HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n').done);
  });

  it('accepts bare LF line endings and obsolete line folding', () => {
    const p = parseAll('HTTP/1.1 200 OK\nA: one\n  two\nContent-Length: 1\n\nx');
    assert.ok(p.done);
    assert.deepEqual(p.head!.headers[0], ['A', 'one two']);
  });

  it('names what was wrong and where', () => {
    assert.match(parseError('HTPP/1.1 200 OK\r\n\r\n').message, /invalid status line "HTPP\/1.1 200 OK".*at byte 0/);
    assert.match(parseError('HTTP/1.1 2000 OK\r\n\r\n').message, /invalid status line/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n').message, /invalid header line 2 "no colon here" \(no colon\) at byte 17/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n').message, /conflicting Content-Length values: 3, 4/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n').message, /invalid Content-Length "-1"/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').message, /invalid chunk size "zz"/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n').message, /expected CRLF after chunk data/);
    assert.equal(parseError('garbage!').phase, 'parse');
  });

  it('reports a premature close with what it got', () => {
    assert.match(parseError('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc').message, /got 3 of 10 bytes/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n').message, /no final 0-size chunk/);
    assert.match(parseError('HTTP/1.1 200 OK\r\nA: b').message, /middle of the response headers/);
    const none = new ResponseParser('GET', 100);
    assert.throws(() => none.end(), /without sending a response/);
  });

  it('cuts the body at the cap, counts what was sent, and is not reusable', () => {
    const p = parseAll(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(1000)}`, 'GET', 100);
    assert.ok(p.done);
    assert.ok(p.truncated);
    assert.equal(p.rawBody.length, 100);
    assert.equal(p.keepAlive([]), false);
  });

  it('decides keep-alive from versions and Connection headers', () => {
    const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    assert.equal(parseAll(ok).keepAlive([]), true);
    assert.equal(parseAll(ok).keepAlive([['Connection', 'close']]), false);
    assert.equal(parseAll('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').keepAlive([]), false);
    assert.equal(parseAll('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive([]), false);
    assert.equal(parseAll('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').keepAlive([]), true);
  });

  it('rejects headers larger than 256 KB instead of buffering forever', () => {
    const p = new ResponseParser('GET', 100);
    p.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
    assert.throws(() => {
      for (let i = 0; i < 300; i++) p.push(Buffer.from(`X-${i}: ${'a'.repeat(1000)}\r\n`));
    }, /larger than 256 KB/);
  });
});
