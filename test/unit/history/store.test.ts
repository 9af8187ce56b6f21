/**
 * The History store on a fake disk (memoryHistoryFs) and on a real temporary directory (nodeHistoryFs): adds
 * batched into few writes, the limits (oldest dropped), what a new window reads back, and damaged or hostile
 * files read with bounds, skipped and counted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuiltEntry, HistoryMeta } from '../../../src/extension/history/entry';
import { memoryHistoryFs } from '../../../src/extension/history/memoryFs';
import { nodeHistoryFs } from '../../../src/extension/history/nodeFs';
import { HistoryStore, INDEX_FILE, MAX_LINE_CHARS, type HistoryFs, type StoreLimits } from '../../../src/extension/history/store';

const DIR = '/ws/history';
let seq = 0;

function built(over: Partial<HistoryMeta> = {}, payloadBytes = 100): BuiltEntry {
  const id = over.id ?? `e${++seq}`;
  const meta = { v: 1, id, at: over.at ?? 1_700_000_000_000 + seq * 1000, kind: 'http' as const, protocol: 'http', uri: 'file:///w/a.netreq', blockIndex: 0, title: 'GET /', outcome: '200 OK', status: 200, failed: false, ms: 3, size: 10, ...over };
  const exchange = { kind: meta.kind, id: 'x1', pad: 'p'.repeat(payloadBytes) };
  return { meta, payload: JSON.stringify({ v: 1, id, exchange }) };
}

function store(fsx: HistoryFs, limits: Partial<StoreLimits> = {}, opts: ConstructorParameters<typeof HistoryStore>[3] = {}): HistoryStore {
  const l = { maxEntries: 500, maxBytes: 50 * 1024 * 1024, ...limits };
  return new HistoryStore(fsx, DIR, () => l, { flushDelayMs: 5, ...opts });
}

const indexText = (m: ReturnType<typeof memoryHistoryFs>) => m.files.get(path.join(DIR, INDEX_FILE))?.toString('utf8') ?? '';

describe('history store', () => {
  it('adds in memory at once, newest first, and writes them in one batch', async () => {
    const m = memoryHistoryFs();
    const s = store(m);
    await s.load();
    for (let i = 0; i < 20; i++) s.add(built({ title: `r${i}` }));
    assert.deepEqual(s.list().slice(0, 2).map((e) => e.title), ['r19', 'r18']);
    assert.equal(m.calls.write, 0, 'nothing written while adding');
    await s.flush();
    assert.equal(s.indexWrites, 1, 'twenty adds, one index write');
    assert.equal(indexText(m).trim().split('\n').length, 20);
    assert.equal([...m.files.keys()].filter((f) => f.endsWith('.json')).length, 20);
  });

  it('drops the oldest past maxEntries and past maxBytes, and removes their files', async () => {
    const m = memoryHistoryFs();
    const limits = { maxEntries: 3, maxBytes: 1e9 };
    const s = new HistoryStore(m, DIR, () => limits, { flushDelayMs: 5 });
    await s.load();
    const ids = Array.from({ length: 5 }, () => s.add(built()).id);
    await s.flush();
    assert.deepEqual(s.list().map((e) => e.id), ids.slice(2).reverse());
    assert.equal([...m.files.keys()].filter((f) => f.endsWith('.json')).length, 3);
    const one = s.list()[0].bytes;
    limits.maxEntries = 100;
    limits.maxBytes = one * 2 + 1;
    assert.equal(s.trim(), 1, 'the setting went down: one more dropped');
    assert.ok(s.bytes <= limits.maxBytes);
    s.add(built({}, 5000));
    assert.ok(s.bytes <= limits.maxBytes, `${s.bytes} kept, limit ${limits.maxBytes}`);
    await s.flush();
    assert.equal(indexText(m).trim().split('\n').filter(Boolean).length, s.list().length);
  });

  it('finds the previous exchange of the same block (by @name, else by index, same file)', async () => {
    const s = store(memoryHistoryFs());
    await s.load();
    const a = s.add(built({ blockIndex: 0, blockName: 'login' }));
    s.add(built({ blockIndex: 1 }));
    s.add(built({ blockIndex: 5, blockName: 'login', uri: 'file:///w/other.netreq' }));
    const b = s.add(built({ blockIndex: 4, blockName: 'login' }));
    const c = s.add(built({ blockIndex: 1 }));
    assert.equal(s.previousOf(b.id)?.id, a.id, 'same name, the block moved');
    assert.equal(s.previousOf(c.id)?.blockIndex, 1);
    assert.equal(s.previousOf(a.id), undefined);
  });

  it('a new window reads back what was written (real directory), entry files included', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netreq-history-'));
    try {
      const l = () => ({ maxEntries: 10, maxBytes: 1e9 });
      const s1 = new HistoryStore(nodeHistoryFs(), dir, l, { flushDelayMs: 5 });
      await s1.load();
      const ids = [s1.add(built({ title: 'one' })).id, s1.add(built({ title: 'two', cut: { kept: 1, total: 9 } })).id];
      await s1.dispose();
      const s2 = new HistoryStore(nodeHistoryFs(), dir, l, { flushDelayMs: 5 });
      const report = await s2.load();
      assert.deepEqual(report, { entries: 2, skipped: 0, notRead: false, problems: [] });
      assert.deepEqual(s2.list().map((e) => [e.id, e.title, e.cut]), [
        [ids[1], 'two', { kept: 1, total: 9 }],
        [ids[0], 'one', undefined],
      ]);
      const p = await s2.payload(ids[0]);
      assert.ok(p.ok && p.payload.id === ids[0]);
      await s2.clear();
      assert.deepEqual((await fs.readdir(dir)).sort(), [INDEX_FILE]);
      assert.equal(await fs.readFile(path.join(dir, INDEX_FILE), 'utf8'), '');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a damaged or hostile index: each bad line skipped and counted, the good ones kept, the file rewritten clean', async () => {
    const m = memoryHistoryFs();
    const good = JSON.stringify({ ...built({ id: 'good1' }).meta, bytes: 10 });
    const lines = [
      good,
      '{not json',
      JSON.stringify({ ...JSON.parse(good), id: '../../etc/passwd' }),
      JSON.stringify({ ...JSON.parse(good), id: 'k1', kind: 'gopher' }),
      JSON.stringify({ ...JSON.parse(good), id: 'k2', uri: 'no scheme' }),
      JSON.stringify({ ...JSON.parse(good), id: 'k3', blockIndex: -1 }),
      JSON.stringify({ ...JSON.parse(good), id: 'k4', cut: { kept: 9, total: 1 } }),
      JSON.stringify({ ...JSON.parse(good), id: 'k5', title: 'x'.repeat(MAX_LINE_CHARS) }),
      good,
      '[]',
      'null',
      '\u0000\u0001\u0002',
    ];
    m.files.set(path.join(DIR, INDEX_FILE), Buffer.from(lines.join('\n')));
    m.files.set(path.join(DIR, 'good1.json'), Buffer.from('{}'));
    m.files.set(path.join(DIR, 'orphan.json'), Buffer.from('{}'));
    const s = store(m);
    const r = await s.load();
    assert.deepEqual([r.entries, r.skipped], [1, 11]);
    assert.match(r.problems[0], /11 lines of the history index could not be read and were skipped/);
    assert.deepEqual(s.list().map((e) => e.id), ['good1']);
    assert.ok(!m.files.has(path.join(DIR, 'orphan.json')), 'a file no line names is removed');
    await s.flush();
    assert.equal(indexText(m).trim().split('\n').length, 1, 'rewritten without the bad lines');
  });

  it('an index with more lines than maxEntries: the newest maxEntries are read, the rest and their files dropped', async () => {
    const m = memoryHistoryFs();
    const line = (i: number) => JSON.stringify({ ...built({ id: `n${i}`, at: 1e12 - i }).meta, bytes: 10 });
    m.files.set(path.join(DIR, INDEX_FILE), Buffer.from(Array.from({ length: 5000 }, (_, i) => line(i)).join('\n')));
    for (let i = 0; i < 5000; i++) m.files.set(path.join(DIR, `n${i}.json`), Buffer.from('{}'));
    const s = store(m, { maxEntries: 3 });
    const r = await s.load();
    assert.deepEqual([r.entries, r.skipped, r.notRead], [3, 0, true]);
    assert.deepEqual(s.list().map((e) => e.id), ['n0', 'n1', 'n2']);
    assert.equal([...m.files.keys()].filter((f) => f.endsWith('.json')).length, 3, 'the older files are removed');
    assert.ok(m.calls.read <= 2);
  });

  it('reads at most its bound of an index, whatever its size', async () => {
    const m = memoryHistoryFs();
    const line = JSON.stringify({ ...built({ id: 'g' }).meta, bytes: 10 });
    const many = Array.from({ length: 2000 }, (_, i) => line.replace('"id":"g"', `"id":"g${i}"`)).join('\n');
    m.files.set(path.join(DIR, INDEX_FILE), Buffer.from(many));
    const s = store(m, { maxEntries: 100_000 }, { maxIndexBytes: 10_000 });
    const r = await s.load();
    assert.ok(r.entries > 0 && r.entries < 2000, `${r.entries} entries read`);
    assert.ok(r.entries * line.length <= 10_000 + line.length);
    assert.match(r.problems.join(' '), /larger than 10000 bytes: only its first part was read/);
  });

  it('an entry file that is missing, damaged, another entry or larger than its index says is refused in words', async () => {
    const m = memoryHistoryFs();
    const s = store(m);
    await s.load();
    const ids = [s.add(built()).id, s.add(built()).id, s.add(built()).id, s.add(built()).id];
    await s.flush();
    m.files.delete(path.join(DIR, `${ids[0]}.json`));
    m.files.set(path.join(DIR, `${ids[1]}.json`), Buffer.from('{"v":1,'));
    m.files.set(path.join(DIR, `${ids[2]}.json`), Buffer.from(JSON.stringify({ v: 1, id: 'someone-else', exchange: { kind: 'http' } })));
    m.files.set(path.join(DIR, `${ids[3]}.json`), Buffer.alloc(1024 * 1024, 0x20));
    const words = await Promise.all(ids.map(async (id) => {
      const p = await s.payload(id);
      return p.ok ? 'ok' : p.message;
    }));
    assert.deepEqual(words, [
      'The history entry’s file is missing.',
      'The history entry’s file is damaged (not JSON).',
      'The history entry’s file is damaged (not the entry the index names).',
      'The history entry’s file is larger than its index says: it was not read.',
    ]);
    assert.equal((await s.payload('nope')).ok, false);
  });

  it('a disk that fails to write: said once in words, nothing thrown, entries kept in memory and written later', async () => {
    const m = memoryHistoryFs();
    const errors: string[] = [];
    const s = store(m, {}, { onError: (e) => errors.push(e) });
    await s.load();
    m.failWrites = 'ENOSPC: no space left on device';
    s.add(built());
    await s.flush();
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^History could not be saved: ENOSPC/);
    assert.equal(s.list().length, 1);
    m.failWrites = undefined;
    s.add(built());
    await s.flush();
    assert.equal(indexText(m).trim().split('\n').length, 2);
  });

  it('entries added before the index was read are kept with the loaded ones, and the index is not overwritten first', async () => {
    const m = memoryHistoryFs();
    const old = JSON.stringify({ ...built({ id: 'old', at: 1 }).meta, bytes: 10 });
    m.files.set(path.join(DIR, INDEX_FILE), Buffer.from(`${old}\n`));
    m.files.set(path.join(DIR, 'old.json'), Buffer.from('{}'));
    const s = store(m);
    s.add(built({ id: 'new' }));
    const flushed = s.flush();
    await s.load();
    await flushed;
    await s.flush();
    assert.deepEqual(s.list().map((e) => e.id), ['new', 'old']);
    assert.deepEqual(indexText(m).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id), ['new', 'old']);
  });
});
