/**
 * The engines' clock: milliseconds from an arbitrary origin, monotonic, sub-millisecond. The same reading as
 * Node's `performance.now()` for differences, without loading perf_hooks (about ten internal modules) at every CLI
 * start (issue 13's start time). Only differences of two readings mean something.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
