// The fixes the parser writes next to the diagnostics that have one; the editor offers them as quick fixes
// (test/integration/assist.test.ts applies one in the real VS Code).
import { strict as assert } from 'node:assert';
import { parseNetreq } from '../../../src/core/netreq';
import type { Diagnostic } from '../../../src/core/netreq/types';

/** Applies a fix's edits (single-line spans, applied from the last) to the text. */
function apply(text: string, d: Diagnostic, i = 0): string {
  const lines = text.split('\n');
  const edits = [...d.fixes![i].edits].sort((a, b) => b.span.start.line - a.span.start.line || b.span.start.col - a.span.start.col);
  for (const e of edits) {
    const { start, end } = e.span;
    if (start.line >= lines.length) lines.push('');
    const l = lines[start.line];
    const replaced = l.slice(0, start.col) + e.text + l.slice(start.line === end.line ? end.col : l.length);
    lines.splice(start.line, 1, ...replaced.split('\n'));
  }
  return lines.join('\n');
}
const one = (text: string, code: string) => {
  const ds = parseNetreq(text).diagnostics.filter((d) => d.code === code);
  assert.equal(ds.length, 1, JSON.stringify(parseNetreq(text).diagnostics));
  return ds[0];
};

describe('netreq quick fixes', () => {
  it('an unknown directive close to a known one: change it', () => {
    const text = '# @timout 5s\nGET http://h/';
    const d = one(text, 'unknown-directive');
    assert.deepEqual(d.fixes!.map((f) => f.title), ['Change to @timeout']);
    assert.equal(apply(text, d), '# @timeout 5s\nGET http://h/');
    assert.equal(parseNetreq(apply(text, d)).diagnostics.length, 0);
    assert.equal(one('# @zzzzzz\nGET http://h/', 'unknown-directive').fixes, undefined, 'no fix when nothing is close');
  });

  it('an unknown request word close to a method or protocol word: change it', () => {
    // (`GRT http://h/` is a custom method; an unknown word is one followed by something that is not a URL.)
    const text = 'GTE 127.0.0.1:80';
    const d = one(text, 'unknown-protocol');
    assert.equal(d.fixes![0].title, 'Change to GET');
    assert.equal(apply(text, d), 'GET 127.0.0.1:80');
    assert.equal(apply('qtod 127.0.0.1', one('qtod 127.0.0.1', 'unknown-protocol')), 'QOTD 127.0.0.1', 'case-insensitive, any registry word');
  });

  it('a missing port: add one', () => {
    const text = 'TCP 127.0.0.1\nhello';
    const d = one(text, 'missing-port');
    assert.equal(d.fixes![0].title, 'Add a port (:8080)');
    assert.equal(apply(text, d), 'TCP 127.0.0.1:8080\nhello');
  });

  it('a path-only request without Host: add a Host header from {{host}}', () => {
    const text = 'GET /status\nAccept: */*';
    const d = one(text, 'missing-host-header');
    assert.equal(apply(text, d), 'GET /status\nHost: {{host}}\nAccept: */*');
    const last = 'GET /status';
    assert.equal(apply(last, one(last, 'missing-host-header')), 'GET /status\nHost: {{host}}\n');
  });

  it('an HTTP head typed over TCP/TLS without # @eol crlf: warned, and fixed with the blank line that ends it', () => {
    const text = 'TLS example.com:443\nHEAD / HTTP/1.1\nHost: example.com';
    const d = one(text, 'http-head-without-crlf');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.span, { start: { line: 1, col: 0 }, end: { line: 1, col: 15 } });
    const fixed = apply(text, d);
    assert.equal(fixed, '# @eol crlf\nTLS example.com:443\nHEAD / HTTP/1.1\nHost: example.com\n');
    const doc = parseNetreq(fixed);
    assert.deepEqual(doc.diagnostics, []);
    // Not for a head that says its line ends, a hex payload, a UDP datagram or plain text.
    for (const quiet of ['# @eol lf\nTCP h:80\nGET / HTTP/1.0', '# @hex\nTCP h:80\n47 45 54', 'UDP h:80\nGET / HTTP/1.0', 'TCP h:7\nhello there']) {
      assert.equal(parseNetreq(quiet).diagnostics.filter((x) => x.code === 'http-head-without-crlf').length, 0, quiet);
    }
  });
});
