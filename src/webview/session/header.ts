/**
 * The WebSocket session view's header and handshake: the state line (with Cancel and Connect again), the URL,
 * how it closed, the error banner, and the Handshake tab. Text nodes only.
 */
import type { Timings } from '../../shared/model';
import type { SessionToHost, WsSessionInfo } from '../../shared/messages';
import { base64ToBytes, formatBytes, formatMs } from '../../common/format';
import type { Builder, DomElement } from '../dom';
import { errorBanner } from '../parts';
import { controlLegend, rawTextView } from '../bodyViews';
import { headerTable } from '../tabs';

const STATE_TEXT: Record<WsSessionInfo['state'], string> = {
  connecting: '◌ Connecting…',
  open: '● Open',
  closing: '◐ Closing…',
  closed: '○ Closed',
};

/** The handshake's part of the timings: everything up to the 101, without the session's length. */
export function handshakeTimings(t: Timings): Timings {
  const { download: _download, total: _total, ...phases } = t;
  const total = Object.values(phases).reduce<number>((s, v) => s + (typeof v === 'number' && Number.isFinite(v) ? v : 0), 0);
  return { ...phases, total };
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Fills the header: the state line, the URL and how the session closed (or "Waiting…" before any state). */
export function renderSessionHeader(b: Builder, h: DomElement, info: WsSessionInfo | undefined, total: number, post: (m: SessionToHost) => void): void {
  h.textContent = '';
  if (!info) {
    h.appendChild(b.el('p', 'muted', 'Waiting for the session…'));
    return;
  }
  const x = info.exchange;
  const failed = !!x.error && x.error.phase !== 'cancelled';
  const line = b.el('div', `status-line ws-state-line ws-${info.state}${failed ? ' status-error' : ''}`);
  const busy = info.state === 'connecting' || info.script.running;
  b.add(
    line,
    b.el('span', `status-code ws-state ws-state-${info.state}`, STATE_TEXT[info.state]),
    b.el('span', 'status-reason', info.title),
    b.el('span', 'status-meta', sessionMeta(info, total)),
    b.el('span', 'spacer'),
    busy ? b.button('Cancel', () => post({ type: 'cancel' }), 'btn', 'Stop connecting / sending the block’s messages') : undefined,
    b.button('↻ Connect again', () => post({ type: 'resend' }), 'btn', 'Send this block again: a new session replaces this one'),
  );
  h.appendChild(line);
  h.appendChild(b.el('div', 'request-line', x.request.url));
  if (info.state === 'closed' && info.closeWords) {
    const by = x.closedBy === 'client' ? 'closed by NetReq' : x.closedBy === 'server' ? 'closed by the server' : 'connection lost';
    h.appendChild(b.el('div', 'ws-close-line', `${by}: ${info.closeWords}`));
  }
}

function sessionMeta(info: WsSessionInfo, total: number): string {
  const x = info.exchange;
  const parts: string[] = [];
  if (x.handshake.status) parts.push(`${x.handshake.status} ${x.handshake.reason ?? ''}`.trim());
  if (x.handshake.protocol) parts.push(`subprotocol ${x.handshake.protocol}`);
  parts.push(`${total} frame${total === 1 ? '' : 's'}`);
  if (info.state !== 'connecting') parts.push(`${info.state === 'closed' ? 'lasted' : 'open for'} ${formatMs(info.elapsedMs)}`);
  if (info.script.running && info.script.total > 0) parts.push(`sending the block’s messages: ${info.script.sent} of ${info.script.total}`);
  return parts.join(' · ');
}

/** Fills the banner: the session's error in words, if any. */
export function renderSessionBanner(b: Builder, banner: DomElement, info: WsSessionInfo | undefined): void {
  banner.textContent = '';
  const err = info?.exchange.error;
  if (err) banner.appendChild(errorBanner(b, err));
}

/** The Handshake tab: the upgrade request as sent, the response as received, subprotocols, a refused upgrade's body. */
export function renderHandshake(b: Builder, info: WsSessionInfo): DomElement {
  const h = info.exchange.handshake;
  const req = info.exchange.request;
  const root = b.el('div', 'tab-content tab-handshake');
  root.appendChild(b.add(b.el('p', 'muted'), controlLegend(b)));
  root.appendChild(b.el('h3', undefined, 'Upgrade request (as sent)'));
  root.appendChild(h.requestHead ? rawTextView(b, utf8(h.requestHead)) : b.el('p', 'muted', 'Not sent (the connection failed first).'));
  root.appendChild(b.el('h3', undefined, 'Response'));
  if (h.status !== undefined) {
    const head = [`HTTP/1.1 ${h.status} ${h.reason ?? ''}`.trimEnd(), ...h.responseHeaders.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    root.appendChild(rawTextView(b, utf8(head)));
    root.appendChild(b.el('p', 'muted', 'Status line and headers as received (names as the server spelled them, in order).'));
    root.appendChild(headerTable(b, h.responseHeaders));
  } else {
    root.appendChild(b.el('p', 'muted', 'No response to the upgrade request.'));
  }
  root.appendChild(
    b.kvTable([
      ['Subprotocols asked for', req.protocols.length ? req.protocols.join(', ') : '(none)'],
      ['Negotiated subprotocol', h.protocol ?? '(none)'],
    ]),
  );
  if (h.responseBody) {
    const bytes = base64ToBytes(h.responseBody.base64);
    root.appendChild(b.el('h3', undefined, `Response body · ${formatBytes(h.responseBody.totalLength ?? h.responseBody.length)}`));
    root.appendChild(bytes.length ? rawTextView(b, bytes) : b.el('p', 'muted', '(empty)'));
  }
  return root;
}
