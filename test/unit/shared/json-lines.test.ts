import { strict as assert } from 'node:assert';
import { innerBlocks, LineIndexer, LineSearcher, MAX_LINE_BYTES, MAX_LINES_PER_REQUEST, MAX_MATCHES, readLines, runAll, runSteps, type LineIndex } from '../../../src/common/jsonLines';
import { MAX_INDENT_DEPTH, prettyJsonAsync, prettyJsonBytes } from '../../../src/common/prettyJson';

const enc = (s: string) => new TextEncoder().encode(s);

/** The pretty bytes of a body and their index (inlineWidth 0: every value on its own line). */
function indexOf(body: Uint8Array | string, inlineWidth = 0): { index: LineIndex; complete: boolean } {
  const r = prettyJsonBytes(typeof body === 'string' ? enc(body) : body, '  ', inlineWidth);
  assert.ok(r.ok, r.ok ? '' : r.error);
  const ix = new LineIndexer(r.pretty);
  runAll(ix, 7); // tiny steps: a line is often cut between two of them
  return { index: ix.result(), complete: r.complete };
}

const lineText = (index: LineIndex, i: number) => Buffer.from(readLines(index, i, 1).lines[0]).toString('latin1');

/**
 * The pairs an independent reading finds: for JSON.stringify(v, null, 2) output, the line that ends with an
 * opening bracket at indentation d is closed by the next line at indentation d that starts with a bracket.
 */
function pairsByIndent(text: string): number[] {
  const lines = text.split('\n');
  const indent = (l: string) => l.length - l.trimStart().length;
  return lines.map((l, i) => {
    if (!/[[{]$/.test(l)) return -1;
    for (let j = i + 1; j < lines.length; j++) if (indent(lines[j]) === indent(l) && /^\s*[\]}]/.test(lines[j])) return j;
    return -1;
  });
}

describe('JSON lines (the viewer’s line index, lines and search)', () => {
  it('indexes every line and pairs each opening line with its closing line, strings with brackets, quotes and backslashes included', () => {
    const doc = {
      'a{': '{[',
      b: 'x]}',
      'c"{': '\\"}',
      arr: [1, [2, [3, { d: '[' }]], {}, []],
      empty: {},
      none: [],
      uni: 'héllo — 😀 {',
      nested: { deep: { deeper: [{ k: ']' }] } },
    };
    const text = JSON.stringify(doc);
    const { index, complete } = indexOf(text);
    const expected = JSON.stringify(doc, null, 2);
    assert.equal(complete, true);
    const lines = expected.split('\n');
    assert.equal(index.count, lines.length);
    for (let i = 0; i < lines.length; i++) assert.equal(Buffer.from(readLines(index, i, 1).lines[0]).toString('utf8'), lines[i], `line ${i}`);
    assert.deepEqual(Array.from(index.closes), pairsByIndent(expected));
    // Empty containers stay on one line and open nothing.
    const emptyLine = lines.findIndex((l) => l.includes('"empty": {}'));
    assert.equal(index.closes[emptyLine], -1);
  });

  it('keeps invalid UTF-8 inside strings as bytes, and counts lines by LF only', () => {
    const body = Buffer.concat([Buffer.from('{"bad": "a'), Buffer.from([0xff, 0xfe]), Buffer.from('b", "list": [1, 2]}')]);
    const { index } = indexOf(body);
    assert.equal(index.count, 7); // {, "bad", "list": [, 1, 2, ], }
    const bad = readLines(index, 1, 1).lines[0];
    assert.deepEqual(Array.from(bad.subarray(bad.indexOf(0xff), bad.indexOf(0xff) + 2)), [0xff, 0xfe]);
    assert.equal(index.closes[0], 6);
    assert.equal(index.closes[2], 5);
  });

  it('a cut body: indented as far as it goes, its open containers closed by no line', () => {
    const { index, complete } = indexOf('{"a": [1, 2, {"b": "x', 0);
    assert.equal(complete, false);
    assert.deepEqual(
      Array.from({ length: index.count }, (_, i) => lineText(index, i)),
      ['{', '  "a": [', '    1,', '    2,', '    {', '      "b": "x'],
    );
    assert.deepEqual(Array.from(index.closes), [-1, -1, -1, -1, -1, -1]);
  });

  it('deep nesting: pairs stay right past the depth where indentation stops growing, and the output stays linear', () => {
    const depth = 3000;
    const body = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const { index } = indexOf(body);
    assert.equal(index.count, 2 * depth + 1);
    for (let i = 0; i < depth; i++) assert.equal(index.closes[i], 2 * depth - i, `line ${i}`);
    // Indentation grows to MAX_INDENT_DEPTH levels and no further: about (2 × 64 + 2) bytes a line at most.
    assert.ok(index.bytes.length <= index.count * (2 * MAX_INDENT_DEPTH + 2), `${index.bytes.length} bytes`);
  });

  it('with short containers kept on one line (the default), only multi-line containers fold', () => {
    const { index } = indexOf(JSON.stringify({ items: [{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: [] }], long: 'x'.repeat(120) }), 100);
    const lines = Array.from({ length: index.count }, (_, i) => lineText(index, i));
    assert.deepEqual(lines, ['{', '  "items": [{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}],', `  "long": "${'x'.repeat(120)}"`, '}']);
    assert.deepEqual(Array.from(index.closes), [3, -1, -1, -1]);
  });

  it('reads at most MAX_LINES_PER_REQUEST lines, each cut at MAX_LINE_BYTES before a UTF-8 sequence, with its full length', () => {
    const long = 'é'.repeat(MAX_LINE_BYTES); // 2 bytes each: the cut falls inside one at an odd offset
    const { index } = indexOf(JSON.stringify({ long: `a${long}`, list: Array.from({ length: 3000 }, (_, i) => i) }));
    const b = readLines(index, 0, 5000);
    assert.equal(b.lines.length, MAX_LINES_PER_REQUEST);
    const cut = b.lines[1];
    assert.ok(cut.length <= MAX_LINE_BYTES && cut.length >= MAX_LINE_BYTES - 3);
    assert.equal(b.full[1], Buffer.byteLength(`  "long": "a${long}",`));
    assert.ok(!Buffer.from(cut).toString('utf8').includes('\uFFFD'), 'no sequence split');
    assert.equal(readLines(index, index.count - 2, 100).lines.length, 2, 'fewer at the end');
    assert.equal(readLines(index, index.count + 5, 10).lines.length, 0);
  });

  it('searches lines case-sensitively or not (UTF-8 included), a line counted once, at most MAX_MATCHES with "more"', () => {
    const { index } = indexOf(JSON.stringify({ a: 'Héllo héllo', b: ['HÉLLO', 'nothing'], c: 'item 59998', d: 'item 599981' }));
    const search = (q: string, cs: boolean) => {
      const s = new LineSearcher(index, q, cs);
      runAll(s, 16);
      return s.result();
    };
    const lines = (q: string, cs: boolean) => search(q, cs).lines.map((i) => lineText(index, i).trim());
    assert.deepEqual(search('héllo', true).lines, [1]);
    assert.equal(search('HÉLLO', false).lines.length, 2);
    assert.deepEqual(lines('item 59998', true), ['"c": "item 59998",', '"d": "item 599981"']);
    assert.deepEqual(search('', true).lines, []);
    assert.deepEqual(search('"a": "Héllo héllo",\n', true).lines, [], 'a query with a line break matches nothing');
    const many = indexOf(JSON.stringify(Array.from({ length: MAX_MATCHES + 5 }, (_, i) => `x${i}`))).index;
    const s = new LineSearcher(many, 'x', true);
    runAll(s);
    assert.equal(s.result().lines.length, MAX_MATCHES);
    assert.equal(s.result().more, true);
  });

  it('Collapse all: the blocks inside the outermost one, in order, at most `max` with "more"', () => {
    const { index } = indexOf(JSON.stringify({ a: { b: [1] }, c: 2, d: [[3]] }));
    // {, "a": {, "b": [, 1, ], }, "c": 2, "d": [, [, 3, ], ], }
    assert.deepEqual(innerBlocks(index), { pairs: [1, 5, 2, 4, 7, 11, 8, 10], more: false });
    assert.deepEqual(innerBlocks(index, 2), { pairs: [1, 5, 2, 4], more: true });
    assert.deepEqual(innerBlocks(indexOf('42').index), { pairs: [], more: false });
  });

  it('finds a match in a line longer than a step, across the cut between two pieces', () => {
    const { index } = indexOf(JSON.stringify({ s: `${'x'.repeat(5000)}NEEDLE${'y'.repeat(5000)}` }));
    for (const budget of [1024, 2048, 5003]) {
      const s = new LineSearcher(index, 'needle', false);
      runAll(s, budget);
      assert.deepEqual(s.result().lines, [1], `budget ${budget}`);
    }
  });

  it('a ~50 MB body is formatted, indexed and searched in steps of a bounded size (no step over 1 MB)', async function () {
    this.timeout(120_000);
    const body = Buffer.from(`[${Array.from({ length: 330_000 }, (_, i) => JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', `t${i % 97}`], note: 'héllo — a longer text to fill up', nested: { list: [1, 2, 3], more: { x: '}' } } })).join(',')}]`);
    assert.ok(body.length > 45e6, `${body.length} bytes`);
    const budget = 1 << 20;
    let slices = 0;
    const r = await prettyJsonAsync(body, { slice: budget, pause: async () => void slices++ });
    assert.ok(r.ok && r.complete);
    assert.ok(slices >= Math.floor(body.length / budget), `${slices} slices`);
    const steps: number[] = [];
    const ix = new LineIndexer(r.pretty);
    assert.equal(await runSteps(ix, { budget, pause: async () => undefined, onStep: (n) => steps.push(n) }), true);
    assert.ok(steps.length >= Math.ceil(r.pretty.length / budget), `${steps.length} steps`);
    assert.ok(Math.max(...steps) <= budget, `largest step ${Math.max(...steps)} bytes`);
    assert.equal(steps.reduce((a, b) => a + b, 0), r.pretty.length, 'every byte once');
    const index = ix.result();
    assert.equal(index.closes[0], index.count - 1);
    const searchSteps: number[] = [];
    const s = new LineSearcher(index, 'item 329998"', true);
    await runSteps(s, { budget, pause: async () => undefined, onStep: (n) => searchSteps.push(n) });
    assert.ok(Math.max(...searchSteps) <= budget);
    assert.equal(s.result().lines.length, 1);
    assert.match(lineText(index, s.result().lines[0]), /"name": "item 329998"/);
  });
});
