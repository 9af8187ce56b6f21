import { strict as assert } from 'node:assert';
import type { WsExchange, WsFrame } from '../../../src/core/exchange';
import { logFrame, sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import type { SessionToHost, WsLogFrame, WsSessionInfo } from '../../../src/shared/messages';
import { SessionView, handshakeTimings, type SessionTab } from '../../../src/webview/sessionView';
import { FakeDocument, FakeElement, FakeEvent } from './fakeDom';
import { XSS_IMG, XSS_SCRIPT } from './fixtures';
import { isLogFrame } from '../../../src/shared/shapes';
import { assertSafeDom } from './safeDom';
import { hostileWsExchange, wsExchange, wsFrame } from './socketFixtures';

function info(x: WsExchange = wsExchange(), over: Partial<WsSessionInfo> = {}): WsSessionInfo {
  return { ...sessionInfo({ title: 'Chat', exchange: x, script: { total: 0, sent: 0, running: false }, logCap: 10_000, frameDataLimit: 16 * 1024, now: x.startedAt + 2000 }), ...over };
}

function frames(list: WsFrame[], from = 1): WsLogFrame[] {
  return list.map((f, i) => logFrame(from + i, f, 16 * 1024));
}

function setup(x: WsExchange = wsExchange(), initial: WsFrame[] = [], over: Partial<WsSessionInfo> = {}) {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const posted: SessionToHost[] = [];
  let appends = 0;
  const view = new SessionView(doc, root, (m) => posted.push(m), undefined, undefined, { aroundAppend: (append) => (appends++, append()) });
  const i = info(x, over);
  view.handle({ type: 'wsSession', info: i, frames: frames(initial), total: initial.length });
  return { doc, root, posted, view, info: i, appends: () => appends };
}

const rows = (root: FakeElement) => root.byClass('ws-frame');

describe('WebSocket session view (fake DOM)', () => {
  it('shows the state, the URL, the negotiated subprotocol and the frame count', () => {
    const { root } = setup(wsExchange(), [wsFrame('sent', 'text', 'hi'), wsFrame('received', 'text', 'hi', 2)]);
    assert.equal(root.byClass('ws-state')[0].text, '● Open');
    assert.ok(root.byClass('ws-state')[0].classes.includes('ws-state-open'));
    assert.equal(root.byClass('status-reason')[0].text, 'Chat');
    assert.equal(root.byClass('status-meta')[0].text, '101 Switching Protocols · subprotocol chat · 2 frames · open for 2 s');
    assert.ok(root.text.includes('ws://127.0.0.1:9000/chat'));
  });

  it('lists frames with direction, time, opcode, size and a visible-text or hex preview', () => {
    const { root } = setup(wsExchange(), [wsFrame('sent', 'text', 'a\r\nb', 1.5), wsFrame('received', 'binary', Buffer.from([0, 1, 0xff]), 3), wsFrame('received', 'ping', '', 4)]);
    const r = rows(root);
    assert.equal(r.length, 3);
    const cells = (e: FakeElement) => ['ws-dir', 'ws-at', 'ws-op', 'ws-size', 'ws-preview'].map((c) => e.byClass(c)[0].text);
    assert.deepEqual(cells(r[0]), ['→', '+1.5 ms', 'text', '4 B', 'aCRLFb']);
    assert.deepEqual(cells(r[1]), ['←', '+3 ms', 'binary', '3 B', '00 01 ff']);
    assert.deepEqual(cells(r[2]).slice(0, 4), ['←', '+4 ms', 'ping', '0 B']);
    assert.ok(r[0].classes.includes('ws-sent') && r[1].classes.includes('ws-received'));
  });

  it('labels the pong NetReq sent on its own for a ping "(automatic)", in the row and its detail; a pong the user sent is not', () => {
    const auto: WsFrame = { ...wsFrame('sent', 'pong', 'p', 5), auto: true };
    const { root } = setup(wsExchange(), [wsFrame('received', 'ping', 'p', 4), auto, wsFrame('sent', 'pong', '', 6)]);
    const r = rows(root);
    assert.equal(r[1].byClass('ws-auto')[0]?.text, '(automatic)');
    assert.equal(r[0].byClass('ws-auto').length, 0);
    assert.equal(r[2].byClass('ws-auto').length, 0, 'a pong the user sent is not marked');
    r[1].byClass('ws-frame-head')[0].click();
    assert.match(r[1].text, /Frame 2 · sent · pong \(automatic: NetReq’s answer to a ping\)/);
    // The host carries the mark; anything but `true` is refused by the page's check.
    assert.equal(logFrame(1, auto, 16).auto, true);
    assert.equal('auto' in logFrame(1, wsFrame('sent', 'pong', ''), 16), false);
    assert.equal(isLogFrame({ ...logFrame(1, auto, 16), auto: 'yes' }), false);
    assert.equal(isLogFrame(logFrame(1, auto, 16)), true);
  });

  it('expands a frame to text and hex side by side, with copy and open in editor', () => {
    const { root, posted } = setup(wsExchange(), [wsFrame('received', 'text', 'hello\tworld')]);
    const head = rows(root)[0].byClass('ws-frame-head')[0];
    head.click();
    const detail = rows(root)[0].byClass('ws-frame-detail')[0];
    assert.ok(detail.text.includes('helloTABworld'));
    assert.ok(detail.byClass('hex-bytes')[0].text.startsWith('68 65 6c 6c 6f 09'));
    detail.button('Copy text')!.click();
    detail.button('Open in editor')!.click();
    assert.deepEqual(posted, [
      { type: 'copy', id: 1, text: 'hello\tworld' },
      { type: 'wsOpenFrame', id: 2, seq: 1 },
    ]);
    head.fire('keydown', new FakeEvent('Enter'));
    assert.equal(rows(root)[0].byClass('ws-frame-detail')[0].children.length, 0, 'collapsed again');
  });

  it('appends batches, ignores frames it already has and frames of another session', () => {
    const { root, view, info: i, appends } = setup(wsExchange(), [wsFrame('sent', 'text', 'one')]);
    view.handle({ type: 'wsFrames', sessionId: i.sessionId, frames: frames([wsFrame('received', 'text', 'one'), wsFrame('received', 'text', 'two')], 1), total: 2 });
    assert.deepEqual(
      rows(root).map((r) => r.byClass('ws-preview')[0].text),
      ['one', 'two'],
      'seq 1 was already there',
    );
    view.handle({ type: 'wsFrames', sessionId: 'other', frames: frames([wsFrame('received', 'text', 'x')], 3), total: 3 });
    assert.equal(rows(root).length, 2);
    assert.equal(appends(), 1);
    assert.ok(root.byClass('status-meta')[0].text.includes('2 frames'));
  });

  it('keeps at most logCap frames and says how many older ones were dropped', () => {
    const { root, view, info: i } = setup(wsExchange(), [], { logCap: 5 });
    assert.ok(root.text.includes('No frames yet.'));
    const batch = (from: number, n: number) => frames(Array.from({ length: n }, (_, k) => wsFrame('received', 'text', `m${from + k}`)), from);
    view.handle({ type: 'wsFrames', sessionId: i.sessionId, frames: batch(1, 3), total: 3 });
    assert.ok(!root.text.includes('No frames yet.'));
    assert.equal(root.byClass('ws-dropped')[0].text, '');
    view.handle({ type: 'wsFrames', sessionId: i.sessionId, frames: batch(4, 4), total: 7 });
    assert.deepEqual(
      rows(root).map((r) => r.byClass('ws-preview')[0].text),
      ['m3', 'm4', 'm5', 'm6', 'm7'],
    );
    assert.equal(view.frameCount, 5);
    assert.equal(root.byClass('ws-dropped')[0].text, '2 older frames dropped (the log keeps the last 5).');
    // The host dropped some before they were ever posted: total says so.
    view.handle({ type: 'wsFrames', sessionId: i.sessionId, frames: batch(20, 1), total: 20 });
    assert.equal(root.byClass('ws-dropped')[0].text, '15 older frames dropped (the log keeps the last 5).');
  });

  it('updates the state without rebuilding the message box (what was typed stays)', () => {
    const { root, view, info: i } = setup();
    const box = root.byClass('composer-input')[0];
    box.type('half-typed');
    const closed = wsExchange({ state: 'closed', closeCode: 1000, closeReason: 'done', closedBy: 'server' });
    closed.timings.total = 5000;
    view.handle({ type: 'wsUpdate', info: { ...info(closed), sessionId: i.sessionId } });
    assert.equal(root.byClass('composer-input')[0], box, 'same element');
    assert.equal(box.value, 'half-typed');
    assert.equal(root.byClass('ws-state')[0].text, '○ Closed');
    assert.equal(root.byClass('ws-close-line')[0].text, 'closed by the server: 1000 normal closure: done');
    assert.ok(root.byClass('status-meta')[0].text.includes('lasted 5 s'));
    for (const label of ['Send', 'Ping', 'Close']) assert.ok(root.button(label)!.attrs.has('disabled'), `${label} disabled`);
    assert.equal(view.ui.draft, 'half-typed');
  });

  it('sends text with Enter (Shift+Enter is a new line) and the Send button', () => {
    const { root, posted } = setup();
    const box = root.byClass('composer-input')[0];
    box.type('{"hi":1}');
    const shift = box.fire('keydown', new FakeEvent('Enter', true));
    assert.equal(shift.defaultPrevented, false);
    assert.equal(posted.length, 0);
    const enter = box.fire('keydown', new FakeEvent('Enter'));
    assert.ok(enter.defaultPrevented);
    root.button('Send')!.click();
    assert.deepEqual(posted, [
      { type: 'wsSend', format: 'text', data: '{"hi":1}', id: 1 },
      { type: 'wsSend', format: 'text', data: '{"hi":1}', id: 2 },
    ]);
  });

  it('checks hex before posting and says what is wrong', () => {
    const { root, posted, view } = setup();
    root.button('Hex')!.click();
    assert.equal(view.ui.format, 'hex');
    const box = root.byClass('composer-input')[0];
    assert.ok(box.focused, 'the message box has the focus after switching');
    assert.equal(box.attrs.get('placeholder'), '48 65 6c 6c 6f');
    box.type('48 6g');
    root.button('Send')!.click();
    assert.equal(posted.length, 0);
    assert.match(root.byClass('composer-status')[0].text, /'6g' is not hex/);
    assert.ok(root.byClass('composer-status')[0].classes.includes('bad'));
    box.type('48 69');
    assert.equal(root.byClass('composer-status')[0].text, '', 'typing clears the problem');
    root.button('Send')!.click();
    assert.deepEqual(posted, [{ type: 'wsSend', format: 'hex', data: '48 69', id: 1 }]);
  });

  it('pings, and closes with a code and reason (default 1000), checking them first', () => {
    const { root, posted, view } = setup();
    root.button('Ping')!.click();
    const code = root.byClass('close-code')[0];
    const reason = root.byClass('close-reason')[0];
    assert.equal(code.value, '1000');
    code.type('1006');
    root.button('Close')!.click();
    assert.match(root.byClass('composer-status')[0].text, /1006 is reserved/);
    code.type('4000');
    reason.type('x'.repeat(124));
    root.button('Close')!.click();
    assert.match(root.byClass('composer-status')[0].text, /124 bytes/);
    reason.type('bye');
    root.button('Close')!.click();
    assert.deepEqual(posted, [
      { type: 'wsPing', id: 1 },
      { type: 'wsClose', code: 4000, reason: 'bye', id: 2 },
    ]);
    view.handle({ type: 'reply', id: 2, ok: true, message: 'Close frame sent (4000: bye).' });
    assert.equal(root.byClass('composer-status')[0].text, 'Close frame sent (4000: bye).');
    view.handle({ type: 'reply', id: 77, ok: false, message: 'stray' });
    assert.ok(!root.text.includes('stray'));
  });

  it('refuses to send while not open, without posting', () => {
    const { root, posted } = setup(wsExchange({ state: 'connecting' }));
    assert.equal(root.byClass('ws-state')[0].text, '◌ Connecting…');
    root.byClass('composer-input')[0].type('x');
    root.byClass('composer-input')[0].fire('keydown', new FakeEvent('Enter'));
    assert.equal(posted.length, 0);
    assert.equal(root.byClass('composer-status')[0].text, 'The WebSocket is still connecting.');
    root.button('Cancel')!.click();
    root.button('↻ Connect again')!.click();
    assert.deepEqual(posted, [{ type: 'cancel' }, { type: 'resend' }]);
  });

  it('shows the handshake raw: request head as sent with CR LF visible, the response status and headers', () => {
    const { root, view } = setup();
    view.ui = { ...view.ui, tab: 'handshake' };
    view.render();
    assert.ok(root.text.includes('GET /chat HTTP/1.1CRLF'));
    assert.ok(root.text.includes('HTTP/1.1 101 Switching ProtocolsCRLF'));
    assert.ok(root.text.includes('Sec-WebSocket-Accept: xyz=CRLF'));
    assert.ok(root.text.includes('Negotiated subprotocol'));
  });

  it('times the handshake without the session’s length', () => {
    assert.deepEqual(handshakeTimings({ dnsLookup: 1, tcpConnect: 2, requestSent: 0.5, firstByte: 1.5, total: 60_000 }), { dnsLookup: 1, tcpConnect: 2, requestSent: 0.5, firstByte: 1.5, total: 5 });
  });

  it('shows the failure prominently', () => {
    const x = wsExchange({ state: 'closed', closedBy: 'error', error: { phase: 'parse', code: 'HTTP_403', message: 'WebSocket handshake failed: the server answered 403 Forbidden instead of 101 Switching Protocols' } });
    x.handshake.status = 403;
    x.handshake.reason = 'Forbidden';
    const { root } = setup(x);
    assert.equal(root.byClass('error-phase')[0].text, 'Parse failed');
    assert.ok(root.byClass('banner-error')[0].text.includes('403 Forbidden instead of 101'));
  });

  it('renders hostile handshake, headers, frames, close reason and error as text only, in every tab', () => {
    const hostile = hostileWsExchange();
    const { doc, root, view } = setup(hostile, [
      wsFrame('received', 'text', `${XSS_SCRIPT}${XSS_IMG}`),
      wsFrame('received', 'binary', Buffer.from(XSS_IMG)),
      wsFrame('received', 'close', XSS_SCRIPT, 5, 4001),
    ]);
    for (const r of rows(root)) r.byClass('ws-frame-head')[0].click();
    const tabs: SessionTab[] = ['messages', 'handshake', 'timing', 'tls', 'connection'];
    for (const id of tabs) {
      view.ui = { ...view.ui, tab: id };
      view.render();
    }
    assertSafeDom(doc);
    view.ui = { ...view.ui, tab: 'messages' };
    view.render();
    assert.ok(root.texts().some((t) => t.data === `${XSS_SCRIPT}${XSS_IMG}`), 'frame text as a text node');
    assert.ok(root.texts().some((t) => t.data === `4001 application-defined: ${XSS_SCRIPT}`), 'close reason as a text node');
    assert.ok(root.texts().some((t) => t.data === `closed by the server: 4001 application-defined: ${XSS_SCRIPT}`));
    assert.ok(root.texts().some((t) => t.data === `peer sent ${XSS_IMG}`));
    view.ui = { ...view.ui, tab: 'handshake' };
    view.render();
    assert.ok(root.texts().some((t) => t.data === XSS_SCRIPT), 'header name as a text node');
    assert.ok(root.texts().some((t) => t.data === XSS_IMG), 'header value as a text node');
  });
});
