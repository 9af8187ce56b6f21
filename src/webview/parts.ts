/**
 * Pieces the three views share (response, transcript, WebSocket session): phase names, the error and
 * sending banners, the tab bar and the connection table of a socket. Text nodes only, through Builder.
 */
import type { ConnectionInfo, NetError } from '../shared/model';
import type { RefusedMessage } from '../shared/messages';
import { Builder, type DomElement } from './dom';

export const PHASE_LABELS: Record<string, string> = {
  resolve: 'Preparing',
  dns: 'DNS',
  connect: 'Connect',
  proxy: 'Proxy',
  tls: 'TLS',
  send: 'Send',
  wait: 'Waiting',
  receive: 'Receive',
  parse: 'Parse',
  decode: 'Decode',
  cancelled: 'Cancelled',
};

/** The failure, prominent: "<Phase> failed", the message, the code. */
export function errorBanner(b: Builder, err: NetError): DomElement {
  const phase = PHASE_LABELS[err.phase] ?? err.phase;
  return b.add(
    b.el('div', err.phase === 'cancelled' ? 'banner banner-cancelled' : 'banner banner-error'),
    b.el('span', 'error-phase', err.phase === 'cancelled' ? 'Cancelled' : `${phase} failed`),
    b.el('span', 'error-message', err.message),
    err.code ? b.el('span', 'error-code', err.code) : undefined,
  );
}

/**
 * "Not sent", why (one line per problem) and what to do: in Restricted Mode a Manage Workspace Trust
 * button (VS Code's trust editor) and a note that trusting lifts it; always Send again.
 */
export function refusedBanner(b: Builder, m: RefusedMessage, actions: { manageTrust: () => void; resend: () => void }): DomElement {
  const box = b.el('div', 'banner banner-error banner-refused');
  box.appendChild(b.el('span', 'error-phase', m.restricted ? 'Not sent: Restricted Mode' : 'Not sent'));
  const list = b.el('ul', 'refused-problems');
  for (const p of m.problems) list.appendChild(b.el('li', 'error-message', p));
  box.appendChild(list);
  if (m.restricted) {
    box.appendChild(
      b.el(
        'p',
        'muted',
        'This workspace is not trusted, so NetReq does not read environment variables, .env values or files outside the workspace folders for its requests. Trust the workspace if you trust its authors, then send again.',
      ),
    );
  }
  const buttons = b.el('div', 'refused-actions');
  if (m.restricted) buttons.appendChild(b.button('Manage Workspace Trust', actions.manageTrust, 'btn btn-primary', 'Open VS Code’s Workspace Trust editor'));
  buttons.appendChild(b.button('↻ Send again', actions.resend, 'btn', 'Send this request again'));
  box.appendChild(buttons);
  return box;
}

/** "Sending <method> <url> …" (then `extra`: the elapsed time) with a Cancel button. */
export function sendingBanner(b: Builder, text: string, onCancel: () => void, extra?: DomElement): DomElement {
  return b.add(b.el('div', 'banner banner-sending'), b.el('span', 'spinner', '◌'), b.el('span', undefined, ` ${text}`), b.el('span', 'spacer'), extra, b.button('Cancel', onCancel));
}

/** A row of tab buttons; `current` is marked active and aria-selected. */
export function tabBar<T extends string>(b: Builder, tabs: ReadonlyArray<readonly [T, string]>, current: T, pick: (id: T) => void): DomElement {
  const bar = b.el('div', 'tabs');
  bar.setAttribute('role', 'tablist');
  for (const [id, label] of tabs) {
    const t = b.button(label, () => pick(id), id === current ? 'tab active' : 'tab');
    t.setAttribute('role', 'tab');
    t.setAttribute('aria-selected', String(id === current));
    bar.appendChild(t);
  }
  return bar;
}

/** host:port as a page shows it (an IPv6 host in brackets). */
export function address(host: string | undefined, port: number | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.includes(':') ? `[${host}]` : host;
  return port !== undefined ? `${h}:${port}` : h;
}

/**
 * The Connection tab of any panel: "No connection was made." without one, else the rows `rows` gives;
 * `keptAlive` is what "kept alive" means there (in the pool, for HTTP).
 */
export function connectionTab(b: Builder, c: ConnectionInfo | undefined, keptAlive: string, rows: (c: ConnectionInfo, afterwards: string | undefined) => Parameters<Builder['kvTable']>[0]): DomElement {
  const root = b.el('div', 'tab-content tab-connection');
  if (!c) {
    root.appendChild(b.el('p', 'muted', 'No connection was made.'));
    return root;
  }
  const afterwards = c.afterwards === 'closed' ? `closed${c.closeReason ? ` — ${c.closeReason}` : ''}` : c.afterwards === 'kept-alive' ? keptAlive : undefined;
  root.appendChild(b.kvTable(rows(c, afterwards)));
  return root;
}

/** A socket's own connection (never pooled): number, addresses, what happened to it. */
export function renderSocketConnection(b: Builder, conn: ConnectionInfo | undefined, opts: { remoteLabel?: string; note?: string } = {}): DomElement {
  const root = connectionTab(b, conn, 'kept alive', (c, afterwards) => [
    ['Connection', c.id > 0 ? `#${c.id}` : undefined],
    ['Local address', address(c.localAddress, c.localPort)],
    [opts.remoteLabel ?? 'Remote address', address(c.remoteAddress, c.remotePort)],
    ['Afterwards', afterwards],
  ]);
  if (conn && opts.note) root.appendChild(b.el('p', 'muted', opts.note));
  return root;
}
