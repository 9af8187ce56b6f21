/**
 * JSON pretty-printing that scales: a re-indenter that walks the text once, checks the grammar as it
 * goes, and copies every string and number exactly as it was sent (no JSON.parse round trip, so big
 * integers, duplicate keys and key order survive). It works in steps of a bounded number of characters,
 * so the extension host can format a 50 MB body in slices and yield between them (prettyJsonAsync), and
 * a cut preview can be indented as far as it goes (the result says it is incomplete, not wrong).
 */

export type PrettyJsonResult =
  /** `complete` is false when the text stopped inside a value (a cut preview). */
  | { ok: true; text: string; complete: boolean }
  /** Not JSON: where and why, in words. */
  | { ok: false; error: string };

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done';

/** The start of a literal or a number. */
const PARTIAL = /^(?:-?\d*(?:\.\d*)?(?:[eE][+-]?\d*)?|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)$/;
const LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function isLiteralChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e || c === 0x2b || c === 0x2d;
}

/** One pass over a JSON text; step() does at most about `budget` characters of it (a string or number is never split). */
export class JsonReindenter {
  private i = 0;
  private expect: Expect = 'value';
  private readonly stack: number[] = [];
  private readonly parts: string[] = [];
  private out = '';
  private readonly pads: string[] = ['\n'];
  private failure?: string;
  /** A container was just opened: the next token decides between `{}` and a new line. */
  private opened = false;
  /** The text ended inside a string or a word (a cut preview). */
  private cutShort = false;

  constructor(
    private readonly s: string,
    private readonly indent = '  ',
  ) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  get done(): boolean {
    return this.failure !== undefined || this.i >= this.s.length;
  }

  /** How far it has got, in characters of the input. */
  get position(): number {
    return this.i;
  }

  private pad(depth: number): string {
    while (this.pads.length <= depth) this.pads.push(this.pads[this.pads.length - 1] + this.indent);
    return this.pads[depth];
  }

  private fail(why: string): void {
    this.failure = `not JSON at character ${this.i + 1}: ${why}`;
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? 'done' : 'commaOrEnd';
  }

  /** Before the first token in a container: its new line. */
  private openLine(): void {
    if (this.opened) {
      this.out += this.pad(this.stack.length);
      this.opened = false;
    }
  }

  /** Works through about `budget` characters; returns whether the text is finished (or failed). */
  step(budget: number): boolean {
    const s = this.s;
    const n = s.length;
    const stop = Math.min(n, this.i + budget);
    while (this.i < stop && this.failure === undefined) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.i++;
        continue;
      }
      const e = this.expect;
      if (e === 'done') {
        this.fail('text after the end of the JSON value');
      } else if (e === 'colon') {
        if (c !== 0x3a) this.fail(`expected ':' after a key, found ${JSON.stringify(s[this.i])}`);
        else {
          this.out += ': ';
          this.expect = 'value';
          this.i++;
        }
      } else if (e === 'commaOrEnd') {
        if (c === 0x2c) {
          this.out += ',' + this.pad(this.stack.length);
          this.expect = this.stack[this.stack.length - 1] === 0x7b ? 'key' : 'value';
          this.i++;
        } else this.close(c);
      } else if ((e === 'keyOrEnd' || e === 'valueOrEnd') && (c === 0x7d || c === 0x5d)) {
        this.close(c);
      } else if (c === 0x22) {
        this.openLine();
        this.string();
        if (this.failure === undefined) {
          if (e === 'key' || e === 'keyOrEnd') this.expect = 'colon';
          else this.afterValue();
        }
      } else if (e === 'key' || e === 'keyOrEnd') {
        this.fail(`expected a key in quotes, found ${JSON.stringify(s[this.i])}`);
      } else if (c === 0x7b || c === 0x5b) {
        this.openLine();
        this.out += s[this.i];
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
    if (this.out.length > 0) {
      this.parts.push(this.out);
      this.out = '';
    }
    return this.done;
  }

  private close(c: number): void {
    const open = this.stack[this.stack.length - 1];
    if ((c !== 0x7d && c !== 0x5d) || open === undefined || (c === 0x7d) !== (open === 0x7b)) {
      this.fail(open === undefined ? `unexpected ${JSON.stringify(this.s[this.i])}` : `expected ',' or '${open === 0x7b ? '}' : ']'}', found ${JSON.stringify(this.s[this.i])}`);
      return;
    }
    this.stack.pop();
    this.out += this.opened ? this.s[this.i] : this.pad(this.stack.length) + this.s[this.i];
    this.opened = false;
    this.i++;
    this.afterValue();
  }

  /** A string copied as it is; one cut off by the end of the text is copied too (the result is incomplete). */
  private string(): void {
    const s = this.s;
    let j = this.i + 1;
    for (;;) {
      const k = s.indexOf('"', j);
      if (k < 0) {
        this.out += s.slice(this.i);
        this.i = s.length;
        this.cutShort = true;
        return;
      }
      let backslashes = 0;
      while (s.charCodeAt(k - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) {
        this.out += s.slice(this.i, k + 1);
        this.i = k + 1;
        return;
      }
      j = k + 1;
    }
  }

  private literal(): void {
    const s = this.s;
    let j = this.i;
    while (j < s.length && isLiteralChar(s.charCodeAt(j))) j++;
    const word = s.slice(this.i, j);
    if (word === '') {
      this.fail(`unexpected ${JSON.stringify(s[this.i])}`);
      return;
    }
    if (!LITERAL.test(word)) {
      // A word the end of the text cut short (`tr`, `12e`) makes the result incomplete, not wrong.
      if (j === s.length && PARTIAL.test(word)) this.cutShort = true;
      else {
        this.fail(`${JSON.stringify(word.length > 20 ? `${word.slice(0, 20)}…` : word)} is not a JSON value`);
        return;
      }
    }
    this.out += word;
    this.i = j;
  }

  /** The result once step() said done. */
  result(): PrettyJsonResult {
    if (this.failure !== undefined) return { ok: false, error: this.failure };
    if (this.expect === 'value' && this.stack.length === 0) return { ok: false, error: 'not JSON: the text is empty' };
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts.length = 0;
    return { ok: true, text, complete: !this.cutShort && this.expect === 'done' };
  }
}

/** Pretty JSON in one go (for texts of a bounded size, such as a panel's preview). */
export function prettyJsonText(text: string, indent = '  '): PrettyJsonResult {
  const r = new JsonReindenter(text, indent);
  while (!r.step(1 << 20));
  return r.result();
}

export interface AsyncOptions {
  /** Characters per slice (default 256 K: a few milliseconds of work). */
  slice?: number;
  indent?: string;
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
export async function prettyJsonAsync(text: string, opts: AsyncOptions = {}): Promise<PrettyJsonResult & { slices: number }> {
  const r = new JsonReindenter(text, opts.indent);
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
