/**
 * The Test Explorer in the real VS Code: the NetReq TestController finds the workspace's files with `??` asserts
 * (test items per block, children per assert, with their ranges), runs blocks against a loopback server (passed /
 * failed, the diff message at the failing `??` line, the assert's diagnostic), follows edits, and its discovery of
 * 200 files × 20 asserted blocks is measured (figures written next to the report; never a timed assertion).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { ItemInfo } from '../../src/extension/testing/testExplorer';
import { closeAllEditors, netreqApi, startHttpServer, startSilentServer, waitFor, workspaceDir, type LoopbackHttp, type TestedApi } from './helpers';

const DIR = 'explorer';

function fileItem(api: TestedApi, name: string): ItemInfo | undefined {
  return api.testing.testExplorer.snapshot().find((f) => f.id.endsWith(`/${DIR}/${name}`));
}

async function run(api: TestedApi, ids: string[]): Promise<void> {
  const ex = api.testing.testExplorer;
  const items = ids.map((id) => ex.item(id)).filter((i): i is vscode.TestItem => !!i);
  assert.equal(items.length, ids.length, 'every item to run exists');
  const cts = new vscode.CancellationTokenSource();
  await ex.run(new vscode.TestRunRequest(items), cts.token);
  cts.dispose();
}

describe('Test Explorer', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let dir: string;
  let netreqFile: string;

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    dir = path.join(workspaceDir(), DIR);
    fs.mkdirSync(dir, { recursive: true });
    netreqFile = path.join(dir, 'api.netreq');
    const base = `http://127.0.0.1:${server.port}`;
    fs.writeFileSync(
      netreqFile,
      [
        '### Home page', // 0
        `GET ${base}/`, // 1
        '?? status == 200', // 2
        '?? status != 500', // 3
        '', // 4
        '### no asserts here', // 5
        `GET ${base}/other`, // 6
        '', // 7
        '###', // 8
        '# @name missing', // 9
        `GET ${base}/missing`, // 10
        '?? status == 200', // 11
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'compat.http'), [`GET ${base}/http`, '', '?? status == 200', ''].join('\n'));
    fs.writeFileSync(path.join(dir, 'plain.netreq'), `GET ${base}/plain\n`);
    await closeAllEditors();
    await api.testing.testExplorer.discover(true);
  });

  async function expand(name: string): Promise<void> {
    const f = fileItem(api, name);
    assert.ok(f, `${name} discovered: ${JSON.stringify(api.testing.testExplorer.snapshot().map((i) => i.id))}`);
    await api.testing.testExplorer.resolve(api.testing.testExplorer.item(f.id)!);
  }
  after(async () => {
    await closeAllEditors();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('discovers the files with asserts (lazily: their blocks when expanded): a test item per asserted block (title, @name or request line; its range), a child per assert (its line)', async () => {
    assert.equal(fileItem(api, 'api.netreq')?.lazy, true, 'found, not yet expanded');
    assert.deepEqual(fileItem(api, 'api.netreq')?.children, []);
    await expand('api.netreq');
    await expand('compat.http');
    const f = fileItem(api, 'api.netreq');
    assert.ok(f);
    assert.equal(f.lazy, false);
    assert.deepEqual(
      f.children.map((b) => [b.label, b.range]),
      [
        ['Home page', [0, 4]],
        ['missing', [8, 12]],
      ],
    );
    assert.deepEqual(
      f.children[0].children.map((a) => [a.label, a.range]),
      [
        ['?? status == 200', [2, 2]],
        ['?? status != 500', [3, 3]],
      ],
    );
    const h = fileItem(api, 'compat.http');
    assert.ok(h, '.http files are discovered too');
    assert.deepEqual(
      h.children.map((b) => [b.label, b.children.map((a) => a.range![0])]),
      [[`GET http://127.0.0.1:${server.port}/http`, [2]]],
    );
    assert.equal(fileItem(api, 'plain.netreq'), undefined, 'a file without asserts has no item');
  });

  it('Run: passed and failed results, the diff message at the failing ?? line, the exchange in its panel, the diagnostic at the line', async () => {
    const f = fileItem(api, 'api.netreq')!;
    await run(api, [f.id]);
    const log = api.testing.testExplorer.lastRun;
    const state = (id: string) => log.find((r) => r.id === id)?.state;
    const [home, missing] = f.children;
    assert.equal(state(home.id), 'passed');
    assert.equal(state(home.children[0].id), 'passed');
    assert.equal(state(home.children[1].id), 'passed');
    assert.equal(state(missing.id), 'failed');
    const failedAssert = log.find((r) => r.id === missing.children[0].id)!;
    assert.equal(failedAssert.state, 'failed');
    assert.deepEqual(
      failedAssert.messages.map((m) => [m.expected, m.actual, m.line]),
      [['200', '404', 11]],
    );
    assert.match(failedAssert.messages[0].text, /status == 200: got 404/);
    assert.match(failedAssert.messages[0].text, /command:netreq\.showTestExchange/);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ['/', '/missing'],
      'the asserted blocks, in file order (the block without asserts is not run)',
    );
    const uri = vscode.Uri.file(netreqFile);
    const diags = api.testing.assertDiagnostics(uri);
    assert.deepEqual(
      diags.map((d) => [d.range.start.line, d.message]),
      [[11, 'Assert failed: status == 200: got 404']],
    );
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'NetReq asserts').map((d) => d.range.start.line),
      [11],
    );
    const panel = api.testing.responsePanelState(uri, 2, 'missing');
    assert.equal(panel?.asserts?.passed, 0);
    assert.equal(panel?.asserts?.total, 1);
    assert.equal(await vscode.commands.executeCommand('netreq.showTestExchange', missing.id), true, 'the command shows the block’s panel');
  });

  it('running one assert runs its block; an edit updates the items and clears the block’s assert diagnostics', async () => {
    const f = fileItem(api, 'api.netreq')!;
    await run(api, [f.children[1].children[0].id]);
    assert.equal(api.testing.testExplorer.lastRun.find((r) => r.id === f.children[1].id)?.state, 'failed');
    const uri = vscode.Uri.file(netreqFile);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(11, 0, 11, 16), '?? status == 404\n?? status != 200');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the edited block to get a second assert', () => fileItem(api, 'api.netreq')?.children[1]?.children.length === 2);
    assert.deepEqual(api.testing.assertDiagnostics(uri), [], 'the edit cleared the block’s failed assert');
    const edited = fileItem(api, 'api.netreq')!.children[1];
    assert.deepEqual(
      edited.children.map((a) => [a.label, a.range![0]]),
      [
        ['?? status == 404', 11],
        ['?? status != 200', 12],
      ],
    );
    await run(api, [edited.id]);
    assert.equal(api.testing.testExplorer.lastRun.find((r) => r.id === edited.id)?.state, 'passed', 'the unsaved edit is what runs');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Cancel stops the request under way and skips the rest', async () => {
    const silent = await startSilentServer();
    try {
      const file = path.join(dir, 'slow.netreq');
      fs.writeFileSync(file, `### never answers\nGET http://127.0.0.1:${silent.port}/a\n?? status == 200\n\n### after it\nGET http://127.0.0.1:${silent.port}/b\n?? status == 200\n`);
      const ex = api.testing.testExplorer;
      await ex.discover(true);
      const f = await waitFor('slow.netreq discovered', () => fileItem(api, 'slow.netreq'));
      const cts = new vscode.CancellationTokenSource();
      const running = ex.run(new vscode.TestRunRequest([ex.item(f.id)!]), cts.token);
      await waitFor('the first request to connect', () => silent.connections >= 1);
      cts.cancel();
      await running;
      cts.dispose();
      const blocks = fileItem(api, 'slow.netreq')!.children;
      assert.deepEqual(
        blocks.map((b) => ex.lastRun.find((r) => r.id === b.id)?.state),
        ['skipped', 'skipped'],
      );
      assert.equal(silent.connections, 1, 'the second block was not sent');
    } finally {
      await silent.close();
    }
  });

  it('a WebSocket block: the run waits for the session to close, closes it after a while, then checks its asserts', async function () {
    this.timeout(30_000);
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ server: httpServer });
    const closes: number[] = [];
    wss.on('connection', (ws) => ws.on('close', (code) => closes.push(code)));
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    try {
      const port = (httpServer.address() as AddressInfo).port;
      fs.writeFileSync(path.join(dir, 'ws.netreq'), `### stays open\nWS ws://127.0.0.1:${port}/\n\n> hi\n\n?? status == 101\n`);
      const ex = api.testing.testExplorer;
      await ex.discover(true);
      const f = await waitFor('ws.netreq discovered', () => fileItem(api, 'ws.netreq'));
      const cts = new vscode.CancellationTokenSource();
      await ex.run(new vscode.TestRunRequest([ex.item(f.id)!]), cts.token);
      cts.dispose();
      const block = fileItem(api, 'ws.netreq')!.children[0];
      assert.deepEqual(closes, [1000], 'the run closed the session (1000)');
      const a = ex.lastRun.find((r) => r.id === block.children[0].id);
      // Passed, failed or errored depends on the assert language's WebSocket fields; it was checked, not skipped.
      assert.ok(a && a.state !== 'skipped', JSON.stringify(ex.lastRun));
      assert.notEqual(ex.lastRun.find((r) => r.id === block.id)?.state, 'skipped');
    } finally {
      for (const c of wss.clients) c.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
    }
  });

  it('discovery of 200 files × 20 asserted blocks: measured (figures next to the report)', async function () {
    this.timeout(120_000);
    const big = path.join(dir, 'many');
    fs.mkdirSync(big, { recursive: true });
    const block = (i: number) => `### block ${i}\nGET http://127.0.0.1:1/b${i}\n?? status == 200\n?? status != 500\n`;
    const text = Array.from({ length: 20 }, (_, i) => block(i)).join('\n');
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(big, `f${i}.netreq`), text);
    const ex = api.testing.testExplorer;
    // The longest stall of the extension host's event loop while discovering: a 5 ms interval's worst lateness, and perf_hooks' histogram.
    const h = monitorEventLoopDelay({ resolution: 5 });
    let last = performance.now();
    let worst = 0;
    const probe = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 5);
      last = now;
    }, 5);
    h.enable();
    const t0 = performance.now();
    await ex.discover(true);
    const ms = performance.now() - t0;
    h.disable();
    clearInterval(probe);
    const discovery = { ...ex.lastDiscovery, discoveryMs: Math.round(ms), longestStallMsIntervalProbe: Math.round(worst), eventLoopDelayMaxMs: Math.round(h.max / 1e6), eventLoopDelayP99Ms: Math.round(h.percentile(99) / 1e6) };
    const lazyFiles = ex.snapshot().filter((f) => f.id.includes(`/${DIR}/many/`));
    assert.equal(lazyFiles.length, 200);
    assert.ok(lazyFiles.every((f) => f.lazy && f.children.length === 0));
    // Then every file expanded (what Run All does first): 4,000 block items and 8,000 assert items.
    ex.takeUpdateStats();
    // Garbage collection during the expansion (its longest pause), to tell it from the explorer's own work.
    const gc = { max: 0, total: 0, count: 0 };
    const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => ((gc.max = Math.max(gc.max, e.duration)), (gc.total += e.duration), gc.count++)));
    gcObserver.observe({ entryTypes: ['gc'] });
    h.reset();
    h.enable();
    worst = 0;
    last = performance.now();
    const probe2 = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 5);
      last = now;
    }, 5);
    const t1 = performance.now();
    for (const f of lazyFiles) await ex.resolve(ex.item(f.id)!);
    const expandMs = performance.now() - t1;
    h.disable();
    clearInterval(probe2);
    const upd = ex.takeUpdateStats();
    gcObserver.disconnect();
    const manyFiles = ex.snapshot().filter((f) => f.id.includes(`/${DIR}/many/`));
    assert.ok(manyFiles.every((f) => !f.lazy && f.children.length === 20 && f.children.every((b) => b.children.length === 2)));
    const figures = {
      discovery,
      expandAll: { ms: Math.round(expandMs), longestStallMsIntervalProbe: Math.round(worst), eventLoopDelayMaxMs: Math.round(h.max / 1e6), eventLoopDelayP99Ms: Math.round(h.percentile(99) / 1e6), updateMsTotal: Math.round(upd.total), updateMsMax: Math.round(upd.max), parseMsMax: Math.round(upd.maxParse), attachMsMax: Math.round(upd.maxAttach), gcPauseMsMax: Math.round(gc.max), gcMsTotal: Math.round(gc.total), gcCount: gc.count },
      vscode: vscode.version,
    };
    const out = process.env.NETREQ_TEST_REPORT ? path.join(path.dirname(process.env.NETREQ_TEST_REPORT), 'test-explorer-discovery.json') : path.join(os.tmpdir(), 'netreq-test-explorer-discovery.json');
    fs.writeFileSync(out, JSON.stringify(figures, null, 2));
    console.log(`Test Explorer discovery: ${JSON.stringify(figures)} → ${out}`);
    fs.rmSync(big, { recursive: true, force: true });
    await ex.discover(true);
  });
});
