/**
 * The response panel's tabs, each a pure function from an ExchangeMessage to DOM built with text
 * nodes only (through Builder). Nothing from the network is ever parsed as markup.
 */
import type { ExchangeMessage } from '../shared/messages';
import type { HeaderList, Timings, TlsInfo } from '../shared/model';
import { Builder, SVG_NS, type DomElement } from './dom';
import { address, connectionTab } from './parts';
import { base64ToBytes, describeValidity, formatBytes, formatMs, headerValue, waterfall } from '../common/format';
import { bodyContent, controlLegend, HEX_LIMIT, hexView, modeBar, modesOf, notice, pickView, RAW_TEXT_LIMIT, rawTextView, viewsFor, type BodyContent, type BodyViewId } from './bodyViews';

export type BodyMode = 'auto' | 'pretty' | 'text' | 'hex';
export type RawMode = 'text' | 'hex';

export interface TabActions {
  openBodyInEditor(): void;
  saveBody(): void;
  /** Copy the whole body (the host has it; the page has the preview). */
  copyBody(): void;
  copy(text: string): void;
  setBodyMode(mode: BodyMode): void;
  setRawMode(mode: RawMode): void;
  /** The JSON viewer of this exchange's body (kept by the view across redraws). */
  jsonViewer(m: ExchangeMessage, body: BodyContent): DomElement;
}

// ---------------------------------------------------------------- shared bits

export function headerTable(b: Builder, headers: HeaderList): DomElement {
  if (headers.length === 0) return b.el('p', 'muted', '(no headers)');
  const table = b.el('table', 'headers');
  const body = b.el('tbody');
  table.appendChild(body);
  for (const [name, value] of headers) {
    b.add(body, b.add(b.el('tr'), b.el('th', undefined, name), b.el('td', undefined, value)));
  }
  return table;
}


// ---------------------------------------------------------------- Body

/** The views the Body tab offers (the Raw tab shows the bytes with their controls). */
export const RESPONSE_BODY_VIEWS: readonly BodyViewId[] = ['json', 'markup', 'image', 'text', 'hex'];

/** The response body as the body views see it (empty without a response). */
export function responseBody(m: ExchangeMessage): BodyContent {
  const res = m.exchange.response;
  const bytes = res ? base64ToBytes(res.body.base64) : new Uint8Array(0);
  return bodyContent(bytes, res ? headerValue(res.headers, 'content-type') : undefined, res ? (res.body.totalLength ?? res.body.length) : 0);
}

export function renderBody(b: Builder, m: ExchangeMessage, mode: BodyMode, act: TabActions): DomElement {
  const root = b.el('div', 'tab-content tab-body');
  const res = m.exchange.response;
  if (!res) {
    root.appendChild(b.el('p', 'muted', 'No response was received.'));
    return root;
  }
  const body = responseBody(m);
  const { total } = body;
  const cut = res.body.totalLength !== undefined && res.body.totalLength > res.body.length;

  const openBtn = () => b.button('Open body in editor', act.openBodyInEditor, 'btn', `The whole body (${formatBytes(total)}) in a read-only editor: JSON pretty-printed, folding, search`);
  const saveBtn = () => b.button('Save body…', act.saveBody, 'btn', `Save the whole body (${formatBytes(total)}) to a file`);
  const view = pickView(body, RESPONSE_BODY_VIEWS, mode);
  // The JSON viewer shows a whole body the host keeps (bodyKey), however big.
  const viewer = view?.id === 'json';
  if (cut && viewer && m.bodyKey) {
    root.appendChild(notice(b, 'info', `Received ${formatBytes(total)}, all of it shown below, pretty-printed, with folding and search.`, openBtn(), saveBtn()));
  } else if (cut) {
    root.appendChild(notice(b, 'info', `Received ${formatBytes(total)}, showing the first ${formatBytes(res.body.length)}. Open body in editor shows all of it, with folding and search.`, openBtn(), saveBtn()));
  }
  if (res.truncated) {
    root.appendChild(
      notice(b, 'warning', `The body was cut at ${formatBytes(m.maxResponseBytes)} (setting netreq.maxResponseBytes); the rest was not read.`),
    );
  }
  for (const n of res.notes ?? []) root.appendChild(notice(b, 'warning', n));
  if (res.decodeError) {
    root.appendChild(notice(b, 'warning', `Could not decode content-encoding ${res.contentEncoding ?? ''}: ${res.decodeError}`));
  } else if (res.contentEncoding && res.contentEncoding.toLowerCase() !== 'identity') {
    const wire = res.rawBody.totalLength ?? res.rawBody.length;
    root.appendChild(notice(b, 'info', `Decoded from ${res.contentEncoding}: ${formatBytes(wire)} on the wire, ${formatBytes(total)} decoded.`));
  }
  if (!view) {
    root.appendChild(b.el('p', 'muted', total > 0 ? '(body not carried)' : '(empty body)'));
    return root;
  }

  const toolbar = b.el('div', 'toolbar');
  b.add(toolbar, modeBar(b, modesOf(viewsFor(body, RESPONSE_BODY_VIEWS)), view.mode, (x) => act.setBodyMode(x as BodyMode)), b.el('span', 'spacer'), b.el('span', 'muted', `${body.mime || 'no content-type'} · ${formatBytes(total)}`));
  if (!cut) b.add(toolbar, openBtn(), saveBtn());
  if (body.kind !== 'image' && body.kind !== 'binary') toolbar.appendChild(b.button('Copy', act.copyBody, 'btn', `Copy the whole body (${formatBytes(total)}) as text`));
  root.appendChild(toolbar);
  if (viewer) root.appendChild(act.jsonViewer(m, body));
  else for (const e of view.render(b, body)) root.appendChild(e);
  return root;
}

// ---------------------------------------------------------------- Headers

export function renderHeaders(b: Builder, m: ExchangeMessage): DomElement {
  const root = b.el('div', 'tab-content tab-headers');
  const x = m.exchange;
  const res = x.response;
  if (res) {
    root.appendChild(b.el('h3', undefined, `Response · ${res.version} ${res.status} ${res.reason}`));
    root.appendChild(headerTable(b, res.headers));
    res.interim.forEach((r, i) => {
      root.appendChild(b.el('h3', undefined, `Interim response ${i + 1} · ${r.version ? `${r.version} ` : ''}${r.status} ${r.reason}`));
      root.appendChild(headerTable(b, r.headers));
    });
    if (res.interimNotKept) root.appendChild(b.el('p', 'muted', `… ${res.interimNotKept} more interim responses were counted, not kept`));
    if (res.trailers.length > 0) {
      root.appendChild(b.el('h3', undefined, 'Trailers'));
      root.appendChild(headerTable(b, res.trailers));
    }
    if (res.trailersNotKept) root.appendChild(b.el('p', 'muted', `… ${res.trailersNotKept} more trailer fields were counted, not kept`));
    root.appendChild(b.el('p', 'muted', `Body framing: ${res.framing}`));
  } else {
    root.appendChild(b.el('p', 'muted', 'No response headers were received.'));
  }
  const r = x.request;
  root.appendChild(b.el('h3', undefined, `Request · ${r.method} ${r.target} ${r.version}`));
  root.appendChild(headerTable(b, r.headers));
  return root;
}

// ---------------------------------------------------------------- Raw

export function renderRaw(b: Builder, m: ExchangeMessage, mode: RawMode, act: TabActions): DomElement {
  const root = b.el('div', 'tab-content tab-raw');
  const toolbar = b.el('div', 'toolbar');
  b.add(
    toolbar,
    modeBar(b, [['text', 'Text'], ['hex', 'Hex']], mode, (x) => act.setRawMode(x as RawMode)),
    b.el('span', 'spacer'),
    controlLegend(b, 'Exact bytes.'),
  );
  root.appendChild(toolbar);
  for (const [label, bytesJson] of [
    ['Sent', m.exchange.sent],
    ['Received', m.exchange.received],
  ] as const) {
    const bytes = base64ToBytes(bytesJson.base64);
    // The engine keeps the first 1 MB of what it read (receivedBytes counts all of it); the message may carry less.
    const total = Math.max(bytesJson.totalLength ?? bytesJson.length, label === 'Received' && typeof m.exchange.receivedBytes === 'number' ? m.exchange.receivedBytes : 0);
    const heading = `${label} · ${formatBytes(total)}${total > bytes.length ? `, showing the first ${formatBytes(Math.min(bytes.length, mode === 'hex' ? HEX_LIMIT : RAW_TEXT_LIMIT))}` : ''}`;
    root.appendChild(b.el('h3', undefined, heading));
    if (bytes.length === 0) root.appendChild(b.el('p', 'muted', '(nothing)'));
    else root.appendChild(mode === 'hex' ? hexView(b, bytes, HEX_LIMIT, total) : rawTextView(b, bytes, RAW_TEXT_LIMIT, total));
  }
  return root;
}

// ---------------------------------------------------------------- Timing

/** The timing waterfall as a table of SVG bars (percentages as attributes, no inline styles). `labels` renames phases. */
export function renderWaterfall(b: Builder, t: Timings, labels: Partial<Record<string, string>> = {}): DomElement {
  const table = b.el('table', 'waterfall');
  const body = b.el('tbody');
  table.appendChild(body);
  for (const bar of waterfall(t)) {
    const svg = b.doc.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'wf-track');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '14');
    const rect = b.doc.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('class', `wf-bar wf-${bar.key}`);
    rect.setAttribute('x', `${bar.leftPct}%`);
    rect.setAttribute('y', '2');
    rect.setAttribute('height', '10');
    rect.setAttribute('width', `${bar.durationMs > 0 ? Math.max(bar.widthPct, 0.3) : 0}%`);
    svg.appendChild(rect);
    const tr = b.el('tr', bar.key === 'total' ? 'wf-row wf-total' : 'wf-row');
    b.add(tr, b.el('th', undefined, labels[bar.key] ?? bar.label), b.add(b.el('td', 'wf-cell'), svg), b.el('td', 'num', formatMs(bar.durationMs)));
    body.appendChild(tr);
  }
  return table;
}

export function renderTiming(b: Builder, m: ExchangeMessage): DomElement {
  const root = b.el('div', 'tab-content tab-timing');
  const table = renderWaterfall(b, m.exchange.timings);
  root.appendChild(table);
  const c = m.exchange.connection;
  if (c?.reused) root.appendChild(b.el('p', 'muted', `Connection #${c.id} was reused, so there was no DNS lookup, connect or TLS handshake.`));
  root.appendChild(b.el('p', 'muted', `Started ${new Date(m.exchange.startedAt).toISOString()}`));
  return root;
}

// ---------------------------------------------------------------- TLS

export function renderTls(b: Builder, m: ExchangeMessage, now = Date.now()): DomElement {
  return renderTlsDetails(b, m.exchange.tls, m.exchange.request.tls, now);
}

/** The TLS session: protocol, cipher, ALPN, SNI, verification and the certificate chain (shared by every panel). */
export function renderTlsDetails(b: Builder, tls: TlsInfo | undefined, wantedTls: boolean, now = Date.now()): DomElement {
  const root = b.el('div', 'tab-content tab-tls');
  if (!tls) {
    root.appendChild(b.el('p', 'muted', wantedTls ? 'No TLS session was established.' : 'Not a TLS connection.'));
    return root;
  }
  const verification = !tls.verify
    ? `not checked (@insecure)${tls.authorized ? '; the chain would have verified' : tls.authorizationError ? `; it would have failed: ${tls.authorizationError}` : ''}`
    : tls.authorized
      ? 'verified ✓'
      : `failed ✗ ${tls.authorizationError ?? ''}`.trim();
  root.appendChild(
    b.kvTable([
      ['Protocol', tls.protocol ?? '–'],
      ['Cipher', tls.cipher ?? '–'],
      ['ALPN', tls.alpn ?? '(none)'],
      ['Server name (SNI)', tls.servername ?? '(none)'],
      ['Verification', b.el('span', tls.verify && !tls.authorized ? 'bad' : tls.authorized ? 'good' : 'warn', verification)],
    ]),
  );
  tls.chain.forEach((cert, i) => {
    const role = i === 0 ? 'leaf' : i === tls.chain.length - 1 && cert.selfSigned ? 'root' : 'intermediate';
    const card = b.el('div', 'cert');
    card.appendChild(b.el('h3', undefined, `Certificate ${i + 1} (${role})`));
    const validity = describeValidity(cert.validFrom, cert.validTo, now);
    card.appendChild(
      b.kvTable([
        ['Subject', cert.subject],
        ['Issuer', cert.issuer],
        ['Alt names', cert.subjectAltNames.length ? cert.subjectAltNames.join(', ') : '(none)'],
        ['Valid from', cert.validFrom],
        ['Valid to', b.add(b.el('span'), `${cert.validTo} `, b.el('span', validity.startsWith('expired') || validity.startsWith('not valid') ? 'bad' : 'good', `(${validity})`))],
        ['SHA-256', b.el('span', 'mono', cert.fingerprint256)],
        ['Serial', b.el('span', 'mono', cert.serialNumber)],
        ['Self-signed', cert.selfSigned ? 'yes' : 'no'],
      ]),
    );
    root.appendChild(card);
  });
  if (tls.chain.length === 0) root.appendChild(b.el('p', 'muted', 'The peer sent no certificate.'));
  return root;
}

// ---------------------------------------------------------------- Connection

export function renderConnection(b: Builder, m: ExchangeMessage): DomElement {
  return connectionTab(b, m.exchange.connection, 'kept alive in the pool', (c, afterwards) => [
    ['Connection', `#${c.id}`],
    ['Opened', c.reused ? `reused${c.idleMs !== undefined ? ` (idle ${formatMs(c.idleMs)} before this request)` : ''}` : 'new for this request'],
    ['Requests served', String(c.requestsServed)],
    ['Pooled', c.pooled ? 'yes' : 'no (@no-pool or pooling off)'],
    ['Afterwards', afterwards],
    ['Local address', address(c.localAddress, c.localPort)],
    ['Remote address', address(c.remoteAddress, c.remotePort)],
    ['Retried', c.retried],
  ]);
}
