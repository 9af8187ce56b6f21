/** A value reported at most so often (the bytes received so far, to the panel). Pure: no `vscode`. */

/** How often at most the panel hears of the bytes received so far. */
export const RECEIVED_EVERY_MS = 200;

/**
 * Calls `report` with the latest value at most every `ms` (the last value of a burst comes after it, so a
 * send that stalls shows what it had); `stop` drops what is pending.
 */
export function throttled(report: (n: number) => void, ms = RECEIVED_EVERY_MS): { push(n: number): void; stop(): void } {
  let last = 0;
  let pending: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (pending === undefined) return;
    last = Date.now();
    const n = pending;
    pending = undefined;
    report(n);
  };
  return {
    push(n) {
      pending = n;
      if (timer) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      pending = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
