/**
 * Before/after cells for the refactor check: the baseline build's figure next to this build's, both taken in the
 * same run (alternating rounds where a row has rounds), the change as a factor, and a verdict.
 */
import type { Check } from './deadline';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Within this factor either way a change is "unchanged": single rounds on the 2-core machine swing by far more. */
const SAME = 0.05;

export interface Figure {
  /** One figure per round (or a single one). */
  rounds: number[];
  unit: string;
  digits?: number;
}

export const fmt = (x: number, unit: string, digits = 0) =>
  `${x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit ? ` ${unit}` : ''}`;

const figure = (f: Figure) => {
  const m = median(f.rounds);
  const s = [...f.rounds].sort((x, y) => x - y);
  const all =
    f.rounds.length > 7
      ? ` (${f.rounds.length} runs, ${fmt(s[0], '', f.digits)}–${fmt(s[s.length - 1], '', f.digits)})`
      : f.rounds.length > 1
        ? ` (rounds ${f.rounds.map((x) => fmt(x, '', f.digits)).join(', ')})`
        : '';
  return `${fmt(m, f.unit, f.digits)}${all}`;
};

/**
 * The check of one row: medians of both builds; `lowerIsBetter` for times and memory. With paired rounds (the same
 * count, alternating), the verdict goes by the median of the per-round after ÷ before (each pair ran on the same
 * machine state), whose range is printed too.
 */
export function compare(before: Figure, after: Figure, lowerIsBetter = false): Check {
  const b = median(before.rounds);
  const a = median(after.rounds);
  const paired = before.rounds.length > 1 && before.rounds.length === after.rounds.length;
  const perRound = paired ? after.rounds.map((x, i) => x / before.rounds[i]).sort((x, y) => x - y) : [];
  const factor = paired ? median(perRound) : a / b;
  const range = paired ? ` (median of per-round ratios, range ${perRound[0].toFixed(2)}–${perRound[perRound.length - 1].toFixed(2)}; of the medians ${(a / b).toFixed(2)}×)` : '';
  const gain = lowerIsBetter ? 1 / factor : factor;
  return {
    before: figure(before),
    after: figure(after),
    change: `after ÷ before ${factor.toFixed(2)}×${range}${lowerIsBetter ? ', lower is better' : ''}`,
    verdict: !Number.isFinite(gain) ? '—' : gain >= 1 + SAME ? 'better' : gain >= 1 - SAME ? 'unchanged (±5 %)' : 'WORSE',
  };
}

/** A check whose "before" could not be measured (no baseline build, a module missing in it, its run failed). */
export function noBefore(reason: string, after: string): Check {
  return { before: `not measured: ${reason.replace(/\s+/g, ' ').slice(0, 300)}`, after, change: '—', verdict: 'NO BASELINE' };
}

/** A check with figures that are not numbers to compare (counts that must stay equal, e.g. 0 lost). */
export function sideBySide(before: string, after: string, same: boolean): Check {
  return { before, after, change: same ? 'same' : 'differs', verdict: same ? 'unchanged' : 'CHANGED' };
}

/**
 * The baseline side of a group of rows: its modules (loaded once, typed as the current ones), its rounds, and why
 * it has no figures when it has none. Without a baseline (NETREQ_BENCH_BASELINE=none) rows carry no check.
 */
export class BeforeRuns<M> {
  readonly wanted: boolean;
  mods?: M;
  error?: string;

  constructor(b: { rev: string } | undefined, load: () => M) {
    this.wanted = b !== undefined;
    if (!b) return;
    try {
      this.mods = load();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** A round of the baseline; the first failure (or timeout) is kept as the reason and ends its later rounds. */
  async run<T>(fn: (mods: M) => Promise<T>): Promise<T | undefined> {
    if (!this.mods || this.error) return undefined;
    try {
      return await fn(this.mods);
    } catch (e) {
      this.error = `its run failed: ${(e as Error).message}`;
      console.error(`bench: baseline ${this.error}`);
      return undefined;
    }
  }

  check(before: Figure, after: Figure, lowerIsBetter = false): Check | undefined {
    if (!this.wanted) return undefined;
    if (this.error || before.rounds.length === 0) return noBefore(this.error ?? 'no round finished', figure(after));
    return compare(before, after, lowerIsBetter);
  }
}

/** Round `r` of both builds, the baseline first in every other round (so neither always runs right after a peer). */
export async function inTurn(r: number, after: () => Promise<unknown>, before: () => Promise<unknown>): Promise<void> {
  if (r % 2) {
    await before();
    await after();
  } else {
    await after();
    await before();
  }
}
