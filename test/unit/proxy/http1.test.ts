import { strict as assert } from 'node:assert';
import { BodyFramer, bodyFraming, parseRequestHead, parseResponseHead } from '../../../src/core/proxy/http1';

/** Feeds `bytes` in pieces of `step`; returns how many belonged to the body, and the payload seen. */
function feed(framer: BodyFramer, bytes: Buffer, step: number): { used: number; payload: string } {
  let used = 0;
  let payload = '';
  for (let i = 0; i < bytes.length && !framer.done; i += step) {
    const piece = bytes.subarray(i, Math.min(bytes.length, i + step));
    const n = framer.consume(piece, 0, (p) => (payload += p.toString('latin1')));
    used += n;
    if (n < piece.length) break;
  }
  return { used, payload };
}

describe('proxy HTTP/1.x pieces: heads, framing, where a body ends', () => {
  it('parses request and response heads, and names what is wrong', () => {
    assert.deepEqual(parseRequestHead('GET http://a/b HTTP/1.1\r\nHost: a\r\nX-Y:  z '), { method: 'GET', target: 'http://a/b', minor: 1, headers: [['Host', 'a'], ['X-Y', 'z']] });
    assert.match(parseRequestHead('GET http://a/b') as string, /is not "METHOD target HTTP\/1\.x"/);
    assert.match(parseRequestHead('GET / HTTP/1.1\r\nNo colon here') as string, /header line 2 has no "name:"/);
    assert.match(parseRequestHead('GET / HTTP/1.1\r\nBad Name: x') as string, /header name "Bad Name"/);
    assert.deepEqual(parseResponseHead('HTTP/1.0 204'), { minor: 0, status: 204, reason: '', headers: [] });
    assert.match(parseResponseHead('HTTP/2 200 OK') as string, /status line/);
  });

  it('refuses control bytes in a request target or field value, trims only SP and HTAB, and refuses chunked twice (smuggling sweep)', () => {
    for (const t of ['http://a/b\x00', 'http://a/b\x7f', 'http://a/\x1b[2J', 'http://a/?x=\x01']) assert.match(parseRequestHead(`GET ${t} HTTP/1.1\r\nHost: a`) as string, /request target .* has a control character/, JSON.stringify(t));
    assert.equal((parseRequestHead('GET http://a/\xe9 HTTP/1.1\r\nHost: a') as { target: string }).target, 'http://a/\xe9', 'raw UTF-8 bytes (obs-text) pass');
    for (const v of ['a\x01', '\x1b[31m', 'a\x7fb', '\x0bchunked', 'chunked\x0c']) assert.match(parseRequestHead(`GET http://a/ HTTP/1.1\r\nX-A: ${v}`) as string, /header X-A has a control character/, JSON.stringify(v));
    assert.deepEqual((parseRequestHead('GET http://a/ HTTP/1.1\r\nX-A: \ta b\t ') as { headers: unknown }).headers, [['X-A', 'a b']]);
    // A response keeps them (the client's own parser deals with what an origin sends).
    assert.deepEqual((parseResponseHead('HTTP/1.1 200 OK\r\nX-A: \x0ba') as { headers: unknown }).headers, [['X-A', '\x0ba']]);
    assert.match(bodyFraming([['Transfer-Encoding', '\xa0chunked']], true) as string, /does not end with chunked/);
    assert.match(bodyFraming([['Content-Length', '\xa05']], true) as string, /is not a number/);
    assert.match(bodyFraming([['Transfer-Encoding', 'chunked, chunked']], true) as string, /applies chunked more than once/);
    assert.match(bodyFraming([['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'gzip, chunked']], true) as string, /applies chunked more than once/);
    assert.deepEqual(bodyFraming([['Transfer-Encoding', 'gzip, chunked']], true), { kind: 'chunked' });
    // A request's chunk sizes: at most 16 hex digits, whitespace only before an extension; a response's as before.
    const chunked = (request: boolean, body: string) => {
      const f = new BodyFramer({ kind: 'chunked' }, request);
      f.consume(Buffer.from(body, 'latin1'), 0);
      return f.error ?? (f.done ? 'done' : 'more');
    };
    assert.match(chunked(true, `${'0'.repeat(16)}5\r\nhello\r\n0\r\n\r\n`), /a chunk size has more than 16 hex digits/);
    assert.equal(chunked(true, `${'0'.repeat(15)}5\r\nhello\r\n0\r\n\r\n`), 'done');
    assert.match(chunked(true, '5 \r\nhello\r\n0\r\n\r\n'), /after a chunk size \(only an extension \(";"\) may follow\)/);
    assert.equal(chunked(true, '5 \t ;x=1\r\nhello\r\n0\r\n\r\n'), 'done');
    assert.equal(chunked(false, '5 \r\nhello\r\n0\r\n\r\n'), 'done');
    assert.equal(chunked(false, `${'0'.repeat(20)}5\r\nhello\r\n0\r\n\r\n`), 'done');
  });

  it('decides framing, refusing ambiguous requests and letting chunked win in responses', () => {
    assert.deepEqual(bodyFraming([['Content-Length', '5']], true), { kind: 'length', length: 5 });
    assert.deepEqual(bodyFraming([['Content-Length', '5, 5']], true), { kind: 'length', length: 5 });
    assert.deepEqual(bodyFraming([['Content-Length', '0']], true), { kind: 'none' });
    assert.deepEqual(bodyFraming([], true), { kind: 'none' });
    assert.deepEqual(bodyFraming([], false), { kind: 'close' });
    assert.deepEqual(bodyFraming([['Transfer-Encoding', 'gzip, chunked']], true), { kind: 'chunked' });
    assert.match(bodyFraming([['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], true) as string, /both/);
    assert.deepEqual(bodyFraming([['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], false), { kind: 'chunked' });
    assert.match(bodyFraming([['Transfer-Encoding', 'gzip']], true) as string, /does not end with chunked/);
    assert.deepEqual(bodyFraming([['Transfer-Encoding', 'gzip']], false), { kind: 'close' });
    assert.match(bodyFraming([['Content-Length', '-1']], true) as string, /not a number/);
    assert.match(bodyFraming([['Content-Length', '1'], ['Content-Length', '2']], true) as string, /differing/);
  });

  it('finds the end of a chunked body (extensions, trailers) however the bytes are split, and leaves what follows', () => {
    const body = '5;name=v\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n';
    const next = 'GET / HTTP/1.1\r\n\r\n';
    for (const step of [1, 2, 3, 7, 64, 1000]) {
      const f = new BodyFramer({ kind: 'chunked' });
      const r = feed(f, Buffer.from(body + next, 'latin1'), step);
      assert.equal(f.done, true, `step ${step}`);
      assert.equal(f.error, undefined);
      assert.equal(r.used, body.length, `step ${step}`);
      assert.equal(r.payload, 'hello, world!!!');
    }
  });

  it('stops at the Content-Length and names broken chunked bodies', () => {
    const f = new BodyFramer({ kind: 'length', length: 4 });
    assert.equal(f.consume(Buffer.from('abcdefg'), 1), 4);
    assert.equal(f.done, true);
    for (const [bad, why] of [
      ['x\r\n', /starts with byte 0x78/],
      ['3\r\nabcd\r\n', /longer than its size says/],
      ['3\nabc', /byte 0x0a in a chunk size/],
      ['3\r\nabc\r\n0\r\nX: 1\rY', /trailer line does not end with CRLF/],
      ['3 z\r\nabc\r\n0\r\n\r\n', /byte 0x7a after a chunk size/],
      ['3 \t;a=b\r\nabc\r\n0 \r\n\r\n', undefined],
      ['0\r\nGET /admin HTTP/1.1\r\n\r\n', /byte 0x20 in a trailer name/],
      ['0\r\nNoColon\r\n\r\n', /trailer line has no "name:"/],
      ['0\r\n: v\r\n\r\n', /empty name/],
      ['0\r\nX-Ok: 1\r\n\r\n', undefined],
    ] as const) {
      const g = new BodyFramer({ kind: 'chunked' });
      g.consume(Buffer.from(bad), 0);
      if (why) assert.match(g.error ?? '', why, bad);
      else assert.equal(g.error, undefined, bad);
    }
  });
});
