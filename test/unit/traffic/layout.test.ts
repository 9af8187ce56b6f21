/**
 * The traffic view's proxy list laid out by a real browser (Debian's Chromium through playwright-core, as the
 * integration harness drives VS Code): the built page script (dist/webview/traffic.js) with the panel's two
 * stylesheets, fed a snapshot, at the widths an editor split gives it. Method, Status and the URL are on
 * screen at every width; the rest shows where there is room. Needs `node esbuild.mjs` (it runs before the
 * unit tests) and `apt-get install -y chromium`.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FlowRow, TrafficSnapshot } from '../../../src/shared/trafficMessages';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../../../..');

/** VS Code's defaults for what the stylesheets read (body 13px, editor 14px). */
const VSCODE_VARS = ':root { --vscode-font-size: 13px; --vscode-editor-font-size: 14px; --vscode-font-family: sans-serif; --vscode-editor-font-family: monospace; } body { font-size: 13px; margin: 0; padding: 0 20px; }';

function flow(id: number): FlowRow {
  return { id, kind: 'http', startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), proxy: '127.0.0.1:8888', client: '127.0.0.1:50123', method: 'GET', target: `http://127.0.0.1:8080/some/longer/path/${id}?query=value&other=thing`, status: 404, bytesUp: 120, bytesDown: 1536, durationMs: 12.5, done: true };
}

describe('traffic view layout in Chromium: the proxy list at editor-split widths', function () {
  this.timeout(30_000);
  let browser: Browser;
  let page: Page;

  before(async function () {
    const script = path.join(ROOT, 'dist/webview/traffic.js');
    assert.ok(fs.existsSync(CHROMIUM), `Chromium is required at ${CHROMIUM}: apt-get install -y chromium`);
    assert.ok(fs.existsSync(script), 'built (node esbuild.mjs runs before the unit tests)');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 20_000, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    const css = ['media/response.css', 'media/traffic.css'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    const stub = 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });';
    await page.setContent(`<!DOCTYPE html><html><head><style>${VSCODE_VARS}\n${css}</style></head><body><div id="root"></div><script>${stub}</script><script>${fs.readFileSync(script, 'utf8')}</script></body></html>`);
    const snap: TrafficSnapshot = { type: 'snapshot', flows: [flow(1), flow(2)], datagrams: [], dropped: { flows: 0, datagrams: 0 }, max: 1000, services: [], paused: false };
    await page.evaluate(`window.postMessage(${JSON.stringify(snap)}, '*')`);
    await page.waitForSelector('.list-proxy .row:not(.head)', { timeout: 5000 });
  });

  after(async () => {
    await browser?.close();
  });

  /** Where each column's header cell is (its text and right edge), and how wide the list's visible area is. */
  async function columns(width: number): Promise<{ visible: string[]; offscreen: string[]; listRight: number }> {
    await page.setViewportSize({ width, height: 700 });
    // Run in the page (a string: this file is compiled without the DOM's types).
    return page.evaluate(`(() => {
      const list = document.querySelector('.list-proxy');
      const right = list.getBoundingClientRect().left + list.clientWidth;
      const shown = [...list.querySelectorAll('.row.head .cell')].filter((c) => c.getBoundingClientRect().width > 0);
      return {
        visible: shown.filter((c) => c.getBoundingClientRect().right <= right + 0.5).map((c) => c.textContent),
        offscreen: shown.filter((c) => c.getBoundingClientRect().right > right + 0.5).map((c) => c.textContent),
        listRight: right,
      };
    })()`);
  }

  const SHOWN: Array<[number, string[]]> = [
    // Half of a 1280 px window beside the side bar.
    [490, ['Method', 'Status', 'URL / CONNECT target', 'Duration']],
    [640, ['Time (UTC)', 'Method', 'Status', 'URL / CONNECT target', 'Duration', '↓ Down']],
    // Half of a 1920 px window.
    [800, ['Time (UTC)', 'Method', 'Status', 'URL / CONNECT target', 'Duration', '↑ Up', '↓ Down']],
    [1200, ['Time (UTC)', 'Method', 'Status', 'URL / CONNECT target', 'Duration', '↑ Up', '↓ Down', 'Client', 'Kind']],
  ];
  for (const [width, expected] of SHOWN) {
    it(`at ${width} px: ${expected.join(', ')} on screen, nothing off it (Method, Status and the URL at every width)`, async () => {
      const c = await columns(width);
      assert.deepEqual(c.visible, expected, JSON.stringify(c));
      assert.deepEqual(c.offscreen, [], `nothing needs a horizontal scroll at ${width} px`);
    });
  }

  it('the status of a row is drawn where its header is (the cells line up)', async () => {
    await page.setViewportSize({ width: 490, height: 700 });
    const [head, cell] = await page.evaluate<number[]>(`['.row.head .col-status', '.row:not(.head) .col-status'].map((s) => Math.round(document.querySelector(s).getBoundingClientRect().left))`);
    assert.equal(cell, head);
    assert.equal(await page.textContent('.row:not(.head) .col-status'), '404');
  });
});
