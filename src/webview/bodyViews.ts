/**
 * The body views: one registry of the ways a body can be shown (JSON, XML/HTML, image, text, visible bytes,
 * hex), used by the response panel's Body tab and the traffic panel's detail. As in mitmproxy's content
 * views, each view says which content it takes and renders a body into DOM nodes, with text nodes only
 * (an image is a data: URL of an allow-listed type, never markup). A caller offers the views it wants; the
 * page picks one by mode, else the first that takes the content.
 */
import { base64ToBytes, classifyBody, decodeText, formatBytes, hexDump, imageDataUrl, parseContentType, visualizeRaw, type BodyKind, type RawSegment } from '../common/format';
import { imageSize } from '../common/imageSize';
import { prettyJsonBytes, prettyJsonText } from '../common/prettyJson';
import { countTokens, plainLines, prettyJson, prettyMarkup, type TokenLines } from '../shared/syntax';
import type { Builder, DomElement, DomNode } from './dom';

/** How much the raw text view renders, the hex view shows, and the most tokens given their own colored span. */
export const RAW_TEXT_LIMIT = 512 * 1024;
export const HEX_LIMIT = 64 * 1024;
export const MAX_COLORED_TOKENS = 150_000;

/** What a body is, as the views see it. */
export interface BodyContent {
  kind: BodyKind;
  bytes: Uint8Array;
  /** The MIME type from Content-Type ('' without one). */
  mime: string;
  charset?: string;
  /** The size of the whole body (bytes may hold only its start). */
  total: number;
  /** What to do when only the start of an image was kept (the image view says so instead of a broken image). */
  cutHint?: string;
}

/** A body as the views see it: its kind from the Content-Type header and the bytes. */
export function bodyContent(bytes: Uint8Array, contentType: string | undefined, total = bytes.length, cutHint?: string): BodyContent {
  const ct = parseContentType(contentType);
  return { kind: classifyBody(ct.mime, bytes, ct.charset), bytes, mime: ct.mime, charset: ct.charset, total, cutHint };
}

export type BodyViewId = 'json' | 'markup' | 'image' | 'text' | 'raw' | 'hex';
/** The mode a view answers to (a page's mode bar and its saved state): the pretty family, text, or hex. */
export type ViewMode = 'pretty' | 'text' | 'hex';

export interface BodyView {
  id: BodyViewId;
  mode: ViewMode;
  /** Its button in a mode bar. */
  label: string;
  /** Whether it can show this content. */
  takes(c: BodyContent): boolean;
  /** The body as DOM nodes (notes first when there are any). */
  render(b: Builder, c: BodyContent): DomElement[];
}

const isCut = (c: BodyContent) => c.total > c.bytes.length;

// ---------------------------------------------------------------- renderers (also used by other tabs)

/** Lines of tokens in a <pre>: one span per colored token, text nodes for the rest. */
export function renderLines(b: Builder, lines: TokenLines, cls = 'code'): DomElement {
  const pre = b.el('pre', cls);
  if (countTokens(lines) > MAX_COLORED_TOKENS) {
    pre.textContent = lines.map((l) => l.map((t) => t.text).join('')).join('\n');
    return pre;
  }
  lines.forEach((line, i) => {
    if (i > 0) pre.appendChild(b.text('\n'));
    for (const t of line) {
      if (t.kind === 'plain' || t.kind === 'text') pre.appendChild(b.text(t.text));
      else pre.appendChild(b.el('span', `tok-${t.kind}`, t.text));
    }
  });
  return pre;
}

export function notice(b: Builder, level: 'info' | 'warning' | 'error', text: string, ...extra: DomElement[]): DomElement {
  return b.add(b.el('div', `notice notice-${level}`), b.el('span', undefined, text), ...extra);
}

/** A row of buttons, one per mode, the current one pressed. */
export function modeBar(b: Builder, modes: Array<[string, string]>, current: string, pick: (m: string) => void): DomElement {
  const bar = b.el('div', 'segmented');
  bar.setAttribute('role', 'group');
  for (const [mode, label] of modes) {
    const btn = b.button(label, () => pick(mode), mode === current ? 'seg active' : 'seg');
    btn.setAttribute('aria-pressed', String(mode === current));
    bar.appendChild(btn);
  }
  return bar;
}

/** Offset, hex bytes and ASCII, 16 to a line, the first `limit` bytes (of `total`, when the bytes are only the start). */
export function hexView(b: Builder, bytes: Uint8Array, limit = HEX_LIMIT, total = bytes.length): DomElement {
  const pre = b.el('pre', 'code hex');
  hexDump(bytes, 16, limit).forEach((r, i) => {
    if (i > 0) pre.appendChild(b.text('\n'));
    b.add(pre, b.el('span', 'hex-offset', r.offset), '  ', b.el('span', 'hex-bytes', r.hex), '  ', b.el('span', 'hex-ascii', r.ascii));
  });
  if (total > Math.min(limit, bytes.length)) b.add(pre, '\n', b.el('span', 'muted', `… hex view shows the first ${formatBytes(Math.min(limit, bytes.length))} of ${formatBytes(total)}`));
  return pre;
}

/**
 * One piece of visible bytes: text as a text node; a control as a small bordered badge with its name (CR, LF,
 * ESC …), which every font shows (Debian's stock fonts draw the Control Pictures ␍ ␊ ␛ as empty boxes), the
 * picture in its tooltip; a byte that is not UTF-8 text as «xx».
 */
export function rawSegment(b: Builder, seg: RawSegment): DomNode {
  if (seg.kind === 'text') return b.text(seg.text);
  if (!seg.name) return b.el('span', `raw-${seg.kind}`, seg.text);
  const badge = b.el('span', `raw-${seg.kind} ctl-badge`, seg.name);
  badge.setAttribute('title', `${seg.text} ${seg.name}`);
  return badge;
}

/** The legend of the raw views, with the badges as they appear. */
export function controlLegend(b: Builder, lead = 'Control characters:'): DomElement {
  const span = b.el('span', 'muted legend');
  span.appendChild(b.text(`${lead} `));
  const items: Array<[string, string]> = [
    ['CR', 'carriage return'],
    ['LF', 'line feed'],
    ['TAB', 'tab'],
    ['ESC', 'escape'],
    ['NUL', 'zero byte'],
  ];
  for (const [name, words] of items) b.add(span, rawSegment(b, { kind: name === 'CR' || name === 'LF' ? 'eol' : 'ctl', text: '', name }), ` ${words} · `);
  b.add(span, 'other controls by their name · ', b.el('span', 'raw-bad', '«xx»'), ' a byte that is not UTF-8 text');
  return span;
}

/** Bytes as visible text: controls as badges (CR LF ESC …), «xx» for a byte that is not UTF-8 text; the first `limit` bytes of `total`. */
export function rawTextView(b: Builder, bytes: Uint8Array, limit = RAW_TEXT_LIMIT, total = bytes.length): DomElement {
  const pre = b.el('pre', 'code raw');
  for (const line of visualizeRaw(bytes, limit)) {
    const div = b.el('div', 'raw-line');
    for (const seg of line) div.appendChild(rawSegment(b, seg));
    pre.appendChild(div);
  }
  if (total > Math.min(limit, bytes.length)) pre.appendChild(b.el('div', 'muted', `… showing the first ${formatBytes(Math.min(limit, bytes.length))} of ${formatBytes(total)}; use Hex or save the body`));
  return pre;
}

/** Base64 of bytes in the page (btoa over Latin-1 code units; the bytes are at most the preview). */
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// ---------------------------------------------------------------- the registry

/**
 * JSON pretty and coloured; a cut preview indented as far as it goes (the re-indenter needs no whole
 * document), saying how much it is; text that is not JSON as it came, saying where it stops being JSON.
 */
function renderJson(b: Builder, c: BodyContent): DomElement[] {
  const text = decodeText(c.bytes, c.charset);
  const lines = isCut(c) ? undefined : prettyJson(text);
  if (lines) return [renderLines(b, lines)];
  const utf8 = !c.charset || /^utf-?8$/i.test(c.charset);
  const r = utf8 ? prettyJsonBytes(c.bytes) : prettyJsonText(text);
  if (r.ok && isCut(c)) {
    const pretty = typeof r.pretty === 'string' ? r.pretty : decodeText(r.pretty);
    return [notice(b, 'info', `The first ${formatBytes(c.bytes.length)} of ${formatBytes(c.total)}, indented; Open body in editor shows all of it.`), renderLines(b, plainLines(pretty))];
  }
  return [notice(b, 'info', `Shown as text: ${r.ok ? 'the JSON ends early' : r.error}.`), renderLines(b, plainLines(text))];
}

/** Zoom steps of the image view, in percent. */
export const ZOOMS = [10, 25, 50, 75, 100, 150, 200, 300, 400, 800];

/**
 * An allow-listed image type as a data: URL in an <img> (where even SVG runs no script), at its natural size
 * (width and height attributes from its header, no inline style), with its dimensions and zoom buttons:
 * Fit (shrink to the panel), 100 %, − and +. A cut one is not shown.
 */
function renderImage(b: Builder, c: BodyContent): DomElement[] {
  const url = isCut(c) ? undefined : imageDataUrl(c.mime, toBase64(c.bytes));
  if (!url) return [b.el('p', 'muted', `The image is larger than the preview; ${c.cutHint ?? 'save the body to view it.'}`)];
  const size = imageSize(c.bytes);
  const img = b.el('img', 'body-image');
  img.setAttribute('src', url);
  img.setAttribute('alt', `${c.mime} image, ${size ? `${size.width} × ${size.height} pixels, ` : ''}${formatBytes(c.total)}`);
  const label = b.el('span', 'muted image-zoom');
  let zoom: number | 'fit' = 100;
  const show = (z: number | 'fit') => {
    zoom = z;
    img.setAttribute('class', z === 'fit' ? 'body-image fit' : 'body-image');
    if (size && z !== 'fit') {
      img.setAttribute('width', String(Math.max(1, Math.round((size.width * z) / 100))));
      img.setAttribute('height', String(Math.max(1, Math.round((size.height * z) / 100))));
    } else {
      img.removeAttribute('width');
      img.removeAttribute('height');
    }
    label.textContent = z === 'fit' ? 'fit' : `${z}%`;
  };
  const step = (dir: 1 | -1) => {
    const now = zoom === 'fit' ? 100 : zoom;
    const next = dir > 0 ? ZOOMS.find((z) => z > now) : [...ZOOMS].reverse().find((z) => z < now);
    show(next ?? now);
  };
  show(100);
  const bar = b.el('div', 'toolbar image-bar');
  b.add(
    bar,
    b.el('span', 'image-size', size ? `${size.width} × ${size.height} px` : 'size unknown'),
    label,
    b.button('Fit', () => show('fit'), 'btn', 'Shrink to the panel (never enlarge)'),
    b.button('100%', () => show(100), 'btn', 'Natural size'),
    b.button('−', () => step(-1), 'btn', 'Zoom out'),
    b.button('+', () => step(1), 'btn', 'Zoom in'),
  );
  return [bar, b.add(b.el('div', 'image-frame'), img)];
}

/** Every kind of body that has bytes. */
const ANY: readonly BodyKind[] = ['json', 'xml', 'html', 'image', 'text', 'binary'];

function view(id: BodyViewId, mode: ViewMode, label: string, kinds: readonly BodyKind[], render: BodyView['render']): BodyView {
  return { id, mode, label, takes: (c) => kinds.includes(c.kind), render };
}

/** Every body view, in the order a page prefers them. `raw` is text with its controls visible (the traffic view's Text: what went over the wire). */
export const BODY_VIEWS: readonly BodyView[] = [
  view('json', 'pretty', 'Pretty', ['json'], renderJson),
  view('markup', 'pretty', 'Pretty', ['xml', 'html'], (b, c) => [renderLines(b, prettyMarkup(decodeText(c.bytes, c.charset), c.kind === 'html'))]),
  view('image', 'pretty', 'Image', ['image'], renderImage),
  view('text', 'text', 'Text', ANY, (b, c) => [renderLines(b, plainLines(decodeText(c.bytes, c.charset)), 'code wrap')]),
  view('raw', 'text', 'Text', ANY, (b, c) => [rawTextView(b, c.bytes)]),
  view('hex', 'hex', 'Hex', ANY, (b, c) => [hexView(b, c.bytes)]),
];

/** The views among `offered` that take this content, in registry order. */
export function viewsFor(c: BodyContent, offered: readonly BodyViewId[]): BodyView[] {
  return BODY_VIEWS.filter((v) => offered.includes(v.id) && v.takes(c));
}

/**
 * The view for a mode: the offered one of that mode that takes the content; for 'auto' (or a mode none
 * answers to) the first that takes it, hex for binary. Undefined for an empty body.
 */
export function pickView(c: BodyContent, offered: readonly BodyViewId[], mode: ViewMode | 'auto'): BodyView | undefined {
  const views = viewsFor(c, offered);
  const chosen = mode === 'auto' ? undefined : views.find((v) => v.mode === mode);
  return chosen ?? (c.kind === 'binary' ? views.find((v) => v.mode === 'hex') : undefined) ?? views[0];
}

/** The mode bar of the views offered: one button per mode (the first view's label). */
export function modesOf(views: readonly BodyView[]): Array<[ViewMode, string]> {
  const out: Array<[ViewMode, string]> = [];
  for (const v of views) if (!out.some(([m]) => m === v.mode)) out.push([v.mode, v.label]);
  return out;
}

/** A body's bytes from the base64 a message carries (nothing for a missing or damaged one). */
export function bytesOf(b64: string | undefined): Uint8Array {
  if (!b64) return new Uint8Array(0);
  try {
    return base64ToBytes(b64);
  } catch {
    return new Uint8Array(0);
  }
}
