/**
 * The shared HTTP/1 wire layer (src/core/wire/http1) on its own: tables of tokens, field lines, chunk-size
 * lines and framing decisions, each read by every rule set the client and the proxy use.
 */
import { strict as assert } from 'node:assert';
import { CLIENT_CHUNKS, ChunkSizeLine, PROXY_REQUEST_CHUNKS, PROXY_RESPONSE_CHUNKS, type ChunkSizeRules } from '../../../src/core/wire/http1/chunkSize';
import { CLIENT_RESPONSE, PROXY_REQUEST, PROXY_RESPONSE, parseFieldLine } from '../../../src/core/wire/http1/fields';
import { decideFraming, responseHasNoBody } from '../../../src/core/wire/http1/framing';
import { isToken, listTokens, TOKEN_BYTE, trimOws } from '../../../src/core/wire/http1/tokens';

/** Reads `line` (with its line ending) in pieces of `step`: the size, or the reason it is refused. */
function chunkLine(rules: ChunkSizeRules, line: string, step: number): string {
  const r = new ChunkSizeLine(rules);
  const buf = Buffer.from(line, 'latin1');
  for (let at = 0; at < buf.length && !r.done && !r.error; at += step) r.scan(buf.subarray(at, Math.min(buf.length, at + step)), 0);
  return r.error ? r.error.why : r.done ? `size ${r.size}` : 'more';
}

describe('HTTP/1 wire layer shared by the client and the proxy', () => {
  it('tokens: tchar only; OWS is SP and HTAB only; list elements trimmed, lower-cased, empty ones dropped', () => {
    for (const [s, ok] of [['Content-Length', true], ["!#$%&'*+-.^_`|~09az", true], ['', false], ['a b', false], ['a:b', false], ['a\x00', false], ['\xe9', false], ['a\x0b', false], ['"a"', false]] as const) {
      assert.equal(isToken(s), ok, JSON.stringify(s));
      assert.equal(s.length > 0 && [...s].every((c) => TOKEN_BYTE[c.charCodeAt(0)] === 1), ok, `byte table ${JSON.stringify(s)}`);
    }
    for (const [s, t] of [[' \ta b\t ', 'a b'], ['\x0bv\x0c', '\x0bv\x0c'], ['\xa0x\xa0', '\xa0x\xa0'], ['  ', ''], ['x', 'x']]) assert.equal(trimOws(s), t, JSON.stringify(s));
    assert.deepEqual(listTokens([['Connection', ' Keep-Alive ,, close'], ['X', 'close'], ['connection', '\tUpgrade'], ['Connection', '\xa0te']], 'connection'), ['keep-alive', 'close', 'upgrade', '\xa0te']);
  });

  it('field lines: the client joins folds and fixes CR/NUL; the proxy refuses folds and control bytes (requests: every CTL but HTAB)', () => {
    const rows: [string, boolean, unknown, unknown, unknown][] = [
      // line, after a field, CLIENT_RESPONSE, PROXY_REQUEST, PROXY_RESPONSE
      ['X-A:  v \t', true, ['X-A', 'v'], ['X-A', 'v'], ['X-A', 'v']],
      ['X-A:\tv\x0b', true, ['X-A', 'v\x0b'], 'control', ['X-A', 'v\x0b']],
      ['X-A: a\x01b', true, ['X-A', 'a\x01b'], 'control', ['X-A', 'a\x01b']],
      ['X-A: a\rb', true, ['X-A', 'a b', 'fixed'], 'control', 'control'],
      ['X-A: a\0b', true, ['X-A', 'a b', 'fixed'], 'control', 'control'],
      ['X-A: a\nb', true, ['X-A', 'a\nb'], 'control', 'control'],
      ['X-A: \xe9', true, ['X-A', '\xe9'], ['X-A', '\xe9'], ['X-A', '\xe9']],
      ['  more  ', true, 'fold more', 'folded', 'folded'],
      ['\tm\0', true, 'fold m  fixed', 'folded', 'folded'],
      [' X-A: v', false, 'bad-name', 'folded', 'folded'],
      ['no colon', true, 'no-colon', 'no-colon', 'no-colon'],
      [': v', true, 'empty-name', 'empty-name', 'empty-name'],
      ['X A: v', true, 'bad-name', 'bad-name', 'bad-name'],
      ['X-A : v', true, 'bad-name', 'bad-name', 'bad-name'],
      ['X-A:', true, ['X-A', ''], ['X-A', ''], ['X-A', '']],
    ];
    for (const [line, after, ...want] of rows) {
      [CLIENT_RESPONSE, PROXY_REQUEST, PROXY_RESPONSE].forEach((rules, i) => {
        const f = parseFieldLine(line, rules, after);
        const got = f.kind === 'field' ? [f.name, f.value, ...(f.fixed ? ['fixed'] : [])] : f.kind === 'fold' ? `fold ${f.more}${f.fixed ? '  fixed' : ''}` : f.kind;
        assert.deepEqual(got, want[i], `${JSON.stringify(line)} by rule set ${i}`);
      });
    }
  });

  it('chunk-size lines: one reader, three rule sets, the same answer however the bytes are split', () => {
    const big = `5;${'a'.repeat(5000)}\r\n`;
    const rows: [string, string, string, string][] = [
      // line, CLIENT_CHUNKS, PROXY_REQUEST_CHUNKS, PROXY_RESPONSE_CHUNKS
      ['5\r\n', 'size 5', 'size 5', 'size 5'],
      ['a;name=v\r\n', 'size 10', 'size 10', 'size 10'],
      ['5\n', 'size 5', 'byte 0x0a in a chunk size', 'byte 0x0a in a chunk size'],
      [' 5\r\n', 'size 5', 'a chunk size line starts with byte 0x20', 'a chunk size line starts with byte 0x20'],
      ['5 \t\r\n', 'size 5', 'byte 0x0d after a chunk size (only an extension (";") may follow)', 'size 5'],
      ['5 \t ;x\r\n', 'size 5', 'size 5', 'size 5'],
      [`${'0'.repeat(15)}5\r\n`, 'size 5', 'size 5', 'size 5'],
      [`${'0'.repeat(16)}5\r\n`, 'a chunk size has more than 16 hex digits', 'a chunk size has more than 16 hex digits', 'size 5'],
      ['1fffffffffffff\r\n', 'size 9007199254740991', 'size 9007199254740991', 'size 9007199254740991'],
      ['20000000000000\r\n', 'a chunk size is too large', 'a chunk size is too large', 'a chunk size is too large'],
      ['5;a\x01\r\n', 'size 5', 'control byte 0x01 in a chunk extension', 'control byte 0x01 in a chunk extension'],
      ['5;a\nb', 'size 5', 'control byte 0x0a in a chunk extension', 'control byte 0x0a in a chunk extension'],
      ['5;a\rb\r\n', 'size 5', 'a chunk size line does not end with CRLF', 'a chunk size line does not end with CRLF'],
      ['5\r\r\n', 'a chunk size line does not end with CRLF', 'a chunk size line does not end with CRLF', 'a chunk size line does not end with CRLF'],
      ['5 5\r\n', 'byte 0x35 after a chunk size (only ";" or the end of the line may follow)', 'byte 0x35 after a chunk size (only an extension (";") may follow)', 'byte 0x35 after a chunk size (only ";" or the end of the line may follow)'],
      ['g\r\n', 'a chunk size line starts with byte 0x67', 'a chunk size line starts with byte 0x67', 'a chunk size line starts with byte 0x67'],
      ['\r\n', 'a chunk size line starts with byte 0x0d', 'a chunk size line starts with byte 0x0d', 'a chunk size line starts with byte 0x0d'],
      ['5\x0b\r\n', 'byte 0x0b in a chunk size', 'byte 0x0b in a chunk size', 'byte 0x0b in a chunk size'],
      ['0x5\r\n', 'byte 0x78 in a chunk size', 'byte 0x78 in a chunk size', 'byte 0x78 in a chunk size'],
      [big, 'a chunk extension is longer than 4 KB', 'a chunk extension is longer than 4 KB', 'a chunk extension is longer than 4 KB'],
      ['5', 'more', 'more', 'more'],
    ];
    for (const [line, ...want] of rows) {
      [CLIENT_CHUNKS, PROXY_REQUEST_CHUNKS, PROXY_RESPONSE_CHUNKS].forEach((rules, i) => {
        for (const step of [1, 3, line.length]) assert.equal(chunkLine(rules, line, step), want[i], `${JSON.stringify(line.slice(0, 30))} by rule set ${i}, pieces of ${step}`);
      });
    }
    // One reader reused line after line (reset) gives each line's size.
    const r = new ChunkSizeLine(PROXY_RESPONSE_CHUNKS);
    const two = Buffer.from('3\r\nff\r\n', 'latin1');
    const at = r.scan(two, 0);
    assert.deepEqual([at, r.size, r.done], [3, 3, true]);
    r.reset();
    assert.deepEqual([r.scan(two, at), r.size], [two.length, 255]);
  });

  it('framing: a request with anything two parties could read differently is a problem; a response lets chunked win and says both came', () => {
    const te = (v: string): [string, string] => ['Transfer-Encoding', v];
    const cl = (v: string): [string, string] => ['Content-Length', v];
    const rows: [[string, string][], unknown, unknown][] = [
      // fields, as a request, as a response
      [[], { kind: 'none' }, { kind: 'close', codings: [], withLength: false }],
      [[cl('5')], { kind: 'length', length: 5 }, { kind: 'length', length: 5 }],
      [[cl('0')], { kind: 'length', length: 0 }, { kind: 'length', length: 0 }],
      [[cl('5, 5'), cl(' 5 ')], { kind: 'length', length: 5 }, { kind: 'length', length: 5 }],
      [[cl('5, 05')], { kind: 'length', length: 5 }, { kind: 'length', length: 5 }],
      [[cl('5'), cl('6')], 'conflicting-lengths', 'conflicting-lengths'],
      [[cl('3,')], 'empty-length', 'empty-length'],
      [[cl('')], 'empty-length', 'empty-length'],
      [[cl('-1')], 'invalid-length', 'invalid-length'],
      [[cl('\xa05')], 'invalid-length', 'invalid-length'],
      [[cl('1234567890123456')], 'invalid-length', 'invalid-length'],
      [[te('chunked')], { kind: 'chunked', codings: ['chunked'], withLength: false }, { kind: 'chunked', codings: ['chunked'], withLength: false }],
      [[te('gzip, CHUNKED')], { kind: 'chunked', codings: ['gzip', 'chunked'], withLength: false }, { kind: 'chunked', codings: ['gzip', 'chunked'], withLength: false }],
      [[te('chunked'), cl('3')], 'te-and-cl', { kind: 'chunked', codings: ['chunked'], withLength: true }],
      [[te('chunked, chunked')], 'chunked-twice', { kind: 'chunked', codings: ['chunked', 'chunked'], withLength: false }],
      [[te('gzip')], 'not-chunked', { kind: 'close', codings: ['gzip'], withLength: false }],
      [[te('\x0bchunked')], 'not-chunked', { kind: 'close', codings: ['\x0bchunked'], withLength: false }],
      [[te(''), cl('2')], { kind: 'length', length: 2 }, { kind: 'length', length: 2 }],
    ];
    for (const [fields, ...want] of rows) {
      (['request', 'response'] as const).forEach((role, i) => {
        const d = decideFraming(fields, role);
        assert.deepEqual(d.kind === 'problem' ? d.problem.kind : d, want[i], `${JSON.stringify(fields)} as a ${role}`);
      });
    }
    for (const [m, s, none] of [['HEAD', 200, true], ['head', 200, false], ['GET', 204, true], ['GET', 304, true], ['GET', 103, true], ['GET', 200, false], ['POST', 205, false]] as const) {
      assert.equal(responseHasNoBody(m, s), none, `${m} ${s}`);
    }
  });
});
