/**
 * History in the real VS Code: exchanges sent from the editor are listed (newest first, by day, with their
 * outcome), their stored copy keeps no secret header value, Compare with previous opens the diff editor on the
 * block's two responses, an entry opens in its block's panel as it was, Send Again sends the block (or says the
 * file no longer has it), the off switch, Clear, and what a new window reads back from the workspace storage
 * (a window reload cannot be driven from inside the test host: a new store reads the same directory).
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import { closeAllEditors, netreqApi, openNetreq, sendCommand, setWorkspaceSetting, startHttpServer, waitFor, type LoopbackHttp, type TestedApi } from './helpers';

describe('History view', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let echo: net.Server;
  let wsHttp: http.Server;
  let wss: WebSocketServer;
  let doc: vscode.TextDocument;
  let hits = 0;
  const echoSockets = new Set<net.Socket>();

  const history = () => api.testing.history;
  const text = (port: number, echoPort: number, wsPort: number) =>
    [
      '### Counter',
      '# @name counter',
      `GET http://127.0.0.1:${port}/counter`,
      'Authorization: Bearer SECRET-INTEGRATION',
      '',
      '### Echo',
      '# @name echo',
      `ECHO 127.0.0.1:${echoPort}`,
      '',
      'hello history',
      '',
      '### Session',
      '# @name session',
      `WS ws://127.0.0.1:${wsPort}/`,
      '',
      '> hi',
      '',
    ].join('\n');

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((_req, res) => {
      hits++;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Set-Cookie', 'sid=SECRET-COOKIE-VALUE; HttpOnly');
      res.end(JSON.stringify({ n: hits, same: 'yes' }));
    });
    echo = net.createServer((s) => {
      echoSockets.add(s);
      s.on('close', () => echoSockets.delete(s));
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    wsHttp = http.createServer();
    wss = new WebSocketServer({ server: wsHttp });
    wss.on('connection', (c) => c.on('message', (d, binary) => c.send(d, { binary })));
    await new Promise<void>((r) => wsHttp.listen(0, '127.0.0.1', r));
    await closeAllEditors();
    const port = (a: net.Server | http.Server) => (a.address() as net.AddressInfo).port;
    doc = await openNetreq('history.netreq', text(server.port, port(echo), port(wsHttp)));
    await history().clear();
  });
  after(async () => {
    await server?.close();
    for (const s of echoSockets) s.destroy();
    await new Promise<void>((r) => echo.close(() => r()));
    for (const c of wss.clients) c.terminate();
    wss.close();
    wsHttp.closeAllConnections();
    await new Promise<void>((r) => wsHttp.close(() => r()));
    await closeAllEditors();
  });

  it('lists every exchange sent from the editor, newest first, by day, with its outcome, duration, size, file and block', async () => {
    assert.ok(await sendCommand(doc.uri, 'counter'));
    assert.ok(await sendCommand(doc.uri, 'echo'));
    assert.ok(await sendCommand(doc.uri, 'counter'));
    const entries = await waitFor('three entries', () => (history().entries().length === 3 ? history().entries() : undefined));
    assert.deepEqual(
      entries.map((e) => [e.blockName, e.kind, e.outcome]),
      [
        ['counter', 'http', '200 OK'],
        ['echo', 'socket', entries[1].outcome],
        ['counter', 'http', '200 OK'],
      ],
    );
    assert.match(entries[1].outcome, /echo ✓/);
    assert.ok(entries[0].at >= entries[2].at);
    assert.equal(entries[0].uri, doc.uri.toString());
    assert.ok(entries[0].size > 0 && entries[0].ms > 0);
    const rows = history().rows();
    assert.deepEqual(rows.map((r) => [r.day, r.entries.length]), [['Today', 3]]);
    const items = history().items();
    assert.deepEqual(items.map((i) => i.label), ['Today', 'Counter', 'Echo', 'Counter']);
    assert.match(String(items[1].description), /^\d\d:\d\d:\d\d · 200 OK · [\d.]+ m?s · \d+ B · history\.netreq @counter$/);
    assert.equal(items[1].command?.command, 'netreq.history.open');
    assert.equal(items[1].contextValue, 'history.entry.comparable', 'the newest Counter has a previous one');
    assert.equal(items[3].contextValue, 'history.entry');
    await vscode.commands.executeCommand('netreq.history.focus');
    await waitFor('the History view to be visible', () => history().visible());
  });

  it('stores no secret header value on disk (Authorization sent, Set-Cookie received)', async () => {
    await history().flush();
    const dir = history().directory;
    assert.ok(dir, 'the test workspace has workspace storage');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 3);
    const all = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const decoded = [...all.matchAll(/"base64":"([^"]*)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    for (const secret of ['SECRET-INTEGRATION', 'SECRET-COOKIE-VALUE']) assert.ok(!(all + decoded).includes(secret), `${secret} is not on disk`);
    assert.ok(decoded.includes('Authorization: ‹redacted›'));
  });

  it('Compare with previous opens the diff editor on the block’s two responses', async () => {
    const newest = history().entries()[0];
    // As the row's inline button runs it: the command with the tree node.
    const r = await vscode.commands.executeCommand<{ ok: boolean; message: string; left?: vscode.Uri; right?: vscode.Uri }>('netreq.history.compare', { kind: 'entry', id: newest.id });
    assert.ok(r.ok, r.message);
    const tab = await waitFor('a diff tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === r.right!.toString()),
    );
    assert.equal((tab.input as vscode.TabInputTextDiff).original.toString(), r.left!.toString());
    const left = (await vscode.workspace.openTextDocument(r.left!)).getText();
    const right = (await vscode.workspace.openTextDocument(r.right!)).getText();
    assert.match(left, /^HTTP\/1\.1 200 OK\n/);
    assert.ok(left.includes('"n": 1') && right.includes('"n": 2'), `${left}\n----\n${right}`);
    assert.ok(right.includes('Set-Cookie: ‹redacted›'));
    const noPrevious = await history().compare(history().entries()[2].id);
    assert.equal(noPrevious.ok, false);
    assert.match(noPrevious.message, /no earlier exchange of “Counter”/);
  });

  it('opens an entry in its block’s panel as it was (HTTP and socket)', async () => {
    const [, socket, oldest] = history().entries();
    assert.ok((await history().open(oldest.id)).ok);
    const shown = await waitFor('the response panel to show the stored exchange', () => {
      const s = api.testing.responsePanelState(doc.uri, oldest.blockIndex, 'counter')?.exchange;
      return s && s.title.startsWith('Counter ·') ? s : undefined;
    });
    const body = Buffer.from(shown.exchange.response!.body.base64, 'base64').toString('utf8');
    assert.equal(JSON.parse(body).n, 1, 'the first response, not the last');
    assert.ok(shown.exchange.response!.notes!.some((n) => n.startsWith('From History: sent')));
    assert.ok((await history().open(socket.id)).ok);
    const t = await waitFor('the transcript panel', () => api.testing.transcriptPanelState(doc.uri, socket.blockIndex)?.transcript);
    const data = t.exchange.transcript.map((e) => Buffer.from(e.data.base64, 'base64').toString('utf8')).join('|');
    assert.ok(data.includes('hello history'), data);
  });

  it('a WebSocket session is kept when it ends, and opens again in its panel with its frames', async () => {
    assert.ok(await sendCommand(doc.uri, 'session'));
    const idx = [0, 1, 2, 3, 4].find((i) => api.testing.wsSession(doc.uri, i)?.state === 'open');
    assert.ok(idx !== undefined, 'the session is open');
    assert.equal(history().entries().filter((x) => x.kind === 'ws').length, 0, 'an open session is not kept yet');
    const closed = await api.testing.closeWsSession(doc.uri, idx);
    assert.ok(closed.ok, closed.message);
    const e = await waitFor('the session entry', () => history().entries().find((x) => x.kind === 'ws'));
    assert.match(e.outcome, /^closed 1000 by NetReq/);
    assert.ok((await history().open(e.id)).ok);
    const s = await waitFor('the stored session in the panel', () => {
      const w = api.testing.wsSession(doc.uri, e.blockIndex);
      return w && w.total >= 2 && w.state === 'closed' ? w : undefined;
    });
    assert.ok(s.exchange.frames.some((f) => f.dir === 'received' && f.opcode === 'text'));
  });

  it('a UDP exchange is kept with its outcome in words', async () => {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (msg, rinfo) => udp.send(Buffer.from(`got ${msg.length} bytes`), rinfo.port, rinfo.address));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const port = udp.address().port;
      const udpDoc = await openNetreq('history-udp.netreq', `### Datagram\n# @name dgram\n# @replies 1\nUDP 127.0.0.1:${port}\n\nping\n`);
      assert.ok(await sendCommand(udpDoc.uri, 'dgram'));
      const e = await waitFor('the UDP entry', () => history().entries().find((x) => x.protocol === 'udp'));
      assert.deepEqual([e.kind, e.blockName, e.failed, e.size], ['socket', 'dgram', false, 'got 4 bytes'.length]);
      assert.ok(e.outcome.length > 0 && !/failed/.test(e.outcome), e.outcome);
      assert.equal(history().items().find((i) => i.label === 'Datagram')?.contextValue, 'history.entry');
    } finally {
      udp.close();
    }
  });

  it('Send Again sends the block; when the file no longer has it, says so', async () => {
    const before = history().entries().length;
    const counter = history().entries().find((e) => e.blockName === 'counter')!;
    const r = await history().resend(counter.id);
    assert.ok(r.ok, r.message);
    await waitFor('one more entry', () => history().entries().length === before + 1);
    const edit = new vscode.WorkspaceEdit();
    const start = doc.getText().indexOf('### Counter');
    const end = doc.getText().indexOf('### Echo');
    edit.delete(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
    assert.ok(await vscode.workspace.applyEdit(edit));
    // Saved, so closing the editor later asks nothing.
    assert.ok(await doc.save());
    const gone = await history().resend(counter.id);
    assert.equal(gone.ok, false);
    assert.match(gone.message, /^Cannot send “Counter \(@counter\)” again: history\.netreq no longer has that block\.$/);
  });

  it('a new window reads the same History back from the workspace storage', async () => {
    const ids = history().entries().map((e) => e.id);
    const report = await history().reload();
    assert.deepEqual([report.entries, report.skipped], [ids.length, 0]);
    assert.deepEqual(history().entries().map((e) => e.id), ids);
    const r = await history().compare(history().entries().find((e) => e.blockName === 'counter')!.id);
    assert.ok(r.ok, r.message);
  });

  it('netreq.history.enabled off: nothing new is kept; Clear empties the view and the directory', async () => {
    const n = history().entries().length;
    const restore = await setWorkspaceSetting('history.enabled', false);
    try {
      assert.ok(await sendCommand(doc.uri, 'echo'));
      assert.equal(history().entries().length, n);
    } finally {
      await restore();
    }
    await history().clear();
    assert.deepEqual(history().rows(), []);
    assert.deepEqual(fs.readdirSync(history().directory!), ['index.jsonl']);
  });
});
