/**
 * Entry point of the socket transcript webview (bundled to dist/webview/transcript.js, loaded with the
 * CSP nonce). Wires the real document and the VS Code messaging API to TranscriptView, then says `ready`.
 */
import { isHostToTranscript, type HostToTranscript, type TranscriptToHost } from '../shared/messages';
import { isPanelTargetMessage, readSavedPanel } from '../shared/restore';
import { Builder } from './dom';
import { PanelStateKeeper, restoreNote } from './restore';
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
// What the page showed before it was reloaded (hidden and shown again, or a window reload): checked, bounded.
const saved = readSavedPanel(vscode.getState(), 'transcript');
const keeper = new PanelStateKeeper(saved, (s) => vscode.setState(s));
const root = document.getElementById('root') ?? document.body;
const view = new TranscriptView(document, root, (m) => vscode.postMessage(m), restoredUi(saved.ui), (ui) => keeper.setUi(ui));
let note: HTMLElement | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (isPanelTargetMessage(m)) {
    keeper.setTarget(m.target);
    // The host has nothing for this panel (a window reload): what it shows is the saved copy; say so.
    if (!m.live && !note) {
      note = restoreNote(new Builder(document), 'transcript', saved) as unknown as HTMLElement | undefined;
      if (note) root.before(note);
    }
    return;
  }
  if (!isHostToTranscript(m)) return;
  view.handle(m);
  if (m.type === 'transcript' || m.type === 'refused') keeper.setLast(() => m);
  if (m.type !== 'reply') note?.remove();
});
view.render();
if (saved.last) view.handle(saved.last as HostToTranscript);
vscode.postMessage({ type: 'ready' });
