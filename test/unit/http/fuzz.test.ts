/**
 * Seeded fuzz of the response parser: a few thousand mutated responses, each read at once, in random pieces
 * and byte by byte. It must never throw anything but a PhaseError, must decide the same whatever the split,
 * and must do work linear in the input (counted, not timed).
 */
import { strict as assert } from 'node:assert';
import { ResponseParser } from '../../../src/core/http/response-parser';
import { PhaseError } from '../../../src/core/transport/errors';
import { prng } from '../netreq/helpers';

const SEEDS = [
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n4;a=b\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Sum: 9\r\n\r\n',
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end',
  'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n',
  'HTTP/1.1 200 OK\nA: one\n  two\nContent-Length: 1\n\nx',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n',
  'HTTP/1.1 200 Connection Established\r\n\r\ntunnel bytes',
  'HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n',
];

const PIECES = [
  '\r\n', '\n', '\r', '\0', ' ', '\t', ':', ';', ',', '0', '1', 'f', 'ffffffffffffffffff', '\x0b', '\xa0', '\xff',
  '\r\n\r\n', '\n\r\n', '0\r\n\r\n', 'HTTP/1.1 ', 'HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: <x>\r\n\r\n',
  'Transfer-Encoding: chunked\r\n', 'Transfer-Encoding: gzip, chunked\r\n', 'Content-Length: ', 'Content-Length: 3\r\n', 'Content-Length:\r\n',
  'Connection: close\r\n', 'X-A: b\r\n', ' folded\r\n', '000', '999',
];

function mutate(rand: () => number, seed: string): string {
  let s = seed;
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    const r = rand();
    if (r < 0.35) s = s.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + s.slice(at);
    else if (r < 0.55) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8));
    else if (r < 0.75) s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + s.slice(at + 1);
    else if (r < 0.85) s = s.slice(0, at) + s.slice(at, at + 40).repeat(1 + Math.floor(rand() * 20)) + s.slice(at + 40);
    else s = s.slice(0, at);
  }
  return s;
}

interface Run {
  p: ResponseParser;
  outcome: { err?: string } & Record<string, unknown>;
}

/** Feeds `buf` in the given pieces, then ends the stream; never lets anything but a PhaseError out. */
function run(buf: Buffer, cuts: number[], method: string, max: number, label: string): Run {
  const p = new ResponseParser(method, max);
  let err: string | undefined;
  try {
    let from = 0;
    for (const to of [...cuts, buf.length]) {
      if (to > from) p.push(buf.subarray(from, to));
      from = Math.max(from, to);
    }
    if (!p.done) p.end();
  } catch (e) {
    if (!(e instanceof PhaseError)) assert.fail(`${label}: threw ${e instanceof Error ? e.stack : e}`);
    assert.ok(e.message.length > 10 && !/undefined|NaN|\[object/.test(e.message), `${label}: message ${e.message}`);
    err = `${e.phase}: ${e.message}`;
  }
  const outcome = {
    err,
    done: p.done,
    head: p.head,
    interim: p.interim,
    trailers: p.trailers,
    counted: [p.interimNotKept, p.trailersNotKept, p.extraBytes, p.bodyBytesOnWire, p.truncated, p.tunnel, p.framing],
    body: p.rawBody.toString('latin1'),
    notes: p.notes(),
    keepAlive: p.keepAlive([]),
  };
  return { p, outcome };
}

describe('response parser never throws and does not depend on read boundaries (seeded fuzz)', () => {
  it('reads 3,000 mutated responses at once, in random pieces and byte by byte, with the same result and linear work', () => {
    const rand = prng(0x9e3779b9);
    let errors = 0;
    let complete = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(rand, SEEDS[Math.floor(rand() * SEEDS.length)]);
      const buf = Buffer.from(text, 'latin1');
      const method = rand() < 0.1 ? 'CONNECT' : rand() < 0.1 ? 'HEAD' : 'GET';
      const max = rand() < 0.3 ? Math.floor(rand() * 8) : 1 << 20;
      const label = `input #${i} ${JSON.stringify(text)} (${method}, max ${max})`;
      const whole = run(buf, [], method, max, label);
      const cuts = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => Math.floor(rand() * buf.length)).sort((a, b) => a - b);
      assert.deepEqual(run(buf, cuts, method, max, label).outcome, whole.outcome, `${label} split at ${cuts}`);
      const bytes = run(buf, Array.from({ length: buf.length }, (_, k) => k), method, max, label);
      assert.deepEqual(bytes.outcome, whole.outcome, `${label} byte by byte`);
      assert.ok(bytes.p.work.scanned <= 2 * buf.length + 8 && bytes.p.work.copied <= 4 * buf.length + 512, `${label}: work ${JSON.stringify(bytes.p.work)}`);
      if (whole.outcome.err) errors++;
      else if (whole.p.done) complete++;
    }
    // The mutations reach both sides: plenty of refusals and plenty of complete responses.
    assert.ok(errors > 300 && complete > 300, `errors ${errors}, complete ${complete}`);
  });

  it('random bytes and long runs of one byte are refused or read, in bounded work', () => {
    const rand = prng(7);
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(rand() * 3000);
      const pick = rand();
      const buf = Buffer.alloc(n);
      for (let k = 0; k < n; k++) buf[k] = pick < 0.5 ? Math.floor(rand() * 256) : [10, 13, 32, 58][Math.floor(pick * 8) % 4];
      const prefixed = rand() < 0.5 ? Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n'), buf]) : buf;
      const label = `random input #${i} (${prefixed.length} bytes)`;
      const whole = run(prefixed, [], 'GET', 1 << 20, label);
      const bytes = run(prefixed, Array.from({ length: prefixed.length }, (_, k) => k), 'GET', 1 << 20, label);
      assert.deepEqual(bytes.outcome, whole.outcome, label);
      assert.ok(bytes.p.work.scanned <= 2 * prefixed.length + 8 && bytes.p.work.copied <= 4 * prefixed.length + 512, `${label}: work ${JSON.stringify(bytes.p.work)}`);
    }
  });
});
