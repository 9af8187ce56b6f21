/**
 * `npm run bench:editor`: the panel latencies of issue 11 §1, measured in the real VS Code (the packaged
 * .vsix, Chromium driven by Playwright), recorded in bench/RESULTS-editor.md. Never a pass/fail on time: the
 * figures are written down, and the run fails only when something could not be measured.
 *
 * Each figure is the median of ROUNDS clicks, from the click to the moment the result's status line is in a
 * visible webview (polled in the page's frames every few ms):
 *  - first send: no NetReq panel open, click the block's "Send Request" CodeLens;
 *  - re-send: the panel open, click the same CodeLens again;
 *  - switch back: the panel hidden behind another editor in its group, click the panel's tab (a small body,
 *    and a ~1 MB JSON body).
 * Both panel modes are measured: `single` (the default: kept alive while hidden) and `perBlock` (a hidden
 * panel is rebuilt from the host's state when shown, as every panel was before). The memory a hidden
 * kept-alive panel holds is read in its frame (performance.memory, Chromium's --enable-precise-memory-info).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from '../../harness/vscode-server';
import { e2e, loopSamples } from '../context';
import { bodyMode, jsonRowFrame, markResultsSeen, openTab, pick, quickOpen, requestLineOf, runCommand, sendLensAbove, waitForWorkbench, webviewOnScreen } from '../vscode-ui';

const ROUNDS = Math.max(1, Math.min(50, Number(process.env.NETREQ_BENCH_EDITOR_ROUNDS) || 10));
/** NETREQ_BENCH_EDITOR_MODES=perBlock measures one mode only (e.g. a build from before the setting existed). */
const MODES = (process.env.NETREQ_BENCH_EDITOR_MODES ?? 'single,perBlock').split(',').filter((m): m is 'single' | 'perBlock' => m === 'single' || m === 'perBlock');
/** Where the figures go (default bench/RESULTS-editor.md of this checkout). */
const OUT = process.env.NETREQ_BENCH_EDITOR_OUT;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const BENCH_FILE = 'bench.netreq';
// One file for both benchmarks: Quick Open's index of the workspace is made when it is first used, so a file written
// later in the run may not be found (and the Explorer's list does not draw rows out of view).
const BENCH_TEXT = `### Small JSON\n# @name small\nGET http://{{host}}:{{httpPort}}/json\n\n### About 1 MB of JSON\n# @name big\nGET http://{{host}}:{{httpPort}}/big\n\n### About 5 MB of JSON\n# @name json5\nGET http://{{host}}:{{httpPort}}/big.json\n\n### About 47 MB of JSON\n# @name json50\nGET http://{{host}}:{{httpPort}}/big50.json\n`;

async function evalIn<T>(frame: Frame, expression: string): Promise<T | undefined> {
  try {
    return (await frame.evaluate(expression)) as T;
  } catch {
    return undefined;
  }
}

/** A result's status line (not a send under way, not marked as seen before this click). */
const SHOWN = `(() => { const s = document.querySelector('.status-code'); return !!s && !document.querySelector('.banner-sending') && !s.dataset.benchSeen })()`;

/** Waits until a response page shows a new result, on screen; returns its frame. */
async function waitShown(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      if ((await evalIn<boolean>(f, SHOWN)) && (await webviewOnScreen(f))) return f;
    }
    if (Date.now() > deadline) throw new Error(`no response panel showed a result within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Marks what every response page shows now, so only a new result counts. */
async function markSeen(page: Page): Promise<void> {
  for (const f of page.frames()) await evalIn(f, `document.querySelectorAll('.status-code').forEach((s) => (s.dataset.benchSeen = '1'))`);
}

async function responsePages(page: Page): Promise<number> {
  let n = 0;
  for (const f of page.frames()) if (await evalIn<boolean>(f, `!!document.querySelector('.status-code')`)) n++;
  return n;
}

/** Closes every editor but the .netreq file (the panels) and waits for their pages to go. */
async function closePanels(page: Page): Promise<void> {
  await page.keyboard.press('Control+1');
  await runCommand(page, 'View: Close Editors in Other Groups');
  const deadline = Date.now() + 10_000;
  while ((await responsePages(page)) > 0) {
    if (Date.now() > deadline) throw new Error('the response panels did not close');
    await sleep(50);
  }
}

async function clickLens(page: Page, line: number): Promise<number> {
  const lens = await sendLensAbove(page, line);
  await markSeen(page);
  const t0 = performance.now();
  await lens.click();
  await waitShown(page);
  return performance.now() - t0;
}

/** The renderer's used JS heap after a full GC (Chromium with --js-flags=--expose-gc), or -1. */
async function heapAfterGc(page: Page): Promise<number> {
  const r = await evalIn<number>(page.mainFrame(), `(() => { if (typeof gc === 'function') { gc(); gc(); } return performance.memory ? performance.memory.usedJSHeapSize : -1 })()`);
  return r ?? -1;
}

/** Opens another file in the panel's group, so the panel is hidden. */
async function hideBehindFile(page: Page): Promise<void> {
  await page.locator('.editor-group-container .tabs-container .tab', { hasText: '↩' }).first().click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'https.netreq' }).first().click();
  await page.locator('.editor-group-container .tabs-container .tab.active', { hasText: 'https.netreq' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(400);
}

/** Hides the response panel behind another file opened in its group, then clicks its tab back. */
async function switchBack(page: Page): Promise<number> {
  await hideBehindFile(page);
  const tab = page.locator('.editor-group-container .tabs-container .tab', { hasText: '↩' }).first();
  // A kept-alive page keeps its (already seen) result: here any result on screen counts.
  for (const f of page.frames()) await evalIn(f, `document.querySelectorAll('.status-code').forEach((s) => delete s.dataset.benchSeen)`);
  const t0 = performance.now();
  await tab.click();
  await waitShown(page);
  const ms = performance.now() - t0;
  // Close the other file so the group shows the panel alone again.
  await page.locator('.editor-group-container .tabs-container .tab', { hasText: 'https.netreq' }).first().hover();
  await page.locator('.editor-group-container .tabs-container .tab', { hasText: 'https.netreq' }).locator('.codicon-close').first().click();
  await page.locator('.editor-group-container .tabs-container .tab', { hasText: 'https.netreq' }).first().waitFor({ state: 'detached', timeout: 10_000 });
  return ms;
}

/**
 * Unregisters the webview service workers of the page's origin (the panels are closed, so none controls a page):
 * the next webview then registers a fresh worker instead of replacing the previous one, which is what desktop VS
 * Code and vscode.dev do (one origin per webview). In code-server every webview shares one origin, and Chromium
 * delays a replacing worker's activation by 1 s. Returns how many were unregistered.
 */
async function freshServiceWorkers(page: Page): Promise<number> {
  const n = await evalIn<number>(
    page.mainFrame(),
    `(async () => { let n = 0; for (const r of await navigator.serviceWorker.getRegistrations()) if (r.scope.includes('/webview/')) { if (await r.unregister()) n++; } return n; })()`,
  );
  return n ?? 0;
}

/** Where a first send's time goes: frames attached, the page drawn (before `ready`), the result shown. */
async function probeFirstSend(page: Page, line: number): Promise<string[]> {
  await quickOpen(page, BENCH_FILE);
  const lens = await sendLensAbove(page, line);
  const t0 = performance.now();
  const marks: string[] = [];
  const at = () => `${(performance.now() - t0).toFixed(0)} ms`;
  const where = (f: Frame) => f.url().replace(/\?.*$/, '').replace(/^.*\/pre\//, 'webview pre/') || 'about:blank';
  const onAttach = () => marks.push(`${at()} a frame is attached`);
  const onNavigate = (f: Frame) => marks.push(`${at()} a frame navigates to ${where(f)}`);
  page.on('frameattached', onAttach);
  page.on('framenavigated', onNavigate);
  await lens.click();
  marks.push(`${(performance.now() - t0).toFixed(0)} ms click returned`);
  let drawn = false;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (!drawn && (await evalIn<boolean>(f, `!!document.querySelector('#root .app')`))) {
        drawn = true;
        marks.push(`${(performance.now() - t0).toFixed(0)} ms page drawn (script ran)`);
      }
      if (await evalIn<boolean>(f, SHOWN)) {
        marks.push(`${(performance.now() - t0).toFixed(0)} ms result shown`);
        console.log(marks.join('\n'));
        page.off('frameattached', onAttach);
        page.off('framenavigated', onNavigate);
        await closePanels(page);
        return marks;
      }
    }
    await sleep(5);
  }
  console.log(marks.join('\n'));
  return marks;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row {
  what: string;
  target?: number;
  runs: Record<string, number[]>;
}

async function setPanelMode(workspace: string, mode: 'single' | 'perBlock'): Promise<void> {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  settings['netreq.response.panel'] = mode;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  await sleep(2500); // the file watcher and the configuration service pick it up
}

describe('editor latency benchmark (npm run bench:editor)', function () {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await e2e().page.screenshot({ path: path.join(e2e().results, 'failed-bench.png') }).catch(() => undefined);
  });

  it(`times first send, re-send and switching back to a hidden panel (median of ${ROUNDS})`, async () => {
    const { page, workspace } = e2e();
    await waitForWorkbench(page);
    fs.writeFileSync(path.join(workspace, BENCH_FILE), BENCH_TEXT);
    await quickOpen(page, BENCH_FILE);
    await page.locator('.part.statusbar .statusbar-item', { hasText: /env: / }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'NetReq: Select Environment');
    await pick(page, 'local');
    await quickOpen(page, BENCH_FILE);
    const small = requestLineOf(path.join(workspace, BENCH_FILE), 'small');
    const big = requestLineOf(path.join(workspace, BENCH_FILE), 'big');
    // Warm-up (extension activation, the first webview of the window): not counted.
    await clickLens(page, small);
    await closePanels(page);
    // Where a first send's time goes (one send, not counted in the medians).
    const probe = process.env.NETREQ_BENCH_EDITOR_PROBE === '0' ? [] : await probeFirstSend(page, small);

    const rows: Row[] = [
      { what: 'First send (click → status line visible)', target: 400, runs: {} },
      { what: 'First send, the webview\u2019s service worker registered fresh (as in desktop VS Code: one origin per webview)', target: 400, runs: {} },
      { what: 'Re-send into the open panel', target: 150, runs: {} },
      { what: 'Switch back to the hidden panel (small body)', target: 200, runs: {} },
      { what: 'Switch back to the hidden panel (~1 MB JSON body)', target: 200, runs: {} },
    ];
    const memory: Record<string, string> = {};
    for (const mode of MODES) {
      await setPanelMode(workspace, mode);
      const first: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        await closePanels(page);
        await quickOpen(page, BENCH_FILE);
        first.push(await clickLens(page, small));
      }
      const fresh: number[] = [];
      let unregistered = 0;
      for (let i = 0; i < ROUNDS; i++) {
        await closePanels(page);
        unregistered += await freshServiceWorkers(page);
        await quickOpen(page, BENCH_FILE);
        fresh.push(await clickLens(page, small));
      }
      if (unregistered < ROUNDS) throw new Error(`only ${unregistered} webview service workers were unregistered in ${ROUNDS} rounds: the fresh-worker row would not measure what it says`);
      const again: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        await quickOpen(page, BENCH_FILE);
        again.push(await clickLens(page, small));
      }
      const back: number[] = [];
      for (let i = 0; i < ROUNDS; i++) back.push(await switchBack(page));
      await closePanels(page);
      await quickOpen(page, BENCH_FILE);
      await clickLens(page, big);
      const backBig: number[] = [];
      for (let i = 0; i < ROUNDS; i++) backBig.push(await switchBack(page));
      if (mode === 'single') {
        // What a hidden kept-alive page with a ~1 MB body holds: the renderer's JS heap (webviews share it with the
        // workbench here, same origin) after a full GC, with the panel hidden and then closed; and its DOM size.
        await hideBehindFile(page);
        const heapWith = await heapAfterGc(page);
        let nodes = -1;
        for (const f of page.frames()) {
          const n = await evalIn<number>(f, `document.querySelector('.status-code') ? document.getElementsByTagName('*').length : -1`);
          if (n !== undefined && n >= 0) nodes = n;
        }
        await closePanels(page);
        const heapWithout = await heapAfterGc(page);
        if (heapWith >= 0 && heapWithout >= 0) memory[mode] = `${((heapWith - heapWithout) / 1024 / 1024).toFixed(1)} MB of JS heap (renderer heap after a full GC: ${(heapWith / 1024 / 1024).toFixed(1)} MB with the hidden panel, ${(heapWithout / 1024 / 1024).toFixed(1)} MB once it is closed), ${nodes} DOM elements in the page`;
      }
      await closePanels(page);
      rows[0].runs[mode] = first;
      rows[1].runs[mode] = fresh;
      rows[2].runs[mode] = again;
      rows[3].runs[mode] = back;
      rows[4].runs[mode] = backBig;
      console.log(`${mode}: ${rows.map((r) => `${r.what}: ${median(r.runs[mode]).toFixed(0)} ms`).join('; ')}`);
    }
    await setPanelMode(workspace, 'single');
    writeResults(rows, memory, probe);
  });
});

const BIG50_ROUNDS = Math.min(ROUNDS, 3);

/** Clicks a block's lens and waits for the JSON viewer's first record; the ms it took and the host's longest event-loop delay meanwhile. */
async function jsonClick(page: Page, line: number): Promise<{ ms: number; loopMs: number }> {
  await quickOpen(page, BENCH_FILE);
  const lens = await sendLensAbove(page, line);
  await markResultsSeen(page);
  const t0 = Date.now();
  await lens.click();
  await jsonRowFrame(page, '"id": 0,', 240_000);
  const ms = Date.now() - t0;
  await sleep(600); // the probe's samples of these moments
  const samples = loopSamples(t0 - 200, t0 + ms + 400);
  return { ms, loopMs: samples.length ? Math.max(...samples.map((x) => x.maxMs)) : -1 };
}

describe('JSON body viewer benchmark (npm run bench:editor)', function () {
  it(`times 5 MB JSON: click → pretty lines visible in the Body tab (median of ${ROUNDS}), and ~47 MB (median of ${BIG50_ROUNDS}) with the extension host's longest event-loop delay`, async () => {
    const { page, workspace } = e2e();
    await waitForWorkbench(page);
    if (!fs.existsSync(path.join(workspace, BENCH_FILE))) fs.writeFileSync(path.join(workspace, BENCH_FILE), BENCH_TEXT);
    await quickOpen(page, BENCH_FILE);
    // The local environment (also when this runs alone, NETREQ_TEST_GREP='JSON body viewer').
    await page.locator('.part.statusbar .statusbar-item', { hasText: /env: / }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'NetReq: Select Environment');
    await pick(page, 'local');
    await quickOpen(page, BENCH_FILE);
    const big = requestLineOf(path.join(workspace, BENCH_FILE), 'json5');
    const big50 = requestLineOf(path.join(workspace, BENCH_FILE), 'json50');
    // Warm-up, and the Body tab in Pretty mode (the one panel keeps both).
    await (await sendLensAbove(page, big)).click();
    const f = await waitShown(page);
    await openTab(f, 'Body');
    if (await f.locator('.tab-content button.seg', { hasText: /^Pretty$/ }).count()) await bodyMode(f, 'Pretty');
    const five: Array<{ ms: number; loopMs: number }> = [];
    for (let i = 0; i < ROUNDS; i++) five.push(await jsonClick(page, big));
    const fifty: Array<{ ms: number; loopMs: number }> = [];
    for (let i = 0; i < BIG50_ROUNDS; i++) fifty.push(await jsonClick(page, big50));
    await closePanels(page);
    const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    const section = [
      '## JSON body viewer',
      '',
      `Run ${new Date().toISOString()}: from the click on Send Request to the first pretty line ("id": 0) visible in the Body tab, re-sending into the open panel (\`single\` mode), median (min–max). The extension host's longest event-loop delay is read from perf_hooks.monitorEventLoopDelay inside the host (sampled every 200 ms by src/extension/loopProbe.ts, on only in these runs), from the click until the lines were visible.`,
      '',
      '| Measure | Target | Time | Host’s longest event-loop delay |',
      '| --- | --- | --- | --- |',
      `| 5 MB JSON: click → pretty lines visible in the Body tab | < 1000 ms | ${fmt(five.map((x) => x.ms))} | ${Math.max(...five.map((x) => x.loopMs))} ms |`,
      `| ~47 MB JSON: click → pretty lines visible in the Body tab | host never blocked > 100 ms | ${fmt(fifty.map((x) => x.ms))} | ${Math.max(...fifty.map((x) => x.loopMs))} ms |`,
      '',
    ].join('\n');
    console.log(section);
    const file = OUT ?? path.join(repoRoot(), 'bench', 'RESULTS-editor.md');
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const start = before.indexOf('\n## JSON body viewer');
    const rest = start >= 0 ? before.slice(before.indexOf('\n## ', start + 1) >= 0 ? before.indexOf('\n## ', start + 1) : before.length) : before.includes('\n## Before') ? before.slice(before.indexOf('\n## Before')) : '';
    const head = start >= 0 ? before.slice(0, start) : before.includes('\n## Before') ? before.slice(0, before.indexOf('\n## Before')) : before;
    fs.writeFileSync(file, `${head.trimEnd()}\n\n${section}${rest}`);
  });
});

function writeResults(rows: Row[], memory: Record<string, string>, probe: string[]): void {
  const fmt = (xs: number[] | undefined) => (xs && xs.length ? `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})` : '–');
  const lines = [
    '# Editor latency (npm run bench:editor)',
    '',
    `Run ${new Date().toISOString()} on ${process.platform} ${process.arch}, Node ${process.version}: the packaged .vsix in the VS Code Server the e2e tests use, Chromium headless driven by Playwright. Median of ${ROUNDS} (min–max), from the click to the status line of the result in a visible webview. Loopback HTTP server (the e2e peer), so the request itself takes a few ms.`,
    '',
    '| Measure | Target | `single` (default: one panel, kept alive while hidden) | `perBlock` (rebuilt when shown, as before) |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.what} | < ${r.target} ms | ${fmt(r.runs.single)} | ${fmt(r.runs.perBlock)} |`),
    '',
    ...(probe.length
      ? [
          'Where one first send’s time went (from the click):',
          '',
          ...probe.map((m) => `- ${m}`),
          '',
          'From the second frame attached to its navigation to `pre/fake.html` is VS Code’s own webview bootstrap (`pre/index.html` registers a service worker for each new webview and waits for it to take control before it loads the page): about 1 s here, for any extension’s new webview. NetReq’s part of a first send is before it (command, resolve, create the panel) and after it (load the page script, `ready`, draw). The second is Chromium’s: code-server serves every webview from one origin, so each new webview’s service worker replaces the previous one, and Chromium delays the activation of a replacing worker by exactly 1 s (`ServiceWorkerRegistration::ActivateWaitingVersion` with `delay`; measured: activating → activated 1000 ms, while the first webview of a fresh profile has no gap). Desktop VS Code and vscode.dev give each webview its own origin and do not pay it. The row “first send, the webview’s service worker registered fresh” measures that case here: before each click the benchmark unregisters the closed panels’ workers (`navigator.serviceWorker.getRegistrations()` in the workbench’s origin), so the new webview’s worker is a first registration, activated at once, as in a window where no webview was open before.',
          '',
        ]
      : []),
    `Memory held by the hidden kept-alive response panel with the ~1 MB JSON body shown: ${memory.single ?? 'not measured (no performance.memory)'}. It is bounded: one such page per panel kind in \`single\` mode (plus the panels you pin), each rendering at most \`netreq.response.previewBytes\` (1 MB) of body.`,
    '',
  ];
  const file = OUT ?? path.join(repoRoot(), 'bench', 'RESULTS-editor.md');
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const keep = before.includes('\n## Before') ? before.slice(before.indexOf('\n## Before')) : '';
  fs.writeFileSync(file, lines.join('\n') + keep);
  console.log(`wrote ${file}`);
}
