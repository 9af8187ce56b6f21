/**
 * Deadlines for `npm run bench`: every step (a row, a peer start, a child process, a round) runs under one, and a
 * step past it becomes a figure in the results ("TIMEOUT: … no result within 60 s") instead of a hang. A step's
 * `atTimeout` hooks stop what it started (a peer, a child, a session) when its deadline passes.
 */
import type { ChildProcess } from 'node:child_process';

export interface Row {
  what: string;
  netreq: string;
  peer: string;
  ratio: string;
  target: string;
  verdict: string;
  /** The same figure for the baseline build (NETREQ_BENCH_BASELINE), measured in the same run: see compare.ts. */
  check?: Check;
}

/** A row's before/after: the baseline build's figure, this build's, the change in words, a verdict. */
export interface Check {
  before: string;
  after: string;
  change: string;
  verdict: string;
}

/** Counts the bench takes from the environment (for short checks of a row), e.g. NETREQ_BENCH_ROUNDS=2. */
export function envCount(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export const secs = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`);

export class StepTimeout extends Error {
  constructor(
    readonly step: string,
    readonly ms: number,
  ) {
    super(`${step}: no result within ${secs(ms)}`);
  }
}

export interface Step {
  /** Aborts at the deadline: loops check it and stop with what they have. */
  signal: AbortSignal;
  /** Runs `fn` if the deadline passes (stop a peer, kill a child); errors in it are ignored. */
  atTimeout(fn: () => unknown): void;
}

/** Runs `run` with a deadline of `ms`; past it, the hooks run and the promise rejects with StepTimeout. */
export function withDeadline<T>(step: string, ms: number, run: (s: Step) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const hooks: Array<() => unknown> = [];
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      ac.abort();
      for (const h of hooks) {
        try {
          void Promise.resolve(h()).catch(() => undefined);
        } catch {
          /* the timeout is what gets reported */
        }
      }
      reject(new StepTimeout(step, ms));
    }, ms);
    let p: Promise<T>;
    try {
      p = run({ signal: ac.signal, atTimeout: (fn) => hooks.push(fn) });
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** A row for a group that did not finish: which step timed out (and after how long) or what failed. */
export function failedRow(what: string, err: unknown): Row {
  const timedOut = err instanceof StepTimeout;
  const message = err instanceof Error ? err.message : String(err);
  return { what, netreq: `${timedOut ? 'timed out' : 'failed'}: ${message.replace(/\s+/g, ' ').slice(0, 300)}`, peer: '—', ratio: '—', target: '—', verdict: timedOut ? 'TIMEOUT' : 'ERROR' };
}

/** A group of rows under one deadline; a timeout or a failure becomes one row saying so, and the bench goes on. */
export async function rowsWithin(what: string, ms: number, run: (s: Step) => Promise<Row[]>): Promise<Row[]> {
  try {
    return await withDeadline(what, ms, run);
  } catch (e) {
    console.error(`bench: ${what}: ${(e as Error).message}`);
    return [failedRow(what, e)];
  }
}

/** Child processes the bench started, killed at the end whatever happened (a timed-out step may leave one). */
const children = new Set<ChildProcess>();

export function track<C extends ChildProcess>(c: C): C {
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

export function killTracked(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

/** For spawnSync results: a child killed by its `timeout` option is a StepTimeout, not a crash. */
export function syncTimedOut(step: string, ms: number, r: { error?: Error }): void {
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new StepTimeout(step, ms);
}
