import { strict as assert } from 'node:assert';
import type { HistoryMeta } from '../../../src/extension/history/entry';
import { blockText, dayKey, entryRow, fileName, groupByDay } from '../../../src/extension/history/rows';

function meta(over: Partial<HistoryMeta>): HistoryMeta {
  return { v: 1, id: 'a', at: 0, kind: 'http', protocol: 'http', uri: 'file:///w/api%20calls.netreq', blockIndex: 2, title: 'GET /', outcome: '200 OK', status: 200, failed: false, ms: 12.5, size: 2048, bytes: 100, ...over };
}

describe('history rows (pure)', () => {
  it('groups by local day, newest day first, entries in their order', () => {
    const now = new Date(2026, 10, 27, 12, 0, 0).getTime();
    const today = new Date(2026, 10, 27, 9, 0, 0).getTime();
    const yesterday = new Date(2026, 10, 26, 23, 59, 0).getTime();
    const older = new Date(2026, 10, 20, 8, 0, 0).getTime();
    const g = groupByDay([meta({ id: 't2', at: today + 1 }), meta({ id: 't1', at: today }), meta({ id: 'y', at: yesterday }), meta({ id: 'o', at: older })], now);
    assert.deepEqual(
      g.map((x) => [x.label === 'Today' || x.label === 'Yesterday' ? x.label : x.key, x.entries.map((e) => e.id)]),
      [
        ['Today', ['t2', 't1']],
        ['Yesterday', ['y']],
        [dayKey(older), ['o']],
      ],
    );
  });

  it('says status, duration, size, file and block on the row; the cut and the redaction in the tooltip', () => {
    const r = entryRow(meta({ blockName: 'login', cut: { kept: 1024, total: 4096 }, redacted: 2 }));
    assert.match(r.description, /200 OK · 12\.5 ms · 2 KB · api calls\.netreq @login$/);
    assert.match(r.tooltip, /history kept the first 1 KB of 4 KB/);
    assert.match(r.tooltip, /‹redacted›/);
    assert.equal(r.tone, 'pass');
    assert.equal(entryRow(meta({ status: 404 })).tone, 'warn');
    assert.equal(entryRow(meta({ failed: true, status: undefined, outcome: 'failed (connect: refused)' })).tone, 'fail');
    assert.equal(blockText({ blockIndex: 0 }), 'block 1');
    assert.equal(fileName('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
});
