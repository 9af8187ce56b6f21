import { strict as assert } from 'node:assert';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { logFrame, sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import { isHostToSession, type SessionToHost, type WebviewToHost, type WsSessionMessage } from '../../../src/shared/messages';
import { savedPanel, type SavedPanel } from '../../../src/shared/restore';
import { boot, bootBlockPanel, bootSendPanel, type MessageSource, type PageView, type VsCodeApi } from '../../../src/webview/boot';
import { RELOAD_CLOSE_WORDS, restoredMessage } from '../../../src/webview/restore';
import { DEFAULT_UI, RESPONSE_PAGE, ResponseView, type UiState } from '../../../src/webview/responseView';
import { DEFAULT_SESSION_UI, SessionView, type SessionUi } from '../../../src/webview/sessionView';
import { FakeDocument, FakeElement } from './fakeDom';
import { exchange } from './fixtures';
import { wsExchange, wsFrame } from './socketFixtures';

const TARGET = { uri: 'file:///work/api.netreq', blockIndex: 2, blockName: 'login' };

/** A fake `acquireVsCodeApi` and `window`: records what the page posts and saves, delivers host messages. */
function fakeHost<Out>(state: unknown) {
  const posted: Array<Out | { type: 'ready' }> = [];
  const saved: unknown[] = [];
  let acquired = 0;
  const listeners: Array<(event: { data: unknown }) => void> = [];
  const api: VsCodeApi<Out> = {
    postMessage: (m) => posted.push(m),
    getState: () => state,
    setState: (s) => saved.push(JSON.parse(JSON.stringify(s))),
  };
  const acquire = () => {
    acquired++;
    return api;
  };
  const source: MessageSource = { addEventListener: (_type, l) => listeners.push(l) };
  const send = (data: unknown) => {
    for (const l of listeners) l({ data });
  };
  return { posted, saved, acquire, source, send, acquired: () => acquired, listeners };
}

/** A response panel booted on the fake DOM, the root inside a body so the restore note has a place. */
function responsePanel(state: unknown) {
  const host = fakeHost<WebviewToHost>(state);
  const doc = new FakeDocument();
  const body = doc.createElement('body');
  const root = doc.createElement('div');
  body.appendChild(root);
  const restoredUis: UiState[] = [];
  const placeNote = (note: unknown) => {
    body.children.unshift(note as FakeElement);
    (note as FakeElement).parent = body;
  };
  // The page the entry point boots (RESPONSE_PAGE), its UI check and view watched.
  const view = bootSendPanel(host.acquire, host.source, doc, root, placeNote, {
    ...RESPONSE_PAGE,
    restoreUi: (ui) => {
      const out = RESPONSE_PAGE.restoreUi(ui);
      restoredUis.push(out);
      return out;
    },
  }) as ResponseView;
  return { ...host, doc, body, root, view, restoredUis };
}

/** The state the page saved last. */
const lastSaved = (saved: readonly unknown[]) => saved[saved.length - 1] as SavedPanel;

const note = (body: FakeElement) => body.byClass('restore-note')[0];

describe('webview boot (one boot for every page, fake DOM, fake acquireVsCodeApi)', () => {
  it('acquires the API once, validates the saved state, drops messages that fail the guard, says ready once after drawing', () => {
    const host = fakeHost<{ type: 'hello' }>({ n: 'not a number' });
    const order: string[] = [];
    const handled: unknown[] = [];
    const view: PageView<{ type: 'show'; n: number }> = {
      handle: (m) => handled.push(m),
      render: () => order.push(`render (posted ${host.posted.length})`),
    };
    let restored: number | undefined;
    boot(host.acquire, host.source, {
      restore: (s) => {
        const n = (s as { n?: unknown } | undefined)?.n;
        return typeof n === 'number' ? n : 7;
      },
      isMessage: (m): m is { type: 'show'; n: number } => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'show' && typeof (m as { n?: unknown }).n === 'number',
      start: (_api, n) => {
        restored = n;
        return view;
      },
    });
    assert.equal(host.acquired(), 1);
    assert.equal(restored, 7, 'a saved state that fails the page’s check gives the defaults');
    assert.deepEqual(order, ['render (posted 0)'], 'drawn before ready');
    assert.deepEqual(host.posted, [{ type: 'ready' }]);
    for (const bad of [null, 'show', { type: 'show' }, { type: 'show', n: '1' }, { type: 'other', n: 1 }]) host.send(bad);
    assert.deepEqual(handled, [], 'messages that fail the guard never reach the view');
    host.send({ type: 'show', n: 1 });
    assert.deepEqual(handled, [{ type: 'show', n: 1 }]);
    assert.deepEqual(host.posted, [{ type: 'ready' }], 'ready is said once');
    assert.equal(host.acquired(), 1);
  });

  it('a response panel with unreadable saved state starts with the defaults and nothing restored', () => {
    const p = responsePanel({ ui: 42, last: { type: 'exchange', exchange: '<script>' }, target: 'nope' });
    assert.deepEqual(p.restoredUis, [DEFAULT_UI]);
    assert.match(p.root.text, /Waiting for a response/);
    assert.deepEqual(p.posted, [{ type: 'ready' }]);
    assert.deepEqual(p.saved, [], 'nothing saved until something changes');
    // The host has nothing for the panel: the note says the last exchange was not kept.
    p.send({ type: 'panelTarget', target: TARGET, live: false });
    assert.match(note(p.body)?.text ?? '', /without the last exchange/);
    assert.deepEqual(lastSaved(p.saved).target, TARGET);
  });

  it('a response panel drops host messages that fail its guard and saves what it shows', () => {
    const p = responsePanel(undefined);
    const before = p.root.text;
    p.send({ type: 'evil', html: '<img onerror=1>' });
    p.send('exchange');
    p.send(null);
    p.send({ type: 'panelTarget', target: { uri: 'x' }, live: false });
    assert.equal(p.root.text, before);
    assert.deepEqual(p.saved, []);
    assert.equal(note(p.body), undefined);
    const m = exchangeMessage(exchange(), 'GET /path', 1024 * 1024, 50 * 1024 * 1024);
    p.send(m);
    assert.match(p.root.text, /200/);
    assert.equal(lastSaved(p.saved).last?.type, 'exchange');
    assert.deepEqual(p.posted, [{ type: 'ready' }]);
  });

  it('a response panel shows its saved exchange again, with the note until the host sends news', () => {
    const m = exchangeMessage(exchange(), 'GET /path', 1024 * 1024, 50 * 1024 * 1024);
    const p = responsePanel(JSON.parse(JSON.stringify(savedPanel({ tab: 'headers' }, TARGET, m))));
    assert.deepEqual(p.restoredUis, [{ ...DEFAULT_UI, tab: 'headers' }]);
    assert.match(p.root.text, /Content-Type/);
    p.send({ type: 'panelTarget', target: TARGET, live: false });
    assert.match(note(p.body)!.text, /Restored after a window reload: the last exchange as it was/);
    p.send({ type: 'panelTarget', target: TARGET, live: false });
    assert.equal(p.body.byClass('restore-note').length, 1, 'one note');
    p.send({ type: 'sending', title: 'GET /path', method: 'GET', url: 'http://127.0.0.1/path', startedAt: 1 });
    assert.equal(note(p.body), undefined, 'news from the host removes the note');
    assert.deepEqual(p.posted, [{ type: 'ready' }]);
  });

  it('a session panel comes back closed when the host has no session for it', () => {
    const x = wsExchange({ state: 'open' });
    const info = sessionInfo({ title: 'Chat', exchange: x, script: { total: 1, sent: 1, running: true }, logCap: 1000, frameDataLimit: 16 * 1024, now: x.startedAt + 1000 });
    const live: WsSessionMessage = { type: 'wsSession', info, frames: [logFrame(1, wsFrame('sent', 'text', 'hello'), 16 * 1024)], total: 1 };
    const host = fakeHost<SessionToHost>(JSON.parse(JSON.stringify(savedPanel(DEFAULT_SESSION_UI, TARGET, live))));
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    let view: SessionView | undefined;
    const notes: FakeElement[] = [];
    bootBlockPanel(host.acquire, host.source, doc, {
      kind: 'session',
      isMessage: isHostToSession,
      restoreUi: (ui) => ({ ...DEFAULT_SESSION_UI, ...(ui as Partial<SessionUi>) }),
      saveDelayMs: 0,
      placeNote: (n) => notes.push(n as FakeElement),
      create: (post, ui, onUi) => (view = new SessionView(doc, root, post, ui, onUi)),
      replay: (last) => (last.type === 'wsSession' ? last : undefined),
      lastAfter: () => undefined,
      endsNote: (m) => m.type === 'wsSession',
      restoredOnly(saved) {
        const closed = restoredMessage(saved);
        return closed?.type === 'wsSession' ? closed : undefined;
      },
    });
    assert.equal(view!.sessionInfo?.state, 'open', 'the saved log is shown at once');
    host.send({ type: 'panelTarget', target: TARGET, live: false });
    assert.equal(view!.sessionInfo?.state, 'closed');
    assert.equal(view!.sessionInfo?.closeWords, RELOAD_CLOSE_WORDS);
    assert.match(root.text, /hello/);
    assert.equal(notes.length, 1);
    assert.equal((lastSaved(host.saved).last as WsSessionMessage).info.state, 'closed');
    assert.deepEqual(host.posted, [{ type: 'ready' }]);
  });
});
