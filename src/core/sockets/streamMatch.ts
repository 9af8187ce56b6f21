/**
 * Finds a byte pattern (`# @read-until`) in a stream that arrives in pieces, in time linear in the bytes read
 * whatever the pieces: a peer trickling one byte at a time after a long read no longer costs a copy of the
 * whole pattern per piece (a 1 MB pattern made each 1-byte piece copy 1 MB). Knuth–Morris–Pratt: the state is
 * how much of the pattern the bytes read so far end with.
 */
export class StreamMatcher {
  private readonly fail: Int32Array;
  private state = 0;
  /** Bytes examined one at a time (for tests: at most about 3 per byte read, plus the pattern's length per piece no shorter than it). */
  stepped = 0;

  constructor(private readonly pattern: Buffer) {
    const n = pattern.length;
    this.fail = new Int32Array(n);
    for (let i = 1, k = 0; i < n; i++) {
      while (k > 0 && pattern[i] !== pattern[k]) k = this.fail[k - 1];
      if (pattern[i] === pattern[k]) k++;
      this.fail[i] = k;
    }
  }

  /** Steps through `bytes` from the current state; true when the pattern ends inside them. */
  private step(bytes: Buffer): boolean {
    const p = this.pattern;
    const n = p.length;
    let k = this.state;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      while (k > 0 && b !== p[k]) {
        k = this.fail[k - 1];
        this.stepped++;
      }
      this.stepped++;
      if (b === p[k]) k++;
      if (k === n) {
        this.state = 0;
        return true;
      }
    }
    this.state = k;
    return false;
  }

  /** True once the pattern has been seen (it may span earlier pieces). */
  push(piece: Buffer): boolean {
    const n = this.pattern.length;
    if (n === 0) return false;
    if (piece.length < 2 * n) return this.step(piece);
    // A long piece: a match that began in earlier pieces ends in its first n - 1 bytes; one inside it is found
    // by the native search; then the state depends only on its last n - 1 bytes.
    if (this.state > 0 && this.step(piece.subarray(0, n - 1))) return true;
    if (piece.includes(this.pattern)) return true;
    this.state = 0;
    return this.step(piece.subarray(piece.length - (n - 1)));
  }
}
