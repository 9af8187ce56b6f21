/**
 * Batches what the traffic store records into messages for the webview: at most one `batch` every
 * `intervalMs` (100 ms), only while the view is visible and not paused; a `snapshot` when it (re)loads,
 * resumes or is cleared. Flows still in progress are refreshed every `activeRefreshMs` so their byte
 * counts move. Plain TypeScript with injected timers, so the unit tests run it on a fake clock.
 */
import type { HostToTraffic, ServiceSummary } from '../../shared/trafficMessages';
import type { TrafficStore } from './trafficStore';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface FeedOptions {
  intervalMs: number;
  activeRefreshMs: number;
  timers: Timers;
}

export interface FeedCounts {
  snapshots: number;
  batches: number;
  /** Rows carried by batches and snapshots. */
  flows: number;
  datagrams: number;
}

export class TrafficFeed {
  private timer: unknown;
  private refreshTimer: unknown;
  private refreshDue = false;
  private pausedFlag = false;
  private visibleFlag = false;
  private disposed = false;
  readonly posted: FeedCounts = { snapshots: 0, batches: 0, flows: 0, datagrams: 0 };
  private readonly opts: FeedOptions;

  constructor(
    private readonly store: TrafficStore,
    private readonly post: (m: HostToTraffic) => void,
    private readonly services: () => ServiceSummary[],
    opts: Partial<FeedOptions> = {},
  ) {
    this.opts = { intervalMs: 100, activeRefreshMs: 1000, timers: REAL_TIMERS, ...opts };
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  get visible(): boolean {
    return this.visibleFlag;
  }

  /** The store recorded something: schedule a batch (never sooner than the interval). */
  notify(): void {
    if (this.disposed || !this.visibleFlag || this.pausedFlag || this.timer !== undefined) return;
    this.timer = this.opts.timers.setTimeout(() => this.flush(), this.opts.intervalMs);
  }

  /** The webview (re)loaded and said `ready`, or came back into view. */
  setVisible(visible: boolean): void {
    this.visibleFlag = visible;
    if (!visible) this.cancelTimers();
  }

  /** Pause freezes the view; recording goes on (capped) and Resume sends everything kept. */
  setPaused(paused: boolean): void {
    if (paused === this.pausedFlag) return;
    this.pausedFlag = paused;
    if (paused) this.cancelTimers();
    else this.snapshot();
  }

  /** The whole state to the webview (nothing while hidden: `ready` asks again). */
  snapshot(): void {
    if (this.disposed || !this.visibleFlag) return;
    this.cancelTimers();
    const s = this.store.snapshot();
    this.posted.snapshots++;
    this.posted.flows += s.flows.length;
    this.posted.datagrams += s.datagrams.length;
    this.post({ type: 'snapshot', ...s, max: this.store.max, services: this.services(), paused: this.pausedFlag });
    this.scheduleRefresh();
  }

  /** Sends what changed now (the timer calls it; tests may too). */
  flush(): void {
    this.timer = undefined;
    if (this.disposed || !this.visibleFlag || this.pausedFlag) return;
    const refresh = this.refreshDue;
    this.refreshDue = false;
    if (this.store.pending || (refresh && this.store.activeCount > 0)) {
      const c = this.store.takeChanges(refresh);
      if (c.flows.length > 0 || c.datagrams.length > 0) {
        this.posted.batches++;
        this.posted.flows += c.flows.length;
        this.posted.datagrams += c.datagrams.length;
        this.post({ type: 'batch', ...c });
      }
    }
    this.scheduleRefresh();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimers();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined || this.store.activeCount === 0 || this.disposed) return;
    this.refreshTimer = this.opts.timers.setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshDue = true;
      if (this.timer === undefined) this.flush();
    }, this.opts.activeRefreshMs);
  }

  private cancelTimers(): void {
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    if (this.refreshTimer !== undefined) this.opts.timers.clearTimeout(this.refreshTimer);
    this.timer = undefined;
    this.refreshTimer = undefined;
    this.refreshDue = false;
  }
}
