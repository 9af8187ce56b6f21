import { strict as assert } from 'node:assert';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { NetreqDocument } from '../../../src/core/netreq/types';
import { assertLinear, ctx, prng } from './helpers';

/** Fragments that poke at every rule; glued at random with random bytes in between. */
const PIECES = [
  '###', '### t', '#', '//', '# @', '# @name x', '# @timeout ', '# @hex', '# @raw', '# @eol lf', '# @ttl 999', '# @repeat 3 every',
  '# @wait', '# @read-until \\x', '# @max-bytes 1MB', '# @proxy http://', '# @connect ', '# @tls', '@', '@x = ', '@x = {{x}}', '@y={{',
  'GET ', 'POST ', 'get ', 'PURGE ', 'HEAD ', 'CONNECT ', 'OPTIONS * ', 'http://', 'https://', 'ws://', 'wss://', 'TCP ', 'TLS ', 'QOTD ', 'DAYTIME ',
  'ECHO ', 'UDP ', 'MULTICAST ', 'WS ', '[::1]', '[', ']', '::', ':', ':0', ':65536', ':80', '224.0.0.1', '10.0.0.1', 'host', '/', '?', '&', '#frag',
  ' HTTP/1.1', ' HTTP/2', 'Host: ', 'Content-Type: json', ': ', '{{', '}}', '{{$', '{{$guid}}', '{{$datetime "', '{{%', '{{$randomInt 9 1}}',
  '{{$processEnv %', '{{$dotenv X}}', '< ', '<@ ', '> ', '>hex ', 'zz', '0x', '\r\n', '\n', '\r', '\t', ' ', '\u0000', '\uffff', '\ud800', 'é', '"',
  // Issue #9 §6: doubling and chained variables, lone surrogates, nested references, Object.prototype names.
  '\n@d = {{d2}}{{d2}}{{d2}}{{d2}}\n', '\n@d2 = {{x}}{{x}}{{x}}{{x}}\n', '{{d}}', '\n@c1 = {{c2}}\n', '\n@c2 = {{c1}}\n', '{{%c1}}', '{{%s}}',
  '\n@s = a\ud800\n', '\udc00', '{{$datetime "{{x}}"}}', '{{$processEnv {{x}}}}', '{{ {{', '{{{{}}', '}}}}', '# @toString', '# @constructor',
  '{{$shared constructor}}', '{{$dotenv __proto__}}', '{{__proto__}}', '{{$datetime "[[[" 1 d}}', '# @hex\n', '0g 0x1 ', '# @timeout 1s\n# @timeout 2s\n',
];

/** Pieces of variable values and request parts for the resolver fuzz. */
const VALUE_PIECES = [
  '{{x}}', '{{y}}', '{{z}}', '{{%x}}', '{{%z}}', 'a', ' ', '\ud800', '\udc00', '😀', '{{$guid}}', '{{$datetime "{{x}}"}}', '{{', '}}', '{{ {{y}} }}',
  '{{$processEnv %x}}', '{{$dotenv %y}}', '{{$shared constructor}}', '{{$randomInt 1 9}}', '{{$datetime "[[" 1 d}}', '{{u}}', '\\', '\\n', '%', '/', ':80',
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
  it('parses 4,000 random inputs without throwing, with sane ranges and spans', () => {
    const rand = prng(0xc0ffee);
    for (let i = 0; i < 4000; i++) {
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

  it('resolves the blocks of 1,000 random inputs without throwing', async () => {
    const rand = prng(42);
    const c = ctx({ overrides: { x: 'v' }, environments: { $shared: { host: 'h' } }, readFile: async () => Buffer.from('{{x}} {{$datetime "{{x}}"}}') });
    const codes = new Set<string>();
    let resolved = 0;
    for (let i = 0; i < 1000; i++) {
      const text = randomText(rand);
      const doc = parseNetreq(text);
      for (const b of doc.blocks) {
        const r = await resolveBlock(doc, b, c);
        assert.equal(typeof r.ok, 'boolean');
        resolved++;
        for (const d of r.diagnostics) {
          assert.notEqual(d.code, 'internal-error', `${JSON.stringify(text)}: ${d.message}`);
          codes.add(d.code);
        }
      }
    }
    assert.ok(resolved >= 500, `${resolved} blocks resolved`);
  });

  it('resolves 2,000 well-formed requests with random variable values without throwing', async () => {
    const rand = prng(0x5eed);
    const pick = (): string => VALUE_PIECES[Math.floor(rand() * VALUE_PIECES.length)];
    const value = (): string => Array.from({ length: Math.floor(rand() * 6) }, pick).join('');
    const c = ctx({ overrides: {}, readFile: async () => Buffer.from(value()) });
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const body = rand() < 0.3 ? '<@ ./b.txt' : value();
      const text = `@x = ${value()}\n@y = ${value()}\n@z = ${value()}\n${rand() < 0.5 ? 'POST http://h/' : 'TCP h:1'}${value()}\n${rand() < 0.5 ? '' : `X-A: ${value()}\n`}\n${body}\n`;
      const doc = parseNetreq(text);
      for (const b of doc.blocks) {
        const r = await resolveBlock(doc, b, c);
        for (const d of r.diagnostics) {
          assert.notEqual(d.code, 'internal-error', `${JSON.stringify(text)}: ${d.message}`);
          codes.add(d.code);
        }
      }
    }
    // The inputs reach the resolver's own checks, not only the parser's.
    for (const code of ['variable-cycle', 'lone-surrogate', 'nested-variable', 'undefined-variable', 'unterminated-variable']) {
      assert.ok(codes.has(code), `no ${code} in ${[...codes].join(', ')}`);
    }
  });

  it('accepts non-string input from careless callers', () => {
    assert.deepEqual(parseNetreq(undefined as unknown as string).blocks, []);
    assert.deepEqual(parseNetreq(42 as unknown as string).diagnostics.map((d) => d.code), ['unknown-protocol']);
  });

  it('handles pathological lines linearly (no regex backtracking)', async () => {
    const long = (n: number): string => `GET http://h/${'{'.repeat(n)}${'a'.repeat(n)} HTTP/1.1\n${'X: '.repeat(n)}\n\n${'{{'.repeat(n)}`;
    assert.equal(parseNetreq(long(50_000)).blocks.length, 1);
    await assertLinear('pathological lines', long, parseNetreq, 20_000);
  });

  it('parses and resolves big random inputs in linear time (one seeded text of N pieces against 16N)', async () => {
    const c = ctx({ overrides: { x: 'v' }, readFile: async () => Buffer.from('{{x}}') });
    const big = (n: number): string => {
      const rand = prng(7);
      let s = '';
      while (s.length < n) s += randomText(rand);
      return s.slice(0, n);
    };
    await assertLinear(
      'random text',
      big,
      async (text) => {
        const doc = parseNetreq(text);
        checkShape(doc, text);
        for (const b of doc.blocks) {
          const r = await resolveBlock(doc, b, c);
          for (const d of r.diagnostics) assert.notEqual(d.code, 'internal-error', d.message);
        }
      },
      10_000,
    );
  });
});
