/**
 * End to end: the Test Explorer with results, as a user gets them: a file with `??` asserts opened, "Test: Run
 * Tests in Current File", the Test Explorer view with passed and failed blocks (README screenshot).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2e } from './context';
import { ACTIVE_EDITOR, frameText, openFromExplorer, openTab, responseFrame, runCommand, waitForWorkbench } from './vscode-ui';

const FILE = 'api-tests.netreq';

describe('Test Explorer (packaged extension)', function () {
  this.timeout(120_000);

  // Runs after workbench.test.ts (file order); it leaves the Explorer showing, as it found it.
  after(async () => {
    await runCommand(e2e().page, 'View: Show Explorer').catch(() => undefined);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await e2e()
        .page.screenshot({ path: path.join(e2e().results, 'failed-test-explorer.png') })
        .catch(() => undefined);
    }
  });

  it('runs a file’s asserted blocks and shows passed and failed results (README screenshot)', async () => {
    const { page, workspace, http } = e2e();
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'View: Show Explorer'); // the tests before this one (History) leave another view showing
    await waitForWorkbench(page);
    fs.writeFileSync(
      path.join(workspace, FILE),
      [
        '# Asserts: ?? lines after a request are checked after it is sent (Test Explorer, the Tests tab, netreq test).',
        '',
        '### GET JSON',
        'GET http://{{host}}:{{httpPort}}/json',
        '?? status == 200',
        '?? status != 500',
        '',
        '### The home page',
        'GET http://{{host}}:{{httpPort}}/',
        '?? status == 200',
        '',
        '### Created? (fails: the server answers 200)',
        'POST http://{{host}}:{{httpPort}}/json',
        '?? status == 201',
        '',
      ].join('\n'),
    );
    await openFromExplorer(page, FILE);
    // The gutter's run buttons show the file's items are there.
    await page.locator(`${ACTIVE_EDITOR} .codicon-testing-run-icon`).first().waitFor({ state: 'visible', timeout: 30_000 });
    const before = http.requests.length;
    await runCommand(page, 'Testing: Focus on Test Explorer View');
    const explorer = page.locator('.test-explorer');
    await explorer.waitFor({ state: 'visible', timeout: 20_000 });
    // The file's row, then its blocks (expanded by a click when collapsed).
    const fileRow = explorer.locator('.monaco-list-row', { hasText: FILE }).first();
    await fileRow.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await fileRow.getAttribute('aria-expanded')) === 'false') await fileRow.click();
    // Run the file from its row (the Run Test action shows on hover).
    await fileRow.hover();
    await fileRow.locator('.action-label.codicon-testing-run-icon').first().click();
    await explorer.locator('.monaco-list-row', { hasText: 'Created?' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await explorer.locator('.codicon-testing-failed-icon').first().waitFor({ state: 'visible', timeout: 30_000 });
    await explorer.locator('.codicon-testing-passed-icon').first().waitFor({ state: 'visible', timeout: 30_000 });
    await explorer.locator('.monaco-list-row', { hasText: 'GET JSON' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const sent = http.requests.slice(before);
    assert.deepEqual(sent, ['GET /json', 'GET /', 'POST /json'], 'the blocks, in file order');
    // The last block's panel: "0/1 asserts" in its status line, and its Tests tab.
    const frame = await responseFrame(page, /^POST http:\/\/127\.0\.0\.1:\d+\/json$/);
    await frame.locator('.asserts-badge', { hasText: '0/1 asserts' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const tests = await openTab(frame, 'Tests');
    assert.match(tests, /\?\? status == 201/);
    assert.match(await frameText(frame, '.assert-failed .assert-actual'), /200/);
    await page.screenshot({ path: path.join(e2e().screenshots, 'test-explorer.png') });
  });
});
