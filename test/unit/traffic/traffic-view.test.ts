// The traffic webview on a fake DOM (text nodes only, hostile text stays text), its HTML shell and the
// message guards on both sides.
import { strict as assert } from 'node:assert';
import { renderTrafficHtml } from '../../../src/extension/traffic/trafficContent';
import { isHostToTraffic, isTrafficToHost, type FlowDetail, type TrafficToHost } from '../../../src/shared/trafficMessages';
import { previewText } from '../../../src/webview/trafficRows';
import type { FakeElement } from '../webview/fakeDom';
import { XSS_IMG, XSS_SCRIPT } from '../webview/fixtures';
import { assertSafeDom } from '../webview/safeDom';
import { button, dgram, row, setup, snapshot } from './viewFixtures';

describe('traffic view (fake DOM)', () => {
  it('waits for the host, then lists flows: time, method, status, URL, duration, bytes, client, kind (what tells flows apart first)', () => {
    const { root, view, rows } = setup();
    assert.match(root.text, /Waiting for the traffic…/);
    view.handle(snapshot({ flows: [row(1), row(2, { kind: 'tunnel', method: 'CONNECT', target: 'example.com:443', status: undefined, done: false, bytesUp: 10, bytesDown: 20, durationMs: undefined })] }));
    const cells = rows().map((r) => r.children.map((c) => (c as FakeElement).text));
    assert.deepEqual(cells, [
      ['03:04:05.678', 'GET', '200', 'http://127.0.0.1:8080/1', '12.5 ms', '0 B', '1.5 KB', '127.0.0.1:50000', 'plain'],
      ['03:04:05.678', 'CONNECT', '…', 'example.com:443', 'open', '10 B', '20 B', '127.0.0.1:50000', 'tunnel'],
    ]);
    assert.match(root.text, /Proxy \(2\)/);
    assert.match(root.text, /No proxy is running\./);
    button(root, 'Start proxy');
  });

  it('applies batches in place: updated rows keep their element, new rows are appended, the cap lets the oldest go', () => {
    const { root, view, rows, added } = setup();
    view.handle(snapshot({ max: 3 }));
    assert.match(root.text, /No flows yet/);
    view.handle({ type: 'batch', flows: [row(1, { done: false, status: undefined })], datagrams: [], dropped: { flows: 0, datagrams: 0 } });
    assert.doesNotMatch(root.text, /No flows yet/, 'the placeholder goes with the first row');
    const first = rows()[0];
    view.handle({ type: 'batch', flows: [row(1), row(2), row(3)], datagrams: [], dropped: { flows: 0, datagrams: 0 } });
    assert.equal(rows()[0], first, 'the same element, updated');
    assert.equal(first.children[2].text, '200');
    assert.equal(added(), 2);
    view.handle({ type: 'batch', flows: [row(4), row(5)], datagrams: [], dropped: { flows: 2, datagrams: 0 } });
    assert.deepEqual(
      rows().map((r) => r.children[3].text),
      ['http://127.0.0.1:8080/3', 'http://127.0.0.1:8080/4', 'http://127.0.0.1:8080/5'],
    );
    assert.match(root.byClass('counts')[0].text, /^3 flows · 2 older flows let go \(the view keeps the last 3; setting netreq\.traffic\.maxFlows\)$/);
  });

  it('filters by every word typed, and counts what is shown', () => {
    const { root, view, visibleRows } = setup();
    view.handle(snapshot({ flows: [row(1), row(2, { method: 'POST', status: 404 }), row(3, { kind: 'tunnel', target: 'example.com:443' })] }));
    const input = root.find((e) => e.tag === 'input')!;
    input.type('post 404');
    assert.equal(visibleRows().length, 1);
    assert.equal(root.byClass('counts')[0].text, '1 of 3 flows');
    input.type('tunnel');
    assert.deepEqual(
      visibleRows().map((r) => r.children[3].text),
      ['example.com:443'],
    );
    // A batch row that does not match arrives hidden.
    view.handle({ type: 'batch', flows: [row(4)], datagrams: [], dropped: { flows: 0, datagrams: 0 } });
    assert.equal(visibleRows().length, 1);
    input.type('');
    assert.equal(visibleRows().length, 4);
  });

  it('selecting a flow asks for its detail; shows headers, bodies as text or hex, timings; row actions post with ids', () => {
    const { root, view, rows, posted } = setup();
    view.handle(snapshot({ flows: [row(7)] }));
    rows()[0].click();
    assert.deepEqual(posted.at(-1), { type: 'select', what: 'flow', id: 7 });
    assert.ok(rows()[0].classes.includes('selected'));
    const detail: FlowDetail = {
      row: row(7, { bytesUp: 5, bytesDown: 200_000 }),
      requestHeaders: [['Host', '127.0.0.1:8080'], ['X-Evil', XSS_SCRIPT]],
      responseHeaders: [['Content-Type', 'text/plain']],
      requestBody: Buffer.from('a\r\nb').toString('base64'),
      responseBody: Buffer.from('hello').toString('base64'),
      timings: { firstByte: 3.25 },
    };
    view.handle({ type: 'flowDetail', id: 7, detail });
    const pane = root.byClass('detail')[0];
    assert.match(pane.text, /X-Evil<script>alert\(1\)<\/script>/);
    assert.match(pane.text, /aCRLF/);
    assert.match(pane.text, /First response byte3\.25 ms/);
    assert.match(pane.text, /Showing the first 5 B of 195 KB/);
    button(pane, 'Hex').click();
    assert.match(root.byClass('detail')[0].text, /00000000 {2}68 65 6c 6c 6f/);
    button(root.byClass('detail')[0], 'Open as .netreq').click();
    const action = posted.at(-1) as Extract<TrafficToHost, { type: 'action' }>;
    assert.deepEqual({ ...action, id: 0 }, { type: 'action', id: 0, action: 'openFlow', target: 7 });
    view.handle({ type: 'reply', id: action.id, ok: true, message: 'Opened flow 7 as a read-only .netreq document.' });
    assert.match(root.byClass('detail')[0].text, /Opened flow 7 as a read-only \.netreq document\./);
    view.handle({ type: 'reply', id: action.id, ok: false, message: 'again?' });
    assert.doesNotMatch(root.text, /again\?/, 'a reply counts once');
    button(root.byClass('detail')[0], 'Copy as curl').click();
    assert.equal((posted.at(-1) as { action: string }).action, 'copyCurl');
    view.handle({ type: 'flowDetail', id: 99, detail: undefined });
    assert.match(root.text, /Open as \.netreq/, 'a detail for another row is ignored');
  });

  it('pause freezes the list and says recording goes on; clear and the service buttons post', () => {
    const { root, view, rows, posted } = setup();
    view.handle(snapshot({ flows: [row(1)], services: [{ kind: 'proxy', label: 'proxy 127.0.0.1:8888' }] }));
    assert.match(root.text, /Running: proxy 127\.0\.0\.1:8888/);
    button(root, 'Pause').click();
    assert.deepEqual(posted.at(-1), { type: 'pause', paused: true });
    assert.match(root.text, /Paused: new traffic is still recorded/);
    view.handle({ type: 'batch', flows: [row(2)], datagrams: [], dropped: { flows: 0, datagrams: 0 } });
    assert.equal(rows().length, 1);
    button(root, 'Resume').click();
    assert.deepEqual(posted.at(-1), { type: 'pause', paused: false });
    button(root, 'Clear').click();
    assert.deepEqual(posted.at(-1), { type: 'clear', what: 'flows' });
    button(root, 'Stop proxy').click();
    assert.deepEqual(posted.at(-1), { type: 'command', command: 'stopProxy' });
  });

  it('a JSON body shows pretty through the shared body views; Text shows its bytes with controls, Hex its dump', () => {
    const { root, view, rows, doc } = setup();
    view.handle(snapshot({ flows: [row(3)] }));
    rows()[0].click();
    const json = '{"ok":true,"list":[1,2]}\r\n';
    view.handle({
      type: 'flowDetail',
      id: 3,
      detail: { row: row(3, { bytesUp: 0, bytesDown: json.length }), requestHeaders: [], responseHeaders: [['Content-Type', 'application/json']], responseBody: Buffer.from(json).toString('base64'), timings: {} },
    });
    const pane = () => root.byClass('detail')[0];
    assert.match(pane().text, /Bodies asPrettyTextHex/);
    assert.match(pane().text, /\{\n {2}"ok": true,\n {2}"list": \[/);
    assert.ok(pane().byClass('tok-key').length > 0, 'keys in their own colored span');
    button(pane(), 'Text').click();
    assert.match(pane().text, /\{"ok":true,"list":\[1,2\]\}CRLF/);
    button(pane(), 'Hex').click();
    assert.match(pane().text, /00000000 {2}7b 22 6f 6b/);
    assertSafeDom(doc);
  });

  it('the Multicast tab: datagrams with sender, size, text with visible controls and hex; Open as .netreq', () => {
    const { root, view, rows, posted } = setup();
    view.handle(snapshot({ datagrams: [dgram(1, Buffer.concat([Buffer.from('hi\x1b[2J\r\n\x00'), Buffer.from([0xff])]))] }));
    const tab = root.find((e) => e.attrs.get('role') === 'tab' && e.text.startsWith('Multicast'))!;
    tab.click();
    assert.equal(tab.text, 'Multicast (1)');
    const cells = rows().map((r) => r.children.map((c) => (c as FakeElement).text));
    assert.deepEqual(cells, [['03:04:05.678', '239.255.0.1:5000 on 127.0.0.1', '127.0.0.1:40000', '10 B', 'hi<ESC>[2J<CR><LF><NUL>«ff»', '68 69 1b 5b 32 4a 0d 0a 00 ff']]);
    button(root, 'Start listener…').click();
    assert.deepEqual(posted.at(-1), { type: 'command', command: 'startMulticastListener' });
    rows()[0].click();
    assert.deepEqual(posted.at(-1), { type: 'select', what: 'datagram', id: 1 });
    view.handle({ type: 'datagramDetail', id: 1, detail: { row: dgram(1, Buffer.from('x')), data: Buffer.from('full data').toString('base64') } });
    assert.match(root.byClass('detail')[0].text, /full data/);
    button(root.byClass('detail')[0], 'Open as .netreq').click();
    assert.equal((posted.at(-1) as { action: string }).action, 'openDatagram');
    button(root, 'Clear').click();
    assert.deepEqual(posted.at(-1), { type: 'clear', what: 'datagrams' });
  });

  it("the Multicast tab names each running listener with the kernel's drop count, live", () => {
    const { root, view } = setup();
    const label = 'multicast listener 239.255.0.1:5000 on 127.0.0.1';
    view.handle(snapshot({ services: [{ kind: 'multicastListener', label, kernelDrops: 0 }] }));
    root.find((e) => e.attrs.get('role') === 'tab' && e.text.startsWith('Multicast'))!.click();
    assert.match(root.text, /Running: multicast listener 239\.255\.0\.1:5000 on 127\.0\.0\.1 \(kernel drops: 0\)/);
    view.handle({ type: 'services', services: [{ kind: 'multicastListener', label, kernelDrops: 32_000 }] });
    assert.match(root.text, /\(kernel drops: 32,000 \(the socket's receive buffer was full: datagrams came faster than the listener read them\)\)/);
    view.handle({ type: 'services', services: [{ kind: 'multicastListener', label, kernelDrops: null }] });
    assert.match(root.text, /on 127\.0\.0\.1 \(kernel drops: unknown\)/);
    view.handle({ type: 'services', services: [{ kind: 'multicastListener', label, kernelDrops: '<b>9</b>' as unknown as number }] });
    assert.match(root.text, /\(kernel drops: unknown\)/, 'a count that is not a number is not shown as one');
  });

  it('renders hostile flows and datagrams as text only, in every part of the view', () => {
    const { doc, root, view, rows } = setup();
    const evil = `${XSS_IMG}${XSS_SCRIPT}`;
    view.handle(
      snapshot({
        flows: [row(1, { client: evil, method: evil, target: `http://x/${evil}`, error: evil, proxy: evil })],
        datagrams: [dgram(2, Buffer.from(evil), { from: evil, listener: evil })],
        services: [{ kind: 'proxy', label: evil }],
      }),
    );
    rows()[0].click();
    view.handle({ type: 'flowDetail', id: 1, detail: { row: row(1, { error: evil, target: evil }), requestHeaders: [[evil, evil]], responseHeaders: [[evil, evil]], requestBody: Buffer.from(evil).toString('base64'), timings: {} } });
    root.find((e) => e.attrs.get('role') === 'tab' && e.text.startsWith('Multicast'))!.click();
    rows()[0].click();
    view.handle({ type: 'datagramDetail', id: 2, detail: { row: dgram(2, Buffer.from(evil), { from: evil }), data: Buffer.from(evil).toString('base64') } });
    assertSafeDom(doc);
    assert.ok(root.texts().some((t) => t.data.includes(XSS_SCRIPT)), 'the text is there, as text');
  });

  it('previews bytes on one line with controls by name (<CR><LF>), cut with an ellipsis', () => {
    assert.equal(previewText(Buffer.from('a\tb\r\nc')), 'a<TAB>b<CR><LF>c');
    assert.equal(previewText(Buffer.from([0x1b, 0x00, 0xff])), '<ESC><NUL>«ff»');
    assert.equal(previewText(Buffer.from('abcdef'), 3), 'abc…');
  });
});

describe('traffic panel shell and messages', () => {
  const base = 'https://file%2B.vscode-resource.vscode-cdn.net/ext';
  const params = { cspSource: 'https://*.vscode-cdn.net', scriptUri: `${base}/dist/webview/traffic.js`, styleUris: [`${base}/media/response.css`, `${base}/media/traffic.css`] };

  it("has a strict CSP (default-src 'none', one nonce'd script), the two stylesheets, no inline script or style", () => {
    const html = renderTrafficHtml(params);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    assert.match(csp, /^default-src 'none'; /);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/_-]+=*)'/.exec(csp)![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>([^<]*)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0][1].includes(`nonce="${nonce}"`) && scripts[0][1].includes(`src="${base}/dist/webview/traffic.js"`));
    assert.equal(scripts[0][2], '');
    assert.ok(html.includes(`href="${base}/media/traffic.css"`));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<style|style=/);
    assert.notEqual(renderTrafficHtml(params), html, 'a fresh nonce each time');
  });

  it('the host accepts only well-formed webview messages', () => {
    for (const ok of [
      { type: 'ready' },
      { type: 'pause', paused: true },
      { type: 'clear', what: 'datagrams' },
      { type: 'select', what: 'flow', id: 3 },
      { type: 'action', id: 1, action: 'copyCurl', target: 3 },
      { type: 'command', command: 'startProxy' },
    ])
      assert.ok(isTrafficToHost(ok), JSON.stringify(ok));
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'pause' },
      { type: 'clear', what: 'everything' },
      { type: 'select', what: 'flow', id: 1.5 },
      { type: 'action', id: 1, action: 'rm -rf', target: 3 },
      { type: 'action', id: '1', action: 'openFlow', target: 3 },
      { type: 'command', command: 'workbench.action.terminal.sendSequence' },
      { type: 'eval' },
    ])
      assert.ok(!isTrafficToHost(bad), JSON.stringify(bad));
  });

  it('the webview accepts only host message shapes', () => {
    assert.ok(isHostToTraffic(snapshot()));
    assert.ok(isHostToTraffic({ type: 'batch', flows: [], datagrams: [], dropped: { flows: 0, datagrams: 0 } }));
    assert.ok(isHostToTraffic({ type: 'reply', id: 1, ok: true }));
    assert.ok(!isHostToTraffic({ type: 'batch', flows: 'x', datagrams: [], dropped: {} }));
    assert.ok(!isHostToTraffic({ type: 'html', html: XSS_SCRIPT }));
    const detail = { row: row(1), requestHeaders: [], timings: {} };
    assert.ok(isHostToTraffic({ type: 'flowDetail', id: 1, detail: { ...detail, responseDecoded: { encoding: 'gzip', body: 'aGk=', cut: true, partial: false } } }));
    assert.ok(isHostToTraffic({ type: 'flowDetail', id: 1, detail: { ...detail, requestDecoded: { encoding: 'br', error: 'why' } } }));
    for (const bad of [{ body: 'aGk=' }, { encoding: 1 }, { encoding: 'gzip', body: 5 }, { encoding: 'gzip', cut: 'yes' }, { encoding: 'gzip', error: {} }, 'gzip'])
      assert.ok(!isHostToTraffic({ type: 'flowDetail', id: 1, detail: { ...detail, responseDecoded: bad } }), JSON.stringify(bad));
  });
});
