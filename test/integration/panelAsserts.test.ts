/**
 * Asserts in the editor: after Send, the block's `??` asserts are in its panel (Tests tab data, "n/m asserts") and
 * failed ones are diagnostics at their line, cleared by an edit of the block and replaced by the next send; a
 * WebSocket session's asserts wait for its close.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import { closeAllEditors, netreqApi, openNetreq, sendCommand, startHttpServer, waitFor, type LoopbackHttp, type TestedApi } from './helpers';

const assertLines = (api: TestedApi, uri: vscode.Uri) => api.testing.assertDiagnostics(uri).map((d) => [d.range.start.line, d.message]);

describe('Asserts in the panels', () => {
  let api: TestedApi;
  let server: LoopbackHttp;

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => {
      res.statusCode = req.url === '/teapot' ? 418 : 200;
      res.end('ok');
    });
    await closeAllEditors();
  });
  after(async () => {
    await closeAllEditors();
    await server?.close();
  });

  it('Send shows the asserts in the response panel and a diagnostic at the failed ?? line; an edit of the block clears it; a new send replaces it', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const doc = await openNetreq('panel-asserts.netreq', `### Tea\n# @name tea\nGET ${base}/teapot\n?? status == 418\n?? status == 200\n?? status != 500\n\n### Other\nGET ${base}/\n`);
    await sendCommand(doc.uri, 'tea');
    const state = () => api.testing.responsePanelState(doc.uri, 0, 'tea');
    const shown = await waitFor('the asserts in the panel', () => state()?.asserts);
    assert.equal(shown.passed, 2);
    assert.equal(shown.total, 3);
    assert.deepEqual(
      shown.results.map((r) => [r.line, r.status, r.expected, r.actual]),
      [
        [3, 'passed', '418', '418'],
        [4, 'failed', '200', '418'],
        [5, 'passed', '500', '418'],
      ],
    );
    assert.deepEqual(assertLines(api, doc.uri), [[4, 'Assert failed: status == 200: got 418']]);
    // An edit in another block leaves it; an edit in this block clears it.
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(8, 0), 'X-Other: 1\n'));
    assert.equal(assertLines(api, doc.uri).length, 1);
    await editor.edit((e) => e.replace(new vscode.Range(4, 13, 4, 16), '418'));
    assert.deepEqual(assertLines(api, doc.uri), []);
    await sendCommand(doc.uri, 'tea');
    await waitFor('the new results', () => state()?.asserts?.passed === 3);
    assert.deepEqual(assertLines(api, doc.uri), []);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a WebSocket session: asserts pending while it is open, checked when it closes', async () => {
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ server: httpServer });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    const port = (httpServer.address() as AddressInfo).port;
    wss.on('connection', (ws) => ws.on('message', (d, bin) => ws.send(d, { binary: bin })));
    try {
      const doc = await openNetreq('ws-asserts.netreq', `### Echo\n# @name echo\nWS ws://127.0.0.1:${port}/\n\n> hi\n\n?? status == 101\n`);
      const x = await sendCommand(doc.uri, 'echo');
      assert.equal(x?.kind, 'ws');
      const pending = await waitFor('the pending asserts', () => api.testing.wsSession(doc.uri, 0)?.asserts);
      assert.equal(pending.results.length, 0);
      assert.equal(pending.total, 1);
      assert.match(pending.note ?? '', /when the session closes/);
      const closed = await api.testing.closeWsSession(doc.uri, 0, 1000, 'done');
      assert.ok(closed.ok, closed.message);
      const done = await waitFor('the checked asserts', () => {
        const a = api.testing.wsSession(doc.uri, 0)?.asserts;
        return a && a.results.length === 1 ? a : undefined;
      });
      assert.equal(done.results[0].line, 6);
      // What the result is depends on the assert language (WebSocket fields); here only that it was checked and shown.
      assert.ok(['passed', 'failed', 'error'].includes(done.results[0].status));
      assert.equal(done.sessionId, api.testing.wsSession(doc.uri, 0)?.exchange.id);
    } finally {
      for (const c of wss.clients) c.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
    }
  });
});
