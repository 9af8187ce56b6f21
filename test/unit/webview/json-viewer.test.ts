import { strict as assert } from 'node:assert';
import { JsonBodyHost } from '../../../src/extension/panels/jsonBodyHost';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { isJsonViewerRequest } from '../../../src/shared/bodyMessages';
import type { WebviewToHost } from '../../../src/shared/messages';
import { Builder } from '../../../src/webview/dom';
import { FoldMap } from '../../../src/webview/foldMap';
import type { LineData, LineSource } from '../../../src/webview/lineSource';
import { ResponseView } from '../../../src/webview/responseView';
import { MAX_SCROLL_HEIGHT, ROW_HEIGHT, VirtualList } from '../../../src/webview/virtualList';
import { FakeDocument, FakeElement, FakeEvent } from './fakeDom';
import { exchange } from './fixtures';
import { assertSafeDom } from './safeDom';

const flush = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A body of `n` records, each on its own 5 lines (a long note keeps them from fitting on one line). */
const records = (n: number) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, note: 'x'.repeat(90) })) });

function page(x = exchange({}, records(1000)), preview = 1024 * 1024) {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const posted: WebviewToHost[] = [];
  const view = new ResponseView(doc, root, (m) => posted.push(m));
  const msg = exchangeMessage(x, 'Title', preview, 50 * 1024 * 1024);
  return { doc, root, posted, view, msg };
}

const scroller = (root: FakeElement) => root.byClass('jv-scroll')[0];
const rowLines = (root: FakeElement) => root.byClass('jv-row').map((r) => Number(r.byClass('jv-num')[0].text) - 1);
const rowText = (root: FakeElement, line: number) => root.byClass('jv-row').find((r) => r.byClass('jv-num')[0].text === String(line + 1))?.byClass('jv-text')[0].text;
const spacers = (root: FakeElement) => scroller(root).children.filter((c): c is FakeElement => c instanceof FakeElement && c.tag === 'svg').map((s) => Number(s.attrs.get('height')));

/** Sets the view height and redraws (the page's tick does so after a resize). */
function resize(root: FakeElement, view: ResponseView, height: number): void {
  scroller(root).clientHeight = height;
  view.tick();
}

describe('JSON viewer (fake DOM)', () => {
  it('shows a JSON body as pretty lines, building only the rows in view plus the overscan', () => {
    const { root, view, msg, doc } = page();
    view.handle(msg);
    resize(root, view, 10 * ROW_HEIGHT);
    const shown = rowLines(root);
    // 5004 lines; 10 in view + 1 partly + 10 below.
    assert.deepEqual(shown, Array.from({ length: 21 }, (_, i) => i));
    assert.equal(rowText(root, 0), '{');
    assert.equal(rowText(root, 3), '      "id": 0,');
    assert.deepEqual(spacers(root), [0, (5004 - 21) * ROW_HEIGHT]);
    // Colours: a key and a string are spans of their own.
    const row = root.byClass('jv-row')[4];
    assert.deepEqual(row.byClass('tok-key').map((e) => e.text), ['"name"']);
    assert.deepEqual(row.byClass('tok-string').map((e) => e.text), ['"item 0"']);
    assertSafeDom(doc);
  });

  it('scrolling draws the rows at the new position; PageDown / End move by rows', () => {
    const { root, view, msg } = page();
    view.handle(msg);
    resize(root, view, 10 * ROW_HEIGHT);
    const box = scroller(root);
    box.scrollTop = 3000 * ROW_HEIGHT;
    box.fire('scroll');
    assert.equal(rowLines(root)[0], 3000 - 10);
    assert.deepEqual(spacers(root), [2990 * ROW_HEIGHT, (5004 - 2990 - 31) * ROW_HEIGHT]);
    const ev = box.fire('keydown', new FakeEvent('PageDown'));
    assert.equal(ev.defaultPrevented, true);
    assert.equal(view.json.current?.listView?.firstRow, 3009);
    assert.equal(box.scrollTop, 3009 * ROW_HEIGHT);
    box.fire('keydown', new FakeEvent('End'));
    assert.equal(rowLines(root).at(-1), 5003);
    assert.equal(rowText(root, 5003), '}');
    box.fire('keydown', new FakeEvent('Home'));
    assert.equal(rowLines(root)[0], 0);
  });

  it('folding: the toggle of an opening line hides its lines up to its close, shows { … } and the count; again shows them', () => {
    const { root, view, msg } = page();
    view.handle(msg);
    resize(root, view, 10 * ROW_HEIGHT);
    const toggle = root.byClass('jv-row')[2].byClass('jv-fold')[0];
    assert.equal(toggle.text, '▾');
    toggle.click();
    assert.deepEqual(rowLines(root).slice(0, 5), [0, 1, 2, 7, 8]);
    assert.equal(rowText(root, 2), '    { … }  4 lines');
    assert.equal(root.byClass('jv-row')[2].byClass('jv-fold')[0].text, '▸');
    // Folding the whole list leaves the first and last lines.
    root.byClass('jv-row')[1].byClass('jv-fold')[0].click();
    assert.deepEqual(rowLines(root), [0, 1, 5003]);
    root.byClass('jv-row')[1].byClass('jv-fold')[0].click();
    assert.deepEqual(rowLines(root).slice(0, 4), [0, 1, 2, 7], 'the inner fold is still collapsed');
    root.button('Expand all')!.click();
    assert.deepEqual(rowLines(root).slice(0, 4), [0, 1, 2, 3]);
  });

  it('Collapse all folds every block inside the outermost one; expanding an outer block shows its inner ones still folded', async () => {
    const { root, view } = page();
    view.handle(exchangeMessage(exchange({}, JSON.stringify({ a: { b: { c: 'x'.repeat(120) }, d: 'y'.repeat(120) }, e: ['z'.repeat(120), 1] })), 'Title', 1024 * 1024, 50 * 1024 * 1024));
    resize(root, view, 10 * ROW_HEIGHT);
    root.button('Collapse all')!.click();
    await flush();
    // {, "a": {…}, "e": […], }
    assert.deepEqual(rowLines(root), [0, 1, 7, 11]);
    root.byClass('jv-row')[1].byClass('jv-fold')[0].click();
    assert.deepEqual(rowLines(root), [0, 1, 2, 5, 6, 7, 11], '"b" is still folded');
  });

  it('search: Enter finds the lines, says "1 of N", scrolls to the match and expands the fold that hides it', () => {
    const { root, view, msg } = page();
    view.handle(msg);
    resize(root, view, 10 * ROW_HEIGHT);
    root.byClass('jv-row')[1].byClass('jv-fold')[0].click(); // the whole items list collapsed
    const input = root.byClass('jv-search')[0];
    input.value = 'ITEM 998"';
    input.fire('keydown', new FakeEvent('Enter'));
    return flush().then(() => {
      const viewer = view.json.current!;
      assert.equal(viewer.statusText, '1 of 1');
      assert.equal(viewer.currentLine, 2 + 998 * 5 + 2);
      assert.ok(rowLines(root).includes(viewer.currentLine), 'the match is drawn');
      const current = root.byClass('jv-current');
      assert.equal(current.length, 1);
      assert.match(current[0].text, /"name": "item 998"/);
      // The matching text itself is marked, inside its token.
      const hit = current[0].byClass('jv-hit');
      assert.deepEqual(hit.map((e) => e.text), ['item 998"']);
      assert.deepEqual(hit[0].parent && (hit[0].parent as FakeElement).classes, ['tok-string']);
      // Ctrl+F in the page focuses the search box; F3 goes round to the same match.
      view.key(new FakeEvent('f', false, true));
      assert.equal(input.focused, true);
      input.value = 'item 99';
      input.fire('keydown', new FakeEvent('Enter'));
      return flush();
    }).then(() => {
      const viewer = view.json.current!;
      assert.match(viewer.statusText, /^\d+ of 11$/);
      const before = viewer.currentLine;
      view.key(new FakeEvent('F3'));
      assert.notEqual(viewer.currentLine, before);
      view.key(new FakeEvent('F3', true));
      assert.equal(viewer.currentLine, before);
    });
  });

  it('keeps its position and folds across the page’s redraws (a reply, the asserts), and a new exchange starts afresh', () => {
    const { root, view, msg } = page();
    view.handle(msg);
    resize(root, view, 10 * ROW_HEIGHT);
    const box = scroller(root);
    box.scrollTop = 500 * ROW_HEIGHT;
    box.fire('scroll');
    view.render();
    assert.equal(scroller(root), box, 'the same list element');
    assert.equal(box.scrollTop, 500 * ROW_HEIGHT);
    assert.equal(rowLines(root)[0], 490);
    view.handle(exchangeMessage(exchange({}, records(5)), 'Title', 1024 * 1024, 50 * 1024 * 1024));
    assert.notEqual(scroller(root), box);
    assert.equal(rowLines(root)[0], 0);
  });

  it('a body that is not JSON is shown as text, saying where it stops being JSON', () => {
    const { root, view } = page();
    view.handle(exchangeMessage(exchange({}, '{"a": 1,, "b": 2}'), 'Title', 1024 * 1024, 50 * 1024 * 1024));
    assert.equal(root.byClass('jv-scroll').length, 0);
    assert.match(root.text, /Shown as text: not JSON at byte 9: expected a key in quotes, found ","\./);
    assert.ok(root.text.includes('{"a": 1,, "b": 2}'));
  });

  it('a body over the preview: lines come from the host in bounded requests, the page keeps a bounded window', async () => {
    const big = Buffer.from(records(20_000)); // ~2.5 MB, 100,004 lines
    const x = exchange({}, big);
    const { root, view, posted } = page(x, 64 * 1024);
    const host = new JsonBodyHost();
    const bodyKey = host.show(big, 'application/json', true);
    const msg = { ...exchangeMessage(x, 'Title', 64 * 1024, 50 * 1024 * 1024), bodyKey };
    // The host side: every request the page posts is checked by the host's guard and answered.
    let requests = 0;
    const pump = async () => {
      for (let round = 0; round < 50 && posted.length > 0; round++) {
        for (const m of posted.splice(0)) {
          assert.ok(isJsonViewerRequest(m), `a checked request: ${m.type}`);
          requests++;
          view.handle(await host.answer(m));
        }
        await flush(1);
      }
    };
    view.handle(msg);
    assert.match(root.text, /Received 2\.\d MB, all of it shown below, pretty-printed, with folding and search\./);
    await pump();
    resize(root, view, 20 * ROW_HEIGHT);
    await pump();
    assert.equal(rowText(root, 0), '{');
    const list = view.json.current!.listView!;
    assert.equal(list.rows, 100_004);
    const box = scroller(root);
    for (let i = 1; i <= 50; i++) {
      box.scrollTop = i * 2000 * ROW_HEIGHT;
      box.fire('scroll');
      await pump();
      assert.ok(list.cachedLines <= 5000, `${list.cachedLines} lines cached`);
    }
    assert.equal(rowText(root, 100_003), '}');
    assert.ok(requests <= 2 + 51 * 2, `${requests} requests`);
    // Search on the host.
    const input = root.byClass('jv-search')[0];
    input.value = 'item 19998"';
    input.fire('keydown', new FakeEvent('Enter'));
    await pump();
    await flush();
    assert.equal(view.json.current!.statusText, '1 of 1');
    assert.match(root.byClass('jv-current')[0].text, /"name": "item 19998"/);
  });

  it('a body the host no longer keeps (a window reload): the part the page has, indented as far as it goes, and why', async () => {
    const big = Buffer.from(records(2000));
    const x = exchange({}, big);
    const { root, view, posted } = page(x, 4096);
    const host = new JsonBodyHost();
    host.show(big, 'application/json');
    view.handle({ ...exchangeMessage(x, 'Title', 4096, 50 * 1024 * 1024), bodyKey: 'a-key-from-before-the-reload' });
    for (const m of posted.splice(0)) if (isJsonViewerRequest(m)) view.handle(await host.answer(m));
    await flush();
    assert.match(root.text, /The body is no longer kept .*↻ Send again to see all of it\. Showing the first 4 KB\./);
    assert.match(root.text, /The JSON ends early \(the body was cut\): indented as far as it goes\./);
    resize(root, view, 10 * ROW_HEIGHT);
    assert.equal(rowText(root, 0), '{');
    assert.equal(posted.length, 0, 'nothing more is asked of the host');
  });

  it('past the height cap, positions are scaled to rows: the top shows row 0, the bottom the last row', () => {
    const doc = new FakeDocument();
    const b = new Builder(doc);
    const lines = 3_000_000;
    const source: LineSource = {
      open: async () => ({ ok: true, lines, complete: true, prettyBytes: 0 }),
      lines: async () => [],
      search: async () => ({ lines: [], more: false }),
      folds: async () => ({ pairs: [], more: false }),
      linesNow: (from, count) => Array.from({ length: count }, (_, i): LineData => ({ bytes: new TextEncoder().encode(`"line ${from + i}",`), full: 0, close: -1 })),
    };
    const list = new VirtualList(b, source, lines, (ctx) => b.el('div', 'jv-row', `${ctx.line}`));
    const box = list.el as unknown as FakeElement;
    box.clientHeight = 50 * ROW_HEIGHT;
    list.draw();
    assert.equal(list.scaled, true);
    assert.equal(list.contentHeight, MAX_SCROLL_HEIGHT);
    const total = () => box.children.reduce((s, c) => s + (c instanceof FakeElement && c.tag === 'svg' ? Number(c.attrs.get('height')) : 0), 0) + box.children[1].children.length * ROW_HEIGHT;
    assert.equal(total(), MAX_SCROLL_HEIGHT);
    box.scrollTop = MAX_SCROLL_HEIGHT - 50 * ROW_HEIGHT;
    box.fire('scroll');
    assert.equal(list.firstRow, lines - 50);
    assert.equal(box.children[1].children.at(-1)!.text, String(lines - 1));
    assert.equal(total(), MAX_SCROLL_HEIGHT);
    box.scrollTop = MAX_SCROLL_HEIGHT / 2;
    box.fire('scroll');
    // Half-way down the scroll range is half-way down the rows (the view's own height aside).
    const expected = Math.floor(((MAX_SCROLL_HEIGHT / 2) / (MAX_SCROLL_HEIGHT - 50 * ROW_HEIGHT)) * (lines - 50));
    assert.equal(list.firstRow, expected);
  });

  it('FoldMap: rows and lines map both ways with nested and adjacent folds', () => {
    const f = new FoldMap(100);
    f.collapse(10, 20);
    f.collapse(12, 15); // inside: no effect while 10 is collapsed
    f.collapse(30, 31);
    assert.equal(f.rowCount, 100 - 10 - 1);
    assert.deepEqual(f.ranges, [[10, 20], [30, 31]]);
    for (let row = 0; row < f.rowCount; row++) assert.equal(f.lineToRow(f.rowToLine(row)), row);
    assert.equal(f.rowToLine(10), 10);
    assert.equal(f.rowToLine(11), 21);
    assert.equal(f.lineToRow(15), 10);
    assert.equal(f.isHidden(15), true);
    f.expand(10);
    assert.deepEqual(f.ranges, [[12, 15], [30, 31]]);
    assert.equal(f.reveal(14), true);
    assert.deepEqual(f.ranges, [[30, 31]]);
  });
});
