import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../src/core/exchange';
import { bodyText, closeAllEditors, codeLenses, type LoopbackHttp, netreqApi, openNetreq, responseTabs, sendCommand, startHttpServer, type TestedApi, waitFor } from './helpers';

describe('sending a request', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  let first: HttpExchange;
  let blockIndex: number;

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('X-Served-By', 'integration-loopback');
      res.end(`hello from a loopback server: ${req.method} ${req.url}`);
    });
    await closeAllEditors();
    doc = await openNetreq('send.netreq', `### Say hello\n# @name hello\nGET http://127.0.0.1:${server.port}/hello?n=1\nAccept: text/plain\n`);
    const lens = (await codeLenses(doc.uri, 1)).find((l) => l.command?.command === 'netreq.sendRequest');
    blockIndex = lens!.command!.arguments![1] as number;
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  it('netreq.sendRequest sends the block over loopback and records the exchange', async () => {
    const x = await sendCommand(doc.uri, 'hello');
    assert.ok(x, 'netreq.sendRequest returned no exchange');
    first = x;
    assert.equal(x.kind, 'http');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response?.status, 200);
    assert.equal(x.response?.reason, 'OK');
    assert.equal(bodyText(x), 'hello from a loopback server: GET /hello?n=1');
    assert.ok(x.response?.headers.some(([n, v]) => n.toLowerCase() === 'x-served-by' && v === 'integration-loopback'));
    // What the server really received.
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].url, '/hello?n=1');
    assert.equal(server.requests[0].headers.host, `127.0.0.1:${server.port}`);
    assert.equal(server.requests[0].headers.accept, 'text/plain');
    // Timings of a fresh connection.
    assert.ok(x.timings.total > 0 && x.timings.total < 10_000, `total ${x.timings.total} ms`);
    assert.equal(typeof x.timings.tcpConnect, 'number');
    assert.equal(typeof x.timings.firstByte, 'number');
    // The connection that carried it.
    const c = x.connection!;
    assert.ok(c, 'no connection info');
    assert.equal(c.reused, false);
    assert.equal(c.pooled, true);
    assert.equal(c.requestsServed, 1);
    assert.equal(c.remoteAddress, '127.0.0.1');
    assert.equal(c.remotePort, server.port);
    assert.equal(c.afterwards, 'kept-alive');
  });

  it('opens the response panel showing that exchange', async () => {
    assert.equal(api.lastExchange(doc.uri, blockIndex)?.id, first.id, 'lastExchange() does not hold the exchange just sent');
    const state = api.testing.responsePanelState(doc.uri, blockIndex, 'hello');
    assert.ok(state?.exchange, 'the block has no response panel');
    assert.equal(state.sending, undefined);
    assert.equal(state.exchange.exchange.response?.status, 200);
    assert.match(state.exchange.title, /Say hello/);
    const tab = await waitFor('a response panel tab', () => responseTabs().find((t) => t.label.includes('Say hello')));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.equal(api.isRunning(doc.uri, blockIndex), false);
  });

  it('a second send reuses the pooled connection', async () => {
    const x = await api.sendRequest(doc.uri, 'hello');
    assert.ok(x);
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response?.status, 200);
    assert.equal(x.connection?.reused, true);
    assert.equal(x.connection?.id, first.connection?.id);
    assert.equal(x.connection?.requestsServed, 2);
    assert.equal(x.timings.tcpConnect, undefined, 'a reused connection has no connect phase');
    assert.equal(server.requests.length, 2);
    assert.equal(server.connections, 1, 'the server saw a second connection');
    assert.deepEqual(server.requests.map((r) => r.connection), [1, 1]);
    // Still one panel for the block, now showing the second exchange.
    assert.equal(responseTabs().filter((t) => t.label.includes('Say hello')).length, 1);
  });

  it('the Connection Pool view shows that connection live, and its Close closes it', async () => {
    await vscode.commands.executeCommand('netreq.showConnectionPool');
    const view = api.testing.poolView;
    const id = first.connection!.id;
    const host = view.getChildren().find((n) => view.getTreeItem(n).label === `http://127.0.0.1:${server.port}`);
    assert.ok(host, view.getChildren().map((n) => view.getTreeItem(n).label).join(', '));
    assert.match(String(view.getTreeItem(host).description), /^1 connection · 0 busy · 1 idle$/);
    const conn = view.getChildren(host).find((n) => view.getTreeItem(n).label === `#${id} idle`);
    assert.ok(conn, view.getChildren(host).map((n) => view.getTreeItem(n).label).join(', '));
    assert.match(String(view.getTreeItem(conn).description), /^age .* · idle .* · 2 requests$/);
    assert.equal(view.getTreeItem(conn).contextValue, 'pool.connection');
    await vscode.commands.executeCommand('netreq.pool.closeConnection', conn);
    assert.equal(api.testing.pool.snapshot().hosts.some((h) => h.connections.some((c) => c.id === id)), false);
    await waitFor('the server to see the close', () => (server.openSockets() === 0 ? true : undefined));
  });
});
