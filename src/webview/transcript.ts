/**
 * Entry point of the socket transcript webview (bundled to dist/webview/transcript.js, loaded with the
 * CSP nonce). Wires the real document and the VS Code messaging API to TranscriptView through the shared
 * boot, which says `ready`.
 */
import type { TranscriptToHost } from '../shared/messages';
import { bootSendPanel, type VsCodeApi } from './boot';
import { TRANSCRIPT_PAGE } from './transcriptView';

declare function acquireVsCodeApi(): VsCodeApi<TranscriptToHost>;

const root = document.getElementById('root') ?? document.body;
const view = bootSendPanel(acquireVsCodeApi, window, document, root, (note) => root.before(note as unknown as HTMLElement), TRANSCRIPT_PAGE);
// The sending banner's elapsed time, live (tick does nothing while no send runs).
setInterval(() => (view as unknown as { tick(): void }).tick(), 100);
