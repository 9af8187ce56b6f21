/**
 * A `curl …` command's words, split as a POSIX shell (bash) splits them: '…' quotes, "…" quotes with
 * backslash escapes, backslash-newline continuations, `$'…'` ANSI-C strings. What a shell would expand or
 * treat as syntax (`$VAR`, `$(…)`, backquotes, `|`, `;`, `&`, `<`, `>`, `(`, `)`, a leading `~`) is refused
 * with a diagnostic: NetReq does not run a shell, so it never guesses what the expansion would give.
 *
 * REST Client's multi-line form: a newline outside quotes separates words (as a space does) instead of ending
 * the command; a line whose first non-blank text is `#` or `//` outside quotes is a comment line.
 * Bounded: at most MAX_CURL_CHARS characters and MAX_CURL_WORDS words.
 */
import type { Position, Span } from '../../netreq/types';
import { ansiEscape } from './curlAnsi';

export const MAX_CURL_CHARS = 2 * 1024 * 1024;
export const MAX_CURL_WORDS = 10_000;

export interface CurlWord {
  /** The word after quote removal. */
  value: string;
  /** True when `$'\xHH'` escapes made bytes that are not UTF-8 text: then each char of value is one byte (latin1). */
  binary: boolean;
  /** Any part of the word was quoted or escaped (then `{{` was not at a place a shell would touch). */
  quoted: boolean;
  span: Span;
}

export interface CurlProblem {
  span: Span;
  message: string;
}

export interface CurlWords {
  words: CurlWord[];
  problems: CurlProblem[];
  /** Quoted text held runs of 2+ blanks or line breaks (REST Client collapses them to one space; a shell keeps them). */
  keptBlankRuns: boolean;
}

const SPECIAL = new Set(['|', ';', '&', '<', '>', '(', ')']);
const SPECIAL_WHY: Record<string, string> = {
  '|': 'a pipe',
  ';': 'the end of the command',
  '&': 'the end of the command (run in the background)',
  '<': 'a redirection',
  '>': 'a redirection',
  '(': 'shell syntax',
  ')': 'shell syntax',
};

/**
 * Splits `lines[first..last]` (the command starts at `col` of `lines[first]`) into words. Positions in spans are
 * the lines' own (0-based line and column).
 */
export function splitCurlWords(lines: readonly string[], first: number, last: number, col: number): CurlWords {
  return new Splitter(lines, first, last, col).run();
}

class Splitter {
  private readonly words: CurlWord[] = [];
  private readonly problems: CurlProblem[] = [];
  private line: number;
  private col: number;
  private keptBlankRuns = false;
  // The word being built.
  private parts: string[] = [];
  private bytes: number[] | undefined; // pending raw bytes from $'\xHH' escapes (>= 0x80)
  private binary = false;
  private quoted = false;
  private inWord = false;
  private start: Position = { line: 0, col: 0 };
  private end: Position = { line: 0, col: 0 };

  constructor(
    private readonly lines: readonly string[],
    first: number,
    private readonly last: number,
    col: number,
  ) {
    this.line = first;
    this.col = col;
  }

  run(): CurlWords {
    let total = 0;
    for (let l = this.line; l <= this.last; l++) total += this.lines[l].length + 1;
    if (total > MAX_CURL_CHARS) {
      this.problems.push({ span: { start: this.pos(), end: this.pos() }, message: `This curl command is ${total} characters long; NetReq reads commands of up to ${MAX_CURL_CHARS} characters (put a large body in a file: --data-binary @file)` });
      return this.result();
    }
    try {
      this.scan();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    return this.result();
  }

  private result(): CurlWords {
    return { words: this.words, problems: this.problems, keptBlankRuns: this.keptBlankRuns };
  }

  private pos(): Position {
    return { line: this.line, col: this.col };
  }

  private fail(start: Position, end: Position, message: string): never {
    this.problems.push({ span: { start, end }, message });
    throw new Stop();
  }

  /** The current character ('\n' at the end of a line, '' past the last line). */
  ch(): string {
    const t = this.lines[this.line];
    if (this.col < t.length) return t[this.col];
    return this.line < this.last ? '\n' : '';
  }

  private peek(k: number): string {
    let line = this.line;
    let col = this.col + k;
    while (line <= this.last && col > this.lines[line].length) {
      col -= this.lines[line].length + 1;
      line++;
    }
    if (line > this.last) return '';
    const t = this.lines[line];
    return col < t.length ? t[col] : line < this.last ? '\n' : '';
  }

  advance(): void {
    if (this.col < this.lines[this.line].length) this.col++;
    else {
      this.line++;
      this.col = 0;
    }
  }

  private scan(): void {
    let lineStart = true;
    for (;;) {
      const c = this.ch();
      if (c === '') break;
      if (lineStart && !this.inWord && this.commentLine()) continue;
      lineStart = false;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.endWord();
        if (c === '\n') lineStart = true;
        this.advance();
        continue;
      }
      if (c === '\\') {
        const n = this.peek(1);
        if (n === '\n') {
          this.advance();
          this.advance();
          continue;
        }
        this.beginWord();
        this.quoted = true;
        this.advance();
        if (n === '') this.fail(this.pos(), this.pos(), 'The command ends with a lone backslash');
        this.take(n);
        this.advance();
        continue;
      }
      if (c === '#' && !this.inWord) {
        this.skipToLineEnd();
        continue;
      }
      if (c === "'") {
        this.beginWord();
        this.singleQuoted();
        continue;
      }
      if (c === '"') {
        this.beginWord();
        this.doubleQuoted();
        continue;
      }
      if (c === '$') {
        const n = this.peek(1);
        if (n === "'") {
          this.beginWord();
          this.ansiC();
          continue;
        }
        if (n === '"') {
          this.beginWord();
          this.advance();
          this.doubleQuoted();
          continue;
        }
        this.dollar(n);
      }
      if (c === '`') this.here(1, 'Backquotes run a command in a shell; NetReq does not run a shell: write the value instead');
      if (SPECIAL.has(c)) {
        this.here(1, `An unquoted ${q(c)} is ${SPECIAL_WHY[c]} in a shell, so curl would not get the rest as written: put the argument in quotes`);
      }
      if (c === '~' && !this.inWord) this.here(1, "A leading '~' is your home folder in a shell; NetReq does not expand it: write the path out");
      this.beginWord();
      this.plainRun();
    }
    this.endWord();
  }

  /** At a line start outside quotes: a `#` or `//` comment line is skipped (REST Client drops comment lines). */
  private commentLine(): boolean {
    const t = this.lines[this.line];
    let i = this.col;
    while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
    if (i >= t.length || !(t[i] === '#' || (t[i] === '/' && t[i + 1] === '/'))) return false;
    this.col = t.length;
    return true;
  }

  private skipToLineEnd(): void {
    this.col = this.lines[this.line].length;
  }

  private here(len: number, message: string): never {
    const s = this.pos();
    this.fail(s, { line: s.line, col: s.col + len }, message);
  }

  private dollar(n: string): void {
    if (n === '(') this.here(2, 'A $( … ) command substitution runs a command in a shell; NetReq does not run a shell: write the value instead');
    if (n === '{' || /[A-Za-z_0-9@*#?!$-]/.test(n)) {
      this.here(2, `${q(`$${n === '{' ? '{…}' : n}`)} is a shell variable, which NetReq does not expand: write the value, or use a {{variable}}`);
    }
  }

  private beginWord(): void {
    if (this.inWord) return;
    if (this.words.length >= MAX_CURL_WORDS) {
      this.here(1, `This curl command has more than ${MAX_CURL_WORDS} words; NetReq reads up to ${MAX_CURL_WORDS}`);
    }
    this.inWord = true;
    this.parts = [];
    this.bytes = undefined;
    this.binary = false;
    this.quoted = false;
    this.start = this.pos();
  }

  private endWord(): void {
    if (!this.inWord) return;
    this.flushBytes();
    this.end = this.pos();
    this.words.push({ value: this.parts.join(''), binary: this.binary, quoted: this.quoted, span: { start: this.start, end: this.end } });
    this.inWord = false;
  }

  private take(s: string): void {
    if (this.bytes) this.flushBytes();
    this.parts.push(this.binary ? Buffer.from(s, 'utf8').toString('latin1') : s);
  }

  /** Unquoted characters up to the next special one, as one slice. */
  private plainRun(): void {
    const t = this.lines[this.line];
    let i = this.col;
    while (i < t.length && !/[\s\\'"$`|;&<>()]/.test(t[i])) i++;
    if (i === this.col) {
      this.take(t[i]); // a lone '$' (not followed by a name)
      i++;
    } else this.take(t.slice(this.col, i));
    this.col = i;
  }

  private singleQuoted(): void {
    const open = this.pos();
    this.quoted = true;
    this.advance();
    for (;;) {
      const t = this.lines[this.line];
      const close = t.indexOf("'", this.col);
      if (close >= 0) {
        this.quotedText(t.slice(this.col, close));
        this.col = close + 1;
        return;
      }
      if (this.line >= this.last) this.fail(open, { line: open.line, col: open.col + 1 }, "This ' quote is never closed");
      this.quotedText(`${t.slice(this.col)}\n`);
      this.line++;
      this.col = 0;
    }
  }

  private quotedText(s: string): void {
    if (!this.keptBlankRuns && /\s\s|\n/.test(s)) this.keptBlankRuns = true;
    this.take(s);
  }

  private doubleQuoted(): void {
    const open = this.pos();
    this.quoted = true;
    this.advance();
    let run = '';
    for (;;) {
      const c = this.ch();
      if (c === '') this.fail(open, { line: open.line, col: open.col + 1 }, 'This " quote is never closed');
      if (c === '"') {
        this.quotedText(run);
        this.advance();
        return;
      }
      if (c === '\\') {
        const n = this.peek(1);
        if (n === '\n') {
          this.advance();
          this.advance();
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          run += n;
          this.advance();
          this.advance();
          continue;
        }
      }
      if (c === '`') this.here(1, 'Backquotes run a command in a shell; NetReq does not run a shell: write the value instead');
      if (c === '$') this.dollar(this.peek(1));
      run += c;
      this.advance();
    }
  }

  private ansiC(): void {
    const open = this.pos();
    this.quoted = true;
    this.advance();
    this.advance();
    let run = '';
    const flush = () => {
      if (run) this.take(run);
      run = '';
    };
    for (;;) {
      const c = this.ch();
      if (c === '') this.fail(open, { line: open.line, col: open.col + 2 }, "This $' quote is never closed");
      this.advance();
      if (c === "'") break;
      if (c !== '\\') {
        run += c;
        continue;
      }
      const r = ansiEscape(this);
      if (typeof r === 'string') run += r;
      else {
        flush();
        (this.bytes ??= []).push(r);
      }
    }
    flush();
  }

  /** Bytes from `\xHH` escapes: UTF-8 text when they are, else the word becomes binary (one char per byte). */
  private flushBytes(): void {
    const b = this.bytes;
    if (!b) return;
    this.bytes = undefined;
    const buf = Buffer.from(b);
    const text = buf.toString('utf8');
    if (!this.binary && Buffer.from(text, 'utf8').equals(buf)) {
      this.parts.push(text);
      return;
    }
    if (!this.binary) {
      // Everything so far becomes bytes too.
      const sofar = Buffer.from(this.parts.join(''), 'utf8').toString('latin1');
      this.parts = [sofar];
      this.binary = true;
    }
    this.parts.push(buf.toString('latin1'));
  }
}

class Stop extends Error {}

const q = (s: string): string => `'${s}'`;
