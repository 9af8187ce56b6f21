/** What the integration and end-to-end runners share: cleanup on every exit path, result lines, log tails. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestResult } from '../integration/report';
import { repoRoot, tail } from './vscode-server';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Things to stop, last registered first; run once on success, failure, or Ctrl+C / SIGTERM. */
export class Cleanup {
  private readonly steps: Array<[string, () => unknown]> = [];
  private ran?: Promise<void>;

  constructor() {
    // A closed stdout (e.g. piped into `head`) must not end the run before it stops what it started.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
    }
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        console.error(`\n${sig}: stopping everything this runner started…`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  add(what: string, fn: () => unknown): void {
    this.steps.push([what, fn]);
  }

  run(): Promise<void> {
    this.ran ??= (async () => {
      while (this.steps.length) {
        const [what, fn] = this.steps.pop()!;
        try {
          await Promise.race([Promise.resolve(fn()), sleep(15_000).then(() => Promise.reject(new Error('took more than 15 s')))]);
        } catch (e) {
          console.error(`cleanup: ${what} failed: ${(e as Error).message}`);
        }
      }
    })();
    return this.ran;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function printResult(t: TestResult): void {
  const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
  console.log(`  ${mark} ${t.fullTitle} (${t.durationMs} ms)${t.state === 'pending' ? ' [skipped: not allowed]' : ''}`);
  if (t.error) {
    const stack = t.error.stack && t.error.stack.includes(t.error.message) ? t.error.stack : `${t.error.message}\n${t.error.stack}`;
    console.log(
      stack
        .split('\n')
        .slice(0, 14)
        .map((l) => `      ${l}`)
        .join('\n'),
    );
  }
}

/** The final line CI reads. Skipped tests count as failures: nothing may skip. */
export function summaryLine(tests: TestResult[]): { passed: number; failed: number; line: string } {
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.length - passed;
  return { passed, failed, line: `${passed} passed, ${failed} failed` };
}

/**
 * The end of a suite run, the same for both runners: on failure the browser console and the main logs'
 * tails, the logs kept in test-results/<suite>, the failures once more; then clean-up and the summary line.
 * Resolves with the exit code (a suite that did not finish counts as one failure).
 */
export async function finishRun(o: {
  suite: 'integration' | 'e2e';
  tests: TestResult[];
  failedMessage: string | undefined;
  work: string;
  browserLogFile: string;
  browserLog: string[];
  logFiles: () => string[];
  cleanup: Cleanup;
  keep: boolean;
  keptWhat: string;
}): Promise<number> {
  const { failed, passed, line } = summaryLine(o.tests);
  const ok = !o.failedMessage && failed === 0 && passed > 0;
  if (!ok) {
    fs.mkdirSync(o.work, { recursive: true });
    fs.writeFileSync(o.browserLogFile, o.browserLog.join('\n'));
    if (o.failedMessage) console.log(`\nERROR: ${o.failedMessage}`);
    const files = o.logFiles();
    printLogTails(files.filter(isMainLog));
    if (files.length) console.log(`\n${o.keptWhat} in ${keepArtifacts(o.suite, files)}`);
    printFailuresLast(o.tests, o.failedMessage);
  }
  await o.cleanup.run();
  if (o.keep) console.log(`kept: ${o.work} and the server folders (NETREQ_KEEP_TEMP=1)`);
  console.log(ok ? line : `${passed} passed, ${Math.max(failed, 1)} failed`);
  return ok ? 0 : 1;
}

/** Runs a runner's main and exits with its code (an unexpected rejection exits 1 with its stack). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** Repeats the failures after the log tails, so an output cut to its last lines (as CI shows it) still says why. */
export function printFailuresLast(tests: TestResult[], failedMessage: string | undefined): void {
  const failures = tests.filter((t) => t.state !== 'passed');
  if (failures.length || failedMessage) console.log('\n----- failures (repeated from above) -----');
  for (const t of failures) printResult(t);
  if (failedMessage) console.log(`ERROR: ${failedMessage}`);
}

/** Prints the end of each log file (server, extension host, browser console) to help explain a failure. */
export function printLogTails(files: string[], lines = 40): void {
  for (const f of files) {
    const text = tail(f, lines).trim();
    if (!text) continue;
    console.log(`\n----- last ${lines} lines of ${f} -----\n${text}`);
  }
}

/** Copies log files into test-results/<suite>/ (git-ignored; each runner empties it when it starts) so CI can keep them. */
export function keepArtifacts(suite: string, files: string[]): string {
  const dir = path.join(repoRoot(), 'test-results', suite);
  fs.mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    let name = path.basename(f);
    for (let i = 2; used.has(name); i++) name = `${i}-${path.basename(f)}`;
    used.add(name);
    fs.copyFileSync(f, path.join(dir, name));
  }
  return dir;
}

export function requireBuilt(files: string[]): void {
  const root = repoRoot();
  const missing = files.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run 'npm run compile && npm run build' first`);
}

/** Empties test-results/<suite>/ at the start of a run. */
export function freshResults(suite: string): string {
  const dir = path.join(repoRoot(), 'test-results', suite);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The logs worth printing on failure: vsce, the server, its agent log, the extension host, the browser console. */
export function isMainLog(file: string): boolean {
  return /(vsce|server|remoteagent|remoteexthost|browser-console)\.log$/.test(file);
}

/** A last-resort limit on a whole run: past it, report, stop everything, exit non-zero. */
export function watchdog(cleanup: Cleanup, ms: number, what: string): NodeJS.Timeout {
  const t = setTimeout(() => {
    console.log(`\nERROR: ${what} did not finish within ${seconds(ms)}; stopping everything`);
    void cleanup.run().finally(() => {
      console.log('0 passed, 1 failed');
      process.exit(1);
    });
  }, ms);
  t.unref();
  return t;
}
