/**
 * Entry point of the response webview (bundled to dist/webview/response.js, loaded with the CSP nonce).
 * Wires the real document and the VS Code messaging API to ResponseView through the shared boot, which says
 * `ready` so the host sends the current state (the page is rebuilt whenever the panel becomes visible again).
 */
import { isHostToWebview, type WebviewToHost } from '../shared/messages';
import { bootSendPanel, type VsCodeApi } from './boot';
import { DEFAULT_UI, ResponseView, type UiState } from './responseView';

declare function acquireVsCodeApi(): VsCodeApi<WebviewToHost>;

function restoredUi(state: unknown): UiState {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<UiState>;
  return {
    tab: typeof s.tab === 'string' ? s.tab : DEFAULT_UI.tab,
    bodyMode: typeof s.bodyMode === 'string' ? s.bodyMode : DEFAULT_UI.bodyMode,
    rawMode: s.rawMode === 'hex' ? 'hex' : 'text',
  } as UiState;
}

const root = document.getElementById('root') ?? document.body;
bootSendPanel(acquireVsCodeApi, window, document, {
  kind: 'response',
  resultType: 'exchange',
  isMessage: isHostToWebview,
  restoreUi: restoredUi,
  placeNote: (note) => root.before(note as unknown as HTMLElement),
  create: (post, ui, onUi) => new ResponseView(document, root, post, ui, onUi),
});
