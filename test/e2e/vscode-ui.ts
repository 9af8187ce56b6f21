/** Driving the real VS Code workbench in Chromium: Quick Open, the command palette, CodeLens, webview frames. */
import * as fs from 'node:fs';
import type { Frame, Locator, Page } from 'playwright-core';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The text editor of the focused editor group. */
export const ACTIVE_EDITOR = '.editor-group-container.active .editor-instance';

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  // The explorer lists the folder once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/**
 * Opens a quick input with `keys`, types `text`, waits for `row` and accepts it. The widget can close again right
 * after it opened (focus taken by a webview or an editor that finished opening a moment later: seen once in CI as
 * "element is not visible" on fill), so opening and typing is tried up to three times before it counts as a failure.
 */
async function quickInput(page: Page, keys: string, text: string, row: string | RegExp): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press(keys);
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text, { timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(`      (quick input closed before typing, attempt ${attempt}: opening it again)`);
      await page.keyboard.press('Escape');
      await sleep(300);
    }
  }
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: row }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** Opens a file of the workspace through Quick Open (Ctrl+P), as a user would, and waits for its tab. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  // Into the first editor group, not the response panels' group beside it.
  await page.keyboard.press('Control+1');
  await quickInput(page, 'Control+P', fileName, fileName);
  // Its tab, in whichever group. If focus went to another group meanwhile (seen in CI after the body editor tests:
  // the file open in the first group, the response panel's group active), a click on the tab makes it the active
  // editor, as a user would.
  const tab = page.locator('.editor-group-container .tabs-container .tab.active', { hasText: fileName }).first();
  await tab.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: fileName }).count()) === 0) {
    console.log(`      (${fileName} opened, but another editor group has the focus: clicking its tab)`);
    await tab.click();
  }
  await page.locator(`${ACTIVE_EDITOR} .monaco-editor .view-lines`).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 20_000 });
}

/**
 * Opens a file by double-clicking its row in the Explorer: for a file written during the run, Quick Open's file
 * search can answer "No matching results" (its index of the workspace was made before the file existed).
 */
export async function openFromExplorer(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+1');
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.dblclick();
  await page.locator(`${ACTIVE_EDITOR} .monaco-editor .view-lines`).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 20_000 });
}

/** Runs a command by its palette title (F1), e.g. "NetReq: Select Environment". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, 'F1', `>${title}`, title);
}

/** Picks an item in the open quick pick by its label. */
export async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(label);
  await page
    .locator('.quick-input-widget .monaco-list-row .label-name')
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Go to Line (Ctrl+G): scrolls the active editor so the 1-based line is in view. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The 1-based line of the request line of the block named `name` in a .netreq file (the first line after
 * `# @name name` that starts with an HTTP method).
 */
export function requestLineOf(file: string, name: string): number {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim() === `# @name ${name}`);
  if (at < 0) throw new Error(`no block named '${name}' in ${file}`);
  for (let i = at + 1; i < lines.length && !lines[i].startsWith('###'); i++) if (/^[A-Z]+ \S/.test(lines[i])) return i + 1;
  throw new Error(`the block '${name}' in ${file} has no request line`);
}

/** The "Send Request" CodeLens shown just above a 1-based line of the active editor (scrolls it into view). */
export async function sendLensAbove(page: Page, line: number): Promise<Locator> {
  await goToLine(page, line);
  const gutter = page.locator(`${ACTIVE_EDITOR} .margin-view-overlays .line-numbers`).filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) });
  await gutter.first().waitFor({ state: 'visible', timeout: 10_000 });
  const lenses = page.locator(`${ACTIVE_EDITOR} .codelens-decoration a`, { hasText: 'Send Request' });
  const deadline = Date.now() + 20_000;
  for (let attempt = 0; ; attempt++) {
    const lineBox = await gutter.first().boundingBox();
    const count = await lenses.count();
    let best: { i: number; y: number } | undefined;
    for (let i = 0; i < count && lineBox; i++) {
      const box = await lenses.nth(i).boundingBox();
      if (box && box.y < lineBox.y && lineBox.y - box.y < 40 && (!best || box.y > best.y)) best = { i, y: box.y };
    }
    if (best) return lenses.nth(best.i);
    if (Date.now() > deadline) throw new Error(`no "Send Request" CodeLens above line ${line} (${count} lenses visible, ${attempt + 1} looks)`);
    await sleep(250);
  }
}

async function evalIn<T>(frame: Frame, expression: string): Promise<T | undefined> {
  try {
    return (await frame.evaluate(expression)) as T;
  } catch {
    return undefined; // detached or navigating
  }
}

/**
 * The webview frame (inside VS Code's nested iframes) whose response panel shows a request line matching
 * `request`, once it shows a result (not "Sending…").
 */
export async function responseFrame(page: Page, request: RegExp, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    for (const f of page.frames()) {
      const line = await evalIn<string | null>(f, `(() => { const r = document.querySelector('.request-line'); return r && !document.querySelector('.banner-sending') && document.querySelector('.status-code') ? r.textContent : null })()`);
      if (line) seen.add(line);
      if (line && request.test(line)) return f;
    }
    if (Date.now() > deadline) throw new Error(`no response panel showing ${request} within ${timeoutMs} ms (panels seen: ${[...seen].join(' | ') || 'none'})`);
    await sleep(200);
  }
}

export async function frameText(frame: Frame, selector = 'body'): Promise<string> {
  return frame.locator(selector).first().innerText({ timeout: 10_000 });
}

/** Clicks a body view mode button of the response panel (Pretty, Text, Hex) and returns the tab's text. */
export async function bodyMode(frame: Frame, label: string): Promise<string> {
  await frame.locator('.tab-content button', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click({ timeout: 10_000 });
  return frameText(frame, '.tab-content');
}

/** Clicks a tab of the response panel (Body, Headers, Raw, Timing, TLS, Connection) and returns its text. */
export async function openTab(frame: Frame, label: string): Promise<string> {
  await frame.locator('button.tab', { hasText: label }).first().click({ timeout: 10_000 });
  await frame.locator('button.tab.active', { hasText: label }).first().waitFor({ timeout: 10_000 });
  return frameText(frame, '.tab-content');
}

/** In every frame of the page: whether `window.__pwned` was set, and elements carrying inline handlers. */
export async function hostileTraces(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const f of page.frames()) {
    const r = await evalIn<{ pwned: string; handlers: number; imgs: number }>(
      f,
      `({ pwned: typeof window.__pwned, handlers: document.querySelectorAll('[onerror],[onload]').length, imgs: Array.from(document.querySelectorAll('img')).filter((i) => i.getAttribute('src') === 'x').length })`,
    );
    if (r === undefined) {
      if (!f.isDetached()) found.push(`could not look into frame ${f.url().slice(0, 100)}`);
      continue;
    }
    if (r.pwned !== 'undefined') found.push(`window.__pwned is ${r.pwned} in ${f.url().slice(0, 100)}`);
    if (r.imgs > 0) found.push(`${r.imgs} <img src=x> element(s) in ${f.url().slice(0, 100)}`);
    if (r.handlers > 0 && /webview/.test(f.url())) found.push(`${r.handlers} element(s) with inline handlers in ${f.url().slice(0, 100)}`);
  }
  return found;
}

/**
 * Whether the webview holding `frame` (a page inside VS Code's webview iframes) is what the screen shows at
 * its place: its outer iframe is the topmost element at its centre. A kept-alive webview that is hidden, or
 * covered by another panel's webview, is not.
 */
export async function webviewOnScreen(frame: Frame): Promise<boolean> {
  const outer = frame.parentFrame();
  const iframe = outer ? await outer.frameElement().catch(() => undefined) : undefined;
  if (!iframe) return false;
  const box = await iframe.boundingBox().catch(() => null);
  if (!box || box.width < 1 || box.height < 1) return false;
  return iframe
    .evaluate((el, p) => (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document.elementFromPoint(p.x, p.y) === el, {
      x: box.x + box.width / 2,
      y: box.y + box.height / 2,
    })
    .catch(() => false);
}

/** Marks the results every response page shows now, so that only a newer one counts (jsonRowFrame). */
export async function markResultsSeen(page: Page): Promise<void> {
  for (const f of page.frames()) await evalIn(f, `document.querySelectorAll('.status-code').forEach((s) => (s.dataset.seen = '1'))`);
}

/**
 * The response page whose JSON viewer shows a row containing `text` (a result not marked seen), polled every
 * 10 ms so the time it took is close to the truth.
 */
export async function jsonRowFrame(page: Page, text: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const probe = `(() => { const s = document.querySelector('.status-code'); if (!s || s.dataset.seen || document.querySelector('.banner-sending')) return false; return Array.from(document.querySelectorAll('.jv-row')).some((r) => r.textContent.includes(${JSON.stringify(text)})) })()`;
  for (;;) {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await evalIn<boolean>(f, probe))) return f;
    if (Date.now() > deadline) throw new Error(`no JSON viewer row with ${JSON.stringify(text)} within ${timeoutMs} ms`);
    await sleep(10);
  }
}
