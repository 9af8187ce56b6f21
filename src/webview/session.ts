/**
 * Entry point of the WebSocket session webview (bundled to dist/webview/session.js, loaded with the CSP
 * nonce). Wires the real document and the VS Code messaging API to SessionView, keeps the log scrolled to
 * the end while it is there, then says `ready` so the host sends the whole state.
 */
import { isHostToSession, type SessionToHost, type WsSessionMessage } from '../shared/messages';
import { isPanelTargetMessage, readSavedPanel } from '../shared/restore';
import { Builder } from './dom';
import { PanelStateKeeper, restoredMessage, restoreNote } from './restore';
import { DEFAULT_SESSION_UI, SessionView, type SessionUi } from './sessionView';

interface VsCodeApi {
  postMessage(message: SessionToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function restoredUi(state: unknown): SessionUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<Record<keyof SessionUi, unknown>>;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const tabs = ['messages', 'handshake', 'timing', 'tls', 'connection'];
  return {
    tab: (tabs.includes(str(s.tab, '')) ? s.tab : DEFAULT_SESSION_UI.tab) as SessionUi['tab'],
    format: s.format === 'hex' ? 'hex' : 'text',
    draft: str(s.draft, ''),
    closeCode: str(s.closeCode, DEFAULT_SESSION_UI.closeCode),
    closeReason: str(s.closeReason, ''),
  };
}

const vscode = acquireVsCodeApi();
// What the page showed before it was reloaded (a window reload): checked, bounded.
const saved = readSavedPanel(vscode.getState(), 'session');
// A live log changes often: its state is saved at most once a second.
const keeper = new PanelStateKeeper(saved, (s) => vscode.setState(s), 1000);
const root = document.getElementById('root') ?? document.body;
const scroller = document.scrollingElement ?? document.documentElement;
const view = new SessionView(document, root, (m) => vscode.postMessage(m), restoredUi(saved.ui), (ui) => keeper.setUi(ui), {
  aroundAppend(append) {
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 48;
    append();
    if (atEnd) scroller.scrollTop = scroller.scrollHeight;
  },
});

let note: HTMLElement | undefined;
/** The session as the page shows it now, for the saved state. */
const current = (): WsSessionMessage | undefined => {
  const info = view.sessionInfo;
  return info && { type: 'wsSession', info, frames: [...view.frames], total: view.frameTotal };
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (isPanelTargetMessage(m)) {
    keeper.setTarget(m.target);
    // The host has no session for this panel (a window reload): show the saved log, the session closed.
    if (!m.live && !note) {
      const closed = restoredMessage(saved);
      if (closed?.type === 'wsSession') {
        view.handle(closed);
        keeper.setLast(() => closed);
      }
      note = restoreNote(new Builder(document), 'session', saved) as unknown as HTMLElement | undefined;
      if (note) root.before(note);
    }
    return;
  }
  if (!isHostToSession(m)) return;
  view.handle(m);
  if (m.type === 'reply') return;
  keeper.setLast(current);
  if (m.type === 'wsSession') note?.remove();
});
view.render();
if (saved.last?.type === 'wsSession') view.handle(saved.last);
vscode.postMessage({ type: 'ready' });
