// The traffic view's detail pane on a fake DOM: bodies that came gzip-encoded shown decoded (or as sent),
// the headers as they came, and the detail following the filter.
import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import type { FlowDetail } from '../../../src/shared/trafficMessages';
import { FLOW_COLUMNS } from '../../../src/webview/trafficParts';
import type { FakeElement } from '../webview/fakeDom';
import { assertSafeDom } from '../webview/safeDom';
import { button, row, setup, snapshot } from './viewFixtures';

const JSON_TEXT = '{"ok":true,"name":"wörld"}';

function gzipDetail(id: number, over: Partial<FlowDetail> = {}): FlowDetail {
  const gz = zlib.gzipSync(JSON_TEXT);
  return {
    row: row(id, { bytesDown: gz.length }),
    requestHeaders: [['Host', '127.0.0.1:8080'], ['Accept-Encoding', 'gzip']],
    responseHeaders: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip'], ['Content-Length', String(gz.length)]],
    responseBody: gz.toString('base64'),
    responseDecoded: { encoding: 'gzip', body: Buffer.from(JSON_TEXT).toString('base64') },
    timings: {},
    ...over,
  };
}

describe('traffic view detail: decoded bodies, headers as they came, the filter (fake DOM)', () => {
  it('a gzip JSON body shows decoded and pretty, says how it was decoded; As sent shows the gzip bytes; the choice is remembered', () => {
    const { root, view, rows, doc } = setup();
    view.handle(snapshot({ flows: [row(1)] }));
    rows()[0].click();
    view.handle({ type: 'flowDetail', id: 1, detail: gzipDetail(1) });
    const pane = () => root.byClass('detail')[0];
    const gzLen = zlib.gzipSync(JSON_TEXT).length;
    assert.match(pane().text, new RegExp(`Response headers \\(as the upstream sent them\\)Content-Typeapplication/jsonContent-EncodinggzipContent-Length${gzLen}`));
    assert.match(pane().text, /Request headers \(as the client sent them\)/);
    assert.match(pane().text, new RegExp(`Decoded from gzip: ${gzLen} B on the wire, 27 B decoded\\.`));
    assert.match(pane().text, /\{\n {2}"ok": true,\n {2}"name": "wörld"\n\}/, 'pretty JSON of the decoded body');
    assert.match(pane().text, /Bodies asPrettyTextHexDecodedAs sent/);
    button(pane(), 'As sent').click();
    assert.equal(view.ui.bodyForm, 'sent');
    assert.match(pane().text, /As sent: the gzip-encoded bytes \(Decoded shows what they decode to\)\./);
    assert.match(pane().text, /00000000 {2}1f 8b 08/, 'the gzip bytes in hex (binary: the hex view)');
    button(pane(), 'Decoded').click();
    assert.equal(view.ui.bodyForm, 'decoded');
    assert.match(pane().text, /"name": "wörld"/);
    assertSafeDom(doc);
  });

  it('the start of a body, a cut at the bound, and a body that could not be decoded each say so in words', () => {
    const { root, view, rows } = setup();
    view.handle(snapshot({ flows: [row(2), row(3), row(4)] }));
    const pane = () => root.byClass('detail')[0];
    rows()[0].click();
    const big = Buffer.alloc(64 * 1024, 0x61);
    view.handle({
      type: 'flowDetail',
      id: 2,
      detail: gzipDetail(2, { row: row(2, { bytesDown: 300_000 }), responseHeaders: [['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip']], responseBody: big.toString('base64'), responseDecoded: { encoding: 'gzip', body: Buffer.from('abc').toString('base64'), partial: true } }),
    });
    assert.match(pane().text, /Decoded from gzip: the first 64 KB of 293 KB on the wire \(the proxy keeps the start of each body for this view\), 3 B decoded \(the start of the body\)\./);
    assert.doesNotMatch(pane().text, /Showing the first 3 B/, 'no "of N" line with a made-up total for decoded bytes');
    rows()[1].click();
    view.handle({ type: 'flowDetail', id: 3, detail: gzipDetail(3, { responseHeaders: [['Content-Type', 'text/plain'], ['Content-Encoding', 'br']], responseDecoded: { encoding: 'br', body: Buffer.alloc(1024 * 1024, 0x62).toString('base64'), cut: true } }) });
    assert.match(pane().text, /Decoded from br: .* on the wire, 1 MB decoded; showing the first 1 MB it decodes to \(the view decodes at most that much of a body\)\./);
    rows()[2].click();
    view.handle({ type: 'flowDetail', id: 4, detail: gzipDetail(4, { responseDecoded: { encoding: 'gzip', error: 'the gzip data is not valid (incorrect header check)' } }) });
    assert.match(pane().text, /Could not decode gzip: the gzip data is not valid \(incorrect header check\)\. Showing the bytes as they came\./);
    assert.doesNotMatch(pane().text, /DecodedAs sent/, 'nothing decoded: no Decoded / As sent choice');
  });

  it('the detail does not stay on a flow the filter hides; it comes back when the filter lets the flow through', () => {
    const { root, view, rows, visibleRows, posted } = setup();
    view.handle(snapshot({ flows: [row(1), row(2, { method: 'POST', status: 404 })] }));
    rows()[0].click();
    view.handle({ type: 'flowDetail', id: 1, detail: gzipDetail(1) });
    const pane = () => root.byClass('detail')[0];
    const input = root.find((e) => e.tag === 'input')!;
    input.type('404');
    assert.deepEqual(visibleRows().map((r) => r.children[3].text), ['http://127.0.0.1:8080/2']);
    assert.equal(pane().text, 'The selected flow is hidden by the filter: change or clear the filter to see it again, or select a flow the list shows.');
    assert.doesNotMatch(pane().text, /Open as \.netreq/);
    input.type('');
    assert.match(pane().text, /Decoded from gzip/, 'the same flow again, without asking the host');
    const asked = posted.filter((m) => m.type === 'select').length;
    // A live update that makes the selected flow stop matching hides the detail too.
    input.type('200');
    assert.match(pane().text, /Decoded from gzip/);
    view.handle({ type: 'batch', flows: [row(1, { status: 500 })], datagrams: [], dropped: { flows: 0, datagrams: 0 } });
    assert.match(pane().text, /^The selected flow is hidden by the filter/);
    assert.ok(posted.filter((m) => m.type === 'select').length > asked, 'the updated row is asked for again');
    input.type('');
    // Clear: the snapshot without the row drops the selection (no stale detail of a cleared flow).
    view.handle(snapshot({ flows: [row(5)] }));
    assert.equal(pane().text, 'Select a flow to see its details.');
  });

  it('the proxy list puts Method, Status and URL right after the time; each cell carries its column class', () => {
    assert.deepEqual(
      FLOW_COLUMNS.map(([label]) => label),
      ['Time (UTC)', 'Method', 'Status', 'URL / CONNECT target', 'Duration', '↑ Up', '↓ Down', 'Client', 'Kind'],
    );
    const { root, view, rows } = setup();
    view.handle(snapshot({ flows: [row(1)] }));
    const head = root.byClass('head')[0];
    assert.deepEqual(
      head.children.map((c) => (c as FakeElement).classes.find((x) => x.startsWith('col-'))),
      FLOW_COLUMNS.map(([, cls]) => cls),
    );
    assert.deepEqual(
      rows()[0].children.map((c) => (c as FakeElement).classes.find((x) => x.startsWith('col-'))),
      FLOW_COLUMNS.map(([, cls]) => cls),
    );
  });
});
