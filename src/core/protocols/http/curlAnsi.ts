/** The escapes of bash's `$'…'` strings (ANSI-C quoting), read after the backslash. */

/** Where the escape is read from: the current character ('' at the end) and a step forward. */
export interface Cursor {
  ch(): string;
  advance(): void;
}

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The text an escape stands for, or one byte >= 0x80 (from \xHH or octal) that may be part of a UTF-8 sequence or not. */
export function ansiEscape(cur: Cursor): string | number {
  const e = cur.ch();
  if (e === '') return '\\';
  cur.advance();
  const simple = SIMPLE[e];
  if (simple !== undefined) return simple;
  if (e === 'x' || (e >= '0' && e <= '7')) {
    const hex = e === 'x';
    let digits = hex ? '' : e;
    while (digits.length < (hex ? 2 : 3) && (hex ? /[0-9A-Fa-f]/ : /[0-7]/).test(cur.ch())) {
      digits += cur.ch();
      cur.advance();
    }
    if (digits === '') return '\\x';
    const b = parseInt(digits, hex ? 16 : 8) & 0xff;
    return b < 0x80 ? String.fromCharCode(b) : b;
  }
  if (e === 'u' || e === 'U') {
    let digits = '';
    while (digits.length < (e === 'u' ? 4 : 8) && /[0-9A-Fa-f]/.test(cur.ch())) {
      digits += cur.ch();
      cur.advance();
    }
    const cp = parseInt(digits || 'x', 16);
    return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : `\\${e}${digits}`;
  }
  if (e === 'c') {
    const x = cur.ch();
    if (x === '') return '\\c';
    cur.advance();
    return String.fromCharCode(x.toUpperCase().charCodeAt(0) & 0x1f);
  }
  return `\\${e}`; // bash keeps an unknown escape as written
}
