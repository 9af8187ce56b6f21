// Asserts through the resolver ({{variables}} in expected values, checked once expanded; the written form kept
// for masking), and hostile bodies: a 50 MB JSON body read by JSONPath, and matches on it (bounded).
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluateAsserts } from '../../../src/core/asserts';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import { runText, statuses } from './run';

const ctx = { processEnv: {}, readFile: () => Promise.reject(new Error('no files')), defaults: { ...DEFAULT_OPTIONS } };

describe('asserts through the resolver, and hostile bodies', function () {
  this.timeout(60_000);

  it('expands {{variables}} in expected values, keeps the written form, and checks the expanded value', async () => {
    const doc = parseNetreq(['@limit = 300', '@bad = abc', '@token = s3cret', 'GET http://127.0.0.1:1/', '', '?? status < {{limit}}', '?? header x-token == {{token}}'].join('\n'));
    const r = await resolveBlock(doc, doc.blocks[0], ctx);
    assert.ok(r.ok);
    assert.equal(r.asserts[0].expected, '300');
    assert.equal(r.asserts[0].expectedWritten, '{{limit}}');
    const bad = parseNetreq(['@bad = abc', 'GET http://127.0.0.1:1/', '', '?? status < {{bad}}'].join('\n'));
    const rb = await resolveBlock(bad, bad.blocks[0], ctx);
    assert.equal(rb.ok, false);
    assert.ok(!rb.ok && rb.diagnostics.some((d) => d.code === 'assert-bad-number' && /'abc' is not one/.test(d.message)));
    // The caller's mask applies to everything an outcome carries (the CLI masks secret values).
    const x = { kind: 'http', id: 'x', startedAt: 0, request: {}, sent: Buffer.alloc(0), received: Buffer.alloc(0), timings: { total: 1 }, response: { status: 200, reason: 'OK', headers: [['X-Token', 'other']], body: Buffer.alloc(0) } };
    const [, token] = evaluateAsserts(r.asserts, x as never, { mask: (s) => s.split('s3cret').join('•••') });
    assert.equal(token.status, 'failed');
    assert.equal(token.expected, '•••');
    assert.ok(!token.message.includes('s3cret'));
  });

  it('a 50 MB JSON body: JSONPath reads it (parsed once for several asserts); matches on it is refused past 16 M characters', async () => {
    const item = JSON.stringify('x'.repeat(998));
    const n = 50_000;
    const body = Buffer.from(`{"items":[${new Array<string>(n).fill(item).join(',')}],"last":"end"}`);
    const server = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const t0 = performance.now();
      const run = await runText(
        [`GET http://127.0.0.1:${port}/`, '', '?? body $.last == end', `?? body $.items.length == ${n}`, '?? body $.items[49999] startsWith xxx', '?? body matches end"\\}$', '?? body endsWith "end"}'].join('\n'),
        { maxResponseBytes: 64 * 1024 * 1024 },
      );
      const ms = performance.now() - t0;
      assert.ok(body.length > 50_000_000);
      assert.deepEqual(statuses(run.blocks[0]), [
        ['body $.last == end', 'passed'],
        [`body $.items.length == ${n}`, 'passed'],
        ['body $.items[49999] startsWith xxx', 'passed'],
        ['body matches end"\\}$', 'error'],
        ['body endsWith "end"}', 'passed'],
      ]);
      assert.match(run.blocks[0].outcomes[3].message, /matches runs on at most 16,777,216/);
      const actual = run.blocks[0].outcomes[4].actual!;
      assert.ok(actual.length < 400 && actual.endsWith(`(${body.length.toLocaleString('en-US')} characters)`), 'the actual text is cut and says how long it was');
      console.log(`      50 MB body, 5 asserts (send + JSON.parse once + JSONPath): ${Math.round(ms)} ms; asserts: ${run.blocks[0].outcomes.map((o) => Math.round(o.ms ?? 0)).join(' / ')} ms`);
    } finally {
      server.close();
    }
  });

  it('control characters in what came back are escaped in actual and message', async () => {
    const server = http.createServer((_req, res) => res.end('a\x1b[31mred\r\nb'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const run = await runText([`GET http://127.0.0.1:${port}/`, '', '?? body == x'].join('\n'));
      const o = run.blocks[0].outcomes[0];
      assert.equal(o.status, 'failed');
      const controls = (t: string) => [...t].some((ch) => ch.charCodeAt(0) < 0x20);
      assert.ok(!controls(o.actual!) && !controls(o.message), o.actual);
      assert.match(o.actual!, /\\r\\n/);
    } finally {
      server.close();
    }
  });
});
