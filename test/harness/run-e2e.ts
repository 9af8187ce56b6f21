/**
 * `npm run test:e2e`: the packaged extension in a real VS Code, driven through the UI with Playwright.
 *
 * Packages the extension with vsce, installs the .vsix with the VS Code Server's own CLI into a fresh
 * extensions folder, starts the loopback peers (an in-process HTTP server whose answers carry script and
 * img payloads, and `openssl s_server` with a self-signed certificate), opens a temp copy of examples/
 * whose settings point the `local` environment at them, and runs test/e2e with mocha in this process
 * against the page. Prints each result and `N passed, N failed`; stops everything it started.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type MochaType from 'mocha';
import { HOSTILE_IMG, HOSTILE_SCRIPT, setContext, type HostileServer } from '../e2e/context';
import type { TestResult } from '../integration/report';
import { makeSelfSigned, startOpensslServer } from '../support/peers';
import { Cleanup, finishRun, freshResults, printResult, requireBuilt, runMain, seconds, watchdog } from './common';
import { checkPrerequisites, ensureVSCodeServer, installExtension, launchChromium, repoRoot, startVSCodeServer, tail } from './vscode-server';

const load = createRequire(__filename);
const KEEP = process.env.NETREQ_KEEP_TEMP === '1';
/** `--bench` (npm run bench:editor): runs test/e2e/bench/*.bench.js, which time the panels and write bench/RESULTS-editor.md. */
const BENCH = process.argv.includes('--bench');

/** Runs vsce as `npm run package` would (its prepublish builds the production bundle), output to a log. */
function packageVsix(root: string, vsix: string, logFile: string): Promise<void> {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  if (!fs.existsSync(vsce)) throw new Error(`${vsce} is missing: run 'npm ci'`);
  // README's relative links need a base, as in scripts/package.mjs: the repository URL of package.json.
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const repoUrl = String(pkg.repository?.url ?? pkg.repository ?? '')
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  const base = /^https:\/\//.test(repoUrl) ? ['--baseContentUrl', `${repoUrl}/blob/HEAD/`, '--baseImagesUrl', `${repoUrl}/raw/HEAD/`] : [];
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    // stdin closed: a vsce question fails at once instead of waiting.
    const child = spawn(vsce, ['package', '--no-dependencies', '-o', vsix, ...base], { cwd: root, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      if (code === 0 && fs.existsSync(vsix)) resolve();
      else reject(new Error(`vsce package failed (${sig ?? `exit ${code}`}):\n${tail(logFile, 30)}`));
    });
  });
}

/** The local HTTP peer: every answer carries the payloads in its headers; `/` also in an HTML body. */
async function startHostileServer(): Promise<HostileServer & { close(): Promise<void> }> {
  const requests: string[] = [];
  let big50: Buffer | undefined;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.setHeader('X-Evil-Script', HOSTILE_SCRIPT);
    res.setHeader('X-Evil-Img', HOSTILE_IMG);
    if (req.url === '/big.json') {
      // The body viewer's check: about 5 MB of JSON on one line.
      res.setHeader('Content-Type', 'application/json');
      res.end(`[${Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', `t${i % 97}`], note: 'héllo — a longer text to fill' })).join(',')}]`);
      return;
    }
    if (req.url === '/big50.json') {
      // The body viewer's scale check: about 47 MB of JSON (under netreq.maxResponseBytes, 50 MiB), made once.
      big50 ??= Buffer.from(`[${Array.from({ length: 520_000 }, (_, i) => JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', `t${i % 97}`], note: 'héllo — a longer text to fill' })).join(',')}]`);
      res.setHeader('Content-Type', 'application/json');
      res.end(big50);
      return;
    }
    if (req.url === '/controls') {
      // Every kind of control the raw views mark, for the badge screenshot.
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(Buffer.concat([Buffer.from('line one\r\ntab\there, escape \u001b[1m, zero \u0000, bell \u0007, delete \u007f\r\nhéllo, and a byte that is not UTF-8: '), Buffer.from([0xff, 0x0a])]));
      return;
    }
    if (req.url === '/big') {
      // About 1 MB of JSON (the editor benchmark's large body).
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ items: Array.from({ length: 9000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b', 'c'], note: 'x'.repeat(60) })) }));
      return;
    }
    if (req.url === '/json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ tool: 'NetReq', protocols: ['HTTP/1.1', 'HTTPS', 'TCP', 'TLS', 'UDP', 'WebSocket'], pooled: true }));
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html>\n<html><head><title>NetReq e2e</title></head>\n<body>\n<h1>NetReq e2e page</h1>\n${HOSTILE_SCRIPT}\n${HOSTILE_IMG}\n</body></html>\n`);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads the examples' settings (JSON with comments) and points the `local` environment at the test peers. */
function pointExamplesAt(settingsFile: string, httpPort: number, httpsPort: number): void {
  let settings: Record<string, unknown> = {};
  if (fs.existsSync(settingsFile)) {
    const text = fs.readFileSync(settingsFile, 'utf8');
    const json = text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
    try {
      settings = JSON.parse(json) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`cannot read ${settingsFile} (JSON with // comments on their own lines is expected): ${(e as Error).message}`, { cause: e });
    }
  }
  const envs = (settings['netreq.environments'] ?? {}) as Record<string, Record<string, string>>;
  // Only `local` reaches the peers ($shared's ports lead nowhere), so a request that reaches them proves
  // the environment picked in the UI is the one in use.
  envs.$shared = { ...envs.$shared, host: '127.0.0.1', httpPort: '1', httpsPort: '1' };
  envs.local = { ...envs.local, host: '127.0.0.1', httpPort: String(httpPort), httpsPort: String(httpsPort) };
  settings['netreq.environments'] = envs;
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const root = repoRoot();
  const cleanup = new Cleanup();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-e2e-'));
  const results = path.join(root, 'test-results', 'e2e');
  const browserLog: string[] = [];
  const browserLogFile = path.join(work, 'browser-console.log');
  const vsceLog = path.join(work, 'vsce.log');
  let logFiles: () => string[] = () => [vsceLog];
  const tests: TestResult[] = [];
  let failedMessage: string | undefined;
  try {
    checkPrerequisites({ browser: true });
    requireBuilt([BENCH ? 'out/test/e2e/bench/editor.bench.js' : 'out/test/e2e/workbench.test.js']);
    await ensureVSCodeServer();
    watchdog(cleanup, (BENCH ? 30 : 15) * 60_000, BENCH ? 'the editor benchmark' : 'the e2e run');
    freshResults('e2e');
    if (!KEEP) cleanup.add('remove the temp folder', () => fs.rmSync(work, { recursive: true, force: true }));

    let t = Date.now();
    const vsix = path.join(work, 'netreq.vsix');
    await packageVsix(root, vsix, vsceLog);
    const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
    const extensionsDir = path.join(work, 'extensions');
    const installed = await installExtension(vsix, extensionsDir);
    if (!installed.includes(`netreq.netreq@${version}`)) throw new Error(`after installing the .vsix the server lists: ${installed.join(', ') || 'nothing'}`);
    console.log(`packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB) and installed netreq.netreq@${version} in ${seconds(Date.now() - t)}`);

    t = Date.now();
    const hostile = await startHostileServer();
    cleanup.add('stop the HTTP peer', () => hostile.close());
    const certDir = path.join(work, 'cert');
    fs.mkdirSync(certDir);
    const tls = await startOpensslServer(makeSelfSigned(certDir));
    cleanup.add('stop openssl s_server', () => tls.stop());
    const workspace = path.join(work, 'examples');
    fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    pointExamplesAt(path.join(workspace, '.vscode', 'settings.json'), hostile.port, tls.port);

    // The extension host samples its event-loop delay and memory to this file (src/extension/loopProbe.ts).
    const loopFile = path.join(work, 'extension-host-loop.jsonl');
    const server = await startVSCodeServer({ extensionsDir, keepDirs: KEEP, env: { NETREQ_E2E_LOOP_FILE: loopFile } });
    cleanup.add('stop the VS Code Server', () => server.stop());
    logFiles = () => [vsceLog, ...server.logFiles(), browserLogFile];
    // The benchmark reads the JS heap after a full GC (performance.memory is exact only with the first flag).
    const browser = await launchChromium(BENCH ? { args: ['--enable-precise-memory-info', '--js-flags=--expose-gc'] } : {});
    cleanup.add('close Chromium', () => browser.close());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const dialogs: string[] = [];
    page.on('console', (m) => browserLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => browserLog.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    page.setDefaultTimeout(30_000);
    await page.goto(server.url(workspace), { timeout: 60_000 });
    console.log(`HTTP peer 127.0.0.1:${hostile.port}, openssl s_server 127.0.0.1:${tls.port}, VS Code Server 127.0.0.1:${server.port}; ready in ${seconds(Date.now() - t)}`);

    // The README's screenshots are rewritten only when asked (NETREQ_SCREENSHOTS=1); a plain run keeps its
    // shots with the other results, so running the tests never leaves the working tree changed.
    const screenshots = process.env.NETREQ_SCREENSHOTS === '1' ? path.join(root, 'media', 'screenshots') : path.join(results, 'screenshots');
    fs.mkdirSync(screenshots, { recursive: true });
    setContext({ page, workspace, http: hostile, httpsPort: tls.port, dialogs, screenshots, results, loopFile });

    const Mocha = load('mocha/lib/mocha.cjs') as typeof MochaType;
    const mocha = new Mocha({ ui: 'bdd', timeout: BENCH ? 20 * 60_000 : 120_000, reporter: Mocha.reporters.Base, grep: process.env.NETREQ_TEST_GREP || undefined });
    const dir = path.join(root, 'out', 'test', 'e2e', ...(BENCH ? ['bench'] : []));
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(BENCH ? '.bench.js' : '.test.js')).sort()) mocha.addFile(path.join(dir, f));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      const record = (test: Mocha.Test | Mocha.Hook, state: TestResult['state'], err?: Error) => {
        const r: TestResult = { title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0 };
        if (err) r.error = { message: err.message, stack: err.stack ?? '' };
        tests.push(r);
        printResult(r);
      };
      runner.on('pass', (x) => record(x, 'passed'));
      runner.on('fail', (x, err) => record(x, 'failed', err));
      runner.on('pending', (x) => record(x, 'pending'));
    });
    console.log(`\ne2e: ${seconds(Date.now() - t0)} in all`);
    if (tests.length === 0) failedMessage = 'no e2e tests ran';
  } catch (e) {
    failedMessage = (e as Error).stack ?? String(e);
  }

  return finishRun({ suite: 'e2e', tests, failedMessage, work, browserLogFile, browserLog, logFiles, cleanup, keep: KEEP, keptWhat: 'all logs and failure screenshots' });
}

runMain(main);
