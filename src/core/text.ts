/**
 * Terminal-safe text: what the CLI and the task terminals print of text that came from outside (the network,
 * files, settings, arguments). `safeText` is the one escaping function; everything that writes to a terminal
 * goes through it (the CLI's `out`/`err` and the task terminals' writer apply it to every string they write).
 */
import { isUtf8 } from 'node:buffer';

export interface SafeTextOptions {
  /**
   * One line (a log line, a table cell, an error message inside a line): line breaks and tabs become `\n`,
   * `\r`, `\t` too, so the text cannot start a line of its own. Default: several lines, `\n` and `\t` kept and
   * the CR of a CR LF dropped (a lone CR, which would overwrite the line, is escaped).
   */
  oneLine?: boolean;
  /**
   * Keeps the colour codes NetReq writes itself (SGR bold, dim, red, green, yellow, cyan and their resets;
   * nothing else: no cursor moves, no titles, no other SGR). Only for a sink whose untrusted pieces were escaped
   * before they were styled.
   */
  keepColors?: boolean;
  /** Every escape as `\uXXXX`, valid inside a JSON string (for JSON lines printed to a terminal). */
  json?: boolean;
}

/**
 * What never reaches a terminal raw: C0 controls (ESC, BEL, NUL, CR…), DEL, C1 controls U+0080–U+009F (CSI
 * U+009B and OSC U+009D act like ESC [ and ESC ] in many terminals), bidi controls (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069: they reorder what is shown), the line and paragraph separators U+2028/U+2029,
 * invisible characters (zero-width space U+200B, U+2060–U+2064, BOM U+FEFF, U+FFF9–U+FFFB annotations, the tag
 * characters U+E0000–U+E007F that carry hidden text), and lone surrogates. Zero-width (non-)joiners stay:
 * scripts and emoji need them.
 */
const UNSAFE = '[\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb\\p{Cs}\\u{e0000}-\\u{e007f}]';
/** The SGR codes of NetReq's own styles (src/cli/format.ts COLOR, src/extension/tasks/logLines.ts ANSI). */
const OWN_SGR = '\\x1b\\[(?:1|2|22|31|32|33|36|39)m';
/** The same without \t and \n, for several lines (so a long text with many lines is not one callback per line). */
const UNSAFE_ML = UNSAFE.replace('\\x00-\\x1f', '\\x00-\\x08\\x0b-\\x1f');
const PATTERNS = new Map<string, RegExp>();
function pattern(oneLine: boolean, keepColors: boolean, global: boolean): RegExp {
  const key = `${oneLine}${keepColors}${global}`;
  let re = PATTERNS.get(key);
  if (!re) {
    const unsafe = oneLine ? UNSAFE : UNSAFE_ML;
    re = new RegExp(keepColors ? `${OWN_SGR}|${unsafe}` : unsafe, global ? 'gu' : 'u');
    PATTERNS.set(key, re);
  }
  return re;
}

/**
 * Whether `s` has nothing to escape, by a scan of its code units that mirrors UNSAFE (any surrogate sends the text
 * to the pattern, which knows pairs from lone halves and the tag characters). Most of what the CLI prints passes
 * here, which spares a CLI start compiling the Unicode pattern (issue 13's start time).
 */
export function plainText(s: string, oneLine: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20) {
      if (!oneLine && (c === 0x0a || c === 0x09)) continue;
      return false;
    }
    if (c <= 0x9f || c === 0x061c || (c >= 0xd800 && c <= 0xdfff) || c === 0xfeff || (c >= 0xfff9 && c <= 0xfffb)) return false;
    if (c >= 0x200b && c <= 0x2069 && (c === 0x200b || c === 0x200e || c === 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2064) || c >= 0x2066)) return false;
  }
  return true;
}

/** Whether one of UNSAFE's characters is in `s` (the pattern itself; tests compare plainText with it). */
export const hasUnsafe = (s: string, oneLine: boolean): boolean => pattern(oneLine, false, false).test(s);

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function escapeOne(c: string, json: boolean): string {
  const cp = c.codePointAt(0)!;
  if (json) return c.length === 2 ? `\\u${hex(c.charCodeAt(0), 4)}\\u${hex(c.charCodeAt(1), 4)}` : `\\u${hex(cp, 4)}`;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  if (cp <= 0x9f) return `\\x${hex(cp, 2)}`;
  return cp > 0xffff ? `\\u{${hex(cp, 5)}}` : `\\u${hex(cp, 4)}`;
}

/**
 * Makes text safe to print: every character listed above becomes a visible escape (`\x1b`, `\x9b`, `\u202e`,
 * `\ud800`, `\u{e0041}`), so bytes from outside cannot move the cursor, retitle the terminal, write the clipboard
 * (OSC 52), or reorder what is shown. The result contains none of them, so escaping it again changes nothing.
 */
export function safeText(s: string, opts: SafeTextOptions = {}): string {
  const { json = false, keepColors = false } = opts;
  const oneLine = json || opts.oneLine === true;
  if (plainText(s, oneLine) || !hasUnsafe(s, oneLine)) return s;
  return s.replace(pattern(oneLine, keepColors, true), (c: string, at: number) => {
    if (c.length > 2) return c; // one of NetReq's own colour codes
    if (!oneLine && c === '\r' && s.charCodeAt(at + 1) === 0x0a) return '';
    return escapeOne(c, json);
  });
}

/** `safeText` for one line: a log line, a table cell, a message printed inside a line. */
export const safeLine = (s: string): string => safeText(s, { oneLine: true });

/** A JSON line for a terminal: what JSON.stringify leaves raw (DEL, C1, bidi, separators) as `\uXXXX` escapes. */
export const jsonLine = (value: unknown): string => safeText(JSON.stringify(value), { json: true });

/** Length of the valid UTF-8 sequence (RFC 3629: no overlongs, surrogates or code points past U+10FFFF) at `i`, or 0. */
function utf8SequenceAt(b: Buffer, i: number): number {
  const b0 = b[i];
  if (b0 < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < b.length && b[j] >= lo && b[j] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const ok1 = b0 === 0xe0 ? cont(i + 1, 0xa0) : b0 === 0xed ? cont(i + 1, 0x80, 0x9f) : cont(i + 1);
    return ok1 && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const ok1 = b0 === 0xf0 ? cont(i + 1, 0x90) : b0 === 0xf4 ? cont(i + 1, 0x80, 0x8f) : cont(i + 1);
    return ok1 && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * Bytes from the network as text: UTF-8 where it is valid, and each byte that is not part of a valid UTF-8
 * sequence as a visible `\xNN` (never U+FFFD, which would hide which bytes came, nor Latin-1, which turned an
 * em dash into `â\x80\x94`). Linear in the bytes.
 */
export function utf8Text(data: Buffer): string {
  if (isUtf8(data)) return data.toString('utf8');
  let out = '';
  let run = 0; // start of the current valid run
  for (let i = 0; i < data.length; ) {
    const n = utf8SequenceAt(data, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (run < i) out += data.toString('utf8', run, i);
    out += `\\x${hex(data[i], 2)}`;
    run = ++i;
  }
  return run < data.length ? out + data.toString('utf8', run) : out;
}

/**
 * Text of a chunk of bytes for the terminal: UTF-8 decoded (`utf8Text`: invalid bytes as `\xNN`), CR, LF and
 * TAB as ␍ ␊ ␉ (with a line break after ␊ unless `oneLine`), and what `safeText` escapes escaped.
 */
export function chunkText(data: Buffer, opts: { oneLine?: boolean } = {}): string {
  const marked = utf8Text(data).replace(/[\r\n\t]/g, (c) => (c === '\n' ? (opts.oneLine ? '␊' : '␊\n') : c === '\r' ? '␍' : '␉'));
  return safeText(marked);
}

/** An internal error (a NetReq bug) in words for a log line: its message and where it was thrown, not a stack trace. */
export function internalErrorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const at = /\n\s+at (?:.*? \()?(?:.*[\\/])?([^\\/()\s]+:\d+):\d+\)?/.exec(e.stack ?? '')?.[1];
  return `${e.message}${at ? ` (at ${at})` : ''}`;
}

/** A file's text without its UTF-8 byte order mark (VS Code drops it when it opens a file; the CLI does the same). */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
