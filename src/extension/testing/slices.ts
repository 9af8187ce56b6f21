/**
 * Work in time slices, so that a long job (building thousands of test items) never holds the extension host's
 * event loop for long: the job checks `slicer.due()` between small steps and awaits `slicer.pause()` when a slice
 * is used up (a `setImmediate` break, so timers, I/O and VS Code's own messages get their turn). Plain Node (no
 * `vscode`), so its unit tests run outside the editor.
 */

/** How long one slice of synchronous work may run before the job yields (ms). */
export const SLICE_MS = 12;

export interface SlicerOptions {
  /** The slice's length (ms); default SLICE_MS. */
  sliceMs?: number;
  /** The clock (ms); default performance.now. */
  now?: () => number;
  /** The break between slices; default a setImmediate. */
  pause?: () => Promise<void>;
}

export class Slicer {
  private readonly sliceMs: number;
  private readonly now: () => number;
  private readonly rest: () => Promise<void>;
  private started: number;
  /** Breaks taken so far. */
  breaks = 0;

  constructor(opts: SlicerOptions = {}) {
    this.sliceMs = Math.max(0, opts.sliceMs ?? SLICE_MS);
    this.now = opts.now ?? (() => performance.now());
    this.rest = opts.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
    this.started = this.now();
  }

  /** Whether the current slice is used up. */
  due(): boolean {
    return this.now() - this.started >= this.sliceMs;
  }

  /** A break, then a new slice. */
  async pause(): Promise<void> {
    this.breaks++;
    await this.rest();
    this.started = this.now();
  }

  /** A break if the slice is used up (else nothing: no await, no cost). */
  async maybePause(): Promise<void> {
    if (this.due()) await this.pause();
  }
}

export interface EachOptions {
  /** Checked before each item: true stops the loop there. */
  cancelled?: () => boolean;
  /** Called before each break (e.g. to hand over what the slice built). */
  beforePause?: () => void;
}

/**
 * Calls `each` on `items` in order, at least one item per slice, a break whenever a slice is used up; stops before
 * the next item once `cancelled()` says so. The number of items done.
 */
export async function eachInSlices<T>(items: readonly T[], each: (item: T, index: number) => void, slicer: Slicer, opts: EachOptions = {}): Promise<number> {
  let i = 0;
  while (i < items.length) {
    if (opts.cancelled?.()) return i;
    each(items[i], i);
    i++;
    if (i < items.length && slicer.due()) {
      opts.beforePause?.();
      await slicer.pause();
    }
  }
  return i;
}
