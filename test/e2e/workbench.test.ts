/**
 * End to end, as a user: the packaged extension (.vsix) installed in a real VS Code, the examples folder
 * open, requests sent by clicking their CodeLens, results read inside the response webview.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { e2e, HOSTILE_IMG, HOSTILE_SCRIPT } from './context';
import { ACTIVE_EDITOR, bodyMode, frameText, hostileTraces, openTab, pick, quickOpen, requestLineOf, responseFrame, runCommand, sendLensAbove, waitForWorkbench } from './vscode-ui';

describe('NetReq in VS Code (packaged extension)', function () {
  this.timeout(120_000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = this.currentTest.title.replace(/[^\w.-]+/g, '-').slice(0, 80);
      await e2e()
        .page.screenshot({ path: path.join(e2e().results, `failed-${name}.png`) })
        .catch(() => undefined);
    }
  });

  it('opens http.netreq with a "Send Request" CodeLens on its requests', async () => {
    const { page } = e2e();
    await waitForWorkbench(page);
    await quickOpen(page, 'http.netreq');
    const lenses = page.locator(`${ACTIVE_EDITOR} .codelens-decoration a`, { hasText: 'Send Request' });
    await lenses.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await lenses.count()) >= 2, 'fewer than two "Send Request" lenses in view');
    await page.locator(`${ACTIVE_EDITOR} .codelens-decoration a`, { hasText: 'Send All Requests' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('selects the "local" environment with NetReq: Select Environment', async () => {
    const { page } = e2e();
    await page.locator('.part.statusbar .statusbar-item', { hasText: /env: / }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'NetReq: Select Environment');
    await pick(page, 'local');
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'env: local' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Control+Home');
    await page.screenshot({ path: path.join(e2e().screenshots, 'editor-codelens.png') });
  });

  it('GET: clicking the CodeLens shows the status and body in the response panel', async () => {
    const { page, http, workspace } = e2e();
    const lens = await sendLensAbove(page, requestLineOf(path.join(workspace, 'http.netreq'), 'json'));
    await lens.click();
    const frame = await responseFrame(page, new RegExp(`^GET http://127\\.0\\.0\\.1:${http.port}/json$`));
    assert.equal((await frameText(frame, '.status-code')).trim(), '200');
    assert.equal((await frameText(frame, '.status-reason')).trim(), 'OK');
    const body = await frameText(frame, '.tab-content');
    assert.match(body, /"tool": "NetReq"/);
    assert.match(body, /"protocols"/);
    assert.ok(http.requests.includes('GET /json'), `the server saw ${http.requests.join(', ')}`);
    await page.screenshot({ path: path.join(e2e().screenshots, 'response-panel.png') });
  });

  it('shows script and img payloads from body and headers as text, and none of them runs', async () => {
    const { page, http, workspace, dialogs } = e2e();
    const lens = await sendLensAbove(page, requestLineOf(path.join(workspace, 'http.netreq'), 'get'));
    await lens.click();
    const frame = await responseFrame(page, new RegExp(`^GET http://127\\.0\\.0\\.1:${http.port}/$`));
    assert.equal((await frameText(frame, '.status-code')).trim(), '200');
    const pretty = await frameText(frame, '.tab-content');
    assert.ok(pretty.includes('NetReq e2e page'), pretty.slice(0, 500));
    assert.ok(pretty.includes(HOSTILE_IMG), 'the <img> payload is not shown as text in the pretty body');
    const body = await bodyMode(frame, 'Text');
    assert.ok(body.includes(HOSTILE_SCRIPT), 'the <script> payload is not shown as text in the body');
    assert.ok(body.includes(HOSTILE_IMG), 'the <img> payload is not shown as text in the body');
    const headers = await openTab(frame, 'Headers');
    assert.ok(headers.includes(HOSTILE_SCRIPT) && headers.includes(HOSTILE_IMG), `headers tab: ${headers.slice(0, 500)}`);
    const raw = await openTab(frame, 'Raw');
    assert.ok(raw.includes(HOSTILE_SCRIPT), 'the Raw tab does not show the payload as text');
    await openTab(frame, 'Body');
    // Give an onerror / inline script every chance to run before looking.
    await page.waitForTimeout(1000);
    assert.deepEqual(await hostileTraces(page), []);
    assert.deepEqual(dialogs, [], 'a dialog was opened');
  });

  it('HTTPS with # @insecure to openssl s_server: status, body and the TLS session', async () => {
    const { page, httpsPort, workspace, dialogs } = e2e();
    await quickOpen(page, 'https.netreq');
    const lens = await sendLensAbove(page, requestLineOf(path.join(workspace, 'https.netreq'), 'local-https'));
    await lens.click();
    const frame = await responseFrame(page, new RegExp(`^GET https://127\\.0\\.0\\.1:${httpsPort}/$`));
    assert.equal((await frameText(frame, '.status-code')).trim(), '200');
    const body = await frameText(frame, '.tab-content');
    assert.match(body, /Ciphers supported in s_server binary/);
    const tls = await openTab(frame, 'TLS');
    assert.match(tls, /TLSv1\.[23]/);
    assert.match(tls, /not checked \(@insecure\)/);
    assert.match(tls, /Self-signed\s+yes/);
    assert.deepEqual(await hostileTraces(page), []);
    assert.deepEqual(dialogs, []);
  });

  it('after a window reload the response panel comes back with its last exchange, says so, and sends again', async () => {
    const { page, httpsPort } = e2e();
    const request = new RegExp(`^GET https://127\\.0\\.0\\.1:${httpsPort}/$`);
    await runCommand(page, 'Developer: Reload Window');
    await waitForWorkbench(page);
    // The page restored from its saved state, without the request being sent again.
    const frame = await responseFrame(page, request, 60_000);
    const note = await frameText(frame, '.restore-note');
    assert.match(note, /^Restored after a window reload: the last exchange as it was\.$/);
    assert.equal((await frameText(frame, '.status-code')).trim(), '200');
    assert.match(await openTab(frame, 'Body'), /Ciphers supported in s_server binary/);
    await page.screenshot({ path: path.join(e2e().screenshots, 'response-restored.png') });
    // Send again from the restored panel: the block is found and sent; the note goes with the new result.
    await frame.locator('button', { hasText: 'Send again' }).first().click({ timeout: 10_000 });
    await frame.locator('.restore-note').waitFor({ state: 'detached', timeout: 30_000 });
    const again = await responseFrame(page, request);
    assert.equal((await frameText(again, '.status-code')).trim(), '200');
  });
});
