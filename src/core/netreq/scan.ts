/**
 * Character-level scanning of .netreq text, shared by the parser and the checks: lines, indentation,
 * case-insensitive prefixes, URL schemes, HTTP tokens. Linear, no regular expressions, and no copies
 * where a comparison will do (these run on every line of a large file).
 */

/** Index of the first non-space, non-tab character (text.length when blank). */
export function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** Column just past the last non-space, non-tab character. */
export function trimEndCol(text: string): number {
  let i = text.length;
  while (i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return i;
}

export function isBlank(text: string): boolean {
  return indentOf(text) === text.length;
}

/**
 * Splits into lines on CRLF, LF and lone CR (as VS Code does), without the terminators.
 * Linear; no regular expressions.
 */
export function splitLines(text: string): string[] {
  const cr = text.indexOf('\r');
  if (cr < 0) return text.split('\n'); // the common case, and the fastest
  if (!hasLoneCr(text, cr)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    return lines;
  }
  const lines: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines.push(text.slice(start, i));
      start = i + 1;
    } else if (c === 13) {
      lines.push(text.slice(start, i));
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.push(text.slice(start));
  return lines;
}

function hasLoneCr(text: string, from: number): boolean {
  for (let i = from; i >= 0 && i < text.length; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) return true;
  }
  return false;
}

/** Whether text starts with `prefix` (ASCII, case-insensitive), without a regex or a copy. */
export function startsWithCI(text: string, prefix: string, at = 0): boolean {
  if (text.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = text.charCodeAt(at + i);
    const b = prefix.charCodeAt(i);
    if (a !== b && !((a | 32) === (b | 32) && (b | 32) >= 97 && (b | 32) <= 122)) return false;
  }
  return true;
}

/** `http://` or `https://`, any case. */
export function isHttpUrl(text: string): boolean {
  return startsWithCI(text, 'http://') || startsWithCI(text, 'https://');
}

/** `ws://` or `wss://`, any case. */
export function isWsUrl(text: string): boolean {
  return startsWithCI(text, 'ws://') || startsWithCI(text, 'wss://');
}

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;

/** An HTTP token (RFC 9110 tchar+), e.g. a header name; `{{…}}` parts count as token characters. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 123 && text.charCodeAt(i + 1) === 123) {
      const close = text.indexOf('}}', i + 2);
      if (close < 0) return false;
      i = close + 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Whether text has an ASCII lower-case letter. */
export function hasLower(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** Slice of text[from, to) without surrounding spaces and tabs: one allocation instead of slice + trim. */
export function sliceTrim(text: string, from: number, to: number): string {
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return text.slice(from, to);
}

/** 'host' in any case, without allocating a lower-cased copy. */
export function isHostName(name: string): boolean {
  return name.length === 4 && (name.charCodeAt(0) | 32) === 104 && (name.charCodeAt(1) | 32) === 111 && (name.charCodeAt(2) | 32) === 115 && (name.charCodeAt(3) | 32) === 116;
}
