/**
 * Entry point of the socket transcript webview (bundled to dist/webview/transcript.js, loaded with the
 * CSP nonce). Wires the real document and the VS Code messaging API to TranscriptView, then says `ready`.
 */
import { isHostToTranscript, type TranscriptToHost } from '../shared/messages';
import { DEFAULT_TRANSCRIPT_UI, TranscriptView, type TranscriptUi } from './transcriptView';

interface VsCodeApi {
  postMessage(message: TranscriptToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function restoredUi(state: unknown): TranscriptUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TranscriptUi>;
  const tabs = ['transcript', 'timing', 'tls', 'connection'];
  return {
    tab: typeof s.tab === 'string' && tabs.includes(s.tab) ? s.tab : DEFAULT_TRANSCRIPT_UI.tab,
    mode: s.mode === 'text' || s.mode === 'hex' ? s.mode : 'both',
  };
}

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;
const view = new TranscriptView(document, root, (m) => vscode.postMessage(m), restoredUi(vscode.getState()), (ui) => vscode.setState(ui));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToTranscript(event.data)) view.handle(event.data);
});
view.render();
vscode.postMessage({ type: 'ready' });
