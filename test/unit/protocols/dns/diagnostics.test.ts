import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { parseNetreq, resolveBlock } from '../../../../src/core/netreq';
import { DEFAULT_OPTIONS } from '../../../../src/core/request';

const ctx = { processEnv: {}, readFile: (p: string) => fs.promises.readFile(p), defaults: { ...DEFAULT_OPTIONS } };
const diags = (text: string) => parseNetreq(text).diagnostics.map((d) => ({ code: d.code, message: d.message, col: d.span.start.col, end: d.span.end.col }));

describe('DNS blocks: diagnostics', () => {
  it('a label over 63 characters, a name over 253, an empty label, a bad character', () => {
    const long = 'a'.repeat(64);
    assert.deepEqual(diags(`DNS ${long}.test`), [
      { code: 'bad-dns-name', message: `The label "${'a'.repeat(20)}…" is 64 characters long: a DNS label has at most 63`, col: 4, end: 68 },
    ]);
    const name = Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.');
    assert.deepEqual(diags(`DNS ${name}`).map((d) => d.message), ['The name is 304 characters long: a DNS name has at most 253']);
    assert.deepEqual(diags('DNS a..test').map((d) => [d.code, d.message, d.col]), [['bad-dns-name', 'The name has an empty label (two dots in a row, or a leading dot)', 6]]);
    assert.deepEqual(diags('DNS exa$mple.test').map((d) => [d.message, d.col]), [[`"$" cannot be in a DNS name here: a name has letters, digits, '-', '_' and '*'`, 7]]);
    assert.match(diags('DNS bücher.test')[0].message, /write an international name in its ASCII form \(xn--…\)/);
    // Fine: the root, a trailing dot, a wildcard, underscores (SRV names), a variable (checked after substitution).
    for (const ok of ['DNS . NS', 'DNS example.test.', 'DNS *.example.test', 'DNS _sip._tcp.example.test SRV', 'DNS {{host}} mx']) {
      assert.deepEqual(diags(`@host = x\n${ok}`), [], ok);
    }
  });

  it('an unknown type, a missing name, text after the type', () => {
    assert.deepEqual(diags('DNS example.test MXX'), [
      {
        code: 'unknown-dns-type',
        message: '"MXX" is not a DNS type NetReq asks for: write one of A, AAAA, MX, TXT, CNAME, NS, SOA, SRV, PTR, CAA, ANY (A when left out)',
        col: 17,
        end: 20,
      },
    ]);
    assert.deepEqual(diags('DNS').map((d) => [d.code, d.message]), [['missing-target', 'DNS needs a name, e.g. DNS example.com MX']]);
    assert.deepEqual(diags('DNS example.test A extra').map((d) => [d.code, d.message]), [['unexpected-text', `Unexpected 'extra' after the name and type: write just DNS example.com MX`]]);
  });

  it('bad servers, and DNS directives on other kinds', () => {
    const bad = (v: string) => diags(`# @server ${v}\nDNS example.test`).map((d) => [d.code, d.message]);
    assert.deepEqual(bad('dns.example.com'), [['bad-directive-value', `@server: "dns.example.com" is not an IP address: a DNS server is not looked up by name, write e.g. # @server 127.0.0.1:5353`]]);
    assert.equal(bad('127.0.0.1:70000')[0][0], 'bad-directive-value');
    assert.match(bad('127.0.0.1:70000')[0][1], /70000/);
    assert.deepEqual(
      diags('# @tcp\nUDP 127.0.0.1:9\nx').map((d) => d.code),
      ['directive-not-applicable'],
    );
  });

  it('resolves to a spec: default type A, the server and port, TCP, no recursion, the timeout; PTR of an address', async () => {
    const r = async (text: string) => {
      const doc = parseNetreq(text);
      return resolveBlock(doc, doc.blocks[0], ctx);
    };
    const a = await r('# @server 127.0.0.1\nDNS Example.Test.');
    assert.ok(a.ok && a.request.kind === 'dns');
    assert.deepEqual([a.request.name, a.request.type, a.request.server, a.request.tcp, a.request.recurse, a.request.timeoutMs], ['Example.Test', 'A', { host: '127.0.0.1', port: 53 }, false, true, 5000]);
    const b = await r('@srv = [::1]:5353\n@t = mx\n# @server {{srv}}\n# @tcp\n# @no-recurse\n# @timeout 2s\nDNS example.test {{t}}');
    assert.ok(b.ok && b.request.kind === 'dns', JSON.stringify(!b.ok && b.diagnostics));
    assert.deepEqual([b.request.type, b.request.server, b.request.tcp, b.request.recurse, b.request.timeoutMs], ['MX', { host: '::1', port: 5353 }, true, false, 2000]);
    const p = await r('DNS 127.0.0.1 PTR');
    assert.ok(p.ok && p.request.kind === 'dns' && p.request.name === '1.0.0.127.in-addr.arpa' && p.request.server === undefined);
    const v = await r('@n = bad..name\nDNS {{n}}');
    assert.ok(!v.ok);
    assert.deepEqual(v.diagnostics.map((d) => [d.code, d.message]), [['bad-dns-name', 'The name has an empty label (two dots in a row, or a leading dot) (the name became "bad..name")']]);
    const body = await r('DNS example.test\n\nhello');
    assert.ok(body.ok);
    assert.deepEqual(body.diagnostics.map((d) => [d.code, d.severity]), [['unexpected-text', 'warning']]);
  });
});
