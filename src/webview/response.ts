/**
 * Entry point of the response webview (bundled to dist/webview/response.js, loaded with the CSP nonce).
 * Wires the real document and the VS Code messaging API to ResponseView, then says `ready` so the host
 * sends the current state (the page is rebuilt whenever the panel becomes visible again).
 */
import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../shared/messages';
import { isPanelTargetMessage, readSavedPanel } from '../shared/restore';
import { Builder } from './dom';
import { DEFAULT_UI, ResponseView, type UiState } from './responseView';
import { PanelStateKeeper, restoreNote } from './restore';

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
// What the page showed before it was reloaded (hidden and shown again, or a window reload): checked, bounded.
const saved = readSavedPanel(vscode.getState(), 'response');
const keeper = new PanelStateKeeper(saved, (s) => vscode.setState(s));
const root = document.getElementById('root') ?? document.body;
const view = new ResponseView(document, root, (m) => vscode.postMessage(m), restoredUi(saved.ui), (ui) => keeper.setUi(ui));
let note: HTMLElement | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (isPanelTargetMessage(m)) {
    keeper.setTarget(m.target);
    // The host has nothing for this panel (a window reload): what it shows is the saved copy; say so.
    if (!m.live && !note) {
      note = restoreNote(new Builder(document), 'response', saved) as unknown as HTMLElement | undefined;
      if (note) root.before(note);
    }
    return;
  }
  if (!isHostToWebview(m)) return;
  view.handle(m);
  if (m.type === 'exchange' || m.type === 'refused') keeper.setLast(() => m);
  if (m.type !== 'reply') note?.remove();
});
view.render();
if (saved.last) view.handle(saved.last as HostToWebview);
vscode.postMessage({ type: 'ready' });
