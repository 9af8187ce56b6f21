import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../src/core/exchange';
import { closeAllEditors, codeLenses, netreqApi, openNetreq, requestLines, startHttpServer, workspaceUri, type LoopbackHttp } from './helpers';

describe('CodeLens', () => {
  let server: LoopbackHttp;
  before(async () => {
    await netreqApi();
    server = await startHttpServer();
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  it('puts "Send Request" on every request of the workspace file, and "Send All Requests" on top', async () => {
    const uri = workspaceUri('requests.netreq');
    const doc = await vscode.workspace.openTextDocument(uri);
    const lines = requestLines(doc);
    assert.equal(lines.length, 3);
    const lenses = await codeLenses(uri, lines.length + 1);
    const send = lenses.filter((l) => l.command?.command === 'netreq.sendRequest');
    assert.deepEqual(
      send.map((l) => l.range.start.line),
      lines,
    );
    for (const l of send) {
      assert.match(l.command!.title, /Send Request/);
      const [arg, block] = l.command!.arguments!;
      assert.equal(String(arg), uri.toString());
      assert.equal(typeof block, 'number');
    }
    assert.deepEqual(new Set(send.map((l) => l.command!.arguments![1])).size, send.length, 'each lens names its own block');
    const all = lenses.filter((l) => l.command?.command === 'netreq.sendAllRequests');
    assert.equal(all.length, 1);
    assert.equal(all[0].range.start.line, 0);
    assert.equal(String(all[0].command!.arguments![0]), uri.toString());
  });

  it("each lens's command and arguments send its own block", async () => {
    const p = server.port;
    const doc = await openNetreq(
      'lenses.netreq',
      `### one\nGET http://127.0.0.1:${p}/one\n\n### two\nPOST http://127.0.0.1:${p}/two\nContent-Type: text/plain\n\npayload two\n\n### three (origin form)\nGET /three HTTP/1.1\nHost: 127.0.0.1:${p}\n`,
    );
    const lines = requestLines(doc);
    const send = (await codeLenses(doc.uri, 4)).filter((l) => l.command?.command === 'netreq.sendRequest');
    assert.deepEqual(send.map((l) => l.range.start.line), lines);
    const seen: string[] = [];
    for (const lens of send) {
      const x = await vscode.commands.executeCommand<HttpExchange | undefined>(lens.command!.command, ...lens.command!.arguments!);
      assert.ok(x, `the lens on line ${lens.range.start.line + 1} sent nothing`);
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.response?.status, 200);
      seen.push(`${x.request.method} ${x.request.target}`);
    }
    assert.deepEqual(seen, ['GET /one', 'POST /two', 'GET /three']);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /one', 'POST /two', 'GET /three'],
    );
    assert.equal(server.requests[1].body, 'payload two');
  });
});
