/**
 * Incremental HTTP/1.x response parser. Feed it socket chunks; it tells when the message is complete.
 * Handles 1xx interim responses, Content-Length, chunked (extensions and trailers), read-until-close,
 * and bodies that must be empty (HEAD, 204, 304). Errors name what was wrong and the byte offset.
 */
import type { BodyFraming, HeaderList, InterimResponse } from '../exchange';
import { PhaseError } from '../transport/errors';

export const MAX_HEAD_BYTES = 256 * 1024;

export interface ResponseHead {
  version: string;
  status: number;
  reason: string;
  headers: HeaderList;
}

type State = 'head' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'body-close' | 'done';

const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export class ResponseParser {
  readonly interim: InterimResponse[] = [];
  head?: ResponseHead;
  trailers: HeaderList = [];
  framing: BodyFraming = 'none';
  truncated = false;
  /** Body bytes the peer sent (after transfer-decoding), counted even past the cap. */
  bodyBytesOnWire = 0;
  /** Bytes of the stream consumed so far (offset for error messages). */
  offset = 0;
  /** Bytes received after the end of the message (a protocol violation on a keep-alive connection). */
  extraBytes = 0;

  private state: State = 'head';
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private body: BodyBuffer;

  constructor(
    private readonly method: string,
    readonly maxBodyBytes: number,
  ) {
    this.body = new BodyBuffer(maxBodyBytes);
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** The body with transfer-encoding removed (content-encoding intact). */
  get rawBody(): Buffer {
    return this.body.result();
  }

  /** Whether the connection can carry another request after this response. */
  keepAlive(requestHeaders: HeaderList): boolean {
    if (!this.head || this.framing === 'close' || this.truncated || this.extraBytes > 0) return false;
    if (this.head.status === 101) return false;
    const reqConn = tokens(requestHeaders, 'connection');
    const resConn = tokens(this.head.headers, 'connection');
    if (reqConn.includes('close') || resConn.includes('close')) return false;
    if (this.head.version === 'HTTP/1.0') return resConn.includes('keep-alive');
    return true;
  }

  /** Feed bytes. Throws PhaseError('parse') on a malformed message. */
  push(chunk: Buffer): void {
    if (this.state === 'done') {
      this.extraBytes += chunk.length;
      return;
    }
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (buf.length > 0 && !this.done) {
      const used = this.step(buf);
      if (used < 0) {
        this.pending = buf; // need more bytes
        return;
      }
      this.offset += used;
      buf = buf.subarray(used);
    }
    if (buf.length > 0 && this.done) this.extraBytes += buf.length;
  }

  /** The peer closed its side. Completes a read-until-close body; anything else is premature. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'body-close') {
      this.state = 'done';
      return;
    }
    if (this.state === 'head') {
      const got = this.offset + this.pending.length;
      throw new PhaseError(
        got === 0 ? 'wait' : 'parse',
        got === 0
          ? 'The server closed the connection without sending a response'
          : `The server closed the connection in the middle of the response headers (after ${got} bytes)`,
        'ECONNCLOSED',
      );
    }
    if (this.state === 'body-length') {
      throw new PhaseError(
        'receive',
        `The server closed the connection before the body was complete: got ${this.bodyBytesOnWire} of ${this.bodyBytesOnWire + this.remaining} bytes (Content-Length)`,
        'ECONNCLOSED',
      );
    }
    throw new PhaseError('receive', `The server closed the connection in the middle of a chunked body (after ${this.bodyBytesOnWire} body bytes; no final 0-size chunk)`, 'ECONNCLOSED');
  }

  /** Consumes from `buf`; returns bytes used, or -1 when more input is needed. */
  private step(buf: Buffer): number {
    switch (this.state) {
      case 'head':
        return this.parseHead(buf);
      case 'body-length': {
        const n = Math.min(this.remaining, buf.length);
        this.addBody(buf.subarray(0, n));
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'done';
        return n;
      }
      case 'body-close':
        this.addBody(buf);
        return buf.length;
      case 'chunk-size': {
        const eol = buf.indexOf(10);
        if (eol < 0) {
          if (buf.length > 4096) throw this.error('chunk size line is longer than 4 KB', 0);
          return -1;
        }
        const line = buf.subarray(0, eol).toString('latin1').replace(/\r$/, '');
        const sizeText = line.split(';')[0].trim();
        if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw this.error(`invalid chunk size ${JSON.stringify(line)} (expected hex digits)`, 0);
        const size = parseInt(sizeText, 16);
        if (!Number.isSafeInteger(size)) throw this.error(`chunk size ${sizeText} is too large`, 0);
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'chunk-data';
        return eol + 1;
      }
      case 'chunk-data': {
        const n = Math.min(this.remaining, buf.length);
        this.addBody(buf.subarray(0, n));
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'chunk-crlf';
        return n;
      }
      case 'chunk-crlf': {
        if (buf[0] === 10) {
          this.state = 'chunk-size';
          return 1;
        }
        if (buf[0] !== 13) throw this.error('expected CRLF after chunk data', 0);
        if (buf.length < 2) return -1;
        if (buf[1] !== 10) throw this.error('expected CRLF after chunk data', 1);
        this.state = 'chunk-size';
        return 2;
      }
      case 'trailers': {
        const eol = buf.indexOf(10);
        if (eol < 0) {
          if (buf.length > MAX_HEAD_BYTES) throw this.error('trailer section is too large', 0);
          return -1;
        }
        const line = buf.subarray(0, eol).toString('latin1').replace(/\r$/, '');
        if (line === '') {
          this.state = 'done';
        } else {
          const i = line.indexOf(':');
          if (i <= 0) throw this.error(`invalid trailer line ${JSON.stringify(line)} (no colon)`, 0);
          this.trailers.push([line.slice(0, i), line.slice(i + 1).trim()]);
        }
        return eol + 1;
      }
      case 'done':
        return buf.length;
    }
  }

  private parseHead(buf: Buffer): number {
    let end = buf.indexOf('\r\n\r\n');
    let sepLen = 4;
    const lf = buf.indexOf('\n\n');
    if (lf >= 0 && (end < 0 || lf < end)) {
      end = lf;
      sepLen = 2;
    }
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) throw this.error(`response headers are larger than ${MAX_HEAD_BYTES / 1024} KB`, 0);
      // Fail fast on garbage instead of waiting for a head that will never come.
      if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') !== 'HTTP/') throw this.badStatusLine(buf);
      return -1;
    }
    const text = buf.subarray(0, end).toString('latin1');
    const lines: string[] = [];
    const starts: number[] = [];
    for (let pos = 0; pos <= text.length; ) {
      const nl = text.indexOf('\n', pos);
      const stop = nl < 0 ? text.length : nl;
      starts.push(pos);
      lines.push(text.slice(pos, stop > pos && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop));
      pos = stop + 1;
    }
    const statusLine = lines[0];
    const m = STATUS_LINE.exec(statusLine);
    if (!m) throw this.badStatusLine(buf);
    const head: ResponseHead = {
      version: `HTTP/${m[1]}.${m[2]}`,
      status: Number(m[3]),
      reason: m[4] ?? '',
      headers: [],
    };
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if ((line.startsWith(' ') || line.startsWith('\t')) && head.headers.length > 0) {
        const last = head.headers[head.headers.length - 1];
        last[1] = `${last[1]} ${line.trim()}`; // obsolete line folding
      } else {
        const c = line.indexOf(':');
        const name = c > 0 ? line.slice(0, c) : '';
        if (!name || !TOKEN.test(name)) {
          throw this.error(`invalid header line ${i + 1} ${JSON.stringify(line)} (${c < 0 ? 'no colon' : 'invalid header name'})`, starts[i]);
        }
        head.headers.push([name, line.slice(c + 1).trim()]);
      }
    }
    const used = end + sepLen;
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      this.interim.push(head);
      return used;
    }
    this.head = head;
    this.chooseFraming(head);
    return used;
  }

  private chooseFraming(head: ResponseHead): void {
    const noBody = this.method.toUpperCase() === 'HEAD' || head.status === 204 || head.status === 304 || head.status === 101 || (head.status >= 100 && head.status < 200);
    if (noBody) {
      this.framing = 'none';
      this.state = 'done';
      return;
    }
    const te = tokens(head.headers, 'transfer-encoding');
    if (te.length > 0) {
      if (te[te.length - 1] === 'chunked') {
        this.framing = 'chunked';
        this.state = 'chunk-size';
      } else {
        this.framing = 'close';
        this.state = 'body-close';
      }
      return;
    }
    const cls = tokens(head.headers, 'content-length');
    if (cls.length > 0) {
      const distinct = [...new Set(cls)];
      if (distinct.length > 1) throw this.error(`conflicting Content-Length values: ${distinct.join(', ')}`, 0);
      if (!/^\d{1,15}$/.test(distinct[0])) throw this.error(`invalid Content-Length ${JSON.stringify(distinct[0])}`, 0);
      this.remaining = Number(distinct[0]);
      this.framing = 'content-length';
      this.body.expect(this.remaining);
      this.state = this.remaining === 0 ? 'done' : 'body-length';
      return;
    }
    this.framing = 'close';
    this.state = 'body-close';
  }

  private addBody(chunk: Buffer): void {
    this.bodyBytesOnWire += chunk.length;
    if (!this.body.add(chunk)) {
      this.truncated = true;
      this.state = 'done';
    }
  }

  private badStatusLine(buf: Buffer): PhaseError {
    const eol = buf.indexOf(10);
    const first = buf.subarray(0, Math.min(eol < 0 ? buf.length : eol, 80)).toString('latin1').replace(/\r$/, '');
    return this.error(`invalid status line ${JSON.stringify(first)} (expected e.g. "HTTP/1.1 200 OK")`, 0);
  }

  private error(what: string, at: number): PhaseError {
    return new PhaseError('parse', `Malformed response: ${what} at byte ${this.offset + at}`, 'EPARSE');
  }
}

/** Comma-separated header tokens, lower-cased. */
export function tokens(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of headers) {
    if (k.toLowerCase() !== name) continue;
    for (const t of v.split(',')) {
      const s = t.trim().toLowerCase();
      if (s) out.push(s);
    }
  }
  return out;
}

/** Collects the body up to a cap; preallocates when the length is known, so a big body is held once. */
class BodyBuffer {
  private chunks: Buffer[] = [];
  private fixed?: Buffer;
  private size = 0;
  constructor(private readonly max: number) {}

  expect(length: number): void {
    if (length > 64 * 1024) this.fixed = Buffer.allocUnsafe(Math.min(length, this.max));
  }

  /** Returns false when the cap was reached (the chunk was cut). */
  add(chunk: Buffer): boolean {
    const room = this.max - this.size;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (this.fixed && this.size + part.length <= this.fixed.length) {
      part.copy(this.fixed, this.size);
    } else if (part.length > 0) {
      this.chunks.push(Buffer.from(part)); // copy: the socket's chunk may be a slice of a larger pool buffer
    }
    this.size += part.length;
    return chunk.length <= room;
  }

  result(): Buffer {
    if (this.fixed && this.chunks.length === 0) return this.fixed.subarray(0, this.size);
    const all = this.fixed ? [this.fixed.subarray(0, this.size - sum(this.chunks)), ...this.chunks] : this.chunks;
    if (all.length === 1) return all[0];
    const out = Buffer.concat(all, this.size);
    this.chunks = [out];
    this.fixed = undefined;
    return out;
  }
}

function sum(bufs: Buffer[]): number {
  let n = 0;
  for (const b of bufs) n += b.length;
  return n;
}
