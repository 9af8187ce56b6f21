/**
 * One HTTP/1 head (status line and fields) and the field-line rules shared with the trailer section:
 * names are tokens, values lose only SP/HTAB at their ends (RFC 9110 §5.5, §5.6.3), a CR or NUL inside a
 * value becomes a space and is reported (RFC 9110 §5.5), obs-fold joins lines with one space (RFC 9112 §5.2).
 */
import type { HeaderList } from '../exchange';

/** The most bytes one head (status line + fields) or one trailer section may take. */
export const MAX_HEAD_BYTES = 256 * 1024;

export interface ResponseHead {
  version: string;
  status: number;
  reason: string;
  headers: HeaderList;
}

/** Three digits, 100–999 (RFC 9110 §15: the first digit is the class; 0xx does not exist). */
const STATUS_LINE = /^HTTP\/(\d)\.(\d) ([1-9]\d\d)(?: (.*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CR_OR_NUL = /[\r\0]/g;

/** Strips SP and HTAB only (OWS); String.trim() would also strip VT, FF, NBSP and other Unicode spaces. */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Counts the field values that carried CR or NUL (replaced with SP), naming the first few fields. */
export class FieldFixes {
  count = 0;
  readonly names: string[] = [];

  clean(name: string, value: string): string {
    CR_OR_NUL.lastIndex = 0;
    if (!CR_OR_NUL.test(value)) return value;
    this.count++;
    if (this.names.length < 5 && !this.names.includes(name)) this.names.push(name);
    return value.replace(CR_OR_NUL, ' ');
  }

  /** The words for the response notes, or undefined when nothing was replaced. */
  note(): string | undefined {
    if (this.count === 0) return undefined;
    const which = this.names.join(', ') + (this.count > this.names.length ? ', …' : '');
    return `${this.count === 1 ? '1 field value' : `${this.count} field values`} (${which}) contained CR or NUL, which RFC 9110 §5.5 forbids; each such byte was replaced with a space`;
  }
}

/**
 * Adds one field line to `fields` (or folds it into the last one). Returns what is wrong with the line,
 * or undefined when it was taken.
 */
export function addFieldLine(line: string, fields: HeaderList, fixes: FieldFixes): string | undefined {
  const first = line.charCodeAt(0);
  if ((first === 32 || first === 9) && fields.length > 0) {
    const last = fields[fields.length - 1];
    const more = trimOws(fixes.clean(last[0], line));
    if (more) last[1] = last[1] ? `${last[1]} ${more}` : more; // obsolete line folding
    return undefined;
  }
  const c = line.indexOf(':');
  const name = c > 0 ? line.slice(0, c) : '';
  if (!name || !TOKEN.test(name)) return c < 0 ? 'no colon' : 'invalid field name';
  fields.push([name, trimOws(fixes.clean(name, line.slice(c + 1)))]);
  return undefined;
}

/** Splits a head's text into lines (LF or CRLF) with the offset where each starts. */
function lines(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const stop = nl < 0 ? text.length : nl;
    out.push([text.slice(pos, stop > pos && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop), pos]);
    pos = stop + 1;
  }
  return out;
}

/**
 * Parses a head's text (without the blank line that ends it). `fail(what, at)` builds the error for a bad
 * line at byte `at` of the text; undefined status line → `badStatus()`.
 */
export function parseHeadText(text: string, fixes: FieldFixes, fail: (what: string, at: number) => Error, badStatus: () => Error): ResponseHead {
  const all = lines(text);
  const m = STATUS_LINE.exec(all[0][0]);
  if (!m) throw badStatus();
  const head: ResponseHead = { version: `HTTP/${m[1]}.${m[2]}`, status: Number(m[3]), reason: m[4] ?? '', headers: [] };
  if (head.reason.includes('\0')) head.reason = fixes.clean(':status', head.reason);
  for (let i = 1; i < all.length; i++) {
    const [line, at] = all[i];
    const bad = addFieldLine(line, head.headers, fixes);
    if (bad) throw fail(`invalid header line ${i + 1} ${JSON.stringify(line)} (${bad === 'invalid field name' ? 'invalid header name' : bad})`, at);
  }
  return head;
}

/** Comma-separated header tokens, lower-cased (empty list elements dropped). */
export function tokens(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of headers) {
    if (k.toLowerCase() !== name) continue;
    for (const t of v.split(',')) {
      const s = trimOws(t).toLowerCase();
      if (s) out.push(s);
    }
  }
  return out;
}
