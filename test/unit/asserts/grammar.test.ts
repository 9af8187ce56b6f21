// The ?? grammar as httpyac splits it, and every diagnostic NetReq gives where httpyac would silently do
// something else; completion and hover on assert lines.
import { strict as assert } from 'node:assert';
import { parseAsserts } from '../../../src/core/asserts';
import { completionsAt, hoverAt } from '../../../src/core/netreq/assist';
import { parseNetreq } from '../../../src/core/netreq';
import type { Dialect } from '../../../src/core/netreq/types';

const line = (text: string) => ({ text, line: 0, span: { start: { line: 0, col: 0 }, end: { line: 0, col: text.length } } });

/** The diagnostics of one assert line in a block of `head`'s kind. */
function diagsOf(assertLine: string, head = 'GET http://127.0.0.1:1/', dialect: Dialect = 'netreq') {
  const doc = parseNetreq(`${head}\n\n${assertLine}\n`, { dialect });
  return doc.diagnostics.filter((d) => d.code !== 'other-tool-defaults').map((d) => [d.severity, d.code, d.message] as const);
}

describe('?? grammar (httpyac split) and its diagnostics', () => {
  it('splits as httpyac: greedy ARG, no space needed after the operator, aliases kept as written', () => {
    const diags: never[] = [];
    const parse = (t: string) => {
      const c = parseAsserts([line(t)], diags)[0];
      return c && [c.field, c.arg, c.op, c.expected];
    };
    assert.deepEqual(parse('?? status == 200'), ['status', undefined, '==', '200']);
    assert.deepEqual(parse('?? body name == a == b'), ['body', 'name == a', '==', 'b']);
    assert.deepEqual(parse('?? body a ==b'), ['body', 'a', '==', 'b']);
    assert.deepEqual(parse('?? header content-type contains json'), ['header', 'content-type', 'contains', 'json']);
    assert.deepEqual(parse('?? body $.x isString'), ['body', '$.x', 'isString', undefined]);
    assert.deepEqual(parse('?? duration firstByte < 100'), ['duration', 'firstByte', '<', '100']);
    assert.deepEqual(parse('?? xpath //a[@b="c d"] == x y'), ['xpath', '//a[@b="c d"]', '==', 'x y']);
    assert.deepEqual(diags, []);
  });

  const cases: Array<[string, string, string, RegExp, string?]> = [
    ['?? status === 200', 'error', 'assert-triple-equals', /httpyac reads '===' as '==' followed by the value '= 200'/],
    ['?? status !== 200', 'error', 'assert-triple-equals', /write '!='/],
    ['?? status not equals 200', 'error', 'assert-not-equals', /runs 'equals', the opposite check: write '!='/],
    ['?? status EQUALS 200', 'error', 'assert-operator-case', /write 'equals' \(httpyac matches 'EQUALS' but never runs the assert\)/],
    ['?? status is 200', 'error', 'bad-assert', /no operator found/],
    ['?? == 200', 'error', 'bad-assert', /names no field/],
    ['?? stauts == 200', 'error', 'assert-unknown-field', /HTTP requests have no assert field 'stauts'. Did you mean 'status'\?/],
    ['?? Status == 200', 'error', 'assert-unknown-field', /Did you mean 'status'\?/],
    ['?? status == 200', 'error', 'assert-unknown-field', /DNS requests have no assert field 'status'/, 'DNS example.test'],
    ['?? frames.count == 1', 'error', 'assert-unknown-field', /TCP requests have no assert field/, 'TCP 127.0.0.1:7'],
    ['?? echo isTrue', 'error', 'assert-unknown-field', /TCP requests have no assert field 'echo'/, 'TCP 127.0.0.1:7'],
    ['?? js response.statusCode === 200', 'error', 'assert-js', /NetReq runs no JavaScript/],
    ['?? body JSON.parse(x).a == 1', 'error', 'assert-js', /write a JSONPath/],
    ['?? header == x', 'error', 'assert-bad-arg', /header needs NAME/],
    ['?? status foo == 200', 'error', 'assert-bad-arg', /status takes no argument/],
    ['?? duration wait < 10', 'error', 'assert-bad-arg', /NetReq does not measure it/],
    ['?? duration firstbyte < 10', 'error', 'assert-bad-arg', /did you mean 'firstByte'/],
    ['?? xpath //a[ == 1', 'error', 'assert-bad-arg', /not an XPath 1.0 expression/],
    ['?? status ==', 'error', 'assert-missing-value', /'==' needs a value after it, e.g. \?\? status == 200/],
    ['?? body startsWith', 'error', 'assert-missing-value', /needs a value/],
    ['?? status exists 200', 'warning', 'assert-unexpected-value', /'exists' takes no value: '200' is ignored/],
    ['?? status > abc', 'error', 'assert-bad-number', /'>' compares numbers, and 'abc' is not one/],
    ['?? status == OK', 'error', 'assert-bad-number', /status is a number, and 'OK' is not one/],
    ['?? body matches [a-', 'error', 'assert-bad-regex', /Bad regular expression '\[a-'/],
    [`?? body matches ${'a'.repeat(1001)}`, 'error', 'assert-bad-regex', /matches takes at most 1000/],
    [`?? body sha256 ${'ab'.repeat(32)}`, 'warning', 'assert-hash-hex', /compares the base64 digest/],
  ];
  for (const [text, severity, code, message, head] of cases) {
    it(`${code}: ${text.slice(0, 50)}${head ? ` (${head.split(' ')[0]})` : ''}`, () => {
      const ds = diagsOf(text, head);
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.equal(ds[0][0], severity);
      assert.equal(ds[0][1], code);
      assert.match(ds[0][2], message);
    });
  }

  it('.http files: info where NetReq reads what httpyac would fail; /re/ is pattern text as in httpyac', () => {
    assert.deepEqual(diagsOf('?? body $.a == 1', undefined, 'http').map((d) => d[1]), ['assert-netreq-only']);
    assert.deepEqual(diagsOf('?? tls.daysLeft > 1', undefined, 'http').map((d) => d[1]), ['assert-netreq-only']);
    assert.deepEqual(diagsOf('?? body a.b == 1', undefined, 'http'), []);
    assert.deepEqual(diagsOf('?? status == 200', undefined, 'http'), []);
    const re = diagsOf('?? body matches /x/i', undefined, 'http');
    assert.equal(re[0][1], 'assert-netreq-only');
    assert.match(re[0][2], /slashes included/);
    assert.match(diagsOf('?? status is 200', undefined, 'http')[0][2], /httpyac would send this line as body text/);
    const [dot] = parseAsserts([line('?? body matches /x/i')], [], { dialect: 'http' });
    assert.equal(dot.regexLiteral, undefined);
    const [net] = parseAsserts([line('?? body matches /x/i')], [], { dialect: 'netreq' });
    assert.equal(net.regexLiteral, true);
  });

  it('hostile lines: a 100 KB assert line is refused at once; a 60 KB one with no operator is parsed in bounded time', () => {
    const t0 = Date.now();
    const long = diagsOf(`?? body == ${'x '.repeat(50_000)}`);
    assert.equal(long[0][1], 'bad-assert');
    assert.match(long[0][2], /limited to 65,536/);
    const spaces = diagsOf(`?? body ${'a '.repeat(30_000)}`);
    assert.equal(spaces[0][1], 'bad-assert');
    assert.ok(Date.now() - t0 < 60_000, 'returns');
  });

  it('a block without a request line or asserts gets no assert diagnostics; variables in values are checked once expanded', () => {
    assert.deepEqual(diagsOf('?? status > {{limit}}').filter((d) => d[1].startsWith('assert')), []);
  });
});

describe('completion and hover on ?? lines', () => {
  const text = ['DNS example.test', '', '?? ', '?? rcode ', '?? rcode == NOERROR', '###', 'GET http://127.0.0.1:1/', '', '?? duration ', '?? header '].join('\n');
  const doc = parseNetreq(text);
  const lines = text.split('\n');
  const at = (l: number, col = lines[l].length) => ({ doc, line: l, col, lineAt: (n: number) => lines[n] ?? '' });

  it('offers the fields of the block’s kind, then operators; duration its phases; header names', () => {
    const fields = completionsAt(at(2)).map((c) => c.label);
    assert.ok(fields.includes('rcode') && fields.includes('answers') && fields.includes('timing.total'));
    assert.ok(!fields.includes('status'), 'DNS has no status');
    const ops = completionsAt(at(3));
    assert.ok(ops.some((c) => c.label === '==' && c.kind === 'operator'));
    assert.ok(!ops.some((c) => c.label === 'not equals' || c.label === '==='), 'the ids httpyac never runs as written are not offered');
    const phases = completionsAt(at(8)).map((c) => c.label);
    assert.ok(phases.includes('firstByte') && phases.includes('<'), 'duration: phases and operators (the phase is optional)');
    const headers = completionsAt(at(9)).map((c) => c.label);
    assert.ok(headers.includes('content-type') && !headers.includes('=='), 'header: a name first');
  });

  it('hovers a field with its example, and an operator', () => {
    const field = hoverAt(at(4, 5))!;
    assert.match(field.markdown, /response code/);
    assert.match(field.markdown, /Example: `\?\? rcode == NOERROR`/);
    assert.equal(field.from, 3);
    assert.equal(field.to, 8);
    const op = hoverAt(at(4, 10))!;
    assert.match(op.markdown, /Operator `==`: equals/);
  });
});
