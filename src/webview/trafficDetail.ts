/**
 * The traffic view's detail pane: a proxy flow (summary, request and response headers, the first 64 KB of
 * plain-HTTP bodies as text or hex, timings) or a datagram (sender, size, text and hex). Text nodes only.
 */
import { base64ToBytes, clockText, formatBytes, formatMs, hexDump, statusClass, visualizeRaw } from '../common/format';
import type { DatagramDetail, FlowDetail, HeaderList } from '../shared/trafficMessages';
import type { Builder, DomElement } from './dom';

export type BodyMode = 'text' | 'hex';

/** Most bytes a body or datagram shows (the host carries at most 64 KB of either). */
export const DETAIL_LIMIT = 64 * 1024;

export interface DetailActions {
  act(action: 'openFlow' | 'copyCurl' | 'openDatagram'): void;
  setMode(mode: BodyMode): void;
}

function bytesOf(b64: string | undefined): Uint8Array {
  if (!b64) return new Uint8Array(0);
  try {
    return base64ToBytes(b64);
  } catch {
    return new Uint8Array(0);
  }
}

export function headersTable(b: Builder, headers: HeaderList | undefined, none: string): DomElement {
  if (!headers || headers.length === 0) return b.el('p', 'muted', none);
  const table = b.el('table', 'headers');
  const body = b.el('tbody');
  table.appendChild(body);
  for (const [k, v] of headers) body.appendChild(b.add(b.el('tr'), b.el('th', undefined, k), b.el('td', 'mono', v)));
  return table;
}

/** Bytes as visible text (␍ ␊ ␛ … and «xx») or a hex dump. */
export function bytesView(b: Builder, bytes: Uint8Array, mode: BodyMode): DomElement {
  const pre = b.el('pre', mode === 'hex' ? 'code hex' : 'code raw');
  if (mode === 'hex') {
    hexDump(bytes, 16, DETAIL_LIMIT).forEach((r, i) => {
      if (i > 0) pre.appendChild(b.text('\n'));
      b.add(pre, b.el('span', 'hex-offset', r.offset), '  ', b.el('span', 'hex-bytes', r.hex), '  ', b.el('span', 'hex-ascii', r.ascii));
    });
    return pre;
  }
  for (const line of visualizeRaw(bytes, DETAIL_LIMIT)) {
    const div = b.el('div', 'raw-line');
    for (const seg of line) div.appendChild(seg.kind === 'text' ? b.text(seg.text) : b.el('span', `raw-${seg.kind}`, seg.text));
    pre.appendChild(div);
  }
  return pre;
}

function modeBar(b: Builder, mode: BodyMode, set: (m: BodyMode) => void): DomElement {
  const bar = b.el('div', 'segmented');
  bar.setAttribute('role', 'group');
  for (const [m, label] of [
    ['text', 'Text'],
    ['hex', 'Hex'],
  ] as const) {
    const btn = b.button(label, () => set(m), m === mode ? 'seg active' : 'seg');
    btn.setAttribute('aria-pressed', String(m === mode));
    bar.appendChild(btn);
  }
  return bar;
}

function body(b: Builder, title: string, b64: string | undefined, total: number, mode: BodyMode, dropped: boolean): DomElement[] {
  const bytes = bytesOf(b64);
  const out: DomElement[] = [b.el('h3', undefined, `${title} (${formatBytes(total)})`)];
  if (total === 0) out.push(b.el('p', 'muted', '(empty)'));
  else if (bytes.length === 0) out.push(b.el('p', 'muted', dropped ? '(no longer kept: the view keeps the bodies of the most recent flows, 32 MB in all)' : '(not captured)'));
  else {
    out.push(bytesView(b, bytes, mode));
    if (total > bytes.length) out.push(b.el('p', 'muted', `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(total)}: the proxy keeps the start of each body for this view.`));
  }
  return out;
}

export function renderFlowDetail(b: Builder, d: FlowDetail, mode: BodyMode, actions: DetailActions): DomElement {
  const r = d.row;
  const root = b.el('div', 'detail-content');
  const failed = r.error !== undefined;
  const head = b.el('div', `status-line ${statusClass(r.status, failed)}`);
  b.add(
    head,
    b.el('span', 'status-code', r.status !== undefined ? String(r.status) : r.done ? 'failed' : '…'),
    b.el('span', 'status-reason mono', `${r.kind === 'tunnel' ? 'CONNECT' : r.method} ${r.target}`),
  );
  root.appendChild(head);
  if (r.error) root.appendChild(b.add(b.el('div', 'notice notice-error'), b.el('span', undefined, r.error)));
  const bar = b.el('div', 'toolbar');
  b.add(
    bar,
    b.button('Open as .netreq', () => actions.act('openFlow'), 'btn', r.kind === 'tunnel' ? 'An HTTPS GET and a TLS block to the same host:port' : 'The exact request as a .netreq block, to send again'),
    b.button('Copy as curl', () => actions.act('copyCurl'), 'btn', 'A curl command sending the same request directly (not through the proxy)'),
  );
  root.appendChild(bar);
  root.appendChild(
    b.kvTable([
      ['Started', `${new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 23)} UTC`],
      ['Kind', r.kind === 'tunnel' ? 'CONNECT tunnel (encrypted bytes, not shown)' : 'plain HTTP'],
      ['Client', r.client],
      ['Proxy', r.proxy],
      ['Sent ↑', formatBytes(r.bytesUp)],
      ['Received ↓', formatBytes(r.bytesDown)],
      [r.kind === 'tunnel' ? 'Upstream connected' : 'First response byte', formatMs(r.kind === 'tunnel' ? d.timings.upstreamConnected : d.timings.firstByte)],
      ['Duration', r.done ? formatMs(r.durationMs) : 'still open'],
    ]),
  );
  root.appendChild(b.el('h3', undefined, 'Request headers'));
  root.appendChild(headersTable(b, d.requestHeaders, '(no headers)'));
  if (r.kind === 'http') {
    root.appendChild(b.el('h3', undefined, 'Response headers'));
    root.appendChild(headersTable(b, d.responseHeaders, r.done ? '(no response)' : '(waiting for the response)'));
    const modes = b.el('div', 'toolbar');
    b.add(modes, b.el('span', 'muted', 'Bodies as'), modeBar(b, mode, actions.setMode));
    root.appendChild(modes);
    for (const e of body(b, 'Request body', d.requestBody, r.bytesUp, mode, !!d.bodiesDropped)) root.appendChild(e);
    for (const e of body(b, 'Response body', d.responseBody, r.bytesDown, mode, !!d.bodiesDropped)) root.appendChild(e);
  }
  return root;
}

export function renderDatagramDetail(b: Builder, d: DatagramDetail, actions: DetailActions): DomElement {
  const r = d.row;
  const root = b.el('div', 'detail-content');
  const head = b.el('div', 'status-line status-2xx');
  b.add(head, b.el('span', 'status-code', 'UDP'), b.el('span', 'status-reason mono', `${r.from} → ${r.listener}`));
  root.appendChild(head);
  const bar = b.el('div', 'toolbar');
  bar.appendChild(b.button('Open as .netreq', () => actions.act('openDatagram'), 'btn', 'A UDP reply to the sender and a MULTICAST block sending it to the group again'));
  root.appendChild(bar);
  root.appendChild(
    b.kvTable([
      ['Received', `${clockText(r.at)} UTC`],
      ['From', r.from],
      ['Listener', r.listener],
      ['Size', formatBytes(r.size)],
    ]),
  );
  const bytes = bytesOf(d.data);
  root.appendChild(b.el('h3', undefined, 'Text'));
  root.appendChild(bytes.length ? bytesView(b, bytes, 'text') : b.el('p', 'muted', '(empty datagram)'));
  if (bytes.length) {
    root.appendChild(b.el('h3', undefined, 'Hex'));
    root.appendChild(bytesView(b, bytes, 'hex'));
  }
  return root;
}
