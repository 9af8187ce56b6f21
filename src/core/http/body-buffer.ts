/** Collects a response body up to a cap; preallocates when the length is known, so a big body is held once. */
export class BodyBuffer {
  private chunks: Buffer[] = [];
  private fixed?: Buffer;
  private size = 0;
  constructor(private readonly max: number) {}

  /** Bytes that still fit under the cap. */
  get room(): number {
    return this.max - this.size;
  }

  expect(length: number): void {
    if (length > 64 * 1024) this.fixed = Buffer.allocUnsafe(Math.min(length, this.max));
  }

  /** Keeps `chunk`, which must fit (see `room`). */
  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.fixed && this.size + chunk.length <= this.fixed.length) {
      chunk.copy(this.fixed, this.size);
    } else {
      this.chunks.push(Buffer.from(chunk)); // copy: the socket's chunk may be a slice of a larger pool buffer
    }
    this.size += chunk.length;
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
