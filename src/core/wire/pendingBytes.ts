/**
 * The bytes of an incomplete line or head, kept between reads in one growing buffer: a read of n bytes costs
 * O(n) (amortised), not a copy of everything kept so far, so a head that arrives a byte at a time is linear.
 * Used by the client's response parser (../http/response-parser.ts) and by the proxy for request heads,
 * pipelined requests and upstream response heads (../proxy/).
 *
 * The usual loop: `buf = p.length > 0 ? p.with(chunk) : chunk`, consume from the front of `buf`, and when
 * more input is needed `p.keep(rest, buf was from p)`; `clear()` once nothing is left. Later calls write over
 * the bytes of a view: a caller that hands one to a socket write drops this PendingBytes afterwards (the proxy
 * does, once a head is parsed), so what is queued on the socket is never changed.
 */
export class PendingBytes {
  private buf: Buffer = Buffer.alloc(0);
  length = 0;
  /** Bytes copied so far (a test checks this grows linearly with the input). */
  copied = 0;

  /** The kept bytes followed by `chunk`, as one view (valid until the next call). */
  with(chunk: Buffer): Buffer {
    this.append(chunk);
    return this.buf.subarray(0, this.length);
  }

  /** Keeps `rest`, the unconsumed tail of the last view from `with`, or of a fresh chunk when `fromView` is false. */
  keep(rest: Buffer, fromView: boolean): void {
    if (fromView) {
      const start = this.length - rest.length;
      if (start > 0) {
        this.buf.copyWithin(0, start, this.length);
        this.copied += rest.length;
      }
      this.length = rest.length;
    } else {
      this.length = 0;
      this.append(rest);
    }
  }

  clear(): void {
    this.length = 0;
  }

  private append(chunk: Buffer): void {
    const need = this.length + chunk.length;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 256));
      this.buf.copy(grown, 0, 0, this.length);
      this.copied += this.length;
      this.buf = grown;
    }
    chunk.copy(this.buf, this.length);
    this.copied += chunk.length;
    this.length = need;
  }
}
