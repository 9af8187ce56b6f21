/**
 * History keeps no secrets it was told about: the values of the headers named in `netreq.history.redact`
 * (Authorization, Cookie, Set-Cookie, Proxy-Authorization by default) are replaced by REDACTED in the parsed
 * header lists and in the HTTP heads found in raw bytes (the request and response as sent and received, a
 * TCP/TLS chunk that starts with an HTTP head, a WebSocket upgrade request). Pure: no `vscode`, no I/O.
 */
import type { HeaderList } from '../../core/exchange';

export const REDACTED = '‹redacted›';
const REDACTED_BYTES = Buffer.from(REDACTED, 'utf8');

/** Heads looked at in one buffer (a 100 Continue, a CONNECT's answer, then the real one). */
const MAX_HEADS = 8;
/** Bytes of one head looked at; past it the rest of the buffer is left as it is (no header of a real head is that far). */
const MAX_HEAD_BYTES = 256 * 1024;

/** The names to redact, lower-cased; blanks and non-strings dropped (the setting is user input). */
export function redactNames(setting: unknown): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(setting)) return out;
  for (const n of setting.slice(0, 200)) if (typeof n === 'string' && n.trim() && n.length <= 256) out.add(n.trim().toLowerCase());
  return out;
}

/** The list with the named headers' values replaced; the same list when nothing is named in it. */
export function redactHeaderList(headers: HeaderList, names: ReadonlySet<string>): HeaderList {
  if (names.size === 0 || !headers.some(([k]) => names.has(k.toLowerCase()))) return headers;
  return headers.map(([k, v]) => (names.has(k.toLowerCase()) ? [k, REDACTED] : [k, v]));
}

const START_LINE = /^(?:HTTP\/\d(?:\.\d)? \d{3}(?: [^\r\n]*)?|[A-Z][A-Z0-9_-]{0,31} \S+ HTTP\/\d(?:\.\d)?)\r?$/;

/** Whether these bytes start with an HTTP request or status line. */
export function startsWithHttpHead(b: Buffer, at = 0): boolean {
  const nl = b.indexOf(0x0a, at);
  const end = nl < 0 ? Math.min(b.length, at + 512) : nl;
  if (end - at > 8192) return false;
  return START_LINE.test(b.toString('latin1', at, end));
}

/**
 * The bytes with the named headers' values replaced in the HTTP head they start with, and in each head that
 * follows right after it (interim 1xx answers before the final one, a CONNECT before the request). A buffer that
 * does not start with an HTTP head comes back as it is. Lines end with LF or CRLF; the line endings are kept.
 */
export function redactHeads(buf: Buffer, names: ReadonlySet<string>): Buffer {
  return scanHeads(buf, names).out;
}

/** Where the HTTP heads these bytes start with end (0 when they do not start with one): the body starts there. */
export function headsLength(buf: Buffer): number {
  return scanHeads(buf, new Set()).end;
}

function scanHeads(buf: Buffer, names: ReadonlySet<string>): { out: Buffer; end: number } {
  if (!startsWithHttpHead(buf)) return { out: buf, end: 0 };
  const parts: Buffer[] = [];
  let pos = 0;
  let changed = false;
  for (let heads = 0; heads < MAX_HEADS && pos < buf.length && startsWithHttpHead(buf, pos); heads++) {
    const limit = Math.min(buf.length, pos + MAX_HEAD_BYTES);
    let lineStart = pos;
    let first = true;
    let ended = false;
    while (lineStart < limit) {
      const nl = buf.indexOf(0x0a, lineStart);
      const lineEnd = nl < 0 || nl >= limit ? limit : nl + 1;
      const line = buf.subarray(lineStart, lineEnd);
      const text = line.toString('latin1');
      const bare = text.replace(/\r?\n$/, '');
      if (!first && bare === '') {
        parts.push(line);
        lineStart = lineEnd;
        ended = true;
        break;
      }
      const colon = bare.indexOf(':');
      if (!first && colon > 0 && names.has(bare.slice(0, colon).trim().toLowerCase())) {
        const valueStart = colon + 1 + (bare[colon + 1] === ' ' ? 1 : 0);
        parts.push(line.subarray(0, valueStart), REDACTED_BYTES, line.subarray(bare.length));
        changed = true;
      } else parts.push(line);
      first = false;
      lineStart = lineEnd;
    }
    pos = lineStart;
    if (!ended) break;
  }
  if (!changed) return { out: buf, end: pos };
  parts.push(buf.subarray(pos));
  const out = Buffer.concat(parts);
  return { out, end: pos + (out.length - buf.length) };
}

/** A head kept as text (the WebSocket upgrade request): the same rule. */
export function redactHeadText(head: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return head;
  const b = Buffer.from(head, 'utf8');
  const r = redactHeads(b, names);
  return r === b ? head : r.toString('utf8');
}
