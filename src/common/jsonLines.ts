/**
 * Pretty JSON as lines, for a viewer that shows any part of a body of up to 50 MB without holding it as text:
 * a line index over the pretty bytes (line start offsets, and for each line that opens a `{` / `[` closed on a
 * later line, the index of that closing line), lines read back as bytes (each one capped), and a line search.
 * Every pass works in steps of a bounded number of bytes (the extension host yields between them, see
 * runSteps), never one synchronous pass over the whole body. Pure: no imports, runs in Node and in a page.
 *
 * A pretty line (src/common/prettyJson.ts) opens a container iff it ends with `{` or `[`, and closes one iff
 * it starts, after its indentation, with `}` or `]` (a string ends with a quote and a number or literal with
 * its last character, so neither is mistaken for a bracket). Brackets are paired with a stack; a close that
 * does not match the open on top (bytes that are not the re-indenter's output) pairs nothing.
 */

/** The most lines one request reads, and the most bytes of one line it carries (the rest is counted, not sent). */
export const MAX_LINES_PER_REQUEST = 1000;
export const MAX_LINE_BYTES = 4096;
/** The most matching lines a search returns (it says when there are more), and the longest query. */
export const MAX_MATCHES = 10_000;
export const MAX_QUERY_CHARS = 1000;
/** The most containers "Collapse all" folds (it says when there were more). */
export const MAX_FOLDS = 50_000;
/** Bytes per step of the formatting, the indexer and the search (a few milliseconds of work each). */
export const DEFAULT_STEP_BYTES = 256 * 1024;

export interface LineIndex {
  /** The pretty bytes. */
  readonly bytes: Uint8Array;
  readonly count: number;
  /** Line i is bytes [starts[i], starts[i + 1] - 1); starts[count] is bytes.length + 1 (the last line has no LF). */
  readonly starts: Uint32Array;
  /** The index of the line that closes the container line i opens, else -1. */
  readonly closes: Int32Array;
}

/** A piece of work done in steps: step(budget) does about `budget` bytes of it and says whether it is finished. */
export interface Stepper {
  step(budget: number): boolean;
  /** Bytes looked at by the last step. */
  readonly lastStep: number;
}

const LF = 0x0a;
const isOpen = (c: number) => c === 0x7b || c === 0x5b;
const isClose = (c: number) => c === 0x7d || c === 0x5d;

export class LineIndexer implements Stepper {
  private pos = 0;
  private lineStart = 0;
  private n = 0;
  private starts = new Uint32Array(1024);
  private closes = new Int32Array(1024).fill(-1);
  /** Lines whose container is still open, and their bracket. */
  private readonly stack: number[] = [];
  private readonly brackets: number[] = [];
  lastStep = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos > this.bytes.length;
  }

  private grow(): void {
    const starts = new Uint32Array(this.starts.length * 2);
    starts.set(this.starts);
    const closes = new Int32Array(this.closes.length * 2).fill(-1);
    closes.set(this.closes);
    this.starts = starts;
    this.closes = closes;
  }

  /** The line [lineStart, end) ended: record it and pair its brackets. */
  private endLine(end: number): void {
    const s = this.bytes;
    const i = this.n;
    if (i + 2 > this.starts.length) this.grow();
    this.starts[i] = this.lineStart;
    let first = this.lineStart;
    while (first < end && s[first] === 0x20) first++;
    if (first < end && isClose(s[first]) && this.stack.length > 0) {
      const top = this.brackets[this.brackets.length - 1];
      if ((top === 0x7b) === (s[first] === 0x7d)) {
        this.closes[this.stack.pop() as number] = i;
        this.brackets.pop();
      }
    }
    if (end > first && isOpen(s[end - 1])) {
      this.stack.push(i);
      this.brackets.push(s[end - 1]);
    }
    this.n++;
    this.lineStart = end + 1;
  }

  step(budget: number): boolean {
    const s = this.bytes;
    if (this.done) {
      this.lastStep = 0;
      return true;
    }
    const from = this.pos;
    const limit = Math.min(s.length, from + Math.max(1, budget));
    // A window of this step's bytes: indexOf never looks past it (a body with no LF is not scanned again each step).
    const win = s.subarray(from, limit);
    for (let k = win.indexOf(LF); k >= 0; k = win.indexOf(LF, k + 1)) this.endLine(from + k);
    this.pos = limit;
    if (limit === s.length) {
      this.endLine(s.length);
      this.pos = s.length + 1;
    }
    this.lastStep = limit - from;
    return this.done;
  }

  result(): LineIndex {
    const starts = this.starts.subarray(0, this.n + 1);
    starts[this.n] = this.bytes.length + 1;
    return { bytes: this.bytes, count: this.n, starts, closes: this.closes.subarray(0, this.n) };
  }
}

/** Lines i from `from` on, each its bytes (at most maxLineBytes), its full length, and its closing line. */
export interface LineBatch {
  from: number;
  lines: Uint8Array[];
  /** The full length of each line in bytes (more than lines[i].length when it was cut). */
  full: number[];
  closes: number[];
}

export function lineEnd(index: LineIndex, i: number): number {
  return index.starts[i + 1] - 1;
}

/** Reads up to `count` (at most MAX_LINES_PER_REQUEST) lines from `from` (clamped to the index). */
export function readLines(index: LineIndex, from: number, count: number, maxLineBytes = MAX_LINE_BYTES): LineBatch {
  const a = Math.max(0, Math.min(Math.floor(from), index.count));
  const b = Math.min(index.count, a + Math.max(0, Math.min(Math.floor(count), MAX_LINES_PER_REQUEST)));
  const out: LineBatch = { from: a, lines: [], full: [], closes: [] };
  for (let i = a; i < b; i++) {
    const start = index.starts[i];
    const len = lineEnd(index, i) - start;
    let cut = Math.min(len, maxLineBytes);
    // A cut line ends before a UTF-8 sequence the cut would split (the rest is counted, not shown).
    for (let k = 0; cut < len && k < 3 && cut > 0 && (index.bytes[start + cut] & 0xc0) === 0x80; k++) cut--;
    out.lines.push(index.bytes.subarray(start, start + cut));
    out.full.push(len);
    out.closes.push(index.closes[i]);
  }
  return out;
}

export interface SearchResult {
  /** Matching lines, ascending, at most MAX_MATCHES. */
  lines: number[];
  /** There are more matches after the last one returned. */
  more: boolean;
}

/**
 * The lines that contain `query` (no match spans two lines: a line has no LF), case-sensitive or not, in steps:
 * each step decodes about `budget` bytes of whole lines as UTF-8 (a longer line in pieces that overlap by the
 * query's length) and looks for the query in that text.
 */
export class LineSearcher implements Stepper {
  private line = 0;
  /** Where in the current line the next piece starts (a line longer than a step is searched in pieces). */
  private offset = 0;
  private readonly found: number[] = [];
  private more = false;
  private readonly q: string;
  private readonly decoder = new TextDecoder('utf-8');
  lastStep = 0;

  constructor(
    private readonly index: LineIndex,
    query: string,
    private readonly caseSensitive: boolean,
    private readonly max = MAX_MATCHES,
  ) {
    const q = query.length > MAX_QUERY_CHARS || /[\r\n]/.test(query) ? '' : query;
    this.q = caseSensitive ? q : q.toLowerCase();
    if (!this.q) this.line = index.count;
  }

  get done(): boolean {
    return this.line >= this.index.count || this.more;
  }

  private fold(text: string): string {
    return this.caseSensitive ? text : text.toLowerCase();
  }

  private record(line: number): void {
    if (this.found.length >= this.max) this.more = true;
    else this.found.push(line);
  }

  step(budget: number): boolean {
    const { index } = this;
    // A piece of a long line overlaps the next by the query's length (4 bytes a character at most).
    budget = Math.max(budget, 8 * this.q.length, 16);
    this.lastStep = 0;
    if (this.done) return true;
    const start = index.starts[this.line] + this.offset;
    const end = lineEnd(index, this.line);
    if (end - start > budget) {
      // A long line: one piece, overlapping the next by the query's length (a match across the cut is found next time).
      const text = this.fold(this.decoder.decode(index.bytes.subarray(start, start + budget)));
      this.lastStep = budget;
      if (text.includes(this.q)) {
        this.record(this.line);
        this.nextLine();
      } else {
        this.offset += Math.max(1, budget - 4 * this.q.length);
      }
      return this.done;
    }
    // Whole lines, as many as fit in the budget (at least the rest of this one).
    let last = this.line;
    while (last + 1 < index.count && lineEnd(index, last + 1) - start <= budget) last++;
    const chunkEnd = lineEnd(index, last);
    const text = this.fold(this.decoder.decode(index.bytes.subarray(start, chunkEnd)));
    this.lastStep = chunkEnd - start;
    let line = this.line;
    let scanned = 0;
    let at = text.indexOf(this.q);
    while (at >= 0 && !this.more) {
      for (let nl = text.indexOf('\n', scanned); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) line++;
      this.record(line);
      const next = text.indexOf('\n', at);
      if (next < 0) break;
      line++;
      scanned = next + 1;
      at = text.indexOf(this.q, scanned);
    }
    this.line = last;
    this.nextLine();
    return this.done;
  }

  private nextLine(): void {
    this.line++;
    this.offset = 0;
  }

  result(): SearchResult {
    return { lines: this.found.slice(), more: this.more };
  }
}

/**
 * What "Collapse all" folds: the containers inside the outermost one that span lines, in order (an inner one
 * stays collapsed when its outer one is expanded), as [open, close] pairs flattened, at most `max` of them.
 */
export function innerBlocks(index: LineIndex, max = MAX_FOLDS): { pairs: number[]; more: boolean } {
  const pairs: number[] = [];
  const end = index.count > 0 ? index.closes[0] : -1;
  for (let i = 1; i < end; i++) {
    if (index.closes[i] <= i) continue;
    if (pairs.length >= 2 * max) return { pairs, more: true };
    pairs.push(i, index.closes[i]);
  }
  return { pairs, more: false };
}

export interface StepOptions {
  /** Bytes per step (default DEFAULT_STEP_BYTES). */
  budget?: number;
  /** Between steps (default: the next turn of the event loop). */
  pause?: () => Promise<void>;
  /** Checked between steps: stops early (the result is then partial). */
  cancelled?: () => boolean;
  /** Told each step's size in bytes (tests check the bound). */
  onStep?: (bytes: number) => void;
}

/** The next turn of the event loop (setImmediate in Node, a zero timeout in a page). */
export const nextTurn = (): Promise<void> => {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
};

/** Runs a stepper to its end, yielding between steps; false when it was cancelled. */
export async function runSteps(s: Stepper, opts: StepOptions = {}): Promise<boolean> {
  const budget = Math.max(1024, opts.budget ?? DEFAULT_STEP_BYTES);
  const pause = opts.pause ?? nextTurn;
  for (;;) {
    const finished = s.step(budget);
    opts.onStep?.(s.lastStep);
    if (finished) return true;
    if (opts.cancelled?.()) return false;
    await pause();
  }
}

/** Runs a stepper to its end in one go (a bounded body in the page). */
export function runAll(s: Stepper, budget = DEFAULT_STEP_BYTES): void {
  while (!s.step(budget));
}
