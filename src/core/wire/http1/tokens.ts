/**
 * HTTP/1 tokens and whitespace, the rules every reader of a head applies (RFC 9110 §5.6.2, §5.6.3): a field
 * name or method is a token; optional whitespace (OWS) is SP and HTAB only, never VT, FF, NBSP or other
 * Unicode spaces that String.trim() would remove. Used by the client's response parser and the proxy.
 */
import type { HeaderList } from '../../exchange';

/** The tchar class (RFC 9110 §5.6.2), for building patterns such as a request line. */
export const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
/** A whole string of tchar. */
export const TOKEN = new RegExp(`^${TCHAR}+$`);

/** 1 for each byte that is a tchar, for byte-at-a-time readers. */
export const TOKEN_BYTE = new Uint8Array(256);
for (const ch of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN_BYTE[ch.charCodeAt(0)] = 1;

export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

/** Strips SP and HTAB only (OWS) from both ends. */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** The comma-separated elements of every field with this (lower-case) name, OWS-trimmed and lower-cased; empty elements dropped. */
export function listTokens(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of headers) {
    if (k.length !== name.length || k.toLowerCase() !== name) continue;
    for (const t of v.split(',')) {
      const s = trimOws(t).toLowerCase();
      if (s) out.push(s);
    }
  }
  return out;
}
