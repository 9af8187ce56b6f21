/**
 * Entry point of the integration suite inside a real VS Code extension host (extensionTestsPath).
 * Runs mocha over the compiled *.test.js files next to this one and writes a JSON report to the path in
 * NETREQ_TEST_REPORT after each test (the runner outside watches it; the browser never exits by itself).
 * Rejects when a test failed, which is what @vscode/test-electron reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import type { IntegrationReport, TestResult } from './report';

// mocha's package entry is an ES module; its CommonJS build loads with plain require in any extension host.
const load = createRequire(__filename);
const Mocha = load('mocha/lib/mocha.cjs') as typeof MochaType;

/** Files in the order they run: activation first (it checks the extension is not active yet). */
export function testFiles(dir = __dirname): string[] {
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  const first = all.filter((f) => f.startsWith('activation.'));
  return [...first, ...all.filter((f) => !first.includes(f))].map((f) => path.join(dir, f));
}

function writeReport(file: string, report: IntegrationReport): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2));
  fs.renameSync(tmp, file); // the runner never reads half a report
}

export function run(): Promise<void> {
  return runSuite(testFiles(), process.env.NETREQ_TEST_REPORT);
}

/** Runs mocha over `files`, writing the report to `reportFile` after each test (the Restricted Mode suite uses it too). */
export function runSuite(files: string[], reportFile: string | undefined): Promise<void> {
  if (!reportFile) return Promise.reject(new Error('NETREQ_TEST_REPORT is not set: the runner passes the report path through the environment'));
  const started = Date.now();
  const report: IntegrationReport = {
    done: false,
    vscodeVersion: vscode.version,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    remoteName: vscode.env.remoteName ?? null,
    node: process.version,
    startedAt: new Date(started).toISOString(),
    passes: 0,
    failures: 0,
    durationMs: 0,
    tests: [],
  };
  writeReport(reportFile, report);

  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, slow: 3_000, color: false, reporter: 'spec' });
  // NETREQ_TEST_GREP=text runs only the tests whose full title contains it (for debugging one test).
  if (process.env.NETREQ_TEST_GREP) mocha.grep(process.env.NETREQ_TEST_GREP);
  for (const f of files) mocha.addFile(f);

  return new Promise<void>((resolve, reject) => {
    const finish = (error?: string) => {
      report.done = true;
      report.durationMs = Date.now() - started;
      if (error) report.error = error;
      writeReport(reportFile, report);
      if (error || report.failures > 0) reject(new Error(error ?? `${report.failures} integration test(s) failed`));
      else resolve();
    };
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => finish());
    } catch (e) {
      finish(`mocha could not start: ${(e as Error).stack ?? String(e)}`);
      return;
    }
    const record = (test: Mocha.Test | Mocha.Hook, state: TestResult['state'], err?: Error) => {
      const result: TestResult = { title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0 };
      if (err) result.error = { message: err.message, stack: err.stack ?? '' };
      report.tests.push(result);
      if (state === 'passed') report.passes++;
      if (state === 'failed') report.failures++;
      writeReport(reportFile, report);
    };
    runner.on('pass', (t) => record(t, 'passed'));
    runner.on('fail', (t, err) => record(t, 'failed', err));
    runner.on('pending', (t) => record(t, 'pending'));
  });
}
