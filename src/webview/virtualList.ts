/**
 * A virtual list of lines: a focusable scroll box whose content stands for every visible row (a spacer above
 * and below, SVG elements sized by their height attribute: no inline styles), with only the rows in view plus
 * a few either side built as elements. Lines come from a LineSource in chunks, kept in a bounded cache (the
 * chunks the view needs stay); a row whose line has not arrived shows a placeholder. Folding hides lines
 * (FoldMap maps rows to lines). Past a safe height (browsers cap an element's height, ~33.5 million px in
 * Chromium) the scroll position is scaled to rows. PageUp / PageDown / Home / End / arrows move by rows.
 */
import { SVG_NS, type Builder, type DomElement, type DomEvent } from './dom';
import { FoldMap } from './foldMap';
import type { LineData, LineSource } from './lineSource';

/** The scroll box as the list reads it (the browser's element; the unit tests' fake sets these). */
export interface ScrollBox extends DomElement {
  scrollTop: number;
  readonly clientHeight: number;
  focus(): void;
}

export interface VirtualListOptions {
  /** Pixels per row (the CSS gives rows this height). */
  rowHeight?: number;
  /** The tallest content before positions are scaled. */
  maxHeight?: number;
  /** Rows built beyond the view on each side. */
  overscan?: number;
  /** Lines per request. */
  chunk?: number;
  /** Lines kept in the cache (beyond the ones the view needs). */
  maxCachedLines?: number;
}

/** What a row shows: its line, the line's data once it came, whether it is collapsed. */
export interface RowContext {
  row: number;
  line: number;
  data?: LineData;
  collapsed: boolean;
  /** Collapses / expands this row's container (when the line opens one). */
  toggle(): void;
}

export const ROW_HEIGHT = 18;
export const MAX_SCROLL_HEIGHT = 10_000_000;

export class VirtualList {
  readonly el: ScrollBox;
  readonly folds = new FoldMap();
  private readonly above: DomElement;
  private readonly rowsEl: DomElement;
  private readonly below: DomElement;
  private readonly cache = new Map<number, LineData[]>();
  private readonly pending = new Set<number>();
  /** The first row in view (fractional while scrolled part-way in an unscaled list). */
  private topRow = 0;
  /** The scrollTop this list set last (its scroll event changes nothing). */
  private setTop = -1;
  private lastHeight = -1;
  /** Chunks the view needed at the last draw (never evicted). */
  private needed = new Set<number>();
  private readonly rowHeight: number;
  private readonly maxHeight: number;
  private readonly overscan: number;
  private readonly chunk: number;
  private readonly maxCachedLines: number;
  /** Requests made (tests check they stay bounded). */
  requests = 0;

  constructor(
    private readonly b: Builder,
    private readonly source: LineSource,
    lines: number,
    private readonly paint: (ctx: RowContext) => DomElement,
    opts: VirtualListOptions = {},
  ) {
    this.rowHeight = opts.rowHeight ?? ROW_HEIGHT;
    this.maxHeight = opts.maxHeight ?? MAX_SCROLL_HEIGHT;
    this.overscan = opts.overscan ?? 10;
    this.chunk = opts.chunk ?? 100;
    this.maxCachedLines = opts.maxCachedLines ?? 5000;
    this.folds.reset(lines);
    this.el = b.el('div', 'jv-scroll') as ScrollBox;
    this.el.setAttribute('tabindex', '0');
    this.el.setAttribute('role', 'list');
    this.el.setAttribute('aria-label', 'JSON body, one row per line');
    this.above = b.doc.createElementNS(SVG_NS, 'svg');
    this.below = b.doc.createElementNS(SVG_NS, 'svg');
    for (const s of [this.above, this.below]) {
      s.setAttribute('class', 'jv-spacer');
      s.setAttribute('width', '1');
      s.setAttribute('height', '0');
    }
    this.rowsEl = b.el('div', 'jv-rows');
    b.add(this.el, this.above, this.rowsEl, this.below);
    this.el.addEventListener('scroll', () => this.onScroll());
    this.el.addEventListener('keydown', (e) => this.onKey(e));
  }

  get rows(): number {
    return this.folds.rowCount;
  }

  private get viewHeight(): number {
    return Math.max(this.el.clientHeight || 0, this.rowHeight);
  }

  /** Rows that fit in the view. */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.viewHeight / this.rowHeight));
  }

  /** Whether positions are scaled (the rows would be taller than maxHeight). */
  get scaled(): boolean {
    return this.rows * this.rowHeight > this.maxHeight;
  }

  /** The height the content stands for. */
  get contentHeight(): number {
    return Math.min(this.rows * this.rowHeight, this.maxHeight);
  }

  private get maxScroll(): number {
    return Math.max(0, this.contentHeight - this.viewHeight);
  }

  private get maxTopRow(): number {
    return Math.max(0, this.rows - this.pageRows);
  }

  private scrollToRowPos(st: number): number {
    if (!this.scaled) return st / this.rowHeight;
    return this.maxScroll > 0 ? (st / this.maxScroll) * this.maxTopRow : 0;
  }

  private rowToScrollPos(row: number): number {
    if (!this.scaled) return row * this.rowHeight;
    return this.maxTopRow > 0 ? (row / this.maxTopRow) * this.maxScroll : 0;
  }

  /** The first row in view. */
  get firstRow(): number {
    return Math.floor(this.topRow);
  }

  private onScroll(): void {
    const st = this.el.scrollTop;
    if (Math.abs(st - this.setTop) >= 1) this.topRow = Math.min(this.maxTopRow, Math.max(0, this.scrollToRowPos(st)));
    this.setTop = -1;
    this.draw();
  }

  /** Scrolls so that `row` is the first in view (clamped). */
  scrollToRow(row: number): void {
    this.topRow = Math.min(this.maxTopRow, Math.max(0, row));
    const st = Math.round(this.rowToScrollPos(this.topRow));
    this.setTop = st;
    this.el.scrollTop = st;
    this.draw();
  }

  /** Shows `line` (expanding the folds that hide it) about a third down the view, unless it is in view already. */
  revealLine(line: number): void {
    this.keepTop(() => this.folds.reveal(line));
    const row = this.folds.lineToRow(line);
    if (row >= this.firstRow && row < this.firstRow + this.pageRows) this.draw();
    else this.scrollToRow(row - Math.floor(this.pageRows / 3));
  }

  /** Runs a change of the folds keeping the first line in view where it is. */
  private keepTop(change: () => unknown): void {
    const line = this.folds.rowToLine(this.firstRow);
    change();
    this.scrollToRow(this.folds.lineToRow(line));
  }

  toggle(open: number, close: number): void {
    this.keepTop(() => this.folds.toggle(open, close));
  }

  expandAll(): void {
    this.keepTop(() => this.folds.expandAll());
  }

  collapseMany(pairs: readonly number[]): void {
    this.keepTop(() => this.folds.collapseMany(pairs));
  }

  private onKey(e: DomEvent): void {
    const page = Math.max(1, this.pageRows - 1);
    const moves: Record<string, number> = { PageDown: page, PageUp: -page, ArrowDown: 1, ArrowUp: -1 };
    if (e.key === 'Home' || e.key === 'End') this.scrollToRow(e.key === 'Home' ? 0 : this.maxTopRow);
    else if (e.key !== undefined && moves[e.key] !== undefined) this.scrollToRow(this.firstRow + moves[e.key]);
    else return;
    e.preventDefault();
  }

  /** The page put the list back in the document (a redraw): its scroll position is restored. */
  attached(): void {
    this.scrollToRow(this.topRow);
  }

  /** Called a few times a second: redraws when the view's height changed (the panel was resized). */
  tick(): void {
    if (this.el.clientHeight !== this.lastHeight) this.draw();
  }

  /** The line data in the cache (undefined until it came). */
  lineData(line: number): LineData | undefined {
    const c = Math.floor(line / this.chunk);
    const chunk = this.cache.get(c);
    if (!chunk) return undefined;
    // Used: kept longer (the map's order is the eviction order).
    this.cache.delete(c);
    this.cache.set(c, chunk);
    return chunk[line - c * this.chunk];
  }

  /** Lines kept in the cache (tests). */
  get cachedLines(): number {
    let n = 0;
    for (const c of this.cache.values()) n += c.length;
    return n;
  }

  /** Builds the rows in view (and the overscan), asks for the lines missing. */
  draw(): void {
    this.lastHeight = this.el.clientHeight;
    const rows = this.rows;
    const first = Math.min(this.firstRow, Math.max(0, rows - 1));
    const from = Math.max(0, first - this.overscan);
    const to = Math.min(rows, first + this.pageRows + 1 + this.overscan);
    const h = this.rowHeight;
    let topPx = from * h;
    if (this.scaled) topPx = Math.max(0, Math.round(this.rowToScrollPos(this.topRow)) - (first - from) * h);
    const bottomPx = Math.max(0, this.contentHeight - topPx - (to - from) * h);
    this.above.setAttribute('height', String(topPx));
    this.below.setAttribute('height', String(bottomPx));
    this.rowsEl.textContent = '';
    const missing = new Set<number>();
    this.needed = new Set<number>();
    for (let r = from; r < to; r++) {
      const line = this.folds.rowToLine(r);
      const c = Math.floor(line / this.chunk);
      this.needed.add(c);
      if (!this.cache.has(c)) this.loadNow(c);
      const data = this.lineData(line);
      if (!data && !this.pending.has(c)) missing.add(c);
      const ctx: RowContext = {
        row: r,
        line,
        data,
        collapsed: this.folds.isCollapsed(line),
        toggle: () => data && data.close > line && this.toggle(line, data.close),
      };
      this.rowsEl.appendChild(this.paint(ctx));
    }
    this.evict();
    for (const c of missing) this.fetch(c);
  }

  /** A chunk the source has at hand (a small body in the page) goes straight to the cache. */
  private loadNow(c: number): void {
    const from = c * this.chunk;
    const lines = this.source.linesNow?.(from, Math.min(this.chunk, this.folds.lineCount - from));
    if (lines && lines.length > 0) this.cache.set(c, lines);
  }

  private fetch(c: number): void {
    this.pending.add(c);
    this.requests++;
    const from = c * this.chunk;
    const count = Math.min(this.chunk, this.folds.lineCount - from);
    void this.source.lines(from, count).then((lines) => {
      this.pending.delete(c);
      if (lines.length === 0) return;
      this.cache.set(c, lines);
      this.evict();
      if (this.needed.has(c)) this.draw();
    });
  }

  private evict(): void {
    for (const c of this.cache.keys()) {
      if (this.cache.size * this.chunk <= this.maxCachedLines) return;
      if (!this.needed.has(c)) this.cache.delete(c);
    }
  }
}
