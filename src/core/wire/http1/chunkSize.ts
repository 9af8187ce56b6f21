/**
 * One chunk-size line (RFC 9112 §7.1): hex digits, optional extensions after ";", CRLF. Read a byte at a
 * time, so a reader that passes bytes on as they come (the proxy) can stop at the first wrong one, and a
 * reader that has the whole line (the client) gets the same answer. The size is at most 2^53−1 (an exact
 * JavaScript integer). Where the readers deliberately differ, the rules say so:
 *
 * - `CLIENT_CHUNKS` (the client decoding a response): SP/HTAB allowed around the size, a bare LF ends the
 *   line, an extension may hold any byte but LF; at most 16 hex digits (leading zeros count).
 * - `PROXY_REQUEST_CHUNKS` (a request body the proxy forwards as it came): strict where parsers disagree:
 *   at most 16 hex digits, whitespace after the size only before an extension, CRLF only, no control byte
 *   but HTAB in an extension.
 * - `PROXY_RESPONSE_CHUNKS` (a response body the proxy relays unchanged): any number of digits (leading
 *   zeros), whitespace after the size may end the line; CRLF only, no control byte in an extension.
 */

export interface ChunkSizeRules {
  /** SP/HTAB may come before the size. */
  leadingWs: boolean;
  /** The most hex digits a size may have (leading zeros count). */
  maxDigits: number;
  /** Whitespace after the size may end the line (otherwise only ";" may follow it). */
  wsThenEol: boolean;
  /** A bare LF ends the line (otherwise CRLF is required). */
  bareLf: boolean;
  /** What an extension may hold: any byte but LF, or no control byte but HTAB (CR ends it). */
  extension: 'any' | 'no-controls';
}

export const CLIENT_CHUNKS: ChunkSizeRules = { leadingWs: true, maxDigits: 16, wsThenEol: true, bareLf: true, extension: 'any' };
export const PROXY_REQUEST_CHUNKS: ChunkSizeRules = { leadingWs: false, maxDigits: 16, wsThenEol: false, bareLf: false, extension: 'no-controls' };
export const PROXY_RESPONSE_CHUNKS: ChunkSizeRules = { leadingWs: false, maxDigits: Infinity, wsThenEol: true, bareLf: false, extension: 'no-controls' };

/** The most bytes of one chunk-size line (size and extensions, without the LF). */
export const MAX_CHUNK_LINE = 4096;

export type ChunkLineError = { code: 'too-large' | 'too-long' | 'syntax'; why: string };

const enum S {
  Start,
  Digits,
  Ws,
  Ext,
  /** A CR inside an extension that may hold any byte: LF ends the line, anything else is more extension. */
  ExtCr,
  /** A CR that must be followed by LF. */
  CrEnd,
  Done,
}

const hexByte = (c: number): string => `0x${c.toString(16).padStart(2, '0')}`;

export class ChunkSizeLine {
  /** The size read so far (final once `done`). */
  size = 0;
  done = false;
  error?: ChunkLineError;
  private state = S.Start;
  private digits = 0;
  private lineBytes = 0;

  constructor(private readonly rules: ChunkSizeRules) {}

  /** Starts a new line. */
  reset(): void {
    this.size = 0;
    this.done = false;
    this.error = undefined;
    this.state = S.Start;
    this.digits = 0;
    this.lineBytes = 0;
  }

  /**
   * Reads from buf[i] until the line ends (LF consumed, `done`), an error (`error`; the index returned is
   * the wrong byte's), or the end of `buf`. Returns the index after the bytes read.
   */
  scan(buf: Buffer, i: number): number {
    const r = this.rules;
    while (i < buf.length && !this.done && !this.error) {
      const c = buf[i];
      switch (this.state) {
        case S.Start:
        case S.Digits: {
          const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
          if (d >= 0) {
            if (this.digits >= r.maxDigits) return this.fail('syntax', `a chunk size has more than ${r.maxDigits} hex digits`, i);
            this.size = this.size * 16 + d;
            this.digits++;
            this.state = S.Digits;
            if (this.size > Number.MAX_SAFE_INTEGER) return this.fail('too-large', 'a chunk size is too large', i);
          } else if (this.state === S.Start) {
            if (!(r.leadingWs && (c === 0x20 || c === 0x09))) return this.fail('syntax', `a chunk size line starts with byte ${hexByte(c)}`, i);
          } else if (c === 0x0d) this.state = S.CrEnd;
          else if (c === 0x3b) this.state = S.Ext;
          else if (c === 0x20 || c === 0x09) this.state = S.Ws;
          else if (c === 0x0a && r.bareLf) return this.end(i);
          else return this.fail('syntax', `byte ${hexByte(c)} in a chunk size`, i);
          break;
        }
        case S.Ws:
          if (c === 0x3b) this.state = S.Ext;
          else if (c === 0x0d && r.wsThenEol) this.state = S.CrEnd;
          else if (c === 0x0a && r.wsThenEol && r.bareLf) return this.end(i);
          else if (c !== 0x20 && c !== 0x09) return this.fail('syntax', `byte ${hexByte(c)} after a chunk size (only ${r.wsThenEol ? '";" or the end of the line' : 'an extension (";")'} may follow)`, i);
          break;
        case S.Ext:
        case S.ExtCr:
          if (c === 0x0a && (r.bareLf || this.state === S.ExtCr)) return this.end(i);
          if (c === 0x0d) this.state = r.extension === 'any' ? S.ExtCr : S.CrEnd;
          else if (r.extension === 'any') this.state = S.Ext;
          // A bare LF (or any control byte but HTAB) in an extension is where parsers disagree: refuse it.
          else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return this.fail('syntax', `control byte ${hexByte(c)} in a chunk extension`, i);
          break;
        case S.CrEnd:
          if (c === 0x0a) return this.end(i);
          return this.fail('syntax', 'a chunk size line does not end with CRLF', i);
      }
      i++;
      if (++this.lineBytes > MAX_CHUNK_LINE) return this.fail('too-long', `a chunk ${this.state === S.Ext || this.state === S.ExtCr ? 'extension' : 'size line'} is longer than 4 KB`, i);
    }
    return i;
  }

  private end(i: number): number {
    this.done = true;
    this.state = S.Done;
    return i + 1;
  }

  private fail(code: ChunkLineError['code'], why: string, i: number): number {
    this.error = { code, why };
    return i;
  }
}
