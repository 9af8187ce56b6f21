/**
 * The JSON viewer of the Body tab: every JSON body, whatever its size, as pretty lines in a virtual list with
 * line numbers, folding (a toggle in the gutter of each line that opens a container; collapsed it shows
 * `{ … }` and how many lines it hides) and search (the lines that contain the text, "n of N", the current one
 * scrolled into view, expanding a fold that hides it). Its lines come from a LineSource: the page's own bytes
 * for a body it has whole, the extension host's for a bigger one. Text nodes only.
 */
import { formatBytes, visualizeRaw } from '../common/format';
import { MAX_FOLDS, MAX_MATCHES } from '../common/jsonLines';
import { rawSegment } from './bodyViews';
import type { Builder, DomElement, DomEvent, DomField } from './dom';
import { LocalLineSource, type LineSource, type OpenResult } from './lineSource';
import { lineTokens } from './jsonTokens';
import { VirtualList, type RowContext, type VirtualListOptions } from './virtualList';

export interface JsonViewerOptions extends VirtualListOptions {
  /** What to show when the body is not shown as pretty lines (not JSON, or no longer kept): the page's own view of it. */
  fallback(r: Extract<OpenResult, { ok: false }>): DomElement[];
  /** The body's size, for the "formatting" line. */
  total: number;
  /** The start of the body the page has (UTF-8): shown instead when the host no longer keeps the whole body. */
  preview?: Uint8Array;
}

export class JsonViewer {
  readonly el: DomElement;
  private list?: VirtualList;
  private status?: DomElement;
  private input?: DomField;
  private caseSensitive = false;
  private query = '';
  private matches: number[] = [];
  private matchSet = new Set<number>();
  private more = false;
  private current = -1;
  private searching = 0;
  /** Notices above the list. */
  private readonly notes: DomElement[] = [];
  /** Resolves once the body is shown (tests). */
  readonly ready: Promise<void>;

  constructor(
    private readonly b: Builder,
    private source: LineSource,
    private readonly opts: JsonViewerOptions,
  ) {
    this.el = b.el('div', 'jv');
    this.el.appendChild(b.el('p', 'muted jv-loading', `Formatting ${formatBytes(opts.total)} of JSON…`));
    const now = source.openNow?.();
    this.ready = now ? Promise.resolve(this.opened(now)) : source.open().then((r) => this.opened(r));
  }

  get listView(): VirtualList | undefined {
    return this.list;
  }

  private opened(r: OpenResult): void | Promise<void> {
    const { b } = this;
    this.el.textContent = '';
    if (!r.ok && r.notKept && this.opts.preview) {
      // The host no longer has the body (a window reload): the part the page has, said so.
      const { preview } = this.opts;
      this.opts.preview = undefined;
      this.source = new LocalLineSource(preview);
      this.notes.push(b.el('div', 'notice notice-info', `${r.error} Showing the first ${formatBytes(preview.length)}.`));
      return this.source.open().then((again) => this.opened(again));
    }
    for (const n of this.notes) this.el.appendChild(n);
    if (!r.ok) {
      for (const e of this.opts.fallback(r)) this.el.appendChild(e);
      return;
    }
    if (!r.complete) this.el.appendChild(b.el('div', 'notice notice-info', 'The JSON ends early (the body was cut): indented as far as it goes.'));
    this.list = new VirtualList(b, this.source, r.lines, (ctx) => this.row(ctx), this.opts);
    b.add(this.el, this.searchBar(r.lines), this.list.el);
    this.list.draw();
  }

  private searchBar(lines: number): DomElement {
    const { b } = this;
    const bar = b.el('div', 'toolbar jv-bar');
    const input = b.field('input', 'jv-search', 'Search the body (Enter: next, Shift+Enter: previous)');
    input.setAttribute('aria-label', 'Search the body');
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (input.value !== this.query) void this.search(input.value);
      else this.step(e.shiftKey ? -1 : 1);
    });
    const cs = b.button('Aa', () => {
      this.caseSensitive = !this.caseSensitive;
      cs.setAttribute('aria-pressed', String(this.caseSensitive));
      cs.setAttribute('class', this.caseSensitive ? 'btn jv-case active' : 'btn jv-case');
      if (this.query) void this.search(this.query, true);
    }, 'btn jv-case', 'Match case');
    cs.setAttribute('aria-pressed', 'false');
    this.input = input;
    this.status = b.el('span', 'muted jv-status', '');
    b.add(
      bar,
      input,
      cs,
      b.button('↑', () => this.step(-1), 'btn', 'Previous match (Shift+Enter, Shift+F3)'),
      b.button('↓', () => this.step(1), 'btn', 'Next match (Enter, F3)'),
      this.status,
      b.el('span', 'spacer'),
      b.button('Collapse all', () => void this.collapseAll(), 'btn', `Collapse every block inside the outermost one (the first ${MAX_FOLDS.toLocaleString('en-US')})`),
      b.button('Expand all', () => this.list?.expandAll(), 'btn', 'Expand every collapsed block'),
      b.el('span', 'muted', `${lines.toLocaleString('en-US')} lines`),
    );
    return bar;
  }

  /** Searches the body; the first match at or after the first line in view becomes the current one. */
  async search(query: string, again = false): Promise<void> {
    if (!this.list || (query === this.query && !again)) return;
    this.query = query;
    const gen = ++this.searching;
    this.matches = [];
    this.matchSet = new Set();
    this.current = -1;
    if (!query) {
      this.setStatus('');
      this.list.draw();
      return;
    }
    this.setStatus('Searching…');
    const r = await this.source.search(query, this.caseSensitive);
    if (gen !== this.searching || r.stopped) return;
    this.matches = r.lines;
    this.matchSet = new Set(r.lines);
    this.more = r.more;
    const top = this.list.folds.rowToLine(this.list.firstRow);
    const at = this.matches.findIndex((l) => l >= top);
    this.goTo(this.matches.length === 0 ? -1 : at < 0 ? 0 : at);
  }

  /** Collapses the blocks inside the outermost one (bounded: it says when it folded only the first ones). */
  async collapseAll(): Promise<void> {
    const r = await this.source.folds();
    this.list?.collapseMany(r.pairs);
    if (r.more) this.setStatus(`Collapsed the first ${MAX_FOLDS.toLocaleString('en-US')} blocks`);
  }

  /** The next (1) or previous (-1) match, round the ends. */
  step(dir: 1 | -1): void {
    const n = this.matches.length;
    if (n === 0) return;
    this.goTo((((this.current + dir) % n) + n) % n);
  }

  private goTo(i: number): void {
    this.current = i;
    const n = this.matches.length;
    if (i < 0 || !this.list) {
      this.setStatus(this.query ? 'No results' : '');
      this.list?.draw();
      return;
    }
    this.setStatus(`${(i + 1).toLocaleString('en-US')} of ${this.more ? `the first ${MAX_MATCHES.toLocaleString('en-US')}+` : n.toLocaleString('en-US')}`);
    this.list.revealLine(this.matches[i]);
  }

  private setStatus(text: string): void {
    if (this.status) this.status.textContent = text;
  }

  /** The current match's line (-1: none). */
  get currentLine(): number {
    return this.current >= 0 ? this.matches[this.current] : -1;
  }

  get statusText(): string {
    return this.status?.textContent ?? '';
  }

  /** Keys for the whole page: Ctrl+F to the search box, F3 / Shift+F3 to the next / previous match. True when taken. */
  key(e: DomEvent): boolean {
    if (!this.list) return false;
    if ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F')) {
      this.input?.focus();
      e.preventDefault();
      return true;
    }
    if (e.key === 'F3') {
      this.step(e.shiftKey ? -1 : 1);
      e.preventDefault();
      return true;
    }
    return false;
  }

  attached(): void {
    this.list?.attached();
  }

  tick(): void {
    this.list?.tick();
  }

  private row(ctx: RowContext): DomElement {
    const { b } = this;
    const { line, data } = ctx;
    const cls = ['jv-row'];
    if (this.matchSet.has(line)) cls.push(line === this.currentLine ? 'jv-current' : 'jv-match');
    const row = b.el('div', cls.join(' '));
    row.setAttribute('role', 'listitem');
    b.add(row, b.el('span', 'jv-num', String(line + 1)));
    const opens = !!data && data.close > line;
    if (opens) {
      const t = b.button(ctx.collapsed ? '▸' : '▾', () => ctx.toggle(), 'jv-fold', ctx.collapsed ? 'Expand' : 'Collapse');
      t.setAttribute('aria-label', ctx.collapsed ? `Expand lines ${line + 2}–${data.close + 1}` : `Collapse lines ${line + 2}–${data.close + 1}`);
      row.appendChild(t);
    } else row.appendChild(b.el('span', 'jv-fold-none'));
    const text = b.el('span', 'jv-text');
    row.appendChild(text);
    if (!data) {
      text.appendChild(b.el('span', 'jv-placeholder', '…'));
      return row;
    }
    this.lineText(text, data.bytes, this.matchSet.has(line));
    if (data.full > data.bytes.length) text.appendChild(b.el('span', 'muted jv-cut', ` … ${formatBytes(data.full - data.bytes.length)} more on this line`));
    if (opens && ctx.collapsed && data) {
      const close = data.bytes[data.bytes.length - 1] === 0x7b ? '}' : ']';
      b.add(text, b.el('span', 'jv-ellipsis', ' … '), b.el('span', 'tok-punct', close), b.el('span', 'muted jv-hidden', `  ${(data.close - line).toLocaleString('en-US')} lines`));
    }
    return row;
  }

  /** A line's bytes: coloured JSON tokens when it is plain UTF-8 text; else its segments, controls and bad bytes marked. */
  private lineText(into: DomElement, bytes: Uint8Array, match: boolean): void {
    const { b } = this;
    const segs = visualizeRaw(bytes)[0] ?? [];
    if (segs.every((s) => s.kind === 'text')) {
      const text = segs.map((s) => s.text).join('');
      const hits = match ? hitRanges(text, this.query, this.caseSensitive) : [];
      let at = 0;
      for (const t of lineTokens(text)) {
        const el = t.kind === 'plain' ? into : b.el('span', `tok-${t.kind}`);
        if (el !== into) into.appendChild(el);
        // The token's text, the parts inside a search hit marked.
        let i = 0;
        for (const [from, to] of hits) {
          const a = Math.max(from - at, i);
          const z = Math.min(to - at, t.text.length);
          if (z <= a) continue;
          if (a > i) el.appendChild(b.text(t.text.slice(i, a)));
          el.appendChild(b.el('span', 'jv-hit', t.text.slice(a, z)));
          i = z;
        }
        if (i < t.text.length) el.appendChild(b.text(t.text.slice(i)));
        at += t.text.length;
      }
      return;
    }
    for (const line of visualizeRaw(bytes)) for (const s of line) into.appendChild(rawSegment(b, s));
  }
}

/** Where `query` occurs in `text` (at most 100 ranges; none when case folding changes the length). */
export function hitRanges(text: string, query: string, caseSensitive: boolean): Array<[number, number]> {
  if (!query) return [];
  const t = caseSensitive ? text : text.toLowerCase();
  const q = caseSensitive ? query : query.toLowerCase();
  if (t.length !== text.length) return [];
  const out: Array<[number, number]> = [];
  for (let i = t.indexOf(q); i >= 0 && out.length < 100; i = t.indexOf(q, i + q.length)) out.push([i, i + q.length]);
  return out;
}
