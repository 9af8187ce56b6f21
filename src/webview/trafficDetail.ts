/**
 * The traffic view's detail pane: a proxy flow (summary, request and response headers as they came, the
 * first 64 KB of plain-HTTP bodies through the body views — pretty JSON/XML/HTML, image, text, hex —,
 * decoded when they came gzip/deflate/br, with the bytes as sent one click away; timings) or a datagram
 * (sender, size, text and hex). Text nodes only.
 */
import { clockText, formatBytes, formatMs, headerValue, statusClass } from '../common/format';
import type { DatagramDetail, DecodedBody, FlowDetail, HeaderList } from '../shared/trafficMessages';
import { bodyContent, bytesOf, hexView, modeBar, modesOf, notice, pickView, rawTextView, viewsFor, type BodyContent, type BodyViewId, type ViewMode } from './bodyViews';
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
  /** Decoded or as sent, for bodies that came with a Content-Encoding. */
  setForm(form: BodyForm): void;
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

/** A body that came with a Content-Encoding shows decoded (the default) or as it came. */
export type BodyForm = 'decoded' | 'sent';

interface FlowBody {
  content: BodyContent;
  /** Sizes are exact (the "Showing the first …" line applies); false for decoded bytes. */
  asSent: boolean;
  /** A notice above the body: how it was decoded, or why it was not. */
  note?: { level: 'info' | 'warning'; text: string };
}

function flowBody(b64: string | undefined, headers: HeaderList | undefined, total: number, decoded: DecodedBody | undefined, form: BodyForm): FlowBody {
  const type = headers ? headerValue(headers, 'content-type') : undefined;
  const raw = bytesOf(b64);
  if (!decoded) return { content: bodyContent(raw, type, total, CUT_HINT), asSent: true };
  // Encoded bytes are not what Content-Type describes (that is the decoded body): they are shown for what they are.
  const asSent: FlowBody = { content: bodyContent(raw, undefined, total, CUT_HINT), asSent: true };
  const enc = decoded.encoding;
  if (decoded.body === undefined) return { ...asSent, note: { level: 'warning', text: `Could not decode ${enc}: ${decoded.error ?? 'no reason given'}. Showing the bytes as they came.` } };
  if (form === 'sent') return { ...asSent, note: { level: 'info', text: `As sent: the ${enc}-encoded bytes (Decoded shows what they decode to).` } };
  const bytes = bytesOf(decoded.body);
  const more = decoded.cut || decoded.partial;
  // Only part of it: the image view then says so instead of drawing a broken image.
  const content = bodyContent(bytes, type, more ? bytes.length + 1 : bytes.length, CUT_HINT);
  const from = raw.length < total ? `the first ${formatBytes(raw.length)} of ${formatBytes(total)} on the wire (${CUT_HINT.replace(/\.$/, '')})` : `${formatBytes(raw.length)} on the wire`;
  let text = `Decoded from ${enc}: ${from}, ${formatBytes(bytes.length)} decoded`;
  if (decoded.cut) text += `; showing the first ${formatBytes(bytes.length)} it decodes to (the view decodes at most that much of a body)`;
  else if (decoded.partial) text += ' (the start of the body)';
  text += '.';
  if (decoded.error) return { content, asSent: false, note: { level: 'warning', text: `${text} The rest could not be decoded: ${decoded.error}.` } };
  return { content, asSent: false, note: { level: 'info', text } };
}

function body(b: Builder, title: string, fb: FlowBody, total: number, mode: BodyMode, dropped: boolean): DomElement[] {
  const c = fb.content;
  const out: DomElement[] = [b.el('h3', undefined, `${title} (${formatBytes(total)})`)];
  const view = pickView(c, TRAFFIC_BODY_VIEWS, mode);
  if (total === 0) out.push(b.el('p', 'muted', '(empty)'));
  else if (!view) out.push(b.el('p', 'muted', dropped ? '(no longer kept: the view keeps the bodies of the most recent flows, 32 MB in all)' : '(not captured)'));
  else {
    if (fb.note) out.push(notice(b, fb.note.level, fb.note.text));
    out.push(...view.render(b, c));
    if (fb.asSent && c.total > c.bytes.length) out.push(b.el('p', 'muted', `Showing the first ${formatBytes(c.bytes.length)} of ${formatBytes(c.total)}: ${CUT_HINT}`));
  }
  return out;
}

export function renderFlowDetail(b: Builder, d: FlowDetail, mode: BodyMode, actions: DetailActions, form: BodyForm = 'decoded'): DomElement {
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
  root.appendChild(b.el('h3', undefined, 'Request headers (as the client sent them)'));
  root.appendChild(headersTable(b, d.requestHeaders, '(no headers)'));
  if (r.kind === 'http') {
    root.appendChild(b.el('h3', undefined, 'Response headers (as the upstream sent them)'));
    root.appendChild(headersTable(b, d.responseHeaders, r.done ? '(no response)' : '(waiting for the response)'));
    const req = flowBody(d.requestBody, d.requestHeaders, r.bytesUp, d.requestDecoded, form);
    const res = flowBody(d.responseBody, d.responseHeaders, r.bytesDown, d.responseDecoded, form);
    // One mode bar for both bodies: the modes either offers; pressed, the one the response body (else the request's) shows.
    const modes = modesOf([...viewsFor(req.content, TRAFFIC_BODY_VIEWS), ...viewsFor(res.content, TRAFFIC_BODY_VIEWS)].sort((x, y) => MODE_ORDER.indexOf(x.mode) - MODE_ORDER.indexOf(y.mode)));
    const shown = pickView(res.content, TRAFFIC_BODY_VIEWS, mode) ?? pickView(req.content, TRAFFIC_BODY_VIEWS, mode);
    const encoded = [d.requestDecoded, d.responseDecoded].some((x) => x?.body !== undefined);
    if (modes.length > 0 || encoded) {
      const bar = b.el('div', 'toolbar');
      b.add(bar, b.el('span', 'muted', 'Bodies as'));
      if (modes.length > 0) bar.appendChild(modeBar(b, modes, shown?.mode ?? '', (m) => actions.setMode(m as BodyMode)));
      if (encoded)
        bar.appendChild(
          modeBar(
            b,
            [
              ['decoded', 'Decoded'],
              ['sent', 'As sent'],
            ],
            form,
            (f) => actions.setForm(f as BodyForm),
          ),
        );
      root.appendChild(bar);
    }
    for (const e of body(b, 'Request body', req, r.bytesUp, mode, !!d.bodiesDropped)) root.appendChild(e);
    for (const e of body(b, 'Response body', res, r.bytesDown, mode, !!d.bodiesDropped)) root.appendChild(e);
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
