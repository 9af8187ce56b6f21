/**
 * Where the JSON viewer's lines come from, behind one interface: a body the page has whole (formatted and
 * indexed here, in steps), or one the extension host keeps (asked for by messages, answered by id). The
 * viewer does not know which it has.
 */
import { base64ToBytes } from '../common/format';
import { innerBlocks, LineIndexer, LineSearcher, MAX_LINES_PER_REQUEST, readLines, runAll, runSteps, type LineIndex } from '../common/jsonLines';
import { prettyJsonAsync, prettyJsonBytes } from '../common/prettyJson';
import type { JsonViewerAnswer, JsonViewerRequest } from '../shared/bodyMessages';

/** One line: its bytes (at most MAX_LINE_BYTES), its full length, the line that closes what it opens (-1: none). */
export interface LineData {
  bytes: Uint8Array;
  full: number;
  close: number;
}

export type OpenResult =
  | { ok: true; lines: number; complete: boolean; prettyBytes: number }
  /** Not JSON (where, in words), or (notKept) the host no longer has the body. */
  | { ok: false; error: string; notKept?: boolean };

export interface SearchAnswer {
  lines: number[];
  more: boolean;
  /** A newer search (or another body) replaced it. */
  stopped?: boolean;
}

export interface LineSource {
  open(): Promise<OpenResult>;
  /** Lines from `from` (count at most MAX_LINES_PER_REQUEST); fewer at the end. */
  lines(from: number, count: number): Promise<LineData[]>;
  search(query: string, caseSensitive: boolean): Promise<SearchAnswer>;
  /** What "Collapse all" folds: [open, close] pairs flattened, and whether there were more. */
  folds(): Promise<{ pairs: number[]; more: boolean }>;
  /** The same at once, when the source has them at hand (a small body in the page), else undefined. */
  openNow?(): OpenResult | undefined;
  linesNow?(from: number, count: number): LineData[] | undefined;
}

/** Bodies up to this size are formatted and searched in the page in one go; bigger ones in steps with pauses. */
export const SYNC_BYTES = 2 * 1024 * 1024;

/** A body the page has whole: formatted and indexed in the page. */
export class LocalLineSource implements LineSource {
  private index?: Promise<LineIndex | { error: string }>;
  private complete = true;
  private searchGen = 0;

  constructor(private readonly utf8: Uint8Array) {}

  /** The index when it is built (at once for a body of up to SYNC_BYTES: its lines are drawn with the page). */
  private built?: LineIndex | { error: string };

  private build(): Promise<LineIndex | { error: string }> {
    this.index ??= (async () => {
      if (this.utf8.length <= SYNC_BYTES) return this.buildNow();
      const r = await prettyJsonAsync(this.utf8);
      if (!r.ok) return (this.built = { error: r.error });
      this.complete = r.complete;
      const indexer = new LineIndexer(r.pretty);
      await runSteps(indexer);
      return (this.built = indexer.result());
    })();
    return this.index;
  }

  private buildNow(): LineIndex | { error: string } {
    if (this.built) return this.built;
    const r = prettyJsonBytes(this.utf8);
    if (!r.ok) return (this.built = { error: r.error });
    this.complete = r.complete;
    const indexer = new LineIndexer(r.pretty);
    runAll(indexer);
    return (this.built = indexer.result());
  }

  private opened(idx: LineIndex | { error: string }): OpenResult {
    if ('error' in idx) return { ok: false, error: idx.error };
    return { ok: true, lines: idx.count, complete: this.complete, prettyBytes: idx.bytes.length };
  }

  private read(idx: LineIndex | { error: string }, from: number, count: number): LineData[] {
    if ('error' in idx) return [];
    const b = readLines(idx, from, Math.min(count, MAX_LINES_PER_REQUEST));
    return b.lines.map((bytes, i) => ({ bytes, full: b.full[i], close: b.closes[i] }));
  }

  openNow(): OpenResult | undefined {
    return this.utf8.length <= SYNC_BYTES ? this.opened(this.buildNow()) : undefined;
  }

  linesNow(from: number, count: number): LineData[] | undefined {
    return this.built ? this.read(this.built, from, count) : undefined;
  }

  async open(): Promise<OpenResult> {
    return this.opened(await this.build());
  }

  async lines(from: number, count: number): Promise<LineData[]> {
    return this.read(await this.build(), from, count);
  }

  async folds(): Promise<{ pairs: number[]; more: boolean }> {
    const idx = await this.build();
    return 'error' in idx ? { pairs: [], more: false } : innerBlocks(idx);
  }

  async search(query: string, caseSensitive: boolean): Promise<SearchAnswer> {
    const idx = await this.build();
    if ('error' in idx) return { lines: [], more: false };
    const gen = ++this.searchGen;
    const s = new LineSearcher(idx, query, caseSensitive);
    if (idx.bytes.length <= SYNC_BYTES) {
      runAll(s);
      return s.result();
    }
    const finished = await runSteps(s, { cancelled: () => gen !== this.searchGen });
    return finished ? s.result() : { lines: [], more: false, stopped: true };
  }
}

/** Requests of one page waiting for their answer, at most this many (an older one is answered empty). */
export const MAX_PENDING = 64;

type Pending = (a: JsonViewerAnswer | undefined) => void;

/** A body the extension host keeps: each call is a request with an id, answered by a message. */
export class RemoteLineSource implements LineSource {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly key: string,
    private readonly post: (m: JsonViewerRequest) => void,
  ) {}

  private ask(m: JsonViewerRequest): Promise<JsonViewerAnswer | undefined> {
    return new Promise((resolve) => {
      if (this.pending.size >= MAX_PENDING) {
        const [oldest, answer] = this.pending.entries().next().value as [number, Pending];
        this.pending.delete(oldest);
        answer(undefined);
      }
      this.pending.set(m.id, resolve);
      this.post(m);
    });
  }

  /** An answer from the host (already checked by the page's guard); false when it is not for this source. */
  take(a: JsonViewerAnswer): boolean {
    if (a.key !== this.key) return false;
    const p = this.pending.get(a.id);
    if (!p) return false;
    this.pending.delete(a.id);
    p(a);
    return true;
  }

  /** Drops every request still waiting (the page shows something else). */
  close(): void {
    for (const p of this.pending.values()) p(undefined);
    this.pending.clear();
  }

  async open(): Promise<OpenResult> {
    const a = await this.ask({ type: 'jsonOpen', id: this.nextId++, key: this.key });
    if (a?.type !== 'jsonReady') return { ok: false, error: 'no answer from the extension', notKept: true };
    return a.ok ? { ok: true, lines: a.lines, complete: a.complete, prettyBytes: a.prettyBytes } : { ok: false, error: a.error, notKept: a.notKept };
  }

  async lines(from: number, count: number): Promise<LineData[]> {
    const a = await this.ask({ type: 'jsonLines', id: this.nextId++, key: this.key, from, count: Math.min(count, MAX_LINES_PER_REQUEST) });
    if (a?.type !== 'jsonLinesData' || a.from !== from) return [];
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(a.base64);
    } catch {
      return [];
    }
    const total = a.lengths.reduce((s, n) => s + n, 0);
    if (total !== bytes.length) return [];
    const out: LineData[] = [];
    let at = 0;
    for (let i = 0; i < a.lengths.length; i++) {
      out.push({ bytes: bytes.subarray(at, at + a.lengths[i]), full: a.full[i], close: a.closes[i] });
      at += a.lengths[i];
    }
    return out;
  }

  async folds(): Promise<{ pairs: number[]; more: boolean }> {
    const a = await this.ask({ type: 'jsonFolds', id: this.nextId++, key: this.key });
    return a?.type === 'jsonFoldsData' ? { pairs: a.pairs, more: a.more } : { pairs: [], more: false };
  }

  async search(query: string, caseSensitive: boolean): Promise<SearchAnswer> {
    const a = await this.ask({ type: 'jsonSearch', id: this.nextId++, key: this.key, query, caseSensitive });
    if (a?.type !== 'jsonFound') return { lines: [], more: false, stopped: true };
    return { lines: a.lines, more: a.more, stopped: a.stopped };
  }
}
