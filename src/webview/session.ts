/**
 * Entry point of the WebSocket session webview (bundled to dist/webview/session.js, loaded with the CSP
 * nonce). Wires the real document and the VS Code messaging API to SessionView, keeps the log scrolled to
 * the end while it is there, then says `ready` so the host sends the whole state.
 */
import { isHostToSession, type SessionToHost, type WsSessionMessage } from '../shared/messages';
import { bootBlockPanel, type VsCodeApi } from './boot';
import { restoredMessage } from './restore';
import { DEFAULT_SESSION_UI, SessionView, type SessionUi } from './sessionView';

declare function acquireVsCodeApi(): VsCodeApi<SessionToHost>;

function restoredUi(state: unknown): SessionUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<Record<keyof SessionUi, unknown>>;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const tabs = ['messages', 'handshake', 'timing', 'tls', 'connection', 'tests'];
  return {
    tab: (tabs.includes(str(s.tab, '')) ? s.tab : DEFAULT_SESSION_UI.tab) as SessionUi['tab'],
    format: s.format === 'hex' ? 'hex' : 'text',
    draft: str(s.draft, ''),
    closeCode: str(s.closeCode, DEFAULT_SESSION_UI.closeCode),
    closeReason: str(s.closeReason, ''),
  };
}

const root = document.getElementById('root') ?? document.body;
const scroller = document.scrollingElement ?? document.documentElement;
let view: SessionView | undefined;
/** The session as the page shows it now, for the saved state. */
const current = (): WsSessionMessage | undefined => {
  const info = view?.sessionInfo;
  return view && info && { type: 'wsSession', info, frames: [...view.frames], total: view.frameTotal };
};

bootBlockPanel(acquireVsCodeApi, window, document, {
  kind: 'session',
  isMessage: isHostToSession,
  restoreUi: restoredUi,
  placeNote: (note) => root.before(note as unknown as HTMLElement),
  // A live log changes often: its state is saved at most once a second.
  saveDelayMs: 1000,
  create: (post, ui, onUi) =>
    (view = new SessionView(document, root, post, ui, onUi, {
      aroundAppend(append) {
        const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 48;
        append();
        if (atEnd) scroller.scrollTop = scroller.scrollHeight;
      },
    })),
  replay: (last) => (last.type === 'wsSession' ? last : undefined),
  lastAfter: (m) => (m.type === 'reply' ? undefined : current),
  endsNote: (m) => m.type === 'wsSession',
  // The host has no session for this panel (a window reload): show the saved log, the session closed.
  restoredOnly(saved) {
    const closed = restoredMessage(saved);
    return closed?.type === 'wsSession' ? closed : undefined;
  },
});
