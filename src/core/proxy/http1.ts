/**
 * The HTTP/1.x pieces the proxy needs, and no more: parse a request or response head, decide how a body is
 * framed, and find where a body ends in a stream of bytes (Content-Length, chunked with trailers, or the
 * end of the connection) so the bytes can be passed on as they are. Nothing here buffers a body.
 */
import type { HeaderList } from '../exchange';

export interface RequestHead {
  method: string;
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  headers: HeaderList;
}

export interface ResponseHead {
  status: number;
  reason: string;
  minor: number;
  headers: HeaderList;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\s]+) HTTP\/1\.([01])$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
const BAD_VALUE = /[\0\r\n]/;
/**
 * Control bytes a request may not carry in a field value (RFC 9110 §5.5: all CTLs but HTAB are invalid) or
 * its target (a URI has none). Forwarded, they reach an origin that parses them differently or refuses them.
 */
// eslint-disable-next-line no-control-regex -- control bytes are what it looks for
const REQUEST_CTL = /[\0-\x08\x0a-\x1f\x7f]/;
/** Optional whitespace is SP and HTAB only (RFC 9110 §5.6.3): not VT, FF or NBSP, which String.trim removes. */
export const trimOws = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** Parses header lines (after the first line); returns a sentence on the first thing wrong. */
function parseHeaderLines(lines: string[], request = false): HeaderList | string {
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    if (line[0] === ' ' || line[0] === '\t') return `header line ${i + 1} is folded (starts with whitespace), which HTTP/1.1 no longer allows`;
    const colon = line.indexOf(':');
    if (colon <= 0) return `header line ${i + 1} has no "name:"`;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return `header name ${JSON.stringify(name)} has characters a header name cannot have`;
    const rawValue = line.slice(colon + 1);
    if ((request ? REQUEST_CTL : BAD_VALUE).test(rawValue)) return `header ${name} has a control character in its value`;
    const value = trimOws(rawValue);
    headers.push([name, value]);
  }
  return headers;
}

/** `head` is the latin1 text before the blank line. */
export function parseRequestHead(head: string): RequestHead | string {
  const lines = head.split('\r\n');
  const m = REQUEST_LINE.exec(lines[0]);
  if (!m) return `the request line ${JSON.stringify(lines[0].slice(0, 100))} is not "METHOD target HTTP/1.x"`;
  if (REQUEST_CTL.test(m[2])) return `the request target ${JSON.stringify(m[2].slice(0, 100))} has a control character`;
  const headers = parseHeaderLines(lines, true);
  if (typeof headers === 'string') return headers;
  return { method: m[1], target: m[2], minor: Number(m[3]), headers };
}

export function parseResponseHead(head: string): ResponseHead | string {
  const lines = head.split('\r\n');
  const m = STATUS_LINE.exec(lines[0]);
  if (!m) return `the status line ${JSON.stringify(lines[0].slice(0, 100))} is not "HTTP/1.x NNN reason"`;
  const headers = parseHeaderLines(lines);
  if (typeof headers === 'string') return headers;
  return { minor: Number(m[1]), status: Number(m[2]), reason: m[3] ?? '', headers };
}

/** The comma-separated tokens of every header with this (lower-case) name, lower-cased. */
export function headerTokens(headers: HeaderList, name: string): string[] {
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

export type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

/**
 * How a message body is framed (RFC 9112 §6.3). Conflicts that could let two parties disagree on where a
 * message ends (request smuggling) are errors: Transfer-Encoding with Content-Length, differing lengths.
 */
export function bodyFraming(headers: HeaderList, isRequest: boolean): Framing | string {
  const te = headerTokens(headers, 'transfer-encoding');
  const lengths: string[] = [];
  for (const [k, v] of headers) if (k.length === 14 && k.toLowerCase() === 'content-length') lengths.push(...v.split(',').map(trimOws));
  if (te.length > 0) {
    // A response with both: Transfer-Encoding wins (the forwarder drops the Content-Length); a request with both is refused.
    if (isRequest && lengths.length > 0) return 'it has both Transfer-Encoding and Content-Length (ambiguous framing)';
    // chunked applied twice (RFC 9112 §6.1 forbids it) would be undone once by one party and twice by another.
    if (isRequest && te.indexOf('chunked') !== te.length - 1 && te[te.length - 1] === 'chunked') return `its Transfer-Encoding (${te.join(', ')}) applies chunked more than once`;
    if (te[te.length - 1] === 'chunked') return { kind: 'chunked' };
    return isRequest ? `its Transfer-Encoding (${te.join(', ')}) does not end with chunked, so its length is unknown` : { kind: 'close' };
  }
  if (lengths.length > 0) {
    if (lengths.some((l) => !/^\d{1,15}$/.test(l))) return `its Content-Length ${JSON.stringify(lengths.join(', '))} is not a number`;
    if (new Set(lengths.map(Number)).size > 1) return `it has differing Content-Length values (${lengths.join(', ')})`;
    const length = Number(lengths[0]);
    return length === 0 ? { kind: 'none' } : { kind: 'length', length };
  }
  return isRequest ? { kind: 'none' } : { kind: 'close' };
}

const enum C {
  Size,
  SizeWs,
  SizeExt,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLf,
  Done,
}

const MAX_CHUNK_LINE = 4096;
/** Bytes allowed in a header name (RFC 9110 token). */
const TOKEN_BYTE = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN_BYTE[ch.charCodeAt(0)] = 1;
const MAX_TRAILERS = 64 * 1024;

/**
 * Finds the end of a body in the bytes that follow a head. `consume` says how many bytes of the chunk
 * belong to the body (the rest is the next message, or a protocol error); bytes pass through unchanged.
 * For chunked bodies, `onPayload` (when given) receives the data without the chunk framing.
 */
export class BodyFramer {
  done: boolean;
  error?: string;
  /** Body bytes seen so far (for chunked: payload bytes). */
  payloadBytes = 0;
  private remaining: number;
  private state = C.Size;
  private size = 0;
  private lineBytes = 0;
  private trailerBytes = 0;
  private sawDigit = false;
  private inName = true;

  /**
   * `request`: the body of a request, read strictly where parsers disagree (it is passed on as it came):
   * at most 16 hex digits in a chunk size (leading zeros included; a parser that reads a fixed number of
   * digits would see another size), and whitespace after a size only before an extension (RFC 9112 §7.1.1).
   */
  constructor(
    readonly framing: Framing,
    private readonly request = false,
  ) {
    this.remaining = framing.kind === 'length' ? framing.length : 0;
    this.done = framing.kind === 'none';
  }

  /** Bytes of `buf` from `start` that belong to the body. */
  consume(buf: Buffer, start: number, onPayload?: (b: Buffer) => void): number {
    if (this.done) return 0;
    const avail = buf.length - start;
    switch (this.framing.kind) {
      case 'close':
        this.payloadBytes += avail;
        onPayload?.(start === 0 ? buf : buf.subarray(start));
        return avail;
      case 'length': {
        const n = Math.min(avail, this.remaining);
        this.remaining -= n;
        this.payloadBytes += n;
        if (n > 0) onPayload?.(buf.subarray(start, start + n));
        if (this.remaining === 0) this.done = true;
        return n;
      }
      case 'chunked':
        return this.chunked(buf, start, onPayload);
      default:
        return 0;
    }
  }

  private fail(why: string, at: number, start: number): number {
    this.error = `the chunked body is malformed: ${why}`;
    this.done = true;
    return at - start;
  }

  private chunked(buf: Buffer, start: number, onPayload?: (b: Buffer) => void): number {
    let i = start;
    const end = buf.length;
    while (i < end) {
      switch (this.state) {
        case C.Size: {
          const c = buf[i];
          const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
          if (d >= 0) {
            this.size = this.size * 16 + d;
            this.sawDigit = true;
            if (this.request && this.lineBytes >= 16) return this.fail('a chunk size has more than 16 hex digits', i, start);
            if (this.size > Number.MAX_SAFE_INTEGER / 16) return this.fail('a chunk size is too large', i, start);
          } else if (!this.sawDigit) return this.fail(`a chunk size line starts with byte 0x${c.toString(16).padStart(2, '0')}`, i, start);
          else if (c === 0x0d) this.state = C.SizeLf;
          else if (c === 0x3b) this.state = C.SizeExt;
          else if (c === 0x20 || c === 0x09) this.state = C.SizeWs;
          else return this.fail(`byte 0x${c.toString(16).padStart(2, '0')} in a chunk size`, i, start);
          i++;
          if (++this.lineBytes > MAX_CHUNK_LINE) return this.fail('a chunk size line is longer than 4 KB', i, start);
          break;
        }
        case C.SizeWs: {
          // Whitespace after the size may only lead to an extension (";") or, in a response, the end of the line.
          const c = buf[i];
          if (c === 0x3b) this.state = C.SizeExt;
          else if (c === 0x0d && !this.request) this.state = C.SizeLf;
          else if (c !== 0x20 && c !== 0x09) return this.fail(`byte 0x${c.toString(16).padStart(2, '0')} after a chunk size (only ${this.request ? 'an extension (";")' : '";" or the end of the line'} may follow)`, i, start);
          i++;
          if (++this.lineBytes > MAX_CHUNK_LINE) return this.fail('a chunk size line is longer than 4 KB', i, start);
          break;
        }
        case C.SizeExt: {
          const c = buf[i];
          if (c === 0x0d) this.state = C.SizeLf;
          // A bare LF (or any control byte but HTAB) in an extension is where parsers disagree: refuse it.
          else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return this.fail(`control byte 0x${c.toString(16).padStart(2, '0')} in a chunk extension`, i, start);
          i++;
          if (++this.lineBytes > MAX_CHUNK_LINE) return this.fail('a chunk extension is longer than 4 KB', i, start);
          break;
        }
        case C.SizeLf:
          if (buf[i] !== 0x0a) return this.fail('a chunk size line does not end with CRLF', i, start);
          i++;
          this.lineBytes = 0;
          this.sawDigit = false;
          if (this.size === 0) {
            this.state = C.Trailer;
          } else {
            this.remaining = this.size;
            this.size = 0;
            this.state = C.Data;
          }
          break;
        case C.Data: {
          const n = Math.min(end - i, this.remaining);
          if (onPayload) onPayload(buf.subarray(i, i + n));
          this.payloadBytes += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = C.DataCr;
          break;
        }
        case C.DataCr:
          if (buf[i] !== 0x0d) return this.fail('chunk data is longer than its size says', i, start);
          i++;
          this.state = C.DataLf;
          break;
        case C.DataLf:
          if (buf[i] !== 0x0a) return this.fail('chunk data is not followed by CRLF', i, start);
          i++;
          this.state = C.Size;
          break;
        case C.Trailer: {
          // A trailer section: "name: value" lines until an empty one. lineBytes counts the current line.
          const c = buf[i];
          if (c === 0x0d) {
            if (this.lineBytes > 0 && this.inName) return this.fail('a trailer line has no "name:"', i, start);
            this.state = C.TrailerLf;
          } else if (c === 0x0a || c === 0) return this.fail(`a trailer line has a ${c === 0 ? 'NUL byte' : 'bare LF'}`, i, start);
          else {
            if (this.inName) {
              if (c === 0x3a) {
                if (this.lineBytes === 0) return this.fail('a trailer line has an empty name', i, start);
                this.inName = false;
              } else if (!TOKEN_BYTE[c]) return this.fail(`byte 0x${c.toString(16).padStart(2, '0')} in a trailer name`, i, start);
            }
            this.lineBytes++;
          }
          i++;
          if (++this.trailerBytes > MAX_TRAILERS) return this.fail('the trailers are larger than 64 KB', i, start);
          break;
        }
        case C.TrailerLf:
          if (buf[i] !== 0x0a) return this.fail('a trailer line does not end with CRLF', i, start);
          i++;
          if (this.lineBytes === 0) {
            this.state = C.Done;
            this.done = true;
            return i - start;
          }
          this.lineBytes = 0;
          this.inName = true;
          this.state = C.Trailer;
          break;
        default:
          return i - start;
      }
    }
    return i - start;
  }
}

/** Writes a head: the first line, then the headers, then the blank line. */
export function serializeHead(firstLine: string, headers: HeaderList, extra?: string): string {
  let s = `${firstLine}\r\n`;
  for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
  if (extra) s += extra;
  return `${s}\r\n`;
}
