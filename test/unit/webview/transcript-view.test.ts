import { strict as assert } from 'node:assert';
import type { SocketExchange } from '../../../src/core/exchange';
import { transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import type { TranscriptToHost } from '../../../src/shared/messages';
import { TranscriptView, type TranscriptTab } from '../../../src/webview/transcriptView';
import { FakeDocument, FakeElement } from './fakeDom';
import { assertSafeDom } from './safeDom';
import { XSS_IMG, XSS_SCRIPT } from './fixtures';
import { hostileSocketExchange, socketExchange, udpExchange } from './socketFixtures';

function setup() {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const posted: TranscriptToHost[] = [];
  const view = new TranscriptView(doc, root, (m) => posted.push(m));
  const show = (x: SocketExchange, limit = 1024 * 1024) => view.handle(transcriptMessage(x, 'Title', limit));
  return { doc, root, posted, view, show };
}

function tab(root: FakeElement, label: string): void {
  const t = root.find((e) => e.tag === 'button' && e.attrs.get('role') === 'tab' && e.text === label);
  assert.ok(t, `tab ${label}`);
  t.click();
}

describe('transcript view (fake DOM)', () => {
  it('shows a Restricted Mode refusal (reasons as text, Manage Workspace Trust, Send again) until the next send', () => {
    const { doc, root, posted, view, show } = setup();
    show(socketExchange());
    const problem = `t.netreq:4:3: Restricted Mode: body file /etc/passwd is not sent ${XSS_SCRIPT}`;
    view.handle({ type: 'refused', title: 'TCP it', problems: [problem], restricted: true });
    const banner = root.byClass('banner-refused')[0];
    assert.ok(banner?.text.includes(problem));
    assert.equal(root.byClass('tabs').length, 0);
    root.button('Manage Workspace Trust')!.click();
    root.button('↻ Send again')!.click();
    assert.deepEqual(posted, [{ type: 'manageTrust' }, { type: 'resend' }]);
    assertSafeDom(doc);
    show(socketExchange());
    assert.equal(root.byClass('banner-refused').length, 0);
  });

  it('shows each chunk with direction, time, size, text with visible controls and hex side by side', () => {
    const { root, show } = setup();
    show(socketExchange());
    const chunks = root.byClass('chunk');
    assert.equal(chunks.length, 3);
    assert.deepEqual(
      chunks.map((c) => [c.byClass('chunk-dir')[0].text, c.byClass('chunk-at')[0].text, c.byClass('chunk-size')[0].text]),
      [
        ['→ sent', '+1.5 ms', '5 B'],
        ['← received', '+3.25 ms', '23 B'],
        ['← received', '+12 ms', '4 B'],
      ],
    );
    assert.ok(chunks[0].classes.includes('chunk-sent'));
    const second = chunks[1];
    const textPre = second.find((e) => e.tag === 'pre' && e.classes.includes('raw'))!;
    assert.equal(textPre.text, 'line oneCRLFTABTABESCESCNULNUL«ff»');
    assert.deepEqual(
      textPre.byClass('raw-ctl').map((e) => e.text),
      ['TAB', 'ESC', 'NUL'],
    );
    assert.deepEqual(
      textPre.byClass('raw-eol').map((e) => e.text),
      ['CR', 'LF'],
    );
    assert.equal(second.byClass('raw-bad')[0].text, '«ff»');
    const hex = second.byClass('hex-bytes')[0].text;
    assert.ok(hex.startsWith('6c 69 6e 65 20 6f 6e 65  0d 0a 09'), hex);
    assert.ok(second.byClass('chunk-body')[0].classes.includes('chunk-both'));
  });

  it('shows totals, the stop reason in words and the timings; switches text / hex', () => {
    const { root, view, show } = setup();
    show(socketExchange());
    assert.equal(root.byClass('status-code')[0].text, 'TCP');
    assert.equal(root.byClass('status-reason')[0].text, '127.0.0.1:7000');
    assert.equal(root.byClass('status-meta')[0].text, 'sent 5 B in 1 chunk · received 27 B in 2 chunks · 12.5 ms');
    assert.equal(root.byClass('stop-line')[0].text, 'Stopped: the server closed the connection');
    root.button('Hex')!.click();
    assert.equal(view.ui.mode, 'hex');
    assert.equal(root.find((e) => e.tag === 'pre' && e.classes.includes('raw')), undefined);
    root.button('Text')!.click();
    assert.equal(root.byClass('hex-bytes').length, 0);
    tab(root, 'Timing');
    const rects = root.all().filter((e) => e.tag === 'rect');
    assert.ok(rects.length >= 5);
    assert.ok(root.text.includes('Payload sent'));
    tab(root, 'Connection');
    assert.ok(root.text.includes('#4'));
    assert.ok(root.text.includes('127.0.0.1:7000'));
    assert.ok(!root.find((e) => e.attrs.get('role') === 'tab' && e.text === 'TLS'), 'no TLS tab for plain TCP');
  });

  it('marks the ECHO verdict ✓ or ✗', () => {
    const { root, show } = setup();
    show(socketExchange({ request: { protocol: 'echo', host: 'h', port: 7, target: 'h:7', payloadBytes: 5 }, echoMatches: true }));
    assert.equal(root.byClass('echo-ok')[0].text, '✓ What came back equals what was sent (5 B)');
    show(socketExchange({ echoMatches: false }));
    assert.ok(root.byClass('echo-bad')[0].text.startsWith('✗ What came back differs'));
  });

  it('shows datagrams with their peer, and UDP words', () => {
    const { root, show } = setup();
    show(udpExchange());
    assert.ok(root.find((e) => e.attrs.get('role') === 'tab' && e.text === 'Datagrams'));
    assert.deepEqual(
      root.byClass('chunk-peer').map((e) => e.text),
      ['from 127.0.0.1:9001', 'from [::1]:9002'],
    );
    assert.ok(root.text.includes('sent 4 B in 1 datagram · received 9 B in 2 datagrams'));
    tab(root, 'Connection');
    assert.ok(root.text.includes('UDP has no connection'));
  });

  it('shows an error prominently with its phase, and the data received before it', () => {
    const { root, show } = setup();
    const x = socketExchange({ error: { phase: 'receive', code: 'ECONNRESET', message: 'connection reset by peer after 27 bytes' }, stop: 'error', stopDetail: 'connection reset by peer after 27 bytes' });
    show(x);
    const banner = root.byClass('banner-error')[0];
    assert.equal(banner.byClass('error-phase')[0].text, 'Receive failed');
    assert.equal(banner.byClass('error-message')[0].text, 'connection reset by peer after 27 bytes');
    assert.equal(banner.byClass('error-code')[0].text, 'ECONNRESET');
    assert.ok(root.text.includes('What was received before the failure is shown below.'));
    assert.equal(root.byClass('stop-line').length, 0, 'the banner says why it stopped');
    assert.equal(root.byClass('chunk').length, 3);
    assert.ok(root.byClass('status-line')[0].classes.includes('status-error'));
  });

  it('says when chunks were cut by the preview budget', () => {
    const { root, show } = setup();
    show(socketExchange(), 8);
    assert.ok(root.text.includes('Showing the first 3 B of 23 B'));
    assert.ok(root.text.includes('(not shown: past the 8 B this view carries'));
  });

  it('renders a hostile exchange in every tab and mode as text only', () => {
    const { doc, root, view, show } = setup();
    show(hostileSocketExchange());
    const tabs: TranscriptTab[] = ['transcript', 'timing', 'tls', 'connection'];
    for (const id of tabs) {
      for (const mode of ['both', 'text', 'hex'] as const) {
        view.ui = { tab: id, mode };
        view.render();
      }
    }
    assertSafeDom(doc);
    view.ui = { tab: 'transcript', mode: 'text' };
    view.render();
    assert.ok(root.texts().some((t) => t.data.includes(XSS_SCRIPT)), 'chunk text as a text node');
    assert.ok(root.texts().some((t) => t.data === `from ${XSS_IMG}`), 'peer as a text node');
    assert.ok(root.texts().some((t) => t.data === `reset after ${XSS_IMG}`));
    tab(root, 'TLS');
    assert.ok(root.texts().some((t) => t.data === `CN=${XSS_SCRIPT}`));
    show({ ...hostileSocketExchange(), error: undefined });
    assert.ok(root.texts().some((t) => t.data === `Stopped: stopped by ${XSS_SCRIPT}`), 'stop detail as a text node');
    assertSafeDom(doc);
  });

  it('posts resend, cancel and copy (with an id, reply shown once)', () => {
    const { root, posted, view, show } = setup();
    show(socketExchange());
    view.handle({ type: 'sending', title: 't', method: 'TCP', url: '127.0.0.1:7000', startedAt: 0 });
    assert.ok(root.byClass('stale')[0]);
    root.button('Cancel')!.click();
    root.button('↻ Send again')!.click();
    root.byClass('chunk')[0].button('Copy')!.click();
    assert.deepEqual(posted, [{ type: 'cancel' }, { type: 'resend' }, { type: 'copy', id: 1, text: 'hello' }]);
    view.handle({ type: 'reply', id: 99, ok: true, message: 'stray' });
    assert.ok(!root.text.includes('stray'));
    view.handle({ type: 'reply', id: 1, ok: true, message: 'Copied to the clipboard.' });
    assert.ok(root.text.includes('Copied to the clipboard.'));
  });

  it('says when nothing was sent or received', () => {
    const { root, show } = setup();
    show(socketExchange({ transcript: [], sentBytes: 0, receivedBytes: 0, error: { phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused' } }));
    assert.ok(root.text.includes('Nothing was sent or received.'));
    assert.ok(!root.text.includes('What was received before the failure'));
  });
});
