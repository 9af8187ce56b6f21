/**
 * Issue #9 §6: the parser and resolver stay linear and list a bounded number of problems, however
 * large or repetitive the file. "Linear" is checked by comparing the time of N and 16N (best of
 * several runs each) with a bound (64x) far below the 256x a quadratic path gives — never a time in ms.
 */
import { strict as assert } from 'node:assert';
import { MAX_HEX_PROBLEMS, MAX_SAME_DIAGNOSTICS, parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { formatDate } from '../../../src/core/netreq/datetime';
import { parseEscapedText } from '../../../src/core/netreq/values';
import { assertLinear, ctx, expectDiag, resolveFail, timeRatio, withCode } from './helpers';

const c = ctx({ overrides: { a: 'x' } });

describe('netreq parser and resolver under abuse (issue #9 §6)', () => {
  it('list at most 20 problems of one kind per block, 10 per hex body or message', () => {
    assert.equal(MAX_SAME_DIAGNOSTICS, 20);
    assert.equal(MAX_HEX_PROBLEMS, 10);
  });

  it('20,000 repeated directives give 20 duplicate warnings and one count (was one each)', () => {
    const doc = parseNetreq(`${'# @timeout 1s\n'.repeat(20_000)}GET http://h/\n`);
    const dups = withCode(doc, 'duplicate-directive');
    assert.equal(dups.length, 21);
    assert.deepEqual(dups.slice(0, 20).map((d) => d.span.start.line), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(dups[20].span.start.line, 21);
    assert.match(dups[20].message, /^There are 19,979 more problems like this here \(duplicate-directive\), from this line on; only the first 20 of each kind are listed$/);
    assert.equal(doc.blocks[0].directives.length, 20_000, 'every directive is still kept');
  });

  it('the duplicate-directive check is linear (was quadratic: 425 KB took 6.9 s)', async () => {
    await assertLinear('duplicate directives', (n) => `${'# @timeout 1s\n# @hex\n'.repeat(n)}TCP h:1\n\n00\n`, parseNetreq, 750);
  });

  it('an unknown 1 MB directive key is one short warning with no "did you mean" (was 2 s of edit distance)', () => {
    const doc = parseNetreq(`# @${'a'.repeat(1_000_000)}\nGET http://h/\n`);
    const d = expectDiag(doc.diagnostics, 'unknown-directive', 0, 2, 'warning', /^Unknown directive '@a{58}…' \(ignored\); known directives: @name/);
    assert.ok(d.message.length < 500, `${d.message.length} characters`);
    assert.deepEqual([d.span.end.line, d.span.end.col], [0, 1_000_003]);
    // Suggestions stay for typos of short keys, not for long ones.
    expectDiag(parseNetreq('# @timout 1s\nGET http://h/').diagnostics, 'unknown-directive', 0, 2, 'warning', /did you mean @timeout\?/);
    expectDiag(parseNetreq(`# @timeout${'x'.repeat(30)} 1s\nGET http://h/`).diagnostics, 'unknown-directive', 0, 2, 'warning', /known directives/);
  });

  it('a 1 MB unknown directive key costs about as much as reading 1 MB of hex (edit distance made it ~100x)', async () => {
    // Edit distance against every directive name is linear in the key's length too, but ~400 times
    // slower per character; so compare with another 1 MB line the parser reads character by character.
    const key = 'timeout'.repeat(150_000);
    const hex = '0a'.repeat(key.length / 2);
    const r = await timeRatio((n) => (n === 1 ? `# @hex\nTCP h:1\n\n${hex}\n` : `# @${key}\nGET http://h/\n`), parseNetreq, 1, 2);
    assert.ok(r.ratio < 20, `a 1 MB unknown key took ${r.ratio.toFixed(1)}x the time of a 1 MB hex body (${r.small.toFixed(1)} ms → ${r.large.toFixed(1)} ms)`);
  });

  it('many unknown directives are checked in linear time', async () => {
    await assertLinear('many unknown directives', (n) => `${'# @timout 1s\n'.repeat(n)}GET http://h/\n`, parseNetreq, 500);
  });

  it('an 800 KB >hex line gives 10 bad-hex errors and one count (was 270,000 errors, 3.5 s)', () => {
    const doc = parseNetreq(`WS ws://h/\n\n>hex ${'zz '.repeat(270_000)}\n`);
    const bad = withCode(doc, 'bad-hex');
    assert.equal(bad.length, 11);
    assert.deepEqual(bad.slice(0, 10).map((d) => d.span.start.col), Array.from({ length: 10 }, (_, k) => 5 + 3 * k));
    assert.equal(bad[0].message, "'zz' is not hex: write bytes as pairs of hex digits, e.g. 48 65 6c 6c 6f");
    expectDiag(bad.slice(10), 'bad-hex', 2, 35, 'error', /^There are 269,990 more hex problems from here on; only the first 10 are listed$/);
  });

  it('a # @hex body with many bad tokens is capped in the parser, and in the resolver after substitution', async () => {
    const doc = parseNetreq(`# @hex\nTCP h:1\n\n${'0g '.repeat(50_000)}\n${'abc '.repeat(10)}\n`);
    const bad = withCode(doc, 'bad-hex');
    assert.equal(bad.length, 11);
    assert.match(bad[10].message, /^There are 50,000 more hex problems/);
    assert.equal(bad[10].span.start.line, 3);
    // The parser does not judge lines with variables; the resolver does, with the same cap.
    const diags = await resolveFail(`# @hex\nTCP h:1\n\n{{a}} ${'{{a}} '.repeat(5000)}\n`, { overrides: { a: 'q' } });
    const rbad = diags.filter((d) => d.code === 'bad-hex');
    assert.equal(rbad.length, 11);
    assert.match(rbad[10].message, /^There are 4,991 more hex problems from here on/);
  });

  it('hex payloads are parsed in linear time', async () => {
    await assertLinear('bad >hex tokens', (n) => `WS ws://h/\n\n>hex ${'zz '.repeat(n)}\n`, parseNetreq, 10_000);
    await assertLinear('good # @hex body', (n) => `# @hex\nTCP h:1\n\n${'0a 0x0B ff\n'.repeat(n)}`, parseNetreq, 2500);
  });

  it('other repeated problems are capped per block: 20 listed, then one count, for each block', () => {
    const line = `GET http://h/${'{{$bogus}}'.repeat(1000)}\n`;
    const doc = parseNetreq(`${line}###\n${line}`);
    const bogus = withCode(doc, 'unknown-system-variable');
    assert.equal(bogus.length, 42);
    assert.deepEqual(
      bogus.filter((d) => d.message.startsWith('There are')).map((d) => [d.span.start.line, d.span.start.col, d.message.slice(0, 32)]),
      [
        [0, 213, 'There are 980 more problems like'],
        [2, 213, 'There are 980 more problems like'],
      ],
    );
  });

  it('the resolver caps its diagnostics too (5,000 undefined variables: 20 and a count)', async () => {
    const refs = Array.from({ length: 5000 }, (_, i) => `{{u${i}}}`).join('');
    const diags = await resolveFail(`GET http://h/\nX-A: ${refs}\n`);
    const undef = diags.filter((d) => d.code === 'undefined-variable');
    assert.equal(undef.length, 21);
    assert.match(undef[20].message, /^There are 4,980 more problems like this here \(undefined-variable\)/);
  });

  it('resolving every block of a many-block file is linear (20,000 blocks took 275 s)', async () => {
    const make = (n: number): string => {
      let s = '@a = 1\n';
      for (let i = 0; i < n; i++) s += `### b${i}\n# @name b${i}\n# @zzz\nGET http://h/{{a}}/{{u${i}}}\nX-B: {{a}}\n`;
      return s;
    };
    await assertLinear(
      'resolving every block',
      (n) => parseNetreq(make(n)),
      async (doc) => {
        for (const b of doc.blocks) await resolveBlock(doc, b, c);
      },
      125,
    );
  });

  it('huge lines of references, braces and system variables parse and resolve in linear time', async function () {
    this.timeout(60_000);
    const shapes: Record<string, (n: number) => string> = {
      references: (n) => `GET http://h/${'{{a}}'.repeat(n)}\n`,
      'nested braces': (n) => `GET http://h/${'{{'.repeat(20 * n)}${'}}'.repeat(20 * n)}\n`,
      'unbalanced braces': (n) => `GET http://h/${'{{{{}}'.repeat(10 * n)}\n`,
      'unknown system variables': (n) => `GET http://h/${'{{$bogus}}'.repeat(n)}\n`,
      'query lines': (n) => `GET http://h/\n${'&a={{a}}\n'.repeat(n)}`,
      'body lines': (n) => `POST http://h/\n\n${'{{a}} text\n'.repeat(n)}`,
      'variable lines': (n) => `${'@x = {{a}}\n'.repeat(n)}GET http://h/\n`,
      'separators': (n) => '###\n'.repeat(n),
    };
    for (const [what, make] of Object.entries(shapes)) {
      await assertLinear(
        what,
        (n) => make(n),
        async (text) => {
          const doc = parseNetreq(text);
          for (const b of doc.blocks) await resolveBlock(doc, b, c);
        },
        1250,
      );
    }
  });

  it('# @read-until text is encoded in runs: an emoji gives its UTF-8 bytes (was two U+FFFD), and long values are linear', async () => {
    const r = parseEscapedText('😀\\t\\x41\\');
    assert.ok(r.ok);
    assert.equal(r.value.toString('hex'), 'f09f988009415c');
    await assertLinear('long # @read-until values', (n) => `# @read-until ${'é\\n'.repeat(n)}\nTCP h:1\n\nx\n`, parseNetreq, 5000);
  });

  it('a $datetime format with 200,000 unclosed [ is formatted in linear time', async () => {
    const d = new Date(0);
    assert.equal(formatDate(d, `[[${'['.repeat(10)}YYYY`, true), `[[${'['.repeat(10)}1970`);
    await assertLinear('unclosed [ in a $datetime format', (n) => `${'['.repeat(n)}]${'['.repeat(n)}`, (f) => formatDate(d, f, true), 12_500);
  });
});
