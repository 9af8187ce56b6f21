/**
 * Entry point of the response webview (bundled to dist/webview/response.js, loaded with the CSP nonce).
 * Wires the real document and the VS Code messaging API to ResponseView, then says `ready` so the host
 * sends the current state (the page is rebuilt whenever the panel becomes visible again).
 */
import { isHostToWebview, type WebviewToHost } from '../shared/messages';
import { DEFAULT_UI, ResponseView, type UiState } from './responseView';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function restoredUi(state: unknown): UiState {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<UiState>;
  return {
    tab: typeof s.tab === 'string' ? s.tab : DEFAULT_UI.tab,
    bodyMode: typeof s.bodyMode === 'string' ? s.bodyMode : DEFAULT_UI.bodyMode,
    rawMode: s.rawMode === 'hex' ? 'hex' : 'text',
  } as UiState;
}

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;
const view = new ResponseView(document, root, (m) => vscode.postMessage(m), restoredUi(vscode.getState()), (ui) => vscode.setState(ui));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) view.handle(event.data);
});
view.render();
vscode.postMessage({ type: 'ready' });
