import { strict as assert } from 'node:assert';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import { logFrame, sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import type { ExchangeMessage, SessionToHost, TranscriptMessage, WsSessionMessage } from '../../../src/shared/messages';
import { isPanelTargetMessage, MAX_SAVED_CHARS, panelTarget, readSavedPanel, RESTORE_BYTES, savedPanel, type SavedPanel } from '../../../src/shared/restore';
import { Builder } from '../../../src/webview/dom';
import { ResponseView } from '../../../src/webview/responseView';
import { PanelStateKeeper, RELOAD_CLOSE_WORDS, restoredMessage, restoreNote, restoreNoteText } from '../../../src/webview/restore';
import { SessionView } from '../../../src/webview/sessionView';
import { TranscriptView } from '../../../src/webview/transcriptView';
import { FakeDocument, FakeElement } from './fakeDom';
import { exchange, XSS_SCRIPT } from './fixtures';
import { assertSafeDom } from './safeDom';
import { socketExchange, wsExchange, wsFrame } from './socketFixtures';

const TARGET = { uri: 'file:///work/api.netreq', blockIndex: 2, blockName: 'login' };

/** What the page saved, as VS Code hands it back after a reload (JSON, as the state travels). */
function roundTrip(s: SavedPanel): unknown {
  return JSON.parse(JSON.stringify(s));
}

function sessionMessage(state: 'open' | 'closed' = 'open', frames = [wsFrame('sent', 'text', 'hello'), wsFrame('received', 'text', 'world', 2)]): WsSessionMessage {
  const x = wsExchange({ state });
  const info = sessionInfo({ title: 'Chat', exchange: x, script: { total: 1, sent: 1, running: state === 'open' }, logCap: 1000, frameDataLimit: 16 * 1024, now: x.startedAt + 1000 });
  return { type: 'wsSession', info, frames: frames.map((f, i) => logFrame(i + 1, f, 16 * 1024)), total: frames.length };
}

describe('panel restore after a window reload: saved state (bounded, validated)', () => {
  it('keeps a response whole when it is small, and round-trips through JSON unchanged', () => {
    const m = exchangeMessage(exchange(), 'GET /', 1024 * 1024, 50 * 1024 * 1024);
    const saved = savedPanel({ tab: 'headers' }, TARGET, m);
    assert.equal(saved.cut, undefined);
    const back = readSavedPanel(roundTrip(saved), 'response');
    assert.deepEqual(back, roundTrip(saved));
    assert.deepEqual(back.target, TARGET);
    assert.deepEqual(back.ui, { tab: 'headers' });
  });

  it('cuts a large body to RESTORE_BYTES (the first bytes, on a base64 group) and says it was cut', () => {
    const body = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = 97 + (i % 26);
    const m = exchangeMessage(exchange({}, body, 'text/plain'), 'GET /big', 8 * 1024 * 1024, 50 * 1024 * 1024);
    const saved = savedPanel(undefined, TARGET, m);
    assert.equal(saved.cut, true);
    const kept = (saved.last as ExchangeMessage).exchange.response!.body;
    assert.equal(kept.length, RESTORE_BYTES);
    assert.equal(kept.totalLength, body.length);
    assert.deepEqual(Buffer.from(kept.base64, 'base64'), body.subarray(0, RESTORE_BYTES));
    assert.ok(JSON.stringify(saved).length < RESTORE_BYTES * 2 + 64 * 1024 * 2, 'the saved state is a preview, not the body');
    const back = readSavedPanel(roundTrip(saved), 'response');
    assert.equal(back.cut, true);
    assert.ok(back.last);
  });

  it('keeps the first RESTORE_BYTES of a transcript in all, and the newest frames of a session', () => {
    const big = Buffer.alloc(RESTORE_BYTES, 0x41);
    const t = transcriptMessage(socketExchange({ transcript: [{ dir: 'sent', at: 1, data: Buffer.from('hi') }, { dir: 'received', at: 2, data: big }, { dir: 'received', at: 3, data: big }] }), 'TCP', 8 * 1024 * 1024);
    const st = savedPanel(undefined, TARGET, t).last as TranscriptMessage;
    assert.deepEqual(
      st.exchange.transcript.map((e) => [e.data.length, e.data.totalLength]),
      [
        [2, undefined],
        [RESTORE_BYTES - 3, RESTORE_BYTES],
        [0, RESTORE_BYTES],
      ],
    );
    const frames = [wsFrame('sent', 'binary', big), wsFrame('received', 'binary', big, 2)];
    const x = wsExchange();
    const info = sessionInfo({ title: 'Chat', exchange: x, script: { total: 0, sent: 0, running: false }, logCap: 1000, frameDataLimit: 1024 * 1024, now: x.startedAt });
    const s = savedPanel(undefined, TARGET, { type: 'wsSession', info, frames: frames.map((f, i) => logFrame(i + 1, f, 1024 * 1024)), total: 2 });
    const sf = (s.last as WsSessionMessage).frames;
    assert.deepEqual(
      sf.map((f) => [f.data.length, f.data.totalLength]),
      [
        [0, RESTORE_BYTES],
        [RESTORE_BYTES, undefined],
      ],
    );
    assert.equal(s.cut, true);
  });

  it('keeps nothing of a last message that is too big even bounded (thousands of headers), and says so', () => {
    const headers: Array<[string, string]> = Array.from({ length: 40_000 }, (_, i) => [`x-h${i}`, 'v'.repeat(60)]);
    const x = exchange();
    x.response!.headers = headers;
    const saved = savedPanel({ tab: 'body' }, TARGET, exchangeMessage(x, 'GET /', 1024, 1024));
    assert.equal(saved.last, undefined);
    assert.equal(saved.dropped, true);
    assert.ok(JSON.stringify(saved).length < MAX_SAVED_CHARS);
    assert.match(restoreNoteText('response', readSavedPanel(roundTrip(saved), 'response'))!, /without the last exchange/);
  });

  it('refuses hostile or damaged state: bad targets and shapes are left out, never rendered', () => {
    for (const bad of [null, 42, 'x', [], undefined]) assert.deepEqual(readSavedPanel(bad, 'response'), {});
    for (const t of [
      { uri: 'not a uri', blockIndex: 0 },
      { uri: 'file:///a', blockIndex: -1 },
      { uri: 'file:///a', blockIndex: 1.5 },
      { uri: 'file:///a', blockIndex: '0' },
      { uri: 'file:///a', blockIndex: 0, blockName: 7 },
      { uri: `file:///${'a'.repeat(9000)}`, blockIndex: 0 },
      { uri: 'file:///a', blockIndex: 0, blockName: 'n'.repeat(2000) },
    ])
      assert.equal(panelTarget(t), undefined, JSON.stringify(t).slice(0, 80));
    const good = roundTrip(savedPanel(undefined, TARGET, exchangeMessage(exchange(), 'GET /', 1024, 1024))) as { last: { exchange: Record<string, unknown> } };
    const damaged = (f: (x: Record<string, unknown>) => void) => {
      const c = JSON.parse(JSON.stringify(good)) as typeof good;
      f(c.last.exchange);
      return readSavedPanel(c, 'response');
    };
    for (const hurt of [
      (x: Record<string, unknown>) => ((x.response as Record<string, unknown>).body = { base64: XSS_SCRIPT, length: 5 }),
      (x: Record<string, unknown>) => ((x.response as Record<string, unknown>).headers = [['a']]),
      (x: Record<string, unknown>) => delete x.timings,
      (x: Record<string, unknown>) => (x.sent = 'abc'),
      (x: Record<string, unknown>) => (x.error = { message: 5 }),
    ]) {
      const r = damaged(hurt);
      assert.equal(r.last, undefined);
      assert.equal(r.dropped, true);
      assert.deepEqual(r.target, TARGET, 'a bad exchange still leaves the target (Send again works)');
    }
    // A response panel's state is not read as a session's, and the other way round.
    assert.equal(readSavedPanel(good, 'session').last, undefined);
    assert.equal(readSavedPanel(roundTrip(savedPanel(undefined, TARGET, sessionMessage())), 'response').last, undefined);
    const frameHurt = roundTrip(savedPanel(undefined, TARGET, sessionMessage())) as { last: { frames: Array<Record<string, unknown>> } };
    frameHurt.last.frames[0].dir = '<script>';
    assert.equal(readSavedPanel(frameHurt, 'session').last, undefined);
  });

  it('checks the host’s target message like any other', () => {
    assert.ok(isPanelTargetMessage({ type: 'panelTarget', target: TARGET, live: false }));
    assert.ok(!isPanelTargetMessage({ type: 'panelTarget', target: TARGET }));
    assert.ok(!isPanelTargetMessage({ type: 'panelTarget', target: { uri: 'x', blockIndex: 0 }, live: true }));
    assert.ok(!isPanelTargetMessage({ type: 'exchange', target: TARGET, live: true }));
  });

  it('the keeper saves the UI state and the target at once, the bounded last message once per change', async () => {
    const states: SavedPanel[] = [];
    const keeper = new PanelStateKeeper({}, (s) => states.push(s));
    keeper.setTarget(TARGET);
    keeper.setUi({ tab: 'raw' });
    assert.deepEqual(states.at(-1), { ui: { tab: 'raw' }, target: TARGET });
    let reads = 0;
    const m = exchangeMessage(exchange(), 'GET /', 1024, 1024);
    keeper.setLast(() => (reads++, m));
    keeper.setUi({ tab: 'body' });
    keeper.setUi({ tab: 'headers' });
    assert.equal(reads, 1, 'typing in a field does not bound the last message again');
    assert.deepEqual(states.at(-1)!.last, m);
    // A delayed keeper (the live WebSocket log) saves a burst of changes once.
    const delayed: SavedPanel[] = [];
    const slow = new PanelStateKeeper({ target: TARGET }, (s) => delayed.push(s), 5);
    for (let i = 0; i < 50; i++) slow.setLast(() => sessionMessage());
    assert.equal(delayed.length, 0);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(delayed.length, 1);
    assert.equal(delayed[0].last?.type, 'wsSession');
  });
});

describe('panel restore after a window reload: what the restored page shows (fake DOM)', () => {
  it('a response panel shows the saved exchange and a note that the body was cut for the restore', () => {
    const body = Buffer.from('x'.repeat(RESTORE_BYTES + 10));
    const saved = readSavedPanel(roundTrip(savedPanel(undefined, TARGET, exchangeMessage(exchange({}, body, 'text/plain'), 'GET /big', 1024 * 1024, 50 * 1024 * 1024))), 'response');
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new ResponseView(doc, root, () => undefined);
    view.render();
    view.handle(restoredMessage(saved) as ExchangeMessage);
    assert.ok(root.text.includes('200'), root.text.slice(0, 200));
    assert.ok(root.text.includes('xxxxxxxx'));
    const note = restoreNote(new Builder(doc), 'response', saved) as FakeElement;
    assert.match(note.text, /^Restored after a window reload: the last exchange as it was\. Bytes past the first 192 KB were not kept for the restore: send the block again for all of it\.$/);
    assert.equal(note.attrs.get('role'), 'status');
  });

  it('a transcript panel shows the saved chunks', () => {
    const t = transcriptMessage(socketExchange({ transcript: [{ dir: 'received', at: 1, data: Buffer.from(`banner ${XSS_SCRIPT}`) }] }), 'TCP', 1024);
    const saved = readSavedPanel(roundTrip(savedPanel(undefined, TARGET, t)), 'transcript');
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new TranscriptView(doc, root, () => undefined);
    view.render();
    view.handle(restoredMessage(saved) as TranscriptMessage);
    assert.ok(root.text.includes(`banner ${XSS_SCRIPT}`));
    assertSafeDom(doc);
    assert.equal(restoreNoteText('transcript', saved), 'Restored after a window reload: the last exchange as it was.');
  });

  it('a WebSocket session comes back closed with its log as it was; Connect again resends the block', () => {
    const saved = readSavedPanel(roundTrip(savedPanel({ draft: 'half' }, TARGET, sessionMessage('open'))), 'session');
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const posted: SessionToHost[] = [];
    const view = new SessionView(doc, root, (m) => posted.push(m));
    view.render();
    const restored = restoredMessage(saved) as WsSessionMessage;
    view.handle(restored);
    assert.equal(root.byClass('ws-state')[0].text, '○ Closed');
    assert.equal(root.byClass('ws-close-line')[0].text, `connection lost: ${RELOAD_CLOSE_WORDS}`);
    assert.equal(root.byClass('ws-frame').length, 2);
    assert.ok(root.text.includes('hello') && root.text.includes('world'));
    assert.ok(!root.button('Cancel'), 'nothing is running any more');
    assert.equal(root.button('Send')!.attrs.get('disabled'), '');
    view.sendDraft();
    assert.deepEqual(posted, [], 'a closed session sends nothing');
    assert.match(root.byClass('composer-status')[0].text, /closed; use Connect again/);
    root.button('↻ Connect again')!.click();
    assert.deepEqual(posted, [{ type: 'resend' }]);
    assert.equal(restoreNoteText('session', saved), 'Restored after a window reload: the session’s log as it was. The session is closed (a reload ends it): ↻ Connect again sends the block again.');
    // A session that had closed before the reload keeps its own close words.
    const closed = restoredMessage(readSavedPanel(roundTrip(savedPanel(undefined, TARGET, sessionMessage('closed'))), 'session')) as WsSessionMessage;
    assert.notEqual(closed.info.closeWords, RELOAD_CLOSE_WORDS);
  });
});
