/**
 * Panels: one response panel (and one transcript panel) that follows the block sent, pinned panels that stay
 * with their block, netreq.response.panel perBlock, the progress notification only past ~1 s, and Send All's
 * summary. Real loopback peers; what is asserted is what the extension keeps and shows.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type * as vscode from 'vscode';
import { closeAllEditors, netreqApi, openNetreq, setWorkspaceSetting, startHttpServer, type LoopbackHttp, type TestedApi, waitFor } from './helpers';

describe('panels: one that follows, pinned, progress, Send All summary', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  const blocks = (names: string[], port: number) => names.map((n) => `### ${n}\n# @name ${n}\nGET http://127.0.0.1:${port}/${n}\n`).join('\n');

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 1500);
        return;
      }
      if (req.url === '/trickle') {
        // Half the body at once, the rest after 800 ms: the panel shows what came meanwhile.
        res.setHeader('Content-Length', String(20_000));
        res.write('a'.repeat(10_000));
        setTimeout(() => res.end('b'.repeat(10_000)), 800);
        return;
      }
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end(`you asked for ${req.url}`);
    });
    await closeAllEditors();
    doc = await openNetreq('panels.netreq', blocks(['a', 'b', 'c', 'slow', 'trickle'], server.port));
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  const response = () => api.testing.panels().response;

  it('single (the default): every block shows in one response panel, which follows the block sent', async () => {
    assert.ok(await api.sendRequest(doc.uri, 'a'));
    assert.deepEqual(response().map((p) => p.blockIndex), [0]);
    assert.ok(await api.sendRequest(doc.uri, 'b'));
    assert.deepEqual(response().map((p) => p.blockIndex), [1], 'the one panel now shows b');
    assert.equal(api.testing.responsePanelState(doc.uri, 1, 'b')?.exchange?.exchange.response?.status, 200);
    assert.equal(api.testing.responsePanelState(doc.uri, 0, 'a'), undefined, 'a has no panel of its own');
  });

  it('a pinned panel stays with its block; the next block opens another panel, and its block goes back to the pinned one', async () => {
    assert.equal(api.testing.pinPanel(true), true);
    assert.deepEqual(response().map((p) => [p.blockIndex, p.pinned]), [[1, true]]);
    await api.sendRequest(doc.uri, 'c');
    assert.deepEqual(response().map((p) => [p.blockIndex, p.pinned]).sort(), [[1, true], [2, false]]);
    await api.sendRequest(doc.uri, 'b');
    await api.sendRequest(doc.uri, 'a');
    assert.deepEqual(response().map((p) => [p.blockIndex, p.pinned]).sort(), [[0, false], [1, true]], 'b stayed in its pinned panel, a took the unpinned one');
    assert.equal(api.testing.responsePanelState(doc.uri, 1, 'b')?.exchange?.exchange.request.url, `http://127.0.0.1:${server.port}/b`);
    const { window } = await import('vscode');
    const titles = () => window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    await waitFor(`a tab titled "📌 ↩ b" (tabs: ${titles().join(' | ')})`, () => titles().some((t) => t.startsWith('📌 ↩ b')));
  });

  it('a slow send that ends after another block was sent leaves the one panel with the block sent last', async () => {
    await closeAllEditors();
    await waitFor('the panels to close', () => response().length === 0 || undefined);
    const slow = api.sendRequest(doc.uri, 'slow');
    await waitFor('the slow block to be sending', () => api.isRunning(doc.uri, 3) || undefined);
    const quick = await api.sendRequest(doc.uri, 'c');
    assert.equal(quick?.error, undefined);
    const late = await slow;
    assert.equal(late?.kind === 'http' ? late.response?.status : undefined, 200);
    assert.deepEqual(response().map((p) => p.blockIndex), [2], 'the panel still shows c');
    assert.equal(api.testing.responsePanelState(doc.uri, 2, 'c')?.exchange?.exchange.request.url, `http://127.0.0.1:${server.port}/c`);
    assert.equal(api.lastExchange(doc.uri, 3)?.id, late?.id, 'the slow result is recorded for its block');
  });

  it('perBlock: one panel per block', async () => {
    await closeAllEditors();
    await waitFor('the panels to close', () => response().length === 0 || undefined);
    const restore = await setWorkspaceSetting('response.panel', 'perBlock');
    try {
      await api.sendRequest(doc.uri, 'a');
      await api.sendRequest(doc.uri, 'b');
      assert.deepEqual(response().map((p) => p.blockIndex).sort(), [0, 1]);
    } finally {
      await restore();
      await closeAllEditors();
    }
  });

  it('a request done in milliseconds shows no progress notification; one still running after ~1 s does', async () => {
    const before = api.testing.panels().toasts;
    const quick = await api.sendRequest(doc.uri, 'a');
    assert.equal(quick?.error, undefined);
    assert.equal(api.testing.panels().toasts, before, 'no notification for a quick request');
    const slow = await api.sendRequest(doc.uri, 'slow');
    assert.equal(slow?.kind === 'http' ? slow.response?.status : undefined, 200);
    assert.ok((slow?.timings.total ?? 0) >= 1000, 'the server held it 1.5 s');
    assert.equal(api.testing.panels().toasts, before + 1, 'one notification for the slow request');
  });

  it('the panel shows the bytes received so far while the response comes in', async () => {
    const sent = api.sendRequest(doc.uri, 'trickle');
    const during = await waitFor('the panel to show bytes received', () => {
      const s = api.testing.responsePanelState(doc.uri, 4, 'trickle')?.sending;
      return s && (s.receivedBytes ?? 0) > 10_000 ? s.receivedBytes : undefined;
    });
    assert.ok(during! < 20_000, `${during} bytes while half the body was held back`);
    const x = await sent;
    assert.equal(x?.kind === 'http' ? x.response?.body.length : undefined, 20_000);
    assert.equal(api.testing.responsePanelState(doc.uri, 4, 'trickle')?.sending, undefined, 'the result replaced the progress');
  });

  it('Send All leaves one response panel and ends with a summary: sent, statuses, failures', async () => {
    await closeAllEditors();
    const all = await openNetreq(
      'sendall.netreq',
      `### ok\nGET http://127.0.0.1:${server.port}/a\n\n### missing\nGET http://127.0.0.1:${server.port}/missing\n\n### refused\nGET http://127.0.0.1:1/\n\n### ok again\nGET http://127.0.0.1:${server.port}/b\n`,
    );
    const { commands } = await import('vscode');
    const exchanges = await commands.executeCommand<unknown[]>('netreq.sendAllRequests', all.uri);
    assert.equal(exchanges.length, 4);
    assert.equal(api.testing.panels().response.length, 1, 'one panel for the whole batch');
    const summary = api.testing.panels().lastSendAllSummary ?? '';
    assert.match(summary, /^NetReq: sent 4 of 4 requests — 200 ×2, 404, failed; 1 failed: refused: /);
    assert.match(summary, /refused/i);
  });

  it('transcript panels follow the block sent too', async () => {
    await closeAllEditors();
    const echo = net.createServer((s) => s.on('data', (d) => s.end(d)));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const port = (echo.address() as net.AddressInfo).port;
      const t = await openNetreq('transcripts.netreq', `### one\n# @name one\nTCP 127.0.0.1:${port}\n\nhello\n\n### two\n# @name two\nTCP 127.0.0.1:${port}\n\nbye\n`);
      await api.sendRequest(t.uri, 'one');
      await api.sendRequest(t.uri, 'two');
      assert.deepEqual(
        api.testing.panels().transcript.map((p) => p.blockIndex),
        [1],
      );
      assert.ok(api.testing.transcriptPanelState(t.uri, 1)?.transcript, 'the transcript panel shows two');
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});
