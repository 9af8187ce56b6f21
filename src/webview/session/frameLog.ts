/**
 * The WebSocket session view's frame log: the frames kept (the newest, up to the log's cap), how many the
 * session had in all, which rows are expanded, and the rows on the Messages tab while it is shown. Frames
 * arrive in batches and are appended; past the cap the oldest rows go. Text nodes only.
 */
import type { WsLogFrame } from '../../shared/messages';
import { base64ToBytes, decodeText, formatBytes } from '../../common/format';
import { formatOffset, hexPreview, inlinePreview } from '../../shared/transcript';
import type { Builder, DomElement, DomEvent } from '../dom';
import { hexView, rawSegment, rawTextView } from '../bodyViews';
import type { NewRequest } from './composer';

/** Per frame, the most bytes shown as text / hex once expanded. */
export const FRAME_TEXT_LIMIT = 64 * 1024;
export const FRAME_HEX_LIMIT = 16 * 1024;

export class FrameLog {
  frames: WsLogFrame[] = [];
  /** Frames the session had in all (the log keeps the last `logCap`). */
  total = 0;
  private lastSeq = 0;
  private readonly expanded = new Set<number>();
  // The rows on the Messages tab, while shown.
  private dom?: { rows: DomElement; elements: DomElement[]; dropped: DomElement; empty?: DomElement };

  constructor(
    private readonly b: Builder,
    private readonly request: (m: NewRequest) => void,
    private readonly aroundAppend?: (append: () => void) => void,
  ) {}

  /** A full state: these frames (the last `logCap`), of `total`; `sameSession` keeps the expanded rows. */
  reset(frames: WsLogFrame[], total: number, logCap: number, sameSession: boolean): void {
    if (!sameSession) this.expanded.clear();
    this.frames = frames.slice(-logCap);
    this.total = total;
    this.lastSeq = this.frames.length ? this.frames[this.frames.length - 1].seq : 0;
  }

  /** A session this page has not seen from the start: no frames until its full state comes. */
  clear(): void {
    this.frames = [];
    this.total = 0;
    this.lastSeq = 0;
    this.expanded.clear();
  }

  /** The Messages tab's page is gone (another tab, or a full render). */
  detach(): void {
    this.dom = undefined;
  }

  /** Builds the log (the "dropped" line and the rows) into `root`. */
  render(root: DomElement, logCap: number): void {
    const { b } = this;
    const dropped = b.el('p', 'muted ws-dropped');
    const rows = b.el('div', 'ws-log');
    rows.setAttribute('role', 'log');
    b.add(root, dropped, rows);
    this.dom = { rows, elements: [], dropped };
    if (this.frames.length === 0) {
      this.dom.empty = b.el('p', 'muted ws-empty', 'No frames yet.');
      rows.appendChild(this.dom.empty);
    }
    for (const f of this.frames) this.appendRow(f);
    this.updateDropped(logCap);
  }

  /** Appends a batch (frames already in the log are skipped); true when there were new ones. */
  append(frames: WsLogFrame[], total: number, logCap: number): boolean {
    this.total = Math.max(this.total, total);
    const fresh = frames.filter((f) => f.seq > this.lastSeq);
    if (fresh.length > 0) this.lastSeq = fresh[fresh.length - 1].seq;
    this.frames.push(...fresh);
    const overflow = this.frames.length - logCap;
    const removed = overflow > 0 ? this.frames.splice(0, overflow) : [];
    for (const f of removed) this.expanded.delete(f.seq);
    const log = this.dom;
    if (log) {
      const apply = () => {
        if (fresh.length && log.empty) {
          log.empty.remove();
          log.empty = undefined;
        }
        const add = fresh.length > logCap ? fresh.slice(-logCap) : fresh;
        for (const f of add) this.appendRow(f);
        const extra = log.elements.length - logCap;
        if (extra > 0) for (const e of log.elements.splice(0, extra)) e.remove();
        this.updateDropped(logCap);
      };
      if (this.aroundAppend) this.aroundAppend(apply);
      else apply();
    }
    return fresh.length > 0;
  }

  private updateDropped(logCap: number | undefined): void {
    if (!this.dom) return;
    const dropped = this.total - this.frames.length;
    this.dom.dropped.textContent = dropped > 0 ? `${dropped} older frame${dropped === 1 ? '' : 's'} dropped (the log keeps the last ${logCap ?? this.frames.length}).` : '';
  }

  private appendRow(f: WsLogFrame): void {
    const log = this.dom;
    if (!log) return;
    const { b } = this;
    const row = b.el('div', `ws-frame ws-${f.dir} ws-op-${f.opcode}`);
    const head = b.el('div', 'ws-frame-head');
    head.setAttribute('role', 'button');
    head.setAttribute('tabindex', '0');
    head.setAttribute('title', 'Show this frame as text and hex');
    const size = f.data.totalLength ?? f.data.length;
    b.add(
      head,
      b.el('span', 'ws-dir', f.dir === 'sent' ? '→' : '←'),
      b.el('span', 'ws-at', formatOffset(f.at)),
      b.el('span', 'ws-op', f.opcode),
      f.auto === true ? b.el('span', 'ws-auto muted', '(automatic)') : undefined,
      b.el('span', 'ws-size', formatBytes(size)),
      this.preview(f),
    );
    const detail = b.el('div', 'ws-frame-detail');
    const toggle = () => {
      if (this.expanded.has(f.seq)) {
        this.expanded.delete(f.seq);
        detail.textContent = '';
      } else {
        this.expanded.add(f.seq);
        this.fillDetail(detail, f);
      }
    };
    head.addEventListener('click', toggle);
    head.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        toggle();
      }
    });
    if (this.expanded.has(f.seq)) this.fillDetail(detail, f);
    b.add(row, head, detail);
    log.rows.appendChild(row);
    log.elements.push(row);
  }

  private preview(f: WsLogFrame): DomElement {
    const { b } = this;
    const span = b.el('span', 'ws-preview');
    const bytes = base64ToBytes(f.data.base64);
    if (f.opcode === 'close') {
      span.textContent = f.closeWords ?? 'close';
      return span;
    }
    if (f.opcode === 'text') {
      const p = inlinePreview(bytes, 200);
      for (const seg of p.segments) span.appendChild(rawSegment(b, seg));
      if (p.cut || (f.data.totalLength ?? 0) > f.data.length) span.appendChild(b.el('span', 'muted', ' …'));
    } else {
      const p = hexPreview(bytes, 32);
      span.appendChild(b.el('span', 'mono', p.text));
      if (p.cut || (f.data.totalLength ?? 0) > f.data.length) span.appendChild(b.el('span', 'muted', ' …'));
    }
    if ((f.data.totalLength ?? f.data.length) === 0) span.appendChild(b.el('span', 'muted', '(empty)'));
    return span;
  }

  private fillDetail(detail: DomElement, f: WsLogFrame): void {
    const { b } = this;
    detail.textContent = '';
    const bytes = base64ToBytes(f.data.base64);
    const size = f.data.totalLength ?? f.data.length;
    const tools = b.el('div', 'toolbar');
    b.add(
      tools,
      b.el('span', 'muted', `Frame ${f.seq} · ${f.dir} · ${f.opcode}${f.auto === true ? ' (automatic: NetReq’s answer to a ping)' : ''} · ${formatBytes(size)}${f.closeCode !== undefined ? ` · code ${f.closeCode}` : ''}`),
      b.el('span', 'spacer'),
      bytes.length > 0 ? b.button('Copy text', () => this.request({ type: 'copy', text: decodeText(bytes) }), 'btn btn-small') : undefined,
      size > 0 ? b.button('Open in editor', () => this.request({ type: 'wsOpenFrame', seq: f.seq }), 'btn btn-small', 'Open the whole frame in an editor') : undefined,
    );
    detail.appendChild(tools);
    if (size === 0) {
      detail.appendChild(b.el('p', 'muted', '(no payload)'));
      return;
    }
    if (bytes.length < size) detail.appendChild(b.el('p', 'muted', `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(size)}; Open in editor shows all of it.`));
    if (bytes.length > 0) {
      const body = b.el('div', 'chunk-body chunk-both');
      b.add(body, rawTextView(b, bytes, FRAME_TEXT_LIMIT), hexView(b, bytes, FRAME_HEX_LIMIT));
      detail.appendChild(body);
    }
  }
}
