/** The first bytes of a forwarded body, kept for the traffic view's detail. */

/** Keeps the first `limit` bytes of a body for the detail view (copied, so socket buffers are not retained). */
export class BodyPreview {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  add = (b: Buffer): void => {
    if (this.size >= this.limit) return;
    const take = b.length <= this.limit - this.size ? b : b.subarray(0, this.limit - this.size);
    this.parts.push(Buffer.from(take));
    this.size += take.length;
  };
  result(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
  }
}
