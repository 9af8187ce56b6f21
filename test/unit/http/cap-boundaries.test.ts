/**
 * The response parser's caps at their exact boundaries (an outside review's attack on the limits): a head, a
 * trailer section, the interim responses and the body each exactly at the cap are read whole, one byte more is
 * refused (or cut) in words, and the outcome is the same whatever the read boundaries (at once, split at every
 * offset near either end, in 997-byte pieces). A 2xx to CONNECT followed by tunnel bytes is a tunnel whatever
 * the split. The client stops reading at the end of a message, so only bytes after the end are split-dependent.
 */
import { strict as assert } from 'node:assert';
import { MAX_HEAD_BYTES, MAX_INTERIM_BYTES, ResponseParser } from '../../../src/core/http/response-parser';
import { PhaseError } from '../../../src/core/transport/errors';

/** Reads `bytes` split at `cuts` (stopping at the end of the message, as the client does); what it decided. */
function read(bytes: Buffer, cuts: number[], method: string, max: number): string {
  const p = new ResponseParser(method, max);
  try {
    let at = 0;
    for (const c of [...cuts, bytes.length]) {
      if (p.done) break;
      p.push(bytes.subarray(at, c));
      at = c;
    }
    if (!p.done) p.end();
    return JSON.stringify({ status: p.head?.status, body: p.rawBody.length, truncated: p.truncated, interim: p.interim.length + p.interimNotKept, trailers: p.trailers.length + p.trailersNotKept, tunnel: p.tunnel });
  } catch (e) {
    assert.ok(e instanceof PhaseError, `a PhaseError, not ${e}`);
    return `error: ${e.message.replace(/ at byte \d+$/, '')}`;
  }
}

/** The one outcome of reading `text` every way; fails naming the splits that disagree. */
function everyWay(text: string, method = 'GET', max = 1000): string {
  const bytes = Buffer.from(text, 'latin1');
  const ways: [string, number[]][] = [
    ['at once', []],
    ['in 997-byte pieces', Array.from({ length: Math.floor((bytes.length - 1) / 997) }, (_, i) => (i + 1) * 997)],
  ];
  for (let i = 1; i < Math.min(bytes.length, 24); i++) ways.push([`split at ${i}`, [i]]);
  for (let i = Math.max(1, bytes.length - 24); i < bytes.length; i++) ways.push([`split at ${i}`, [i]]);
  const seen = new Map<string, string>();
  for (const [name, cuts] of ways) {
    const r = read(bytes, cuts, method, max);
    if (!seen.has(r)) seen.set(r, name);
  }
  assert.equal(seen.size, 1, `the outcome depends on the reads:\n${[...seen].map(([r, w]) => `${w}: ${r}`).join('\n')}`);
  return [...seen.keys()][0];
}

const pad = (total: number, start: string, end: string) => start + 'x'.repeat(total - start.length - end.length) + end;
const ok = (fields: Record<string, unknown>) => (r: string) => {
  const o = JSON.parse(r) as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) assert.equal(o[k], v, `${k} in ${r}`);
};

describe('response parser: caps at their exact boundaries, whatever the reads', function () {
  this.timeout(20_000);

  it('a head of exactly 256 KB (CRLF, LF or LF CR LF ending) is read; one byte more is refused', () => {
    const start = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-P: ';
    for (const end of ['\r\n\r\n', '\n\n', '\n\r\n']) ok({ status: 200, body: 2 })(everyWay(`${pad(MAX_HEAD_BYTES, start, end)}ok`));
    assert.equal(everyWay(`${pad(MAX_HEAD_BYTES + 1, start, '\r\n\r\n')}ok`), 'error: Malformed response: response headers are larger than 256 KB');
  });

  it('a trailer section of exactly 256 KB is read; one byte more is refused, saying the body was complete', () => {
    const start = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n';
    ok({ status: 200, body: 2, trailers: 1 })(everyWay(`${start}${pad(MAX_HEAD_BYTES - 2, 'X-T: ', '\r\n')}\r\n`));
    assert.match(everyWay(`${start}${pad(MAX_HEAD_BYTES - 1, 'X-T: ', '\r\n')}\r\n`), /^error: .*the trailer section is larger than 256 KB, so reading stopped \(the body was complete; 1 trailer field kept\)$/);
  });

  it('interim responses and empty lines of exactly 1 MB before the final response are read; one byte more is refused', () => {
    const final = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    const one = pad(MAX_INTERIM_BYTES / 16, 'HTTP/1.1 103 Early Hints\r\nX: ', '\r\n\r\n');
    ok({ status: 200, interim: 16 })(everyWay(one.repeat(16) + final));
    assert.match(everyWay(`${one.repeat(16)}\n${final}`), /^error: .*more than 1 MB of interim \(1xx\) responses and empty lines came before any final response \(16 interim responses, 16 kept\)/);
    ok({ status: 200, interim: 0 })(everyWay('\r\n'.repeat(MAX_INTERIM_BYTES / 2) + final));
    assert.match(everyWay(`${'\r\n'.repeat(MAX_INTERIM_BYTES / 2)}\n${final}`), /more than 1 MB of interim/);
    // A 1xx has no body: bytes after its head are the next status line.
    assert.match(everyWay(`HTTP/1.1 100 Continue\r\nContent-Length: 3\r\n\r\nabc${final}`), /invalid status line "abcHTTP\/1\.1 200 OK"/);
  });

  it('a body of exactly maxResponseBytes is whole; one byte more is cut there (Content-Length, chunked, until close)', () => {
    const b = (n: number) => 'b'.repeat(n);
    for (const [n, truncated] of [
      [1000, false],
      [1001, true],
    ] as const) {
      ok({ body: 1000, truncated })(everyWay(`HTTP/1.1 200 OK\r\nContent-Length: ${n}\r\n\r\n${b(n)}`));
      ok({ body: 1000, truncated })(everyWay(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${n.toString(16)}\r\n${b(n)}\r\n0\r\n\r\n`));
      ok({ body: 1000, truncated })(everyWay(`HTTP/1.1 200 OK\r\n\r\n${b(n)}`));
    }
    ok({ body: 1000, truncated: false })(everyWay(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1f4\r\n${b(500)}\r\n1f4\r\n${b(500)}\r\n0\r\n\r\n`));
    ok({ body: 1000, truncated: true })(everyWay(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n${b(1000)}\r\n1\r\nc\r\n0\r\n\r\n`));
  });

  it('a 2xx to CONNECT followed by tunnel bytes (even with Content-Length or chunked, or after a 100) is a tunnel, never a body', () => {
    for (const text of [
      'HTTP/1.1 200 Connection Established\r\n\r\nSSH-2.0-x\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloworld',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nxyz',
      'HTTP/1.1 299 X\r\n\r\nabc',
    ])
      ok({ tunnel: true, body: 0 })(everyWay(text, 'CONNECT'));
    ok({ tunnel: false, status: 407, body: 3 })(everyWay('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 3\r\n\r\nabc', 'CONNECT'));
  });
});
