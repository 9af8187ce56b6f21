/**
 * A running network operation: the phase it is in, and a light abort signal (an AbortController per
 * request costs more than the rest of a pooled keep-alive request's bookkeeping).
 */
import type { Phase } from '../exchange';

export class Operation {
  phase: Phase = 'connect';
  aborted = false;
  reason: unknown;
  private listeners?: Set<() => void>;

  /** Runs `fn` once on abort (at once if already aborted). Returns an unsubscribe function. */
  onAbort(fn: () => void): () => void {
    if (this.aborted) {
      fn();
      return noop;
    }
    (this.listeners ??= new Set()).add(fn);
    return () => this.listeners?.delete(fn);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const ls = this.listeners;
    this.listeners = undefined;
    if (ls) for (const fn of ls) fn();
  }

  /** Rejects with the abort reason if the operation is aborted before `p` settles. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      const off = this.onAbort(() => reject(this.reason));
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e) => {
          off();
          reject(e);
        },
      );
    });
  }
}

function noop(): void {}
