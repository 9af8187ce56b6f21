/**
 * `npm run test:integration`: runs test/integration inside a real VS Code extension host, offline.
 *
 * Starts the VS Code Server (installed into .cache/ on first use) with NETREQ_TEST_REPORT in its
 * environment, opens the workbench in headless Chromium with a payload that loads this repository as the
 * extension under development and out/test/integration/index.js as its tests, then follows the report
 * file the tests write. Prints each result and `N passed, N failed`; exits non-zero on any failure or
 * time-out, with the tails of the server / extension host logs. Stops everything it started.
 *
 * Then, in the same server and browser page, a second suite (test/integration/restricted) with Workspace
 * Trust turned on and a fresh, untrusted folder: VS Code's Restricted Mode, which the first suite turns off.
 * The user settings file is rewritten between the two (the workbench reads it when the page loads).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { panelCheckFiles, restrictedReportFile, type IntegrationReport, type TestResult } from '../integration/report';
import { checkRestrictedPanel } from './restricted-page';
import { Cleanup, finishRun, freshResults, printResult, requireBuilt, runMain, seconds, sleep, watchdog } from './common';
import { checkPrerequisites, devPayload, ensureVSCodeServer, launchChromium, QUIET_SETTINGS, repoRoot, startVSCodeServer, type VSCodeServer } from './vscode-server';

const SUITE_TIMEOUT_MS = Number(process.env.NETREQ_INTEGRATION_TIMEOUT_MS) || 5 * 60_000;
/** The Restricted Mode suite is short. */
const RESTRICTED_TIMEOUT_MS = 2 * 60_000;
/** Workspace Trust on, no prompt or banner (dialogs are refused in extension test mode): the folder opens untrusted. */
const RESTRICTED_SETTINGS: Record<string, unknown> = {
  ...QUIET_SETTINGS,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};
/** The first report is written as soon as the extension host runs the tests' entry point. */
const START_TIMEOUT_MS = 120_000;
/** NETREQ_KEEP_TEMP=1 keeps the temp workspace and the server's data folders (logs) for a look afterwards. */
const KEEP = process.env.NETREQ_KEEP_TEMP === '1';

function readReport(file: string): IntegrationReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as IntegrationReport;
  } catch {
    return undefined; // not written yet
  }
}

interface SuiteRun {
  report?: IntegrationReport;
  failedMessage?: string;
}

/** Opens the workbench on `url` and follows `reportFile` until the suite is done, fails to start, or times out. */
async function followSuite(page: Page, server: VSCodeServer, url: string, reportFile: string, limitMs: number, onPoll?: () => Promise<void>): Promise<SuiteRun> {
  await page.goto(url, { timeout: 60_000 });
  const tStart = Date.now();
  let printed = 0;
  let header = false;
  let report: IntegrationReport | undefined;
  let failedMessage: string | undefined;
  for (let i = 0; ; i++) {
    report = readReport(reportFile);
    if (report) {
      if (!header) console.log(`VS Code ${report.vscodeVersion} (${report.uiKind} UI, extension host: ${report.remoteName ?? 'local'}, Node ${report.node})`);
      header = true;
      for (const t of report.tests.slice(printed)) printResult(t);
      printed = report.tests.length;
      if (report.done) break;
    } else if (Date.now() - tStart > START_TIMEOUT_MS) {
      failedMessage = `the extension host did not start the tests within ${seconds(START_TIMEOUT_MS)} (no report at ${reportFile})`;
      break;
    }
    if (server.exited()) {
      failedMessage = `the VS Code Server exited (${server.exited()}) before the suite finished`;
      break;
    }
    if (Date.now() - tStart > limitMs) {
      failedMessage = `the suite did not finish within ${seconds(limitMs)}`;
      break;
    }
    await onPoll?.();
    await sleep(i < 20 ? 100 : 300);
  }
  if (report?.error) failedMessage = report.error;
  if (report?.done && report.tests.length === 0) failedMessage ??= 'the suite ran no tests';
  if (report?.done) console.log(`suite: ${seconds(report.durationMs)} in the extension host`);
  return { report, failedMessage };
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const root = repoRoot();
  const cleanup = new Cleanup();
  const browserLog: string[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-integration-'));
  const browserLogFile = path.join(work, 'browser-console.log');
  let logFiles: () => string[] = () => [];
  let failedMessage: string | undefined;
  const tests: TestResult[] = [];
  try {
    checkPrerequisites({ browser: true });
    requireBuilt(['dist/extension.js', 'dist/webview/response.js', 'out/test/integration/index.js', 'out/test/integration/restricted/index.js']);
    await ensureVSCodeServer();
    watchdog(cleanup, SUITE_TIMEOUT_MS + RESTRICTED_TIMEOUT_MS + 3 * 60_000, 'the integration run');
    freshResults('integration');
    const tInstalled = Date.now();

    const workspace = path.join(work, 'workspace');
    fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
    // The untrusted folder sits beside the other one: the tests put a file next to it, outside it.
    const untrusted = path.join(work, 'untrusted', 'workspace');
    fs.cpSync(path.join(root, 'test', 'integration', 'restricted', 'workspace'), untrusted, { recursive: true });
    const reportFile = path.join(work, 'report.json');
    if (!KEEP) cleanup.add('remove the temp workspace', () => fs.rmSync(work, { recursive: true, force: true }));

    const server = await startVSCodeServer({ env: { NETREQ_TEST_REPORT: reportFile }, keepDirs: KEEP });
    cleanup.add('stop the VS Code Server', () => server.stop());
    logFiles = () => [...server.logFiles(), browserLogFile];
    console.log(`VS Code Server on 127.0.0.1:${server.port} (pid ${server.pid}), started in ${seconds(Date.now() - tInstalled)}`);

    const browser = await launchChromium();
    cleanup.add('close Chromium', () => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => browserLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => browserLog.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      browserLog.push(`dialog (${d.type()}): ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    console.log(`opening the workbench; the integration suite runs in the extension host (limit ${seconds(SUITE_TIMEOUT_MS)})`);
    const first = await followSuite(page, server, server.url(workspace, devPayload(server, root, path.join(root, 'out', 'test', 'integration', 'index.js'))), reportFile, SUITE_TIMEOUT_MS);
    tests.push(...(first.report?.tests ?? []));
    failedMessage = first.failedMessage;

    if (first.report?.done) {
      // Same server: its user settings now turn Workspace Trust on; the page loads the untrusted folder.
      fs.writeFileSync(path.join(server.userDataDir, 'User', 'settings.json'), JSON.stringify(RESTRICTED_SETTINGS, null, 2) + '\n');
      console.log(`\nRestricted Mode: Workspace Trust on, untrusted folder ${untrusted} (limit ${seconds(RESTRICTED_TIMEOUT_MS)})`);
      const restrictedUrl = server.url(untrusted, devPayload(server, root, path.join(root, 'out', 'test', 'integration', 'restricted', 'index.js')));
      // The suite's last test waits while this looks at the refused block's panel in the page.
      const handshake = panelCheckFiles(reportFile);
      let panel: TestResult | undefined;
      const checkPanel = async () => {
        if (panel || !fs.existsSync(handshake.ready)) return;
        panel = await checkRestrictedPanel(page);
        printResult(panel);
        fs.writeFileSync(handshake.checked, panel.state);
      };
      const second = await followSuite(page, server, restrictedUrl, restrictedReportFile(reportFile), RESTRICTED_TIMEOUT_MS, checkPanel);
      tests.push(...(second.report?.tests ?? []));
      tests.push(panel ?? { title: 'page check', fullTitle: 'Restricted Mode panel in the page: not run (the suite never asked for it)', state: 'failed', durationMs: 0 });
      if (second.failedMessage) failedMessage = [failedMessage, `Restricted Mode suite: ${second.failedMessage}`].filter(Boolean).join('\n');
    }
    console.log(`\nwhole run ${seconds(Date.now() - t0)}`);
  } catch (e) {
    failedMessage = (e as Error).stack ?? String(e);
  }

  return finishRun({ suite: 'integration', tests, failedMessage, work, browserLogFile, browserLog, logFiles, cleanup, keep: KEEP, keptWhat: 'all logs kept' });
}

runMain(main);
