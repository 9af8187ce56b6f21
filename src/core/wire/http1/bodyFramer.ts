/**
 * Where a body ends in a stream of bytes (Content-Length, chunked with trailers, or the end of the
 * connection), for a reader that passes the bytes on as they are (the proxy). Nothing here buffers a body.
 */
import { ChunkSizeLine, PROXY_REQUEST_CHUNKS, PROXY_RESPONSE_CHUNKS } from './chunkSize';
import type { BodyFraming } from './framing';
import { TOKEN_BYTE } from './tokens';

const enum C {
  Size,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLf,
  Done,
}

/** The most bytes of a trailer section the proxy passes on. */
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
  private readonly sizeLine: ChunkSizeLine;
  private lineBytes = 0;
  private trailerBytes = 0;
  private inName = true;

  /**
   * `request`: the body of a request, whose chunk-size lines are read by the strict rules
   * (PROXY_REQUEST_CHUNKS, see ./chunkSize.ts); a response's by PROXY_RESPONSE_CHUNKS.
   */
  constructor(
    readonly framing: BodyFraming,
    request = false,
  ) {
    this.remaining = framing.kind === 'length' ? framing.length : 0;
    this.done = framing.kind === 'none';
    this.sizeLine = new ChunkSizeLine(request ? PROXY_REQUEST_CHUNKS : PROXY_RESPONSE_CHUNKS);
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
          const line = this.sizeLine;
          i = line.scan(buf, i);
          if (line.error) return this.fail(line.error.why, i, start);
          if (!line.done) break;
          if (line.size === 0) {
            this.state = C.Trailer;
          } else {
            this.remaining = line.size;
            this.state = C.Data;
          }
          line.reset();
          break;
        }
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
