/**
 * JSON pretty-printing that scales: a re-indenter that walks the UTF-8 bytes once, checks the grammar as it
 * goes, and copies every string and number byte for byte (no JSON.parse round trip and no JavaScript strings:
 * big integers, duplicate keys, key order and invalid UTF-8 inside strings survive, and the output is bytes
 * ready for the editor). It works in steps of a bounded number of bytes, so the extension host formats a 50 MB
 * body in slices and yields between them (prettyJsonAsync), and a cut preview is indented as far as it goes
 * (the result says it is incomplete, not wrong). JSON is UTF-8 (RFC 8259): every structural byte is ASCII and
 * no byte of a multi-byte sequence is a quote or a backslash, so working on bytes is exact.
 */

/**
 * Deeper levels are indented as this one: indentation grows with depth, so a hostile `[[[[…` would otherwise
 * make the output quadratic in the input.
 */
export const MAX_INDENT_DEPTH = 64;

/** The widest container kept on one line, in bytes. */
export const DEFAULT_INLINE_WIDTH = 100;

export type PrettyJsonResult<T = Uint8Array> =
  /** `complete` is false when the body stopped inside a value (a cut preview). */
  | { ok: true; pretty: T; complete: boolean }
  /** Not JSON: where and why, in words. */
  | { ok: false; error: string };

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done';

/** The start of a literal or a number. */
const PARTIAL = /^(?:-?\d*(?:\.\d*)?(?:[eE][+-]?\d*)?|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)$/;
const LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function isLiteralByte(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e || c === 0x2b || c === 0x2d;
}

/** A word of at most LONGEST bytes, as ASCII. */
const LONGEST = 400;
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, from + LONGEST)));
const shown = (c: number | undefined) => (c === undefined ? 'the end' : c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`);

/** One pass over a JSON body; step() does at most about `budget` bytes of it (a string is never split). */
export class JsonReindenter {
  private i = 0;
  private expect: Expect = 'value';
  private readonly stack: number[] = [];
  private out: Uint8Array;
  private o = 0;
  private readonly pads: Uint8Array[];
  private failure?: string;
  /** A container was just opened: the next token decides between `{}` and a new line. */
  private opened = false;
  /** The body ended inside a string or a word (a cut preview). */
  private cutShort = false;

  /** Input index of the close of the container being written on one line (-1: none). */
  private inlineUntil = -1;
  /** Extra bytes looked at by the one-line checks in this step (they count against its budget). */
  private scanned = 0;

  /**
   * `inlineWidth`: a container whose one-line form is at most this many bytes stays on one line
   * (`"tags": ["a", "b"]`, a short record), so pretty JSON has far fewer lines: VS Code turns folding and
   * colours off past 300,000 lines. 0 puts every value on its own line, as JSON.stringify(v, null, 2).
   */
  constructor(
    private readonly s: Uint8Array,
    private readonly indent = '  ',
    private readonly inlineWidth = DEFAULT_INLINE_WIDTH,
  ) {
    if (s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf) this.i = 3;
    this.out = new Uint8Array(Math.max(1024, Math.ceil(s.length * 1.6)));
    this.pads = [Uint8Array.of(0x0a)];
  }

  get done(): boolean {
    return this.failure !== undefined || this.i >= this.s.length;
  }

  /** How far it has got, in bytes of the input. */
  get position(): number {
    return this.i;
  }

  private room(n: number): void {
    if (this.o + n <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(this.out.length * 2, this.o + n));
    bigger.set(this.out.subarray(0, this.o));
    this.out = bigger;
  }

  private put(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.out.set(bytes, this.o);
    this.o += bytes.length;
  }

  private putByte(c: number): void {
    this.room(1);
    this.out[this.o++] = c;
  }

  private pad(depth: number, afterComma = false): void {
    if (this.i <= this.inlineUntil) {
      if (afterComma) this.putByte(0x20);
      return;
    }
    depth = Math.min(depth, MAX_INDENT_DEPTH);
    while (this.pads.length <= depth) {
      const prev = this.pads[this.pads.length - 1];
      const next = new Uint8Array(prev.length + this.indent.length);
      next.set(prev);
      for (let k = 0; k < this.indent.length; k++) next[prev.length + k] = this.indent.charCodeAt(k);
      this.pads.push(next);
    }
    this.put(this.pads[depth]);
  }

  private fail(why: string): void {
    this.failure = `not JSON at byte ${this.i + 1}: ${why}`;
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? 'done' : 'commaOrEnd';
  }

  /** Before the first token in a container: its new line. */
  private openLine(): void {
    if (this.opened) {
      this.pad(this.stack.length);
      this.opened = false;
    }
  }

  /** Works through about `budget` bytes; returns whether the body is finished (or failed). */
  step(budget: number): boolean {
    const s = this.s;
    const start = this.i;
    this.scanned = 0;
    while (this.i < s.length && this.i - start + this.scanned < budget && this.failure === undefined) {
      const c = s[this.i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.i++;
        continue;
      }
      const e = this.expect;
      if (e === 'done') {
        this.fail('text after the end of the JSON value');
      } else if (e === 'colon') {
        if (c !== 0x3a) this.fail(`expected ':' after a key, found ${shown(c)}`);
        else {
          this.putByte(0x3a);
          this.putByte(0x20);
          this.expect = 'value';
          this.i++;
        }
      } else if (e === 'commaOrEnd') {
        if (c === 0x2c) {
          this.putByte(0x2c);
          this.pad(this.stack.length, true);
          this.expect = this.stack[this.stack.length - 1] === 0x7b ? 'key' : 'value';
          this.i++;
        } else this.close(c);
      } else if ((e === 'keyOrEnd' || e === 'valueOrEnd') && (c === 0x7d || c === 0x5d)) {
        this.close(c);
      } else if (c === 0x22) {
        this.openLine();
        this.string();
        if (e === 'key' || e === 'keyOrEnd') this.expect = 'colon';
        else this.afterValue();
      } else if (e === 'key' || e === 'keyOrEnd') {
        this.fail(`expected a key in quotes, found ${shown(c)}`);
      } else if (c === 0x7b || c === 0x5b) {
        this.openLine();
        if (this.i > this.inlineUntil && this.inlineWidth > 0) this.inlineUntil = this.oneLineEnd();
        this.putByte(c);
        this.stack.push(c);
        this.expect = c === 0x7b ? 'keyOrEnd' : 'valueOrEnd';
        this.opened = true;
        this.i++;
      } else {
        this.openLine();
        this.literal();
        if (this.failure === undefined) this.afterValue();
      }
    }
    return this.done;
  }

  /**
   * The index of the close of the container opening at i when its one-line form fits in inlineWidth
   * bytes, else -1. Looks at no more than about inlineWidth bytes (whitespace aside), counted as work.
   */
  private oneLineEnd(): number {
    const s = this.s;
    let depth = 0;
    let width = 0;
    let j = this.i;
    const limit = Math.min(s.length, this.i + 4 * this.inlineWidth);
    for (; j < limit && width <= this.inlineWidth; j++) {
      const c = s[j];
      if (c === 0x22) {
        // A string: to its closing quote, within the width.
        let k = j + 1;
        for (; k < limit; k++) {
          if (s[k] === 0x5c) k++;
          else if (s[k] === 0x22) break;
        }
        width += k - j + 1;
        j = k;
      } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        continue;
      } else {
        width += c === 0x2c || c === 0x3a ? 2 : 1;
        if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) break;
        }
      }
    }
    this.scanned += j - this.i;
    return depth === 0 && j < limit && width <= this.inlineWidth ? j : -1;
  }

  private close(c: number): void {
    const open = this.stack[this.stack.length - 1];
    if ((c !== 0x7d && c !== 0x5d) || open === undefined || (c === 0x7d) !== (open === 0x7b)) {
      this.fail(open === undefined ? `unexpected ${shown(c)}` : `expected ',' or '${open === 0x7b ? '}' : ']'}', found ${shown(c)}`);
      return;
    }
    this.stack.pop();
    if (!this.opened) this.pad(this.stack.length);
    this.putByte(c);
    this.opened = false;
    this.i++;
    this.afterValue();
  }

  /** A string copied as it is; one cut off by the end of the body is copied too (the result is incomplete). */
  private string(): void {
    const s = this.s;
    let j = this.i + 1;
    for (;;) {
      const k = s.indexOf(0x22, j);
      if (k < 0) {
        this.put(s.subarray(this.i));
        this.i = s.length;
        this.cutShort = true;
        return;
      }
      let backslashes = 0;
      while (s[k - 1 - backslashes] === 0x5c) backslashes++;
      if (backslashes % 2 === 0) {
        this.put(s.subarray(this.i, k + 1));
        this.i = k + 1;
        return;
      }
      j = k + 1;
    }
  }

  private literal(): void {
    const s = this.s;
    const from = this.i;
    let j = from;
    let digits = true;
    while (j < s.length && isLiteralByte(s[j])) {
      if (!isDigit(s[j])) digits = false;
      j++;
    }
    if (j === from) {
      this.fail(`unexpected ${shown(s[from])}`);
      return;
    }
    // Plain digits without a leading zero (most numbers) need no regular expression.
    if (!digits || (s[from] === 0x30 && j > from + 1)) {
      const word = ascii(s, from, j);
      if (j - from > LONGEST || !LITERAL.test(word)) {
        // A word the end of the body cut short (`tr`, `12e`) makes the result incomplete, not wrong.
        if (j === s.length && j - from <= LONGEST && PARTIAL.test(word)) this.cutShort = true;
        else {
          this.fail(`${JSON.stringify(word.length > 24 ? `${word.slice(0, 24)}…` : word)} is not a JSON value`);
          return;
        }
      }
    }
    this.put(s.subarray(from, j));
    this.i = j;
  }

  /** The result once step() said done. */
  result(): PrettyJsonResult {
    if (this.failure !== undefined) return { ok: false, error: this.failure };
    if (this.expect === 'value' && this.stack.length === 0) return { ok: false, error: 'not JSON: the body is empty' };
    return { ok: true, pretty: this.out.subarray(0, this.o), complete: !this.cutShort && this.expect === 'done' };
  }
}

/** Pretty JSON in one go (for bodies of a bounded size, such as a panel's preview). */
export function prettyJsonBytes(bytes: Uint8Array, indent = '  ', inlineWidth = DEFAULT_INLINE_WIDTH): PrettyJsonResult {
  const r = new JsonReindenter(bytes, indent, inlineWidth);
  while (!r.step(1 << 20));
  return r.result();
}

/** The same for a text (encoded as UTF-8 and back). */
export function prettyJsonText(text: string, indent = '  ', inlineWidth = DEFAULT_INLINE_WIDTH): PrettyJsonResult<string> {
  const r = prettyJsonBytes(new TextEncoder().encode(text), indent, inlineWidth);
  return r.ok ? { ok: true, pretty: new TextDecoder().decode(r.pretty), complete: r.complete } : r;
}

export interface AsyncOptions {
  /** Bytes per slice (default 256 KB: a few milliseconds of work). */
  slice?: number;
  indent?: string;
  /** See JsonReindenter (default DEFAULT_INLINE_WIDTH; 0: every value on its own line). */
  inlineWidth?: number;
  /** Between slices (default: setImmediate, so the event loop runs). */
  pause?: () => Promise<void>;
  /** Stops early (a closed document): resolves with what is known so far. */
  cancelled?: () => boolean;
}

export const DEFAULT_SLICE = 256 * 1024;

/** The next turn of the event loop (setImmediate in Node, a zero timeout in a page). */
const nextTurn = (): Promise<void> => {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
};

/** Pretty JSON in slices, yielding to the event loop between them: no slice blocks it for long, whatever the size. */
export async function prettyJsonAsync(bytes: Uint8Array, opts: AsyncOptions = {}): Promise<PrettyJsonResult & { slices: number }> {
  const r = new JsonReindenter(bytes, opts.indent, opts.inlineWidth);
  const slice = Math.max(1024, opts.slice ?? DEFAULT_SLICE);
  const pause = opts.pause ?? nextTurn;
  let slices = 0;
  for (;;) {
    slices++;
    if (r.step(slice)) break;
    if (opts.cancelled?.()) return { ok: false, error: 'cancelled', slices };
    await pause();
  }
  return { ...r.result(), slices };
}
