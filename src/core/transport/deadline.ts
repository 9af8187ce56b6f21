/**
 * The one deadline and cancel for a network operation: a timer that aborts it with `TimedOut`, and the caller's
 * AbortSignal that aborts it with `Cancelled`. Engines tell the two apart by the operation's `reason` and put
 * them in words themselves (the phase and what was seen so far).
 */
import { formatMs } from '../../common/format';
import type { Operation } from './operation';

/** The caller cancelled the operation (its AbortSignal fired). */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** The operation ran past its deadline. */
export class TimedOut extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${formatMs(timeoutMs)}`);
  }
}

/**
 * Arms the deadline (none when `timeoutMs` is undefined) and follows `signal` (already aborted: cancelled at
 * once). Returns the release to call in a `finally`: it clears the timer and stops following the signal.
 */
export function armDeadline(op: Operation, timeoutMs: number | undefined, signal?: AbortSignal): () => void {
  const timer = timeoutMs !== undefined ? setTimeout(() => op.abort(new TimedOut(timeoutMs)), timeoutMs) : undefined;
  if (!signal) return timer ? () => clearTimeout(timer) : noop;
  const onAbort = () => op.abort(new Cancelled());
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  };
}

function noop(): void {}
