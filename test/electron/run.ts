/**
 * `npm run test:electron`: the same integration suite (test/integration) in desktop VS Code, through
 * @vscode/test-electron. That downloads VS Code from update.code.visualstudio.com, so it needs internet
 * (and a display: on a headless Linux run it under `xvfb-run -a`). On machines without either, use
 * `npm run test:integration`, which runs the suite in the offline VS Code Server instead.
 *
 * NETREQ_VSCODE_VERSION picks the VS Code version (default: the newest that fits engines.vscode).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { IntegrationReport } from '../integration/report';
import { printResult, summaryLine } from '../harness/common';
import { repoRoot } from '../harness/vscode-server';

async function main(): Promise<number> {
  const root = repoRoot();
  const extensionTestsPath = path.join(root, 'out', 'test', 'integration', 'index.js');
  for (const f of [extensionTestsPath, path.join(root, 'dist', 'extension.js')]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${path.relative(root, f)}: run 'npm run compile && npm run build' first`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-electron-'));
  const workspace = path.join(work, 'workspace');
  fs.cpSync(path.join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });
  const reportFile = path.join(work, 'report.json');
  let failure: string | undefined;
  try {
    await runTests({
      version: process.env.NETREQ_VSCODE_VERSION || undefined,
      cachePath: path.join(root, '.cache', 'vscode-test'),
      timeout: 60_000,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      extensionTestsEnv: { NETREQ_TEST_REPORT: reportFile },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--user-data-dir',
        path.join(work, 'user-data'),
      ],
    });
  } catch (e) {
    failure = (e as Error).message || String(e);
  }

  let report: IntegrationReport | undefined;
  try {
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as IntegrationReport;
  } catch {
    // VS Code never ran the suite
  }
  fs.rmSync(work, { recursive: true, force: true });
  if (!report) {
    console.error(
      `@vscode/test-electron could not run the suite: ${failure ?? 'no report was written'}\n` +
        'It downloads desktop VS Code from update.code.visualstudio.com (internet needed) and starts it (a display\n' +
        "needed: use 'xvfb-run -a npm run test:electron' on a headless Linux). Offline, run 'npm run test:integration':\n" +
        'the same suite in the VS Code Server, with no download.',
    );
    console.log('0 passed, 1 failed');
    return 1;
  }
  console.log(`VS Code ${report.vscodeVersion} (${report.uiKind}, Node ${report.node})`);
  for (const t of report.tests) printResult(t);
  if (report.error) console.log(`ERROR: ${report.error}`);
  const { passed, failed, line } = summaryLine(report.tests);
  const ok = report.done && !report.error && failed === 0 && passed > 0;
  console.log(ok ? line : `${passed} passed, ${Math.max(failed, 1)} failed`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
