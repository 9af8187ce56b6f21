/**
 * A test probe of the extension host, on only when the environment variable NETREQ_E2E_LOOP_FILE names a file
 * (the e2e runner sets it for the VS Code Server it starts; never set in normal use): every 200 ms it appends
 * one JSON line with the longest event-loop delay of those 200 ms (perf_hooks.monitorEventLoopDelay) and the
 * process's memory, so an e2e test or benchmark can say how long the host was blocked while it handled a
 * big body, and what the body cost in memory. No `vscode` import.
 */
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const LOOP_FILE_VAR = 'NETREQ_E2E_LOOP_FILE';

/** One sample: when (epoch ms), the longest delay in the interval (ms), memory in bytes. */
export interface LoopSample {
  t: number;
  maxMs: number;
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

export function startLoopProbe(file: string, everyMs = 200): { dispose(): void } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const s: LoopSample = { t: Date.now(), maxMs: Math.round(h.max / 1e4) / 100, rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
    h.reset();
    fs.appendFile(file, `${JSON.stringify(s)}\n`, () => undefined);
  }, everyMs);
  timer.unref();
  return {
    dispose: () => {
      clearInterval(timer);
      h.disable();
    },
  };
}
