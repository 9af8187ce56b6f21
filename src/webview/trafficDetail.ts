/**
 * The traffic view's detail pane: a proxy flow (summary, request and response headers, the first 64 KB of
 * plain-HTTP bodies through the body views — pretty JSON/XML/HTML, image, text, hex —, timings) or a datagram (sender, size, text and hex). Text nodes only.
 */
import { clockText, formatBytes, formatMs, headerValue, statusClass } from '../common/format';
import type { DatagramDetail, FlowDetail, HeaderList } from '../shared/trafficMessages';
import { bodyContent, bytesOf, hexView, modeBar, modesOf, pickView, rawTextView, viewsFor, type BodyContent, type BodyViewId, type ViewMode } from './bodyViews';
import type { Builder, DomElement } from './dom';

/** How the bodies show: the best view for each (auto), or the pretty, text or hex view where it takes them. */
export type BodyMode = ViewMode | 'auto';

/** Most bytes a body or datagram shows (the host carries at most 64 KB of either). */
export const DETAIL_LIMIT = 64 * 1024;

/** The body views the detail offers: Text shows the bytes with their control characters, as they went over the wire. */
export const TRAFFIC_BODY_VIEWS: readonly BodyViewId[] = ['json', 'markup', 'image', 'raw', 'hex'];

export interface DetailActions {
  act(action: 'openFlow' | 'copyCurl' | 'openDatagram'): void;
  setMode(mode: BodyMode): void;
}

export function headersTable(b: Builder, headers: HeaderList | undefined, none: string): DomElement {
  if (!headers || headers.length === 0) return b.el('p', 'muted', none);
  const table = b.el('table', 'headers');
  const body = b.el('tbody');
  table.appendChild(body);
  for (const [k, v] of headers) body.appendChild(b.add(b.el('tr'), b.el('th', undefined, k), b.el('td', 'mono', v)));
  return table;
}

const MODE_ORDER: readonly ViewMode[] = ['pretty', 'text', 'hex'];

const CUT_HINT = 'the proxy keeps the start of each body for this view.';

function flowBody(b64: string | undefined, headers: HeaderList | undefined, total: number): BodyContent {
  return bodyContent(bytesOf(b64), headers ? headerValue(headers, 'content-type') : undefined, total, CUT_HINT);
}

function body(b: Builder, title: string, c: BodyContent, mode: BodyMode, dropped: boolean): DomElement[] {
  const out: DomElement[] = [b.el('h3', undefined, `${title} (${formatBytes(c.total)})`)];
  const view = pickView(c, TRAFFIC_BODY_VIEWS, mode);
  if (c.total === 0) out.push(b.el('p', 'muted', '(empty)'));
  else if (!view) out.push(b.el('p', 'muted', dropped ? '(no longer kept: the view keeps the bodies of the most recent flows, 32 MB in all)' : '(not captured)'));
  else {
    out.push(...view.render(b, c));
    if (c.total > c.bytes.length) out.push(b.el('p', 'muted', `Showing the first ${formatBytes(c.bytes.length)} of ${formatBytes(c.total)}: ${CUT_HINT}`));
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
    const req = flowBody(d.requestBody, d.requestHeaders, r.bytesUp);
    const res = flowBody(d.responseBody, d.responseHeaders, r.bytesDown);
    // One mode bar for both bodies: the modes either offers; pressed, the one the response body (else the request's) shows.
    const modes = modesOf([...viewsFor(req, TRAFFIC_BODY_VIEWS), ...viewsFor(res, TRAFFIC_BODY_VIEWS)].sort((x, y) => MODE_ORDER.indexOf(x.mode) - MODE_ORDER.indexOf(y.mode)));
    const shown = pickView(res, TRAFFIC_BODY_VIEWS, mode) ?? pickView(req, TRAFFIC_BODY_VIEWS, mode);
    if (modes.length > 0) {
      const bar = b.el('div', 'toolbar');
      b.add(bar, b.el('span', 'muted', 'Bodies as'), modeBar(b, modes, shown?.mode ?? '', (m) => actions.setMode(m as BodyMode)));
      root.appendChild(bar);
    }
    for (const e of body(b, 'Request body', req, mode, !!d.bodiesDropped)) root.appendChild(e);
    for (const e of body(b, 'Response body', res, mode, !!d.bodiesDropped)) root.appendChild(e);
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
  root.appendChild(bytes.length ? rawTextView(b, bytes, DETAIL_LIMIT) : b.el('p', 'muted', '(empty datagram)'));
  if (bytes.length) {
    root.appendChild(b.el('h3', undefined, 'Hex'));
    root.appendChild(hexView(b, bytes, DETAIL_LIMIT));
  }
  return root;
}
