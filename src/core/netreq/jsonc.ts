/**
 * A small JSONC reader for the files environments come from (VS Code's settings.json, http-client.env.json):
 * `//` and `/* *\/` comments and trailing commas are allowed, as VS Code allows them. Any error is one line in
 * words with the file's line and column (`file:line:col: …`), never a stack trace; nesting deeper than
 * MAX_JSON_DEPTH is refused the same way (a hostile file cannot exhaust the stack).
 */

/** Deepest nesting of objects and arrays accepted (settings and env files are two or three levels deep). */
export const MAX_JSON_DEPTH = 64;

export class JsoncError extends Error {}

export function parseJsonc(text: string, file: string): unknown {
  return new Reader(text, file).document();
}

class Reader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  document(): unknown {
    this.ws();
    if (this.i >= this.s.length) this.fail('the file is empty (expected a JSON object)');
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected ${this.what()} after the end of the JSON value`);
    return v;
  }

  private fail(message: string, at = this.i): never {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < this.s.length; k++) {
      if (this.s[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    throw new JsoncError(`${this.file}:${line}:${at - lineStart + 1}: ${message}`);
  }

  private what(): string {
    if (this.i >= this.s.length) return 'end of file';
    const c = this.s[this.i];
    return /[\x20-\x7e]/.test(c) ? `'${c}'` : `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  }

  /** Skips white space and comments. */
  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && s[this.i + 1] === '/') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('a /* comment is not closed');
        this.i = end + 2;
      } else return;
    }
  }

  private value(depth: number): unknown {
    const c = this.s[this.i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_JSON_DEPTH) this.fail(`nested more than ${MAX_JSON_DEPTH} levels deep`);
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail(`expected a value, found ${this.what()}`);
    this.i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  }

  private string(): string {
    const start = this.i;
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== '"') {
      if (this.s[j] === '\n') this.fail('a string is not closed before the end of the line', start);
      j += this.s[j] === '\\' ? 2 : 1;
    }
    if (j >= this.s.length) this.fail('a string is not closed', start);
    this.i = j + 1;
    try {
      return JSON.parse(this.s.slice(start, j + 1)) as string;
    } catch {
      return this.fail('a string has a bad escape or a control character', start);
    }
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (this.s[this.i] !== '"') this.fail(`expected a "name" or '}', found ${this.what()}`);
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail(`expected ':' after "${key.slice(0, 40)}", found ${this.what()}`);
      this.i++;
      this.ws();
      out[key] = this.value(depth);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail(`expected ',' or '}', found ${this.what()}`);
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value(depth));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail(`expected ',' or ']', found ${this.what()}`);
    }
  }
}
