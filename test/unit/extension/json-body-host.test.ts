import { strict as assert } from 'node:assert';
import { MAX_LINE_BYTES, MAX_LINES_PER_REQUEST, MAX_MATCHES, MAX_QUERY_CHARS } from '../../../src/common/jsonLines';
import { JsonBodyHost } from '../../../src/extension/panels/jsonBodyHost';
import type { JsonViewerAnswer } from '../../../src/shared/bodyMessages';
import { isHostToWebview, isWebviewToHost } from '../../../src/shared/messages';

const JSON_TYPE = 'application/json';
const body = (n: number) => Buffer.from(JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], note: 'héllo' })) }));

function lines(a: JsonViewerAnswer): string[] {
  assert.equal(a.type, 'jsonLinesData');
  if (a.type !== 'jsonLinesData') return [];
  const bytes = Buffer.from(a.base64, 'base64');
  const out: string[] = [];
  let at = 0;
  for (const n of a.lengths) {
    out.push(bytes.subarray(at, at + n).toString('utf8'));
    at += n;
  }
  assert.equal(at, bytes.length);
  return out;
}

describe('JSON viewer host (the response panel’s whole body as pretty lines)', () => {
  it('formats the body once, then answers line counts, lines with their closing lines, and searches', async () => {
    const host = new JsonBodyHost();
    const key = host.show(body(500), JSON_TYPE, true)!;
    assert.ok(key);
    const ready = await host.answer({ type: 'jsonOpen', id: 1, key });
    assert.ok(ready.type === 'jsonReady' && ready.ok);
    assert.equal(ready.lines, 1 + 1 + 500 + 1 + 1); // {, "items": [, each (short) record on one line, ], }
    assert.equal(ready.complete, true);
    const first = await host.answer({ type: 'jsonLines', id: 2, key, from: 0, count: 4 });
    assert.deepEqual(lines(first), ['{', '  "items": [', '    {"id": 0, "name": "item 0", "tags": ["a", "b"], "note": "héllo"},', '    {"id": 1, "name": "item 1", "tags": ["a", "b"], "note": "héllo"},']);
    assert.ok(first.type === 'jsonLinesData');
    assert.deepEqual(first.closes, [ready.lines - 1, ready.lines - 2, -1, -1]);
    const found = await host.answer({ type: 'jsonSearch', id: 3, key, query: 'ITEM 499', caseSensitive: false });
    assert.ok(found.type === 'jsonFound');
    assert.deepEqual(found.lines, [2 + 499]);
    assert.equal(found.more, false);
    const folds = await host.answer({ type: 'jsonFolds', id: 4, key });
    assert.deepEqual(folds, { type: 'jsonFoldsData', id: 4, key, pairs: [1, ready.lines - 2], more: false });
    for (const a of [ready, first, found, folds]) assert.ok(isHostToWebview(a), `${a.type} passes the page's guard`);
  });

  it('drops the body when the panel shows another exchange: a request about the old one is answered "not kept"', async () => {
    const host = new JsonBodyHost();
    const old = host.show(body(10), JSON_TYPE)!;
    assert.ok((await host.answer({ type: 'jsonOpen', id: 1, key: old })).type === 'jsonReady');
    assert.equal(host.holds, true);
    const now = host.show(Buffer.from('[1, 2]'), JSON_TYPE)!;
    assert.notEqual(now, old);
    assert.equal(host.holds, false, 'the old index is dropped');
    const late = await host.answer({ type: 'jsonOpen', id: 2, key: old });
    assert.ok(late.type === 'jsonReady' && !late.ok && late.notKept);
    assert.match(late.error, /no longer kept/);
    const lateLines = await host.answer({ type: 'jsonLines', id: 3, key: old, from: 0, count: 10 });
    assert.deepEqual(lines(lateLines), []);
    host.clear();
    const gone = await host.answer({ type: 'jsonOpen', id: 4, key: now });
    assert.ok(gone.type === 'jsonReady' && !gone.ok);
  });

  it('says where a body stops being JSON', async () => {
    const host = new JsonBodyHost();
    const key = host.show(Buffer.from('{"a": 1,, "b": 2}'), JSON_TYPE)!;
    const r = await host.answer({ type: 'jsonOpen', id: 1, key });
    assert.ok(r.type === 'jsonReady' && !r.ok);
    assert.equal(r.error, "not JSON at byte 9: expected a key in quotes, found \",\"");
  });

  it('a newer search stops the one under way (its answer says so)', async () => {
    const host = new JsonBodyHost({ step: 1024 });
    const key = host.show(body(300), JSON_TYPE)!;
    await host.answer({ type: 'jsonOpen', id: 1, key });
    const first = host.answer({ type: 'jsonSearch', id: 2, key, query: 'item 1', caseSensitive: true });
    await new Promise((r) => setImmediate(r));
    const second = host.answer({ type: 'jsonSearch', id: 3, key, query: 'item 2', caseSensitive: true });
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.type === 'jsonFound' && a.stopped === true);
    assert.ok(b.type === 'jsonFound' && !b.stopped && b.lines.length > 0);
  });

  it('works in steps of at most the configured size (format, index)', async () => {
    const steps: number[] = [];
    const budget = 64 * 1024;
    const host = new JsonBodyHost({ step: budget, onStep: (n) => steps.push(n) });
    const b = body(20_000);
    const key = host.show(b, JSON_TYPE)!;
    const r = await host.answer({ type: 'jsonOpen', id: 1, key });
    assert.ok(r.type === 'jsonReady' && r.ok);
    assert.ok(steps.length >= Math.floor(r.prettyBytes / budget), `${steps.length} index steps`);
    assert.ok(Math.max(...steps) <= budget);
  });

  it('the guards bound every count and size: requests on the host, answers in the page', () => {
    const ok = { type: 'jsonLines', id: 1, key: 'k', from: 0, count: MAX_LINES_PER_REQUEST };
    assert.equal(isWebviewToHost(ok), true);
    for (const bad of [
      { ...ok, count: MAX_LINES_PER_REQUEST + 1 },
      { ...ok, from: -1 },
      { ...ok, from: 1.5 },
      { ...ok, key: 'k'.repeat(101) },
      { ...ok, key: '' },
      { ...ok, id: 'x' },
      { type: 'jsonSearch', id: 1, key: 'k', query: 'q'.repeat(MAX_QUERY_CHARS + 1), caseSensitive: true },
      { type: 'jsonSearch', id: 1, key: 'k', query: 'q', caseSensitive: 'yes' },
    ]) {
      assert.equal(isWebviewToHost(bad), false, JSON.stringify(bad).slice(0, 120));
    }
    const data = { type: 'jsonLinesData', id: 1, key: 'k', from: 0, base64: Buffer.from('ab').toString('base64'), lengths: [1, 1], full: [1, 5], closes: [-1, 3] };
    assert.equal(isHostToWebview(data), true);
    for (const bad of [
      { ...data, lengths: [MAX_LINE_BYTES + 1, 1] },
      { ...data, full: [1] },
      { ...data, full: [0, 5] },
      { ...data, closes: [-2, 3] },
      { ...data, lengths: Array(MAX_LINES_PER_REQUEST + 1).fill(0), full: Array(MAX_LINES_PER_REQUEST + 1).fill(0), closes: Array(MAX_LINES_PER_REQUEST + 1).fill(-1) },
      { ...data, base64: 'A'.repeat(Math.ceil((2 * MAX_LINE_BYTES) / 3) * 4 + 4) },
      { type: 'jsonFound', id: 1, key: 'k', lines: Array(MAX_MATCHES + 1).fill(1), more: true },
      { type: 'jsonFound', id: 1, key: 'k', lines: [-1], more: false },
      { type: 'jsonFoldsData', id: 1, key: 'k', pairs: [1, 2, 3], more: false },
      { type: 'jsonFoldsData', id: 1, key: 'k', pairs: Array(2 * 50_000 + 2).fill(1), more: true },
      { type: 'jsonReady', id: 1, key: 'k', ok: true, lines: -1, prettyBytes: 0, complete: true },
    ]) {
      assert.equal(isHostToWebview(bad), false, JSON.stringify(bad).slice(0, 120));
    }
  });
});
