import { strict as assert } from 'node:assert';
import { JsonReindenter, prettyJsonAsync, prettyJsonBytes, prettyJsonText } from '../../../src/common/prettyJson';
import { prng } from '../netreq/helpers';

/** Every value on its own line, as JSON.stringify(v, null, 2). */
const pretty = (s: string) => {
  const r = prettyJsonText(s, '  ', 0);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
};

describe('Pretty JSON (the re-indenter for bodies up to netreq.maxResponseBytes)', () => {
  it('indents like JSON.stringify(…, 2) for ordinary JSON, empty containers kept on one line', () => {
    const samples = ['{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x\\"y\\\\","g":true,"h":-1500}', '[]', '"just a string"', '42', ' \n {"nested":{"deep":[[[]]]}} \n'];
    for (const s of samples) {
      const r = pretty(s);
      assert.equal(r.pretty, JSON.stringify(JSON.parse(s), null, 2), s);
      assert.equal(r.complete, true);
    }
  });

  it('matches JSON.stringify on random documents (seeded)', () => {
    const rand = prng(11);
    const gen = (depth: number): unknown => {
      const k = Math.floor(rand() * (depth > 3 ? 4 : 7));
      if (k === 0) return Math.floor(rand() * 1e6) / 100;
      if (k === 1) return `s${Math.floor(rand() * 1000)}\n"\\é`;
      if (k === 2) return rand() < 0.5 ? null : rand() < 0.5;
      if (k === 3) return -Math.floor(rand() * 100);
      if (k === 4) return Array.from({ length: Math.floor(rand() * 4) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, gen(depth + 1)]));
    };
    for (let n = 0; n < 200; n++) {
      const doc = gen(0);
      const compact = JSON.stringify(doc);
      assert.equal(pretty(compact).pretty, JSON.stringify(doc, null, 2));
    }
  });

  it('copies numbers and strings exactly (a big integer is not rounded, key order and duplicates stay)', () => {
    assert.equal(pretty('{"id":12345678901234567890123,"id":1.10}').pretty, '{\n  "id": 12345678901234567890123,\n  "id": 1.10\n}');
    assert.equal(pretty('\uFEFF[1]').pretty, '[\n  1\n]');
  });

  it('keeps a container that fits in 100 bytes on one line (far fewer lines: VS Code folds and colours up to 300,000)', () => {
    const doc = { list: [{ id: 1, name: 'alpha', tags: ['a', 'b'] }, { id: 2, name: 'beta', tags: [] }], long: 'x'.repeat(120), nested: { deep: { deeper: [1, 2, 3] } } };
    const r = prettyJsonText(JSON.stringify(doc));
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(
      r.pretty,
      [
        '{',
        '  "list": [{"id": 1, "name": "alpha", "tags": ["a", "b"]}, {"id": 2, "name": "beta", "tags": []}],',
        `  "long": "${'x'.repeat(120)}",`,
        '  "nested": {"deep": {"deeper": [1, 2, 3]}}',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(r.pretty), doc);
    assert.equal(prettyJsonText('[1,2]').ok && (prettyJsonText('[1,2]') as { pretty: string }).pretty, '[1, 2]');
    // Strings with escaped quotes and brackets inside do not confuse the width check.
    const tricky = JSON.stringify({ a: 'x"]}[{\\', b: [1] });
    const t = prettyJsonText(tricky);
    assert.ok(t.ok && JSON.stringify(JSON.parse(t.pretty)) === tricky && !t.pretty.includes('\n'));
  });

  it('random documents re-parse to the same value with one-line containers too (seeded)', () => {
    const rand = prng(12);
    const gen = (depth: number): unknown => {
      const k = Math.floor(rand() * (depth > 4 ? 3 : 5));
      if (k === 0) return Math.floor(rand() * 1e6);
      if (k === 1) return 'q"\\]}'.repeat(Math.floor(rand() * 30));
      if (k === 2) return null;
      if (k === 3) return Array.from({ length: Math.floor(rand() * 6) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, (_, i) => [`k${i}`, gen(depth + 1)]));
    };
    for (let n = 0; n < 300; n++) {
      const doc = gen(0);
      const r = prettyJsonText(JSON.stringify(doc));
      assert.ok(r.ok);
      if (r.ok) assert.deepEqual(JSON.parse(r.pretty), doc);
    }
  });

  it('the one-line checks count as work: deep nesting still goes in bounded steps', () => {
    const deep = Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    const r = new JsonReindenter(deep);
    let steps = 0;
    while (!r.step(10_000)) {
      steps++;
      assert.ok(steps < 1000);
    }
    assert.ok(steps >= 3, `${steps} steps: the scans were counted`);
    const out = r.result();
    assert.ok(out.ok);
  });

  it('says where and why a text is not JSON', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"a" 1}', /byte 6: expected ':' after a key/],
      ['{a:1}', /byte 2: expected a key in quotes/],
      ['[1 2]', /expected ',' or '\]'/],
      ['[1}', /expected ',' or '\]', found "}"/],
      ['{"a":1}}', /text after the end/],
      ['[undefined]', /"undefined" is not a JSON value/],
      ['<html>', /unexpected "<"/],
      ['', /empty/],
      ['   ', /empty/],
    ];
    for (const [s, re] of cases) {
      const r = prettyJsonText(s);
      assert.equal(r.ok, false, s);
      if (!r.ok) assert.match(r.error, re, s);
    }
  });

  it('works on the bytes: invalid UTF-8 inside a string is copied as it was, and a multi-byte quote lookalike is not a quote', () => {
    const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xe2, 0x80, 0x9c]), Buffer.from('","b":[]}')]);
    const r = prettyJsonBytes(body, '  ', 0);
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(Buffer.from(r.pretty), Buffer.concat([Buffer.from('{\n  "a": "'), Buffer.from([0xff, 0xe2, 0x80, 0x9c]), Buffer.from('",\n  "b": []\n}')]));
    const long = prettyJsonText(`[${'1'.repeat(500)}, 0.${'5'.repeat(300)}]`);
    assert.ok(long.ok, 'long numbers are numbers');
    const bad = prettyJsonText(`[${'x'.repeat(500)}]`);
    assert.ok(!bad.ok && bad.error.includes(`"${'x'.repeat(24)}…" is not a JSON value`));
  });

  it('indents a cut preview as far as it goes and says it is incomplete', () => {
    const whole = JSON.stringify({ list: [{ name: 'alpha', n: 123456 }, { name: 'beta', ok: true }] });
    for (let cut = 1; cut < whole.length; cut++) {
      const r = prettyJsonText(whole.slice(0, cut));
      assert.ok(r.ok, `cut at ${cut}: ${r.ok ? '' : r.error}`);
      if (r.ok) assert.equal(r.complete, false, `cut at ${cut}`);
    }
  });

  it('works in bounded steps: a slice never runs far past its budget (except to finish one string)', () => {
    const text = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(i % 50) })));
    const r = new JsonReindenter(Buffer.from(text), '  ', 0);
    let steps = 0;
    let before = 0;
    while (!r.step(1000)) {
      assert.ok(r.position - before <= 1000 + 60, `a step went from ${before} to ${r.position}`);
      before = r.position;
      steps++;
      assert.ok(steps < 10_000);
    }
    assert.ok(steps >= Math.floor(text.length / 1060), `${steps} steps for ${text.length} characters`);
    const out = r.result();
    assert.ok(out.ok && new TextDecoder().decode(out.pretty) === JSON.stringify(JSON.parse(text), null, 2));
  });

  it('async: yields between slices (count of pauses) and gives the same text', async () => {
    const text = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ i })));
    let pauses = 0;
    const r = await prettyJsonAsync(Buffer.from(text), { inlineWidth: 0, slice: 4096, pause: async () => void pauses++ });
    assert.ok(r.ok);
    assert.equal(r.slices, pauses + 1);
    assert.ok(pauses >= Math.floor(text.length / 4096) - 1, `${pauses} pauses`);
    if (r.ok) assert.equal(Buffer.from(r.pretty).toString(), JSON.stringify(JSON.parse(text), null, 2));
    const stopped = await prettyJsonAsync(Buffer.from(text), { slice: 4096, cancelled: () => true });
    assert.deepEqual([stopped.ok, stopped.slices], [false, 1]);
  });
});
