/** What the e2e runner (test/harness/run-e2e.ts) sets up before mocha loads the e2e tests. */
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { LoopSample } from '../../src/extension/loopProbe';

export interface HostileServer {
  port: number;
  /** "METHOD /path" of each request received. */
  requests: string[];
}

export interface E2EContext {
  page: Page;
  /** The temp copy of examples/ the workbench has open. */
  workspace: string;
  /** In-process HTTP server: the examples' httpPort. Its answers carry script/img payloads in body and headers. */
  http: HostileServer;
  /** openssl s_server with a self-signed certificate: the examples' httpsPort. */
  httpsPort: number;
  /** Every dialog (alert/confirm/prompt/beforeunload) any frame opened. */
  dialogs: string[];
  /** Where the README's screenshots go: media/screenshots with NETREQ_SCREENSHOTS=1, else test-results/e2e/screenshots. */
  screenshots: string;
  /** Where failure screenshots go (test-results/e2e). */
  results: string;
  /** The extension host's event-loop delay and memory, a JSON line every 200 ms (src/extension/loopProbe.ts). */
  loopFile: string;
}

/** One line of the loop file. */
export type { LoopSample } from '../../src/extension/loopProbe';

/** The loop file's samples taken between two times (epoch ms). */
export function loopSamples(from: number, to: number): LoopSample[] {
  const { loopFile } = e2e();
  if (!fs.existsSync(loopFile)) return [];
  return fs
    .readFileSync(loopFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LoopSample)
    .filter((s) => s.t >= from && s.t <= to);
}

let current: E2EContext | undefined;

export function setContext(c: E2EContext): void {
  current = c;
}

export function e2e(): E2EContext {
  if (!current) throw new Error('the e2e tests run through test/harness/run-e2e.ts (npm run test:e2e), which starts VS Code first');
  return current;
}

/** The hostile strings the local server puts in its bodies and headers; none may ever run. */
export const HOSTILE_SCRIPT = '<script>window.__pwned=1</script>';
export const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';
