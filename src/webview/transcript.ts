/**
 * Entry point of the socket transcript webview (bundled to dist/webview/transcript.js, loaded with the
 * CSP nonce). Wires the real document and the VS Code messaging API to TranscriptView through the shared
 * boot, which says `ready`.
 */
import { isHostToTranscript, type TranscriptToHost } from '../shared/messages';
import { bootSendPanel, type VsCodeApi } from './boot';
import { DEFAULT_TRANSCRIPT_UI, TranscriptView, type TranscriptUi } from './transcriptView';

declare function acquireVsCodeApi(): VsCodeApi<TranscriptToHost>;

function restoredUi(state: unknown): TranscriptUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TranscriptUi>;
  const tabs = ['transcript', 'timing', 'tls', 'connection'];
  return {
    tab: typeof s.tab === 'string' && tabs.includes(s.tab) ? s.tab : DEFAULT_TRANSCRIPT_UI.tab,
    mode: s.mode === 'text' || s.mode === 'hex' ? s.mode : 'both',
  };
}

const root = document.getElementById('root') ?? document.body;
bootSendPanel(acquireVsCodeApi, window, document, {
  kind: 'transcript',
  resultType: 'transcript',
  isMessage: isHostToTranscript,
  restoreUi: restoredUi,
  placeNote: (note) => root.before(note as unknown as HTMLElement),
  create: (post, ui, onUi) => new TranscriptView(document, root, post, ui, onUi),
});
