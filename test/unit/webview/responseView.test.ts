import { strict as assert } from 'node:assert';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import type { HttpExchange } from '../../../src/core/exchange';
import type { HostToWebview, WebviewToHost } from '../../../src/shared/messages';
import { ResponseView, type TabId } from '../../../src/webview/responseView';
import { FakeDocument, FakeElement } from './fakeDom';
import { exchange, hostileExchange, XSS_IMG, XSS_SCRIPT } from './fixtures';

const TABS: TabId[] = ['body', 'headers', 'raw', 'timing', 'tls', 'connection'];

function setup() {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const posted: WebviewToHost[] = [];
  const view = new ResponseView(doc, root, (m) => posted.push(m));
  const show = (x: HttpExchange, preview = 1024 * 1024) => view.handle(exchangeMessage(x, 'Title', preview, 50 * 1024 * 1024));
  return { doc, root, posted, view, show };
}

function tab(root: FakeElement, label: string): void {
  const t = root.find((e) => e.tag === 'button' && e.attrs.get('role') === 'tab' && e.text === label);
  assert.ok(t, `tab ${label}`);
  t.click();
}

// The JSON viewer adds its search box (input), the focusable list (tabindex) and labels for screen readers.
const SAFE_TAGS = new Set(['div', 'span', 'p', 'pre', 'button', 'table', 'tbody', 'tr', 'th', 'td', 'h3', 'img', 'svg', 'rect', 'input']);
const SAFE_ATTRS = new Set(['class', 'type', 'title', 'role', 'aria-selected', 'aria-pressed', 'aria-label', 'tabindex', 'placeholder', 'spellcheck', 'src', 'alt', 'width', 'height', 'x', 'y']);

describe('response view (fake DOM)', () => {
  it('renders every tab of a hostile exchange as text only: no script, no handlers, no markup', () => {
    const { doc, view, show } = setup();
    show(hostileExchange());
    for (const id of TABS) {
      view.ui = { ...view.ui, tab: id };
      view.render();
      for (const mode of ['pretty', 'text', 'hex'] as const) {
        if (id === 'body') {
          view.ui = { ...view.ui, bodyMode: mode };
          view.render();
        }
      }
    }
    for (const e of doc.created) {
      assert.ok(SAFE_TAGS.has(e.tag), `unexpected element <${e.tag}>`);
      for (const name of e.attrs.keys()) {
        assert.ok(SAFE_ATTRS.has(name), `unexpected attribute ${name}`);
        assert.ok(!/^on/i.test(name));
      }
      if (e.tag === 'img') assert.match(e.attrs.get('src')!, /^data:image\//);
      assert.ok(!(e.attrs.get('class') ?? '').includes('<'), 'classes never come from data');
    }
  });

  it('shows hostile text verbatim in text nodes (escaping is the DOM’s job)', () => {
    const { root, view, show } = setup();
    show(hostileExchange());
    view.ui = { ...view.ui, tab: 'body', bodyMode: 'text' };
    view.render();
    assert.ok(root.text.includes(`${XSS_SCRIPT}${XSS_IMG}`));
    tab(root, 'Headers');
    assert.ok(root.texts().some((t) => t.data === XSS_SCRIPT), 'header name as a text node');
    assert.ok(root.texts().some((t) => t.data === XSS_IMG), 'header value as a text node');
  });

  it('shows the status line with the status class, reason, time and size', () => {
    const { root, show } = setup();
    show(exchange());
    const line = root.byClass('status-line')[0];
    assert.ok(line.classes.includes('status-2xx'));
    assert.equal(root.byClass('status-code')[0].text, '200');
    assert.equal(root.byClass('status-reason')[0].text, 'OK');
    assert.equal(root.byClass('status-meta')[0].text, 'HTTP/1.1 · 17 ms · 11 B');
  });

  it('shows an error prominently with its phase, and still the response that came', () => {
    const { root, show } = setup();
    const x = exchange();
    x.error = { phase: 'receive', code: 'ECONNRESET', message: 'connection reset by peer after 5 bytes' };
    show(x);
    const banner = root.byClass('banner-error')[0];
    assert.ok(banner);
    assert.equal(banner.byClass('error-phase')[0].text, 'Receive failed');
    assert.equal(banner.byClass('error-message')[0].text, 'connection reset by peer after 5 bytes');
    assert.ok(root.byClass('tabs')[0], 'tabs still shown');
    assert.ok(root.text.includes('"ok"'));
  });

  it('marks a failure without a response as an error status', () => {
    const { root, show } = setup();
    const x = exchange({ response: undefined, connection: undefined, received: Buffer.alloc(0) });
    x.error = { phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused by 127.0.0.1:1' };
    show(x);
    assert.ok(root.byClass('status-line')[0].classes.includes('status-error'));
    assert.equal(root.byClass('status-code')[0].text, 'No response');
    assert.ok(root.text.includes('No response was received.'));
  });

  it('pretty-prints JSON with token spans', () => {
    const { root, show } = setup();
    show(exchange({}, '{"name":"netreq","n":1}'));
    const keys = root.byClass('tok-key').map((e) => e.text);
    assert.deepEqual(keys, ['"name"', '"n"']);
    assert.deepEqual(
      root.byClass('tok-number').map((e) => e.text),
      ['1'],
    );
  });

  it('says how much of a large body it shows, with open and save buttons that post requests with ids', () => {
    const { root, posted, show } = setup();
    show(exchange({}, 'x'.repeat(5000), 'text/plain'), 1000);
    assert.ok(root.text.includes('Received 4.9 KB, showing the first 1000 B. Open body in editor shows all of it, with folding and search.'));
    root.button('Open body in editor')!.click();
    root.button('Save body…')!.click();
    assert.deepEqual(posted, [
      { type: 'openBodyInEditor', id: 1 },
      { type: 'saveBody', id: 2 },
    ]);
  });

  it('Copy asks the host for the whole body (the page has only the preview) and shows what it says it copied', () => {
    const { root, posted, view, show } = setup();
    show(exchange({}, 'x'.repeat(5000), 'text/plain'), 1000);
    const copy = root.button('Copy')!;
    assert.equal(copy.attrs.get('title'), 'Copy the whole body (4.9 KB) as text');
    copy.click();
    assert.deepEqual(posted, [{ type: 'copyBody', id: 1 }], 'no preview text travels: the host copies what it kept');
    view.handle({ type: 'reply', id: 1, ok: true, message: 'Copied 4.9 KB.' });
    assert.ok(root.text.includes('Copied 4.9 KB.'));
  });

  it('the Raw tab states the real total received, and how much of it is shown', () => {
    const { root, view, show } = setup();
    const x = exchange();
    x.receivedBytes = 5 * 1024 * 1024;
    show(x);
    tab(root, 'Raw');
    const received = () => root.all().find((e) => e.tag === 'h3' && e.text.startsWith('Received'))!.text;
    assert.equal(received(), `Received · 5 MB, showing the first ${x.received.length} B`);
    assert.ok(root.text.includes(`… showing the first ${x.received.length} B of 5 MB; use Hex or save the body`));
    root.button('Hex')!.click();
    assert.ok(root.text.includes(`… hex view shows the first ${x.received.length} B of 5 MB`));
    view.handle({ ...exchangeMessage(exchange(), 'T', 1 << 20, 1 << 20) });
    assert.match(received(), /^Received · \d+ B$/, 'all of it kept: no "showing"');
  });

  it('the Raw legend shows the control badges as they appear in the bytes', () => {
    const { root, show } = setup();
    show(exchange());
    tab(root, 'Raw');
    const legend = root.byClass('legend')[0];
    assert.deepEqual(legend.byClass('ctl-badge').map((e) => e.text), ['CR', 'LF', 'TAB', 'ESC', 'NUL']);
    assert.ok(!/[\u2400-\u2421]/.test(root.text), 'no Control Picture glyph anywhere on the page');
  });

  it('shows the reply to a request, and ignores replies it did not ask for', () => {
    const { root, view, show } = setup();
    show(exchange());
    view.handle({ type: 'reply', id: 99, ok: true, message: 'stray' });
    assert.ok(!root.text.includes('stray'));
    root.button('Save body…')!.click();
    view.handle({ type: 'reply', id: 1, ok: true, message: 'Saved 11 B to /tmp/x.json.' });
    assert.ok(root.text.includes('Saved 11 B to /tmp/x.json.'));
  });

  it('says when the body was cut at maxResponseBytes', () => {
    const { root, show } = setup();
    const x = exchange({}, 'abc', 'text/plain');
    x.response!.truncated = true;
    show(x);
    assert.ok(root.text.includes('The body was cut at 50 MB'));
  });

  it('shows images through a data: URL from the allow-list', () => {
    const { root, show } = setup();
    show(exchange({}, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'));
    const img = root.find((e) => e.tag === 'img')!;
    assert.match(img.attrs.get('src')!, /^data:image\/png;base64,iVBORw0KGgo=$/);
  });

  it('shows binary bodies as hex', () => {
    const { root, show } = setup();
    show(exchange({}, Buffer.from([0, 1, 2, 0xff]), 'application/octet-stream'));
    assert.ok(root.byClass('hex-bytes')[0].text.startsWith('00 01 02 ff'));
  });

  it('shows the raw bytes with visible CR/LF, and a hex view on toggle', () => {
    const { root, view, show } = setup();
    show(exchange());
    tab(root, 'Raw');
    assert.ok(root.text.includes('GET /path HTTP/1.1CRLF'));
    assert.ok(root.byClass('raw-eol').length > 0);
    root.button('Hex')!.click();
    assert.equal(view.ui.rawMode, 'hex');
    assert.ok(root.byClass('hex-offset').some((e) => e.text === '00000000'));
  });

  it('lists interim responses and trailers on the Headers tab', () => {
    const { root, show } = setup();
    const x = exchange();
    x.response!.interim = [{ status: 100, reason: 'Continue', headers: [] }];
    x.response!.trailers = [['X-Checksum', 'abc']];
    show(x);
    tab(root, 'Headers');
    assert.ok(root.text.includes('Interim response 1 · 100 Continue'));
    assert.ok(root.text.includes('Trailers'));
    assert.ok(root.text.includes('X-Checksum'));
  });

  it('draws the waterfall as SVG rects with percentage attributes (no inline styles)', () => {
    const { root, show } = setup();
    show(exchange());
    tab(root, 'Timing');
    const rects = root.all().filter((e) => e.tag === 'rect');
    assert.equal(rects.length, 6, 'dns, connect, send, wait, download, total (no TLS on plain HTTP)');
    assert.ok(rects.every((r) => r.ns === 'http://www.w3.org/2000/svg' && /%$/.test(r.attrs.get('x')!) && /%$/.test(r.attrs.get('width')!)));
    assert.equal(rects[5].attrs.get('width'), '100%');
  });

  it('shows the TLS tab only for TLS, with verification and the certificate chain', () => {
    const { root, show } = setup();
    show(exchange());
    assert.ok(!root.find((e) => e.attrs.get('role') === 'tab' && e.text === 'TLS'));
    show(hostileExchange());
    tab(root, 'TLS');
    assert.ok(root.text.includes('Certificate 1 (leaf)'));
    assert.ok(root.byClass('bad').length > 0, 'failed verification is marked');
  });

  it('shows the connection: id, new or reused, afterwards', () => {
    const { root, show } = setup();
    const x = exchange();
    x.connection = { id: 7, reused: true, idleMs: 1200, requestsServed: 3, pooled: true, afterwards: 'closed', closeReason: 'Connection: close', remoteAddress: '::1', remotePort: 8080 };
    show(x);
    tab(root, 'Connection');
    assert.ok(root.text.includes('#7'));
    assert.ok(root.text.includes('reused (idle 1.2 s before this request)'));
    assert.ok(root.text.includes('closed — Connection: close'));
    assert.ok(root.text.includes('[::1]:8080'));
  });

  it('shows a sending banner with cancel, over the previous exchange', () => {
    const { root, posted, view, show } = setup();
    show(exchange());
    const sending: HostToWebview = { type: 'sending', title: 't', method: 'GET', url: 'http://h/', startedAt: 0 };
    view.handle(sending);
    assert.ok(root.byClass('banner-sending')[0]);
    assert.ok(root.byClass('stale')[0], 'previous exchange dimmed');
    root.button('Cancel')!.click();
    root.button('↻ Send again')!.click();
    assert.deepEqual(posted, [{ type: 'cancel' }, { type: 'resend' }]);
    show(exchange());
    assert.equal(root.byClass('banner-sending').length, 0);
  });

  it('counts the elapsed time of a send in its banner, live, from the host’s start (or from now when the clocks disagree)', () => {
    const { root, view } = setup();
    const t0 = Date.now();
    view.handle({ type: 'sending', title: 't', method: 'GET', url: 'http://h/', startedAt: t0 - 300 });
    const elapsed = () => root.byClass('elapsed')[0]?.text;
    assert.match(elapsed() ?? '', /^0\.[3-9] s$/);
    view.tick(t0 + 2_050);
    assert.equal(elapsed(), '2.4 s');
    view.tick(t0 + 125_000);
    assert.equal(elapsed(), '2 min 5 s');
    // A host clock an hour off: counted from when the page heard of the send.
    view.handle({ type: 'sending', title: 't', method: 'GET', url: 'http://h/', startedAt: t0 - 3_600_000 });
    assert.match(elapsed() ?? '', /^0\.[0-9] s$/);
    view.handle(exchangeMessage(exchange(), 'Title', 1024, 1024));
    assert.equal(root.byClass('elapsed').length, 0, 'no elapsed time once the result is in');
    view.tick();
  });

  it('shows the bytes received so far in the banner; more bytes change that figure only, without drawing the page again', () => {
    const { doc, root, view, show } = setup();
    show(exchange());
    const sending = { type: 'sending', title: 't', method: 'GET', url: 'http://h/', startedAt: Date.now() } as const;
    view.handle(sending);
    assert.equal(root.byClass('received')[0].text, '', 'nothing received yet');
    const created = doc.created.length;
    view.handle({ ...sending, receivedBytes: 1536 });
    view.handle({ ...sending, receivedBytes: 3 * 1024 * 1024 });
    assert.equal(doc.created.length, created, 'no element was created: the page was not drawn again');
    assert.equal(root.byClass('received')[0].text, '3 MB received · ');
    // A new send (another start) draws the page again, from nothing received.
    view.handle({ ...sending, startedAt: sending.startedAt + 5000 });
    assert.equal(root.byClass('received')[0].text, '');
  });

  it('keeps the status line and the tabs in one sticky head, the tab content after it', () => {
    const { root, show } = setup();
    show(exchange());
    const head = root.byClass('sticky-head')[0];
    assert.ok(head, 'a sticky head');
    assert.ok(head.byClass('status-line')[0] && head.byClass('tabs')[0]);
    assert.equal(head.byClass('tab-content').length, 0, 'the body scrolls under the head');
    assert.ok(root.byClass('tab-content')[0]);
  });

  it('shows the request line with its HTTP version, and where it was sent when that is not the URL (# @connect, @raw)', () => {
    const { root, show } = setup();
    const x = exchange();
    x.request = { ...x.request, version: 'HTTP/1.0' };
    show(x);
    assert.equal(root.byClass('request-line')[0].text, 'GET http://127.0.0.1:8080/path');
    assert.equal(root.byClass('request-version')[0].text, 'HTTP/1.0');
    assert.equal(root.byClass('request-via').length, 0, 'sent where the URL says');
    x.request = { ...x.request, url: 'http://example.test/path', host: '127.0.0.1', port: 8081 };
    show(x);
    assert.equal(root.byClass('request-via')[0].text, '→ connected to 127.0.0.1:8081');
    x.request = { ...x.request, url: 'https://[::1]/', host: '::1', port: 443, tls: true };
    show(x);
    assert.equal(root.byClass('request-via').length, 0, 'the default port and IPv6 brackets are the same place');
    x.request = { ...x.request, url: 'https://[::1]/', host: '::1', port: 8443 };
    show(x);
    assert.equal(root.byClass('request-via')[0].text, '→ connected to [::1]:8443');
  });

  it('shows a Restricted Mode refusal with the reasons as text, Manage Workspace Trust and Send again', () => {
    const { doc, root, posted, view, show } = setup();
    show(exchange());
    const problem = 'a.netreq:3:3: Restricted Mode: body file /etc/passwd is not sent <img src=x onerror=alert(1)>';
    view.handle({ type: 'refused', title: 'Post it', problems: [problem, 'a.netreq:4:1: second'], restricted: true });
    const banner = root.byClass('banner-refused')[0];
    assert.ok(banner, 'no refusal banner');
    assert.ok(banner.text.includes('Not sent: Restricted Mode'));
    assert.ok(banner.text.includes(problem), 'the reason is shown verbatim as text');
    assert.ok(banner.text.includes('second'));
    assert.ok(banner.text.includes('This workspace is not trusted'));
    assert.equal(root.byClass('tabs').length, 0, 'the older exchange is not shown under a refusal');
    root.button('Manage Workspace Trust')!.click();
    root.button('↻ Send again')!.click();
    assert.deepEqual(posted, [{ type: 'manageTrust' }, { type: 'resend' }]);
    for (const e of doc.created) assert.ok(SAFE_TAGS.has(e.tag) || e.tag === 'ul' || e.tag === 'li', `unexpected element <${e.tag}>`);
    // The next send replaces the refusal.
    view.handle({ type: 'sending', title: 't', method: 'GET', url: 'http://h/', startedAt: 0 });
    assert.equal(root.byClass('banner-refused').length, 0);
    show(exchange());
    assert.equal(root.byClass('banner-refused').length, 0);
    assert.ok(root.byClass('tabs')[0]);
  });

  it('a refusal that is not Restricted Mode offers no trust button', () => {
    const { root, view } = setup();
    view.handle({ type: 'refused', title: 't', problems: ['x.netreq:1:1: Something else is wrong here'], restricted: false });
    assert.ok(root.byClass('banner-refused')[0].text.startsWith('Not sent'));
    assert.equal(root.button('Manage Workspace Trust'), undefined);
  });

  it('reports UI changes so the webview can keep them across reloads', () => {
    const doc = new FakeDocument();
    const seen: string[] = [];
    const view = new ResponseView(doc, doc.createElement('div'), () => undefined, undefined, (ui) => seen.push(ui.tab));
    view.handle(exchangeMessage(exchange(), 't', 1000, 1000));
    const root = (view as unknown as { root: FakeElement }).root;
    tab(root, 'Timing');
    assert.deepEqual(seen, ['timing']);
  });
});
