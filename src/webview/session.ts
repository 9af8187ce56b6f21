/**
 * Entry point of the WebSocket session webview (bundled to dist/webview/session.js, loaded with the CSP
 * nonce). Wires the real document and the VS Code messaging API to SessionView, keeps the log scrolled to
 * the end while it is there, then says `ready` so the host sends the whole state.
 */
import { isHostToSession, type SessionToHost } from '../shared/messages';
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
const root = document.getElementById('root') ?? document.body;
const scroller = document.scrollingElement ?? document.documentElement;
const view = new SessionView(document, root, (m) => vscode.postMessage(m), restoredUi(vscode.getState()), (ui) => vscode.setState(ui), {
  aroundAppend(append) {
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 48;
    append();
    if (atEnd) scroller.scrollTop = scroller.scrollHeight;
  },
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToSession(event.data)) view.handle(event.data);
});
view.render();
vscode.postMessage({ type: 'ready' });
