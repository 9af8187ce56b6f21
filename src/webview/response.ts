/**
 * Entry point of the response webview (bundled to dist/webview/response.js, loaded with the CSP nonce).
 * Wires the real document and the VS Code messaging API to ResponseView through the shared boot, which says
 * `ready` so the host sends the current state (the page is rebuilt whenever the panel becomes visible again).
 */
import type { WebviewToHost } from '../shared/messages';
import { bootSendPanel, type VsCodeApi } from './boot';
import { RESPONSE_PAGE } from './responseView';

declare function acquireVsCodeApi(): VsCodeApi<WebviewToHost>;

const root = document.getElementById('root') ?? document.body;
const view = bootSendPanel(acquireVsCodeApi, window, document, root, (note) => root.before(note as unknown as HTMLElement), RESPONSE_PAGE);
// The sending banner's elapsed time, live (tick does nothing while no send runs).
setInterval(() => (view as unknown as { tick(): void }).tick(), 100);
// Ctrl+F and F3 anywhere in the page go to the JSON viewer's search while it is shown: caught before VS Code's own
// webview key handler (capture), which would open its find widget (it finds only the rows drawn).
window.addEventListener(
  'keydown',
  (e) => {
    if ((view as unknown as { key(e: KeyboardEvent): boolean }).key(e)) e.stopImmediatePropagation();
  },
  true,
);
