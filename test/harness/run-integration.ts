/**
 * `npm run test:integration`: runs test/integration inside a real VS Code extension host, offline.
 *
 * Starts the VS Code Server (installed into .cache/ on first use) with NETREQ_TEST_REPORT in its
 * environment, opens the workbench in headless Chromium with a payload that loads this repository as the
 * extension under development and out/test/integration/index.js as its tests, then follows the report
 * file the tests write. Prints each result and `N passed, N failed`; exits non-zero on any failure or
 * time-out, with the tails of the server / extension host logs. Stops everything it started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IntegrationReport } from '../integration/report';
import { Cleanup, finishRun, freshResults, printResult, requireBuilt, runMain, seconds, sleep, watchdog } from './common';
import { checkPrerequisites, devPayload, ensureVSCodeServer, launchChromium, repoRoot, startVSCodeServer } from './vscode-server';

const SUITE_TIMEOUT_MS = Number(process.env.NETREQ_INTEGRATION_TIMEOUT_MS) || 5 * 60_000;
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

async function main(): Promise<number> {
  const t0 = Date.now();
  const root = repoRoot();
  const cleanup = new Cleanup();
  const browserLog: string[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-integration-'));
  const browserLogFile = path.join(work, 'browser-console.log');
  let logFiles: () => string[] = () => [];
  let failedMessage: string | undefined;
  let report: IntegrationReport | undefined;
  try {
    checkPrerequisites({ browser: true });
    requireBuilt(['dist/extension.js', 'dist/webview/response.js', 'out/test/integration/index.js']);
    await ensureVSCodeServer();
    watchdog(cleanup, SUITE_TIMEOUT_MS + 3 * 60_000, 'the integration run');
    freshResults('integration');
    const tInstalled = Date.now();

    const workspace = path.join(work, 'workspace');
    fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
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
    const url = server.url(workspace, devPayload(server, root, path.join(root, 'out', 'test', 'integration', 'index.js')));
    await page.goto(url, { timeout: 60_000 });
    console.log(`workbench opened; running the integration suite in the extension host (limit ${seconds(SUITE_TIMEOUT_MS)})`);

    const tStart = Date.now();
    let printed = 0;
    let header = false;
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
      if (Date.now() - tStart > SUITE_TIMEOUT_MS) {
        failedMessage = `the suite did not finish within ${seconds(SUITE_TIMEOUT_MS)}`;
        break;
      }
      await sleep(i < 20 ? 100 : 300);
    }
    if (report?.error) failedMessage = report.error;
    if (report?.done && report.tests.length === 0) failedMessage ??= 'the suite ran no tests';
    if (report?.done) console.log(`\nsuite: ${seconds(report.durationMs)} in the extension host; whole run ${seconds(Date.now() - t0)}`);
  } catch (e) {
    failedMessage = (e as Error).stack ?? String(e);
  }

  return finishRun({ suite: 'integration', tests: report?.tests ?? [], failedMessage, work, browserLogFile, browserLog, logFiles, cleanup, keep: KEEP, keptWhat: 'all logs kept' });
}

runMain(main);
