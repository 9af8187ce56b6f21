/**
 * Runs health checks: in parallel up to a concurrency limit, each on its own interval with jitter, never
 * overlapping itself, pausable, keeping each check's last 50 results, and telling listeners when a state
 * changes (the views listen; a slow view never slows the checks).
 *
 * A cycle is bounded: a run that has no result by its timeout plus a grace (1 s) is stopped (its sockets
 * closed) and recorded as timed out, and its slot goes to the next check. So a cycle of N checks at
 * concurrency C ends within ceil(N / C) × (the longest timeout + 1 s).
 */
import { EventEmitter } from 'node:events';
import { formatMs } from '../../common/format';
import { checkTimeoutMs, MAX_TIMER_MS, runCheck, type CheckDeps, type HealthCheckConfig, type HealthResult, type HealthState } from './checks';
import { monoMs } from '../clock';

export const HISTORY = 50;
export const DEFAULT_CONCURRENCY = 16;
/** How long past its own timeout a check may take before the scheduler stops it. */
export const GRACE_MS = 1000;

/** The longest a cycle of these checks can take at this concurrency: ceil(N / C) × (longest timeout + grace). */
export function cycleBoundMs(configs: readonly HealthCheckConfig[], concurrency: number, graceMs = GRACE_MS): number {
  if (configs.length === 0) return 0;
  const longest = Math.max(...configs.map(checkTimeoutMs));
  return Math.ceil(configs.length / Math.max(1, concurrency)) * (longest + graceMs);
}

export interface CheckStatus {
  config: HealthCheckConfig;
  state: HealthState;
  last?: HealthResult;
  /** Oldest first, at most 50. */
  history: HealthResult[];
  running: boolean;
  /** Epoch ms of the next scheduled run. */
  nextAt?: number;
}

export interface HealthSummary {
  total: number;
  healthy: number;
  degraded: number;
  unhealthy: number;
  unknown: number;
}

export interface SchedulerEvents {
  /** A check's state changed (unknown → healthy, healthy → unhealthy, …). */
  'state-change': [CheckStatus, HealthState];
  /** Any result (also when the state stayed the same), and pause/resume/config changes. */
  change: [];
}

export interface SchedulerDeps extends CheckDeps {
  concurrency?: number;
  /** Fraction of the interval used as ± jitter (default 0.1). */
  jitter?: number;
  random?: () => number;
  /** Shortest interval allowed (default 1000 ms), so a typo cannot hammer a server. */
  minIntervalMs?: number;
  /** Grace past a check's timeout before it is stopped and recorded as timed out (default 1000 ms). */
  graceMs?: number;
  /** The check runner (tests may count calls); defaults to runCheck. It should stop when `signal` aborts. */
  run?: (cfg: HealthCheckConfig, deps: CheckDeps, signal?: AbortSignal) => Promise<HealthResult>;
}

export class HealthScheduler extends EventEmitter<SchedulerEvents> {
  private readonly checks = new Map<string, CheckStatus>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: Array<{ name: string; done: (r: HealthResult | undefined) => void }> = [];
  /** Callers waiting for a run of a check that was already running or queued. */
  private readonly waiting = new Map<string, Array<(r: HealthResult | undefined) => void>>();
  private active = 0;
  /** Stops each run under way (dispose stops them all, so nothing outlives the scheduler). */
  private readonly inflight = new Set<() => void>();
  private started = false;
  private isPaused = false;
  private disposed = false;

  constructor(private readonly deps: SchedulerDeps) {
    super();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Replaces the set of checks; a check with the same name keeps its history. */
  setChecks(configs: HealthCheckConfig[]): void {
    const names = new Set(configs.map((c) => c.name));
    for (const name of [...this.checks.keys()]) {
      if (!names.has(name)) {
        this.checks.delete(name);
        clearTimeout(this.timers.get(name));
        this.timers.delete(name);
      }
    }
    for (const config of configs) {
      const existing = this.checks.get(config.name);
      if (existing) {
        const changed = existing.config.target !== config.target;
        existing.config = config;
        if (changed) {
          existing.history = [];
          existing.last = undefined;
          existing.state = 'unknown';
        }
      } else {
        this.checks.set(config.name, { config, state: 'unknown', history: [], running: false });
      }
      if (this.started && !this.isPaused) this.schedule(config.name, true);
    }
    this.emit('change');
  }

  statuses(): CheckStatus[] {
    return [...this.checks.values()];
  }

  get(name: string): CheckStatus | undefined {
    return this.checks.get(name);
  }

  summary(): HealthSummary {
    const s: HealthSummary = { total: 0, healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 };
    for (const c of this.checks.values()) {
      s.total++;
      s[c.state]++;
    }
    return s;
  }

  /** Starts the interval timers (each check runs soon, spread by jitter). */
  start(): void {
    this.started = true;
    if (this.isPaused) return;
    for (const name of this.checks.keys()) this.schedule(name, true);
  }

  pause(): void {
    this.isPaused = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const c of this.checks.values()) c.nextAt = undefined;
    this.emit('change');
  }

  resume(): void {
    this.isPaused = false;
    if (this.started) for (const name of this.checks.keys()) this.schedule(name, true);
    this.emit('change');
  }

  /** Runs every check once now (concurrency-limited) and resolves when all are done. */
  async runAll(): Promise<CheckStatus[]> {
    await Promise.all([...this.checks.keys()].map((n) => this.runNow(n)));
    return this.statuses();
  }

  /** Runs one check now; if it is already running, waits for that run instead of starting another. */
  runNow(name: string): Promise<HealthResult | undefined> {
    const c = this.checks.get(name);
    if (!c || this.disposed) return Promise.resolve(undefined);
    const queued = this.queue.find((q) => q.name === name);
    if (c.running || queued) {
      return new Promise((resolve) => {
        const list = this.waiting.get(name) ?? [];
        list.push(resolve);
        this.waiting.set(name, list);
      });
    }
    return new Promise((resolve) => {
      this.queue.push({ name, done: resolve });
      this.pump();
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const q of this.queue.splice(0)) q.done(undefined);
    for (const stop of [...this.inflight]) stop();
    for (const name of [...this.waiting.keys()]) this.release(name, undefined);
    this.removeAllListeners();
  }

  private schedule(name: string, soon: boolean): void {
    const c = this.checks.get(name);
    if (!c || this.disposed) return;
    clearTimeout(this.timers.get(name));
    const interval = Math.max(this.deps.minIntervalMs ?? 1000, (c.config.intervalSeconds ?? 30) * 1000);
    const jitter = this.deps.jitter ?? 0.1;
    const rand = (this.deps.random ?? Math.random)();
    const delay = Math.min(MAX_TIMER_MS, soon ? rand * Math.min(interval, 1000) : interval * (1 - jitter + 2 * jitter * rand));
    c.nextAt = Date.now() + delay;
    const t = setTimeout(() => {
      this.timers.delete(name);
      void this.runNow(name).then(() => {
        if (this.started && !this.isPaused && this.checks.has(name)) this.schedule(name, false);
      });
    }, delay);
    t.unref();
    this.timers.set(name, t);
  }

  private pump(): void {
    const limit = Math.max(1, this.deps.concurrency ?? DEFAULT_CONCURRENCY);
    while (this.active < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const c = this.checks.get(job.name);
      if (!c) {
        job.done(undefined);
        continue;
      }
      this.active++;
      c.running = true;
      const config = c.config;
      let settled = false;
      const finish = (result: HealthResult | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.inflight.delete(cancel);
        this.active--;
        c.running = false;
        if (result && this.checks.get(job.name) === c && c.config.target === config.target) this.record(c, result);
        job.done(result);
        this.release(job.name, result);
        this.emit('change');
        this.pump();
      };
      const stop = new AbortController();
      const timeout = checkTimeoutMs(config);
      const grace = this.deps.graceMs ?? GRACE_MS;
      const t0 = monoMs();
      // The bound on this run: past it the run is stopped and not waited for.
      const deadline = setTimeout(() => {
        stop.abort();
        const latencyMs = monoMs() - t0;
        finish({
          state: 'unhealthy',
          at: (this.deps.now ?? Date.now)(),
          latencyMs,
          summary: 'timed out',
          error: `timed out: no result within ${formatMs(timeout + grace)} (its timeout of ${formatMs(timeout)} plus ${formatMs(grace)}), so the check was stopped`,
        });
      }, Math.min(MAX_TIMER_MS, timeout + grace));
      const cancel = () => {
        stop.abort();
        finish(undefined);
      };
      this.inflight.add(cancel);
      (this.deps.run ?? runCheck)(config, this.deps, stop.signal).then(finish, () => finish(undefined));
    }
  }

  private release(name: string, result: HealthResult | undefined): void {
    const list = this.waiting.get(name);
    this.waiting.delete(name);
    for (const resolve of list ?? []) resolve(result);
  }

  private record(c: CheckStatus, result: HealthResult): void {
    c.last = result;
    c.history.push(result);
    if (c.history.length > HISTORY) c.history.splice(0, c.history.length - HISTORY);
    const before = c.state;
    c.state = result.state;
    if (before !== c.state) this.emit('state-change', c, before);
  }
}

/** "▁▃▅█" bars for the last results' latencies (unhealthy shown as ✕) and the uptime in percent. */
export function historyBars(history: HealthResult[], width = 12): { bars: string; uptimePct: number } {
  const recent = history.slice(-width);
  const ok = history.filter((h) => h.state !== 'unhealthy').length;
  const max = Math.max(1, ...recent.filter((h) => h.state !== 'unhealthy').map((h) => h.latencyMs));
  const blocks = '▁▂▃▄▅▆▇█';
  const bars = recent.map((h) => (h.state === 'unhealthy' ? '✕' : blocks[Math.min(7, Math.floor((h.latencyMs / max) * 7.999))])).join('');
  return { bars, uptimePct: history.length ? Math.round((ok / history.length) * 1000) / 10 : 0 };
}
