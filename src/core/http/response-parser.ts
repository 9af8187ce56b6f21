/**
 * Incremental HTTP/1.x response parser. Feed it socket chunks; it tells when the message is complete.
 * Handles 1xx interim responses, Content-Length, chunked (extensions and trailers), read-until-close,
 * bodies that must be empty (HEAD, 204, 304) and CONNECT tunnels. Errors name what was wrong and the byte offset.
 *
 * Everything a peer controls is bounded: one head or trailer section ≤ MAX_HEAD_BYTES; interim responses
 * kept ≤ MAX_INTERIM_KEPT (the rest counted) and ≤ MAX_INTERIM_BYTES in all; trailer fields kept ≤
 * MAX_TRAILERS_KEPT (the rest counted); the body ≤ maxBodyBytes. Partial lines are scanned once (the search
 * resumes where it stopped), so reading in small pieces costs the same as reading at once, and the result
 * does not depend on where the reads were split.
 */
import type { BodyFraming, HeaderList } from '../exchange';
import { PhaseError } from '../transport/errors';
import { BodyBuffer } from './body-buffer';
import { framingOf } from './framing';
import { PendingBytes } from '../wire/pendingBytes';
import { FieldFixes, MAX_HEAD_BYTES, addFieldLine, findHeadEnd, parseHeadText, tokens, type ResponseHead } from './head';
import { CLIENT_CHUNKS, ChunkSizeLine, MAX_CHUNK_LINE } from '../wire/http1/chunkSize';
import { trimOws } from '../wire/http1/tokens';
import { MAX_INTERIM_BYTES, MAX_INTERIM_KEPT, MAX_TRAILERS_KEPT, closedEarly, plural, responseNotes } from './response-words';

export { MAX_HEAD_BYTES, tokens, type ResponseHead };

export { MAX_INTERIM_BYTES, MAX_INTERIM_KEPT, MAX_TRAILERS_KEPT };

type State = 'head' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'body-close' | 'done';

export class ResponseParser {
  readonly interim: ResponseHead[] = [];
  /** Interim responses received after the first MAX_INTERIM_KEPT: counted, not kept. */
  interimNotKept = 0;
  head?: ResponseHead;
  trailers: HeaderList = [];
  /** Trailer fields received after the first MAX_TRAILERS_KEPT: counted, not kept. */
  trailersNotKept = 0;
  framing: BodyFraming = 'none';
  /** The body went past maxBodyBytes: the first maxBodyBytes are kept and reading stopped there. */
  truncated = false;
  /** Body bytes read (after transfer-decoding); equals maxBodyBytes when the body was cut. */
  bodyBytesOnWire = 0;
  /** Bytes of the stream consumed so far (offset for error messages). */
  offset = 0;
  /** Bytes received after the end of the message (a protocol violation on a keep-alive connection; tunnel data after a CONNECT). */
  extraBytes = 0;
  /** A 2xx answer to CONNECT: the connection became a tunnel right after the head (RFC 9112 §6.3). */
  tunnel = false;
  /** Why the body's framing is doubtful (the connection must not carry another request), in words. */
  ambiguousFraming?: string;
  /** Empty lines skipped before a status line (RFC 9112 §2.2). */
  blankLines = 0;
  readonly fixes = new FieldFixes();
  /** Bytes examined by line and head searches (grows linearly with the input; `work.copied` likewise). */
  private scanned = 0;

  private state: State = 'head';
  private readonly pending = new PendingBytes();
  /** Where the search for the end of the current line/head resumes, relative to the start of the pending bytes. */
  private scanFrom = 0;
  private remaining = 0;
  private interimBytes = 0;
  private trailerBytes = 0;
  private body: BodyBuffer;
  private readonly sizeLine = new ChunkSizeLine(CLIENT_CHUNKS);

  constructor(
    private readonly method: string,
    readonly maxBodyBytes: number,
  ) {
    this.body = new BodyBuffer(maxBodyBytes);
  }

  /** Work done so far: bytes examined by searches and bytes copied to keep partial input (a test checks both are linear). */
  get work(): { scanned: number; copied: number } {
    return { scanned: this.scanned, copied: this.pending.copied };
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
    if (!this.head || this.framing === 'close' || this.truncated || this.extraBytes > 0 || this.tunnel || this.ambiguousFraming) return false;
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
      if (!this.truncated) this.extraBytes += chunk.length;
      return;
    }
    const fromPend = this.pending.length > 0;
    let buf = fromPend ? this.pending.with(chunk) : chunk;
    while (buf.length > 0 && !this.done) {
      const used = this.step(buf);
      if (used < 0) {
        this.pending.keep(buf, fromPend);
        return;
      }
      this.offset += used;
      this.scanFrom = 0;
      buf = buf.subarray(used);
    }
    this.pending.clear();
    if (buf.length > 0 && !this.truncated) this.extraBytes += buf.length;
  }

  /** The peer closed its side. Completes a read-until-close body; anything else is premature. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'body-close') {
      this.state = 'done';
      return;
    }
    const state = this.state === 'head' || this.state === 'body-length' || this.state === 'trailers' ? this.state : 'chunked';
    const interimCount = this.interim.length + this.interimNotKept;
    throw closedEarly({ state, got: this.offset + this.pending.length, pending: this.pending.length, interimCount, bodyBytes: this.bodyBytesOnWire, remaining: this.remaining });
  }

  /** What a person should know about how the response was read (limits reached, bytes ignored, doubtful framing), in words. */
  notes(): string[] {
    return responseNotes(this);
  }

  /** Consumes from `buf`; returns bytes used (> 0), or -1 when more input is needed. */
  private step(buf: Buffer): number {
    switch (this.state) {
      case 'head':
        return this.parseHead(buf);
      case 'body-length':
      case 'chunk-data': {
        const n = Math.min(this.remaining, buf.length);
        this.remaining -= n;
        if (this.remaining === 0) this.state = this.state === 'chunk-data' ? 'chunk-crlf' : 'done';
        this.addBody(buf.subarray(0, n));
        return n;
      }
      case 'body-close':
        this.addBody(buf);
        return buf.length;
      case 'chunk-size':
        return this.chunkSize(buf);
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
      case 'trailers':
        return this.trailerLine(buf);
      case 'done':
        return buf.length;
    }
  }

  /** The LF ending the current line, searching from where the last search stopped; -1 (and remembers) when none yet. */
  private lineEnd(buf: Buffer): number {
    const eol = buf.indexOf(10, this.scanFrom);
    this.scanned += (eol < 0 ? buf.length : eol + 1) - this.scanFrom;
    if (eol < 0) this.scanFrom = buf.length;
    return eol;
  }

  private chunkSize(buf: Buffer): number {
    const eol = this.lineEnd(buf);
    if ((eol < 0 ? buf.length : eol) > MAX_CHUNK_LINE) throw this.error('chunk size line is longer than 4 KB', 0);
    if (eol < 0) return -1;
    // The whole line is here: the shared reader (CLIENT_CHUNKS rules) decides; the words quote the line.
    const line = this.sizeLine;
    line.reset();
    line.scan(buf.subarray(0, eol + 1), 0);
    if (!line.done) {
      const text = stripCr(buf.toString('latin1', 0, eol));
      if (line.error?.code === 'too-large') {
        const semi = text.indexOf(';');
        throw this.error(`chunk size ${trimOws(semi < 0 ? text : text.slice(0, semi))} is too large`, 0);
      }
      throw this.error(`invalid chunk size ${JSON.stringify(text)} (expected hex digits)`, 0);
    }
    this.remaining = line.size;
    this.state = line.size === 0 ? 'trailers' : 'chunk-data';
    return eol + 1;
  }

  private trailerLine(buf: Buffer): number {
    const eol = this.lineEnd(buf);
    if (this.trailerBytes + (eol < 0 ? buf.length : eol + 1) > MAX_HEAD_BYTES) {
      const kept = `${plural(this.trailers.length, 'trailer field')} kept${this.trailersNotKept ? `, ${this.trailersNotKept} more counted` : ''}`;
      throw this.error(`the trailer section is larger than ${MAX_HEAD_BYTES / 1024} KB, so reading stopped (the body was complete; ${kept})`, 0);
    }
    if (eol < 0) return -1;
    this.trailerBytes += eol + 1;
    const line = stripCr(buf.toString('latin1', 0, eol));
    if (line === '') {
      this.state = 'done';
      return eol + 1;
    }
    const folded = line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9;
    if (this.trailersNotKept > 0 || (this.trailers.length >= MAX_TRAILERS_KEPT && !folded)) {
      if (!folded) {
        const bad = addFieldLine(line, [], this.fixes);
        if (bad) throw this.error(`invalid trailer line ${JSON.stringify(line)} (${bad})`, 0);
        this.trailersNotKept++;
      }
      return eol + 1;
    }
    const bad = addFieldLine(line, this.trailers, this.fixes);
    if (bad) throw this.error(`invalid trailer line ${JSON.stringify(line)} (${bad})`, 0);
    return eol + 1;
  }

  private parseHead(buf: Buffer): number {
    // Empty lines before a status line (a stray CRLF, or one after a 1xx) are skipped (RFC 9112 §2.2), within the interim budget.
    let i = 0;
    while (i < buf.length) {
      const len = buf[i] === 10 ? 1 : buf[i] === 13 && buf[i + 1] === 10 ? 2 : 0;
      if (len === 0) break;
      if (this.interimBytes + len > MAX_INTERIM_BYTES) throw this.tooMuchBeforeFinal(i);
      this.interimBytes += len;
      this.blankLines++;
      i += len;
    }
    if (i > 0) return i;
    if (buf[0] === 13 && buf.length === 1) return -1;
    const { end, sep, resume } = findHeadEnd(buf, this.scanFrom);
    const size = end < 0 ? buf.length : end + sep;
    this.scanned += (end < 0 ? buf.length : end + 1) - this.scanFrom;
    if (size > MAX_HEAD_BYTES) throw this.error(`response headers are larger than ${MAX_HEAD_BYTES / 1024} KB`, 0);
    if (end < 0) {
      this.scanFrom = resume;
      // Fail fast on garbage instead of waiting for a head that will never come (once the quoted line is whole or 80 bytes).
      if (!'HTTP/'.startsWith(buf.toString('latin1', 0, Math.min(5, buf.length))) && (buf.length >= 80 || buf.indexOf(10) >= 0)) throw this.badStatusLine(buf);
      return -1;
    }
    const head = parseHeadText(
      buf.toString('latin1', 0, end),
      this.fixes,
      (what, at) => this.error(what, at),
      () => this.badStatusLine(buf),
    );
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      if (this.interimBytes + size > MAX_INTERIM_BYTES) throw this.tooMuchBeforeFinal(0);
      this.interimBytes += size;
      if (this.interim.length < MAX_INTERIM_KEPT) this.interim.push(head);
      else this.interimNotKept++;
      return size;
    }
    this.head = head;
    this.chooseFraming(head);
    return size;
  }

  private tooMuchBeforeFinal(at: number): PhaseError {
    const n = this.interim.length + this.interimNotKept;
    return this.error(
      `more than ${MAX_INTERIM_BYTES / 1024 / 1024} MB of interim (1xx) responses and empty lines came before any final response (${plural(n, 'interim response')}, ${Math.min(n, MAX_INTERIM_KEPT)} kept), so reading stopped`,
      at,
    );
  }

  private chooseFraming(head: ResponseHead): void {
    const f = framingOf(this.method, head);
    switch (f.kind) {
      case 'error':
        throw this.error(f.what, 0);
      case 'tunnel':
      case 'none':
        this.tunnel = f.kind === 'tunnel';
        this.framing = 'none';
        this.state = 'done';
        return;
      case 'length':
        this.remaining = f.length;
        this.framing = 'content-length';
        this.body.expect(f.length);
        this.state = f.length === 0 ? 'done' : 'body-length';
        return;
      default:
        this.ambiguousFraming = f.ambiguous;
        this.framing = f.kind;
        this.state = f.kind === 'chunked' ? 'chunk-size' : 'body-close';
    }
  }

  /** Keeps body bytes up to the cap. The first byte past the cap stops the reading, wherever the reads were split. */
  private addBody(piece: Buffer): void {
    const room = this.body.room;
    if (piece.length <= room) {
      this.body.add(piece);
      this.bodyBytesOnWire += piece.length;
      return;
    }
    this.body.add(piece.subarray(0, room));
    this.bodyBytesOnWire += room;
    this.truncated = true;
    this.state = 'done';
  }

  private badStatusLine(buf: Buffer): PhaseError {
    const eol = buf.indexOf(10);
    const first = stripCr(buf.toString('latin1', 0, Math.min(eol < 0 ? buf.length : eol, 80)));
    return this.error(`invalid status line ${JSON.stringify(first)} (expected e.g. "HTTP/1.1 200 OK")`, 0);
  }

  private error(what: string, at: number): PhaseError {
    return new PhaseError('parse', `Malformed response: ${what} at byte ${this.offset + at}`, 'EPARSE');
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
