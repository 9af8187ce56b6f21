/**
 * Entry point of the traffic webview (bundled to dist/webview/traffic.js, loaded with the CSP nonce).
 * Wires the real document and the VS Code messaging API to TrafficView, keeps the list scrolled to the
 * newest row while the user is at the bottom, remembers the tab and filters, then says `ready`.
 */
import { isHostToTraffic, type TrafficToHost } from '../shared/trafficMessages';
import { boot, type VsCodeApi } from './boot';
import type { DomElement } from './dom';
import { DEFAULT_TRAFFIC_UI, TrafficView, type TrafficUi } from './trafficView';

declare function acquireVsCodeApi(): VsCodeApi<TrafficToHost>;

function restoredUi(state: unknown): TrafficUi {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TrafficUi>;
  const f = (typeof s.filters === 'object' && s.filters !== null ? s.filters : {}) as Partial<TrafficUi['filters']>;
  return {
    tab: s.tab === 'multicast' ? 'multicast' : 'proxy',
    filters: { proxy: typeof f.proxy === 'string' ? f.proxy : '', multicast: typeof f.multicast === 'string' ? f.multicast : '' },
    bodyMode: s.bodyMode === 'pretty' || s.bodyMode === 'text' || s.bodyMode === 'hex' ? s.bodyMode : DEFAULT_TRAFFIC_UI.bodyMode,
    bodyForm: s.bodyForm === 'sent' ? 'sent' : 'decoded',
  };
}

/** Whether each list was scrolled to its end when the user last scrolled it (new lists start there). */
const atEnd = new WeakMap<HTMLElement, boolean>();

/** Follows new rows while the list is scrolled to (near) its end; leaves it alone when the user scrolled up. */
function stickToBottom(list: DomElement): void {
  const el = list as unknown as HTMLElement;
  if (!atEnd.has(el)) {
    atEnd.set(el, true);
    el.addEventListener('scroll', () => atEnd.set(el, el.scrollTop + el.clientHeight >= el.scrollHeight - 24));
  }
  if (atEnd.get(el)) el.scrollTop = el.scrollHeight;
}

const root = document.getElementById('root') ?? document.body;
boot(acquireVsCodeApi, window, {
  restore: restoredUi,
  isMessage: isHostToTraffic,
  start: (vscode, ui) => new TrafficView(document, root, (m) => vscode.postMessage(m), ui, (u) => vscode.setState(u), stickToBottom),
});
