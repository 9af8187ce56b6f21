/**
 * One HTTP/1 head (status line and fields) and the field-line rules shared with the trailer section:
 * names are tokens, values lose only SP/HTAB at their ends (RFC 9110 §5.5, §5.6.3), a CR or NUL inside a
 * value becomes a space and is reported (RFC 9110 §5.5), obs-fold joins lines with one space (RFC 9112 §5.2).
 */
import type { HeaderList } from '../exchange';
import { CLIENT_RESPONSE, parseFieldLine } from '../wire/http1/fields';
import { listTokens } from '../wire/http1/tokens';

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
const NUL = /\0/g;

/** Counts the field values that carried CR or NUL (replaced with SP by the CLIENT_RESPONSE rules), naming the first few fields. */
export class FieldFixes {
  count = 0;
  readonly names: string[] = [];

  /** Counts one fixed value of field `name`. */
  fixed(name: string): void {
    this.count++;
    if (this.names.length < 5 && !this.names.includes(name)) this.names.push(name);
  }

  /** The reason phrase with any NUL replaced with SP (counted as a fix of ":status"). */
  cleanReason(reason: string): string {
    if (!reason.includes('\0')) return reason;
    this.fixed(':status');
    return reason.replace(NUL, ' ');
  }

  /** The words for the response notes, or undefined when nothing was replaced. */
  note(): string | undefined {
    if (this.count === 0) return undefined;
    const which = this.names.join(', ') + (this.count > this.names.length ? ', …' : '');
    return `${this.count === 1 ? '1 field value' : `${this.count} field values`} (${which}) contained CR or NUL, which RFC 9110 §5.5 forbids; each such byte was replaced with a space`;
  }
}

/**
 * Adds one field line to `fields` (or folds it into the last one), by the client's rules (CLIENT_RESPONSE
 * in ../wire/http1/fields.ts). Returns what is wrong with the line, or undefined when it was taken.
 */
export function addFieldLine(line: string, fields: HeaderList, fixes: FieldFixes): string | undefined {
  const f = parseFieldLine(line, CLIENT_RESPONSE, fields.length > 0);
  switch (f.kind) {
    case 'fold': {
      const last = fields[fields.length - 1];
      if (f.fixed) fixes.fixed(last[0]);
      if (f.more) last[1] = last[1] ? `${last[1]} ${f.more}` : f.more; // obsolete line folding
      return undefined;
    }
    case 'field':
      if (f.fixed) fixes.fixed(f.name);
      fields.push([f.name, f.value]);
      return undefined;
    case 'no-colon':
      return 'no colon';
    default:
      return 'invalid field name'; // the rules join folds and fix control bytes: only a bad or empty name is left
  }
}

/**
 * Where a head ends in `buf`: the LF followed by LF or CRLF (`end`, and `sep` the bytes of the line ending
 * and blank line from it), searching from `from`; when not there yet, `end` is -1 and `resume` is where the
 * next search starts (a possible end split across reads is searched again).
 */
export function findHeadEnd(buf: Buffer, from: number): { end: number; sep: number; resume: number } {
  let p = buf.indexOf(10, from);
  while (p >= 0) {
    if (p + 1 >= buf.length || (buf[p + 1] === 13 && p + 2 >= buf.length)) return { end: -1, sep: 0, resume: p };
    if (buf[p + 1] === 10 || (buf[p + 1] === 13 && buf[p + 2] === 10)) return { end: p, sep: buf[p + 1] === 10 ? 2 : 3, resume: p };
    p = buf.indexOf(10, p + 1);
  }
  return { end: -1, sep: 0, resume: buf.length };
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
  head.reason = fixes.cleanReason(head.reason);
  for (let i = 1; i < all.length; i++) {
    const [line, at] = all[i];
    const bad = addFieldLine(line, head.headers, fixes);
    if (bad) throw fail(`invalid header line ${i + 1} ${JSON.stringify(line)} (${bad === 'invalid field name' ? 'invalid header name' : bad})`, at);
  }
  return head;
}

/** Comma-separated header tokens, lower-cased (empty list elements dropped). */
export const tokens = listTokens;
