/**
 * Writing captured bytes back as `.netreq` text that sends exactly those bytes again: `{{` kept literal,
 * bodies inline when the language reads them back unchanged and as an escaped file variable otherwise,
 * socket payloads as text (with the right `# @eol`) or as `# @hex`. What the modules' `replay`
 * (protocols/http/replay.ts, protocols/datagram/replay.ts) share.
 */

/** The file variable that stands for one `{` where the text has `{{` (the expanded text is never rescanned). */
export const LBRACE_VAR = 'lbrace';
/** The file variable that holds a body the language cannot hold inline (e.g. LF line ends). */
export const BODY_VAR = 'replayBody';

/** Collects the file variables a generated document needs, written before its first `###`. */
export class Preamble {
  private lbrace = false;
  private readonly vars: string[] = [];

  /** Text whose `{{` stays literal: each run of n ≥ 2 braces becomes n − 1 `{{lbrace}}` and one `{`. */
  literal(text: string): string {
    if (text.indexOf('{{') < 0) return text;
    this.lbrace = true;
    return text.replace(/\{{2,}/g, (run) => `{{${LBRACE_VAR}}}`.repeat(run.length - 1) + '{');
  }

  /** Defines `@name = value` (value escaped so it reads back as `value`, `{{` included). */
  define(name: string, value: string): void {
    this.vars.push(`@${name} = ${escapeValue(this.literal(value))}`);
  }

  lines(): string[] {
    const out = this.lbrace ? [`@${LBRACE_VAR} = {`] : [];
    return [...out, ...this.vars];
  }
}

/**
 * A file variable value reading back as `s` (REST Client escapes: \n \r \t, `\x` for x): backslashes
 * doubled, line breaks and tabs escaped, a leading space escaped (values are trimmed). The caller keeps
 * trailing spaces out (see splitTrailingSpaces).
 */
export function escapeValue(s: string): string {
  let out = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  if (out.startsWith(' ')) out = `\\${out}`;
  return out;
}

/** `s` without its trailing spaces, and those spaces. */
export function splitTrailingSpaces(s: string): [string, string] {
  const m = / +$/.exec(s);
  return m ? [s.slice(0, m.index), m[0]] : [s, ''];
}

/** Decodes strict UTF-8; undefined when the bytes are not UTF-8 text. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text a person can read in an editor: no control characters but tab, CR and LF (and no DEL or C1). */
export function isPlainText(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/.test(s);
}

const isBlank = (l: string) => /^[ \t]*$/.test(l);

/**
 * Lines that a block body reads back as themselves: not blank at either end (those are skipped and
 * dropped), no `###` (a new block), and not a lone `<` line (a body file).
 */
export function safeBodyLines(lines: readonly string[]): boolean {
  if (lines.length === 0 || isBlank(lines[0]) || isBlank(lines[lines.length - 1])) return false;
  if (lines.some((l) => l.startsWith('###'))) return false;
  const nonBlank = lines.filter((l) => !isBlank(l));
  return !(nonBlank.length === 1 && nonBlank[0].trimStart().startsWith('<'));
}

/** An HTTP body as block lines (joined with CRLF on sending), or undefined when it cannot be inline. */
export function inlineHttpBody(text: string): string[] | undefined {
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) return undefined; // only CRLF reads back as CRLF
  const lines = text.split('\r\n');
  return safeBodyLines(lines) ? lines : undefined;
}

export interface Payload {
  /** Directive lines (`# @eol lf`, `# @hex`). */
  directives: string[];
  /** Body lines (after the request line); empty for an empty payload. */
  lines: string[];
}

/** Hex lines, 16 bytes each, with the printable part as a comment (never `{`, so nothing expands). */
export function hexLines(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x7b && b !== 0x7d ? String.fromCharCode(b) : '.')).join('');
    out.push(`${hex.padEnd(47)}  # ${ascii}`);
  }
  return out;
}

/**
 * A socket payload (UDP, MULTICAST, TCP, TLS) that sends exactly `bytes`: text lines when the language
 * reads them back unchanged (CRLF between lines; `# @eol lf` / `crlf` when every line ends so), else `# @hex`.
 */
export function payload(bytes: Uint8Array, pre: Preamble): Payload {
  if (bytes.length === 0) return { directives: [], lines: [] };
  const text = utf8(bytes);
  if (text !== undefined && isPlainText(text)) {
    const lfOnly = !text.includes('\r');
    let eol: 'lf' | 'crlf' | undefined;
    let lines: string[] | undefined;
    if (lfOnly && text.endsWith('\n')) {
      eol = 'lf';
      lines = text.slice(0, -1).split('\n');
    } else if (text.endsWith('\r\n') && !/\r(?!\n)|(?<!\r)\n/.test(text)) {
      eol = 'crlf';
      lines = text.slice(0, -2).split('\r\n');
    } else if (!/\r(?!\n)|(?<!\r)\n/.test(text)) {
      lines = text.split('\r\n');
    }
    if (lines && safeBodyLines(lines)) {
      return { directives: eol ? [`# @eol ${eol}`] : [], lines: lines.map((l) => pre.literal(l)) };
    }
  }
  return { directives: ['# @hex'], lines: hexLines(bytes) };
}

/** A host name or IP the request line takes as is (no spaces, braces or other surprises). */
export function isPlainHost(host: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(host) || /^\[[0-9A-Fa-f:.%A-Za-z]+\]$/.test(host);
}

/** Text for a `###` title or a `#` comment: one line, no control characters, not too long. */
export function oneLine(s: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A whole document: the preamble's file variables, a blank line, the blocks; one newline at the end. */
export function netreqDocument(pre: Preamble, body: readonly string[]): string {
  const vars = pre.lines();
  return [...(vars.length > 0 ? [...vars, ''] : []), ...body, ''].join('\n').replace(/\n\n+$/, '\n');
}
