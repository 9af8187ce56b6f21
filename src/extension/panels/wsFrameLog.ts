/**
 * The WebSocket session's frame log on the host: keeps the last `cap` frames (numbered 1, 2, 3… so
 * the webview can tell new from old), and coalesces new frames into one batch per `intervalMs`, so a
 * fast server cannot flood the webview with one message per frame. Pure (timers come in), no `vscode`.
 */
import type { WsFrame } from '../../core/exchange';
import type { WsLogFrame } from '../../shared/messages';
import { logFrames } from './wsSessionContent';

export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export const DEFAULT_LOG_CAP = 10_000;
export const DEFAULT_FLUSH_MS = 50;
/** Bytes of each frame carried to the webview; the full frame opens in an editor. */
export const DEFAULT_FRAME_DATA_LIMIT = 16 * 1024;
/** Frame bytes carried in one message at most (batch or snapshot). */
export const DEFAULT_MESSAGE_BUDGET = 4 * 1024 * 1024;

export interface FrameLogOptions {
  cap?: number;
  intervalMs?: number;
  frameDataLimit?: number;
  messageBudget?: number;
  scheduler?: Scheduler;
}

interface Entry {
  seq: number;
  frame: WsFrame;
}

/** Keeps the newest `cap` entries of an array that only grows at the end, trimming in steps (amortised O(1)). */
function trim(list: Entry[], cap: number): void {
  if (list.length > cap + Math.max(1, cap >> 2)) list.splice(0, list.length - cap);
}

function newest(list: Entry[], cap: number): Entry[] {
  return list.length > cap ? list.slice(list.length - cap) : list;
}

export class FrameLog {
  readonly cap: number;
  readonly intervalMs: number;
  readonly frameDataLimit: number;
  readonly messageBudget: number;
  private readonly scheduler: Scheduler;
  private entries: Entry[] = [];
  private pending: Entry[] = [];
  private seq = 0;
  private handle: unknown;
  private scheduled = false;
  private disposed = false;
  /** Batches handed to onBatch so far (for tests and the API). */
  batches = 0;

  constructor(
    private readonly onBatch: (frames: WsLogFrame[], total: number) => void,
    opts: FrameLogOptions = {},
  ) {
    this.cap = Math.max(1, Math.floor(opts.cap ?? DEFAULT_LOG_CAP));
    this.intervalMs = opts.intervalMs ?? DEFAULT_FLUSH_MS;
    this.frameDataLimit = opts.frameDataLimit ?? DEFAULT_FRAME_DATA_LIMIT;
    this.messageBudget = opts.messageBudget ?? DEFAULT_MESSAGE_BUDGET;
    this.scheduler = opts.scheduler ?? realScheduler;
  }

  /** Frames so far (also those no longer kept). */
  get total(): number {
    return this.seq;
  }

  /** How many frames are kept (at most `cap`). */
  get size(): number {
    return Math.min(this.entries.length, this.cap);
  }

  /** Older frames no longer kept. */
  get dropped(): number {
    return this.seq - this.size;
  }

  push(frame: WsFrame): void {
    if (this.disposed) return;
    const e = { seq: ++this.seq, frame };
    this.entries.push(e);
    trim(this.entries, this.cap);
    this.pending.push(e);
    trim(this.pending, this.cap);
    if (!this.scheduled) {
      this.scheduled = true;
      this.handle = this.scheduler.set(() => {
        this.scheduled = false;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Hands the pending frames over now (e.g. before a state update, so the close frame comes first). */
  flush(): void {
    this.cancelTimer();
    if (this.pending.length === 0 || this.disposed) return;
    const batch = newest(this.pending, this.cap);
    this.pending = [];
    this.batches++;
    this.onBatch(logFrames(batch, this.frameDataLimit, this.messageBudget), this.seq);
  }

  /** The kept frames for a full-state message; what was pending is in it, so it is not sent again. */
  snapshot(): { frames: WsLogFrame[]; total: number } {
    this.cancelTimer();
    this.pending = [];
    return { frames: logFrames(newest(this.entries, this.cap), this.frameDataLimit, this.messageBudget), total: this.seq };
  }

  /** A kept frame by its number. */
  find(seq: number): WsFrame | undefined {
    const kept = newest(this.entries, this.cap);
    if (kept.length === 0) return undefined;
    const i = seq - kept[0].seq;
    return i >= 0 && i < kept.length ? kept[i].frame : undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending = [];
  }

  private cancelTimer(): void {
    if (this.scheduled) this.scheduler.clear(this.handle);
    this.scheduled = false;
    this.handle = undefined;
  }
}
