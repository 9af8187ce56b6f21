import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../src/core/exchange';
import { closeAllEditors, type LoopbackHttp, netreqApi, openNetreq, sendCommand, startHttpServer, waitFor, workspaceUri } from './helpers';

interface Result {
  ok: boolean;
  message: string;
}

/** A compact JSON listing of about `bytes`. */
function listing(bytes: number): Buffer {
  const items: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const s = JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', `t${i % 97}`], note: 'héllo' });
    items.push(s);
    size += Buffer.byteLength(s) + 1;
  }
  return Buffer.from(`[${items.join(',')}]`);
}

const bodyTab = (uri: vscode.Uri) =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());

/** Opens the current body through the command; returns the result, the editor's URI, and how long until its tab was there. */
async function openBody(): Promise<{ result: Result; uri: vscode.Uri; ms: number; maxBlockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const result = await vscode.commands.executeCommand<Result>('netreq.openBodyInEditor');
  const tab = await waitFor('the body editor tab', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputText && vscode.window.tabGroups.activeTabGroup.activeTab, 30_000, 10);
  const ms = performance.now() - t0;
  h.disable();
  return { result, uri: (tab.input as vscode.TabInputText).uri, ms, maxBlockMs: h.max / 1e6 };
}

describe('the body viewer: Open body, Copy and Save take the whole body', () => {
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  const big = listing(5 * 1024 * 1024);
  const huge = listing(45 * 1024 * 1024);

  before(async () => {
    await netreqApi();
    server = await startHttpServer((req, res) => {
      if (req.url === '/big.json' || req.url === '/huge.json') {
        res.setHeader('Content-Type', 'application/json');
        res.end(req.url === '/big.json' ? big : huge);
      } else if (req.url === '/latin1') {
        res.setHeader('Content-Type', 'text/plain; charset=iso-8859-1');
        res.end(Buffer.from('caf\xe9\r\n', 'latin1'));
      } else {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(Buffer.from([0, 1, 2, 0xff]));
      }
    });
    await closeAllEditors();
    const base = `http://127.0.0.1:${server.port}`;
    doc = await openNetreq('body.netreq', ['### big\n# @name big', `GET ${base}/big.json`, '', '### huge\n# @name huge', `GET ${base}/huge.json`, '', '### latin1\n# @name latin1', `GET ${base}/latin1`, '', '### bin\n# @name bin', `GET ${base}/bin`, ''].join('\n'));
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  async function send(name: string): Promise<HttpExchange> {
    const x = await sendCommand(doc.uri, name);
    assert.ok(x?.response, `no response for ${name}: ${x?.error?.message}`);
    return x;
  }

  it('Open body: the whole 5 MB JSON, pretty, read-only, in the json language; closing it asks nothing', async () => {
    const x = await send('big');
    assert.equal(x.response!.body.length, big.length);
    const { result, uri, ms, maxBlockMs } = await openBody();
    console.log(`      open 5 MB JSON: tab after ${ms.toFixed(0)} ms, extension host max event-loop delay ${maxBlockMs.toFixed(0)} ms`);
    assert.ok(result.ok, result.message);
    assert.match(result.message, /^Opened the body \(5(\.\d)? MB, pretty JSON\) in a read-only editor\.$/);
    assert.equal(uri.scheme, 'netreq-response');
    assert.match(uri.path, /\/big\.json$/);
    const body = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    assert.equal(body.languageId, 'json');
    assert.equal(body.isUntitled, false);
    assert.equal(body.isDirty, false);
    assert.deepEqual(JSON.parse(body.getText()), JSON.parse(big.toString()));
    // One record a line: far under the 300,000 lines past which VS Code turns folding and colours off.
    assert.ok(body.lineCount > 10_000 && body.lineCount < 300_000, `${body.lineCount} lines`);
    assert.match(body.lineAt(1).text, /^ {2}\{"id": 0, "name": "item 0", "tags": \["a", "t0"\], "note": "héllo"\},$/);
    // Read-only: the file system refuses a write, in words.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('x'))), /read-only/);
    // Opening the same body again shows the same tab, not a second copy.
    await vscode.commands.executeCommand('netreq.openBodyInEditor');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'netreq-response').length, 1);
    // Closing it: no "Save changes?" (it cannot be dirty), the tab is gone.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the body tab to close', () => !bodyTab(uri));
    // Once VS Code's JSON support is loaded: a new 5 MB body (a new document).
    await send('big');
    const again = await openBody();
    console.log(`      open 5 MB JSON again: tab after ${again.ms.toFixed(0)} ms, extension host max event-loop delay ${again.maxBlockMs.toFixed(0)} ms`);
    assert.notEqual(again.uri.toString(), uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Copy copies the whole body and says how much', async () => {
    await send('big');
    const result = await vscode.commands.executeCommand<Result>('netreq.copyBody');
    assert.ok(result.ok, result.message);
    assert.match(result.message, /^Copied 5(\.\d)? MB\.$/);
    const copied = await vscode.env.clipboard.readText();
    assert.equal(copied.length, big.toString().length);
    assert.equal(copied, big.toString());
  });

  it('Save writes the whole body to the file and says where', async () => {
    await send('big');
    const target = workspaceUri('saved-body.json');
    fs.rmSync(target.fsPath, { force: true });
    const result = await vscode.commands.executeCommand<Result>('netreq.saveBody', target);
    assert.ok(result.ok, result.message);
    assert.match(result.message, new RegExp(`^Saved 5(\\.\\d)? MB to ${target.fsPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.$`));
    assert.ok(fs.readFileSync(target.fsPath).equals(big));
    fs.rmSync(target.fsPath, { force: true });
  });

  it('a body in another charset opens as its text; a binary body is refused in words', async () => {
    await send('latin1');
    const { result, uri } = await openBody();
    assert.ok(result.ok, result.message);
    const text = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    assert.equal(text.getText(), 'café\r\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await send('bin');
    for (const cmd of ['netreq.openBodyInEditor', 'netreq.copyBody']) {
      const r = await vscode.commands.executeCommand<Result>(cmd);
      assert.equal(r.ok, false);
      assert.match(r.message, /^The body is binary \(application\/octet-stream, 4 B\), so it cannot be (shown|copied) as text; use Save body… instead\.$/);
    }
  });

  it('a 45 MB JSON body opens pretty without blocking the extension host (figures printed)', async () => {
    const x = await send('huge');
    assert.equal(x.response!.body.length, huge.length);
    const { result, uri, ms, maxBlockMs } = await openBody();
    console.log(`      open 45 MB JSON: tab after ${ms.toFixed(0)} ms, extension host max event-loop delay ${maxBlockMs.toFixed(0)} ms`);
    assert.ok(result.ok, result.message);
    assert.match(result.message, /pretty JSON/);
    const stat = await vscode.workspace.fs.stat(uri);
    assert.ok(stat.size > huge.length, `the pretty text (${stat.size} B) is longer than the compact body`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the body tab to close', () => !bodyTab(uri));
  });
});
