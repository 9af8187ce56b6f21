import { strict as assert } from 'node:assert';
import { REDACTED, redactHeadText, redactHeaderList, redactHeads, redactNames } from '../../../src/extension/history/redact';

const NAMES = redactNames(['Authorization', 'Cookie', 'Set-Cookie', 'Proxy-Authorization']);

describe('history redaction (pure)', () => {
  it('reads the setting as lower-cased names, dropping what is not a name', () => {
    assert.deepEqual([...redactNames(['X-Api-Key', ' Cookie ', '', 3, null, 'a'.repeat(300)])], ['x-api-key', 'cookie']);
    assert.equal(redactNames('Authorization').size, 0);
    assert.equal(redactNames(new Array(10_000).fill('x')).size, 1);
  });

  it('replaces the named headers of a list, in any case, and leaves the others', () => {
    const h: Array<[string, string]> = [
      ['authorization', 'Bearer s3cret'],
      ['Accept', 'application/json'],
      ['COOKIE', 'sid=abc'],
    ];
    assert.deepEqual(redactHeaderList(h, NAMES), [
      ['authorization', REDACTED],
      ['Accept', 'application/json'],
      ['COOKIE', REDACTED],
    ]);
    const clean: Array<[string, string]> = [['Accept', '*/*']];
    assert.equal(redactHeaderList(clean, NAMES), clean, 'nothing named: the same list');
  });

  it('replaces header values in a raw request head (CRLF), keeping the body and line endings', () => {
    const raw = Buffer.from('POST /x HTTP/1.1\r\nHost: a\r\nAuthorization: Basic dXNlcjpwYXNz\r\nContent-Length: 27\r\n\r\nAuthorization: not a header');
    const out = redactHeads(raw, NAMES).toString('utf8');
    assert.equal(out, `POST /x HTTP/1.1\r\nHost: a\r\nAuthorization: ${REDACTED}\r\nContent-Length: 27\r\n\r\nAuthorization: not a header`);
  });

  it('follows interim answers to the final head in received bytes (LF endings too)', () => {
    const raw = Buffer.from('HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nSet-Cookie: sid=1; HttpOnly\nset-cookie:b=2\n\nbody Set-Cookie: x');
    const out = redactHeads(raw, NAMES).toString('utf8');
    assert.equal(out, `HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nSet-Cookie: ${REDACTED}\nset-cookie:${REDACTED}\n\nbody Set-Cookie: x`);
  });

  it('redacts a CONNECT head to a proxy and the request head that follows it in the same bytes', () => {
    const raw = Buffer.from('CONNECT a:443 HTTP/1.1\r\nProxy-Authorization: Basic cDpx\r\n\r\nGET / HTTP/1.1\r\nCookie: c=1\r\n\r\n');
    assert.equal(redactHeads(raw, NAMES).toString('utf8'), `CONNECT a:443 HTTP/1.1\r\nProxy-Authorization: ${REDACTED}\r\n\r\nGET / HTTP/1.1\r\nCookie: ${REDACTED}\r\n\r\n`);
  });

  it('leaves bytes that do not start with an HTTP head as they are (same buffer)', () => {
    for (const s of ['hello Authorization: x\r\n', '\x16\x03\x01\x00', '', 'GET / HTTP/1.1']) {
      const b = Buffer.from(s, 'latin1');
      assert.equal(redactHeads(b, NAMES), b);
    }
  });

  it('stays bounded on a hostile head: a long run of header lines without an end', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? 'Cookie: v' : 'X: y')).join('\r\n');
    const raw = Buffer.from(`HTTP/1.1 200 OK\r\n${lines}`);
    const out = redactHeads(raw, NAMES);
    assert.equal(out.length > 0, true);
    assert.ok(!out.subarray(0, 200 * 1024).toString('latin1').includes('Cookie: v\r'), 'the first 200 KB has no cookie value left');
  });

  it('redacts a WebSocket upgrade head kept as text', () => {
    const head = 'GET /chat HTTP/1.1\r\nHost: h\r\nCookie: t=1\r\nUpgrade: websocket\r\n\r\n';
    assert.equal(redactHeadText(head, NAMES), `GET /chat HTTP/1.1\r\nHost: h\r\nCookie: ${REDACTED}\r\nUpgrade: websocket\r\n\r\n`);
    assert.equal(redactHeadText(head, new Set()), head);
  });
});
