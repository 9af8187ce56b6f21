import { strict as assert } from 'node:assert';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { NetreqDocument } from '../../../src/core/netreq/types';
import { ctx, prng } from './helpers';

/** Fragments that poke at every rule; glued at random with random bytes in between. */
const PIECES = [
  '###', '### t', '#', '//', '# @', '# @name x', '# @timeout ', '# @hex', '# @raw', '# @eol lf', '# @ttl 999', '# @repeat 3 every',
  '# @wait', '# @read-until \\x', '# @max-bytes 1MB', '# @proxy http://', '# @connect ', '# @tls', '@', '@x = ', '@x = {{x}}', '@y={{',
  'GET ', 'POST ', 'get ', 'PURGE ', 'HEAD ', 'CONNECT ', 'OPTIONS * ', 'http://', 'https://', 'ws://', 'wss://', 'TCP ', 'TLS ', 'QOTD ', 'DAYTIME ',
  'ECHO ', 'UDP ', 'MULTICAST ', 'WS ', '[::1]', '[', ']', '::', ':', ':0', ':65536', ':80', '224.0.0.1', '10.0.0.1', 'host', '/', '?', '&', '#frag',
  ' HTTP/1.1', ' HTTP/2', 'Host: ', 'Content-Type: json', ': ', '{{', '}}', '{{$', '{{$guid}}', '{{$datetime "', '{{%', '{{$randomInt 9 1}}',
  '{{$processEnv %', '{{$dotenv X}}', '< ', '<@ ', '> ', '>hex ', 'zz', '0x', '\r\n', '\n', '\r', '\t', ' ', '\u0000', '\uffff', '\ud800', 'é', '"',
];

function randomText(rand: () => number): string {
  const n = Math.floor(rand() * 40);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.75) s += PIECES[Math.floor(rand() * PIECES.length)];
    else if (r < 0.9) s += String.fromCharCode(Math.floor(rand() * 128));
    else s += String.fromCharCode(Math.floor(rand() * 0x10000));
  }
  return s;
}

function checkShape(doc: NetreqDocument, text: string): void {
  assert.ok(Array.isArray(doc.blocks) && Array.isArray(doc.variables) && Array.isArray(doc.diagnostics));
  const lines = text.split(/\r\n|\n|\r/).length;
  let prevEnd = -1;
  for (const b of doc.blocks) {
    assert.ok(b.startLine > prevEnd && b.endLine >= b.startLine && b.endLine < lines, `block range ${b.startLine}-${b.endLine} of ${lines}`);
    prevEnd = b.endLine;
  }
  for (const d of doc.diagnostics) {
    assert.ok(['error', 'warning', 'info'].includes(d.severity));
    assert.ok(d.code.length > 0 && d.message.length > 0);
    assert.ok(d.span.start.line >= 0 && d.span.start.line < lines && d.span.start.col >= 0, JSON.stringify(d));
    assert.ok(d.span.end.line > d.span.start.line || d.span.end.col >= d.span.start.col, JSON.stringify(d));
    assert.notEqual(d.code, 'internal-error', d.message);
  }
}

describe('netreq never throws (seeded fuzz)', () => {
  it('parses 2,000 random inputs without throwing, with sane ranges and spans', () => {
    const rand = prng(0xc0ffee);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(rand);
      let doc: NetreqDocument;
      try {
        doc = parseNetreq(text);
      } catch (e) {
        assert.fail(`parseNetreq threw on input #${i} ${JSON.stringify(text)}: ${e}`);
      }
      checkShape(doc, text);
    }
  });

  it('resolves the blocks of 300 random inputs without throwing', async () => {
    const rand = prng(42);
    const c = ctx({ overrides: { x: 'v' }, environments: { $shared: { host: 'h' } }, readFile: async () => Buffer.from('{{x}}') });
    for (let i = 0; i < 300; i++) {
      const text = randomText(rand);
      const doc = parseNetreq(text);
      for (const b of doc.blocks) {
        const r = await resolveBlock(doc, b, c);
        assert.equal(typeof r.ok, 'boolean');
        for (const d of r.diagnostics) assert.notEqual(d.code, 'internal-error', `${JSON.stringify(text)}: ${d.message}`);
      }
    }
  });

  it('accepts non-string input from careless callers', () => {
    assert.deepEqual(parseNetreq(undefined as unknown as string).blocks, []);
    assert.deepEqual(parseNetreq(42 as unknown as string).diagnostics.map((d) => d.code), ['unknown-protocol']);
  });

  it('handles pathological lines linearly (no regex backtracking)', () => {
    const long = `GET http://h/${'{'.repeat(50_000)}${'a'.repeat(50_000)} HTTP/1.1\n${'X: '.repeat(20_000)}\n\n${'{{'.repeat(20_000)}`;
    const t0 = Date.now();
    const doc = parseNetreq(long);
    assert.ok(doc.blocks.length === 1);
    assert.ok(Date.now() - t0 < 2000, 'took too long');
  });
});
