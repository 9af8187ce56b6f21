import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { SocketExchange, WsExchange } from '../../src/core/exchange';
import { closeAllEditors, codeLenses, netreqApi, openNetreq, type TestedApi, waitFor } from './helpers';

/** A QOTD server (RFC 865) on loopback: one quote per connection, then close. */
async function startQotd(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const state = { connections: 0 };
  const server = net.createServer((s) => {
    state.connections++;
    s.end('Simplicity is prerequisite for reliability.\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('socket protocols from the CodeLens: QOTD transcript and an interactive WebSocket session', () => {
  let api: TestedApi;

  before(async () => {
    api = await netreqApi();
    await closeAllEditors();
  });
  after(closeAllEditors);

  it('a QOTD block, sent through its CodeLens command, opens a transcript panel with the quote', async () => {
    const qotd = await startQotd();
    try {
      const doc = await openNetreq('qotd.netreq', `### Quote of the day\n# @name quote\nQOTD 127.0.0.1:${qotd.port}\n`);
      const lens = (await codeLenses(doc.uri, 1)).find((l) => l.command?.command === 'netreq.sendRequest' && l.range.start.line === 2);
      assert.ok(lens, 'no Send Request lens above the QOTD line');
      const x = (await vscode.commands.executeCommand('netreq.sendRequest', ...lens.command!.arguments!)) as SocketExchange | undefined;
      assert.ok(x, 'the command returned no exchange');
      assert.equal(x.kind, 'socket');
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.request.protocol, 'qotd');
      assert.equal(x.stop, 'peer-closed');
      assert.equal(qotd.connections, 1);
      const blockIndex = lens.command!.arguments![1] as number;
      const panel = await waitFor('the transcript panel to show the exchange', () => api.testing.transcriptPanelState(doc.uri, blockIndex)?.transcript);
      const chunks = panel.exchange.transcript.filter((e) => e.dir === 'received');
      assert.equal(Buffer.from(chunks[0].data.base64, 'base64').toString(), 'Simplicity is prerequisite for reliability.\r\n');
      assert.match(panel.exchange.stopDetail, /closed the connection/);
    } finally {
      await qotd.close();
    }
  });

  it('a WS block opens a session that sends the block\'s messages, stays open for more, and closes with a code', async () => {
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ server: httpServer });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    const port = (httpServer.address() as net.AddressInfo).port;
    const seen: string[] = [];
    const closes: number[] = [];
    wss.on('connection', (ws) => {
      ws.on('message', (d, bin) => {
        seen.push(bin ? `bin:${Buffer.from(d as Buffer).toString('hex')}` : d.toString());
        ws.send(d, { binary: bin });
      });
      ws.on('close', (code) => closes.push(code));
    });
    try {
      const doc = await openNetreq('ws.netreq', `### Echo session\n# @name echo\nWS ws://127.0.0.1:${port}/\n\n> from the block\n`);
      const lens = (await codeLenses(doc.uri, 1)).find((l) => l.command?.command === 'netreq.sendRequest' && l.range.start.line === 2);
      assert.ok(lens, 'no Send Request lens above the WS line');
      const blockIndex = lens.command!.arguments![1] as number;
      const x = (await vscode.commands.executeCommand('netreq.sendRequest', ...lens.command!.arguments!)) as WsExchange | undefined;
      assert.equal(x?.kind, 'ws');
      const open = await waitFor('the session to echo the block message', () => {
        const s = api.testing.wsSession(doc.uri, blockIndex);
        return s && s.state === 'open' && s.exchange.frames.some((f) => f.dir === 'received' && f.data.toString() === 'from the block') ? s : undefined;
      });
      assert.equal(open.exchange.handshake.status, 101);
      const sent = await api.testing.sendWsMessage(doc.uri, blockIndex, 'typed in the panel', 'text');
      assert.equal(sent.ok, true, sent.message);
      const hex = await api.testing.sendWsMessage(doc.uri, blockIndex, 'ca fe', 'hex');
      assert.equal(hex.ok, true, hex.message);
      const bad = await api.testing.sendWsMessage(doc.uri, blockIndex, 'zz', 'hex');
      assert.equal(bad.ok, false);
      await waitFor('both typed messages to reach the server', () => seen.includes('typed in the panel') && seen.includes('bin:cafe'));
      await waitFor('their echoes in the frame log', () => api.testing.wsSession(doc.uri, blockIndex)!.exchange.frames.filter((f) => f.dir === 'received').length >= 3);
      const closed = await api.testing.closeWsSession(doc.uri, blockIndex, 4000, 'done testing');
      assert.equal(closed.ok, true, closed.message);
      const end = await waitFor('the session to close', () => {
        const s = api.testing.wsSession(doc.uri, blockIndex);
        return s?.state === 'closed' ? s : undefined;
      });
      assert.equal(end.exchange.closeCode, 4000);
      await waitFor('the server to see close code 4000', () => closes.includes(4000));
    } finally {
      for (const c of wss.clients) c.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
    }
  });
});
