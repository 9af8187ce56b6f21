import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './runCli';
import { startSocat, tempDir, type Peer } from '../../support/peers';
import { startWsServer, type WsTestServer } from '../../support/ws';

describe('netreq CLI: socket protocols print transcripts', function () {
  this.timeout(20_000);
  let dir: string;
  let echo: Peer;
  let udp: Peer;
  let qotd: Peer;
  let ws: WsTestServer;

  before(async () => {
    dir = tempDir('cli-sockets');
    echo = await startSocat('tcp', 'EXEC:cat');
    udp = await startSocat('udp', 'EXEC:cat');
    qotd = await startSocat('tcp', 'SYSTEM:echo "Quote of the day"');
    ws = await startWsServer();
  });
  after(async () => {
    await Promise.all([echo.stop(), udp.stop(), qotd.stop(), ws.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('QOTD, ECHO and UDP blocks: readable transcripts with totals and the stop reason', async () => {
    const f = file(
      'sockets.netreq',
      `### quote\nQOTD 127.0.0.1:${qotd.port}\n\n### echo\nECHO 127.0.0.1:${echo.port}\n\nhello\n\n### udp\n# @replies 1\nUDP 127.0.0.1:${udp.port}\n\nping\n`,
    );
    const r = await cli(['run', f]);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /QOTD 127\.0\.0\.1:\d+\n← .*\n {4}Quote of the day␊/);
    assert.match(r.out, /stopped: the server closed the connection/);
    assert.match(r.out, /echo: what came back equals what was sent ✓/);
    assert.match(r.out, /UDP 127\.0\.0\.1:\d+\n→ [\s\S]*← .*127\.0\.0\.1:\d+\n {4}ping/);
    assert.match(r.out, /stopped: got the 1 reply asked for/);
  });

  it('WS block with --json: every frame, the handshake, and the close', async () => {
    const f = file('ws.netreq', `WS ws://127.0.0.1:${ws.port}/\nSec-WebSocket-Protocol: chat\n\n> hello\n>hex 01 02\n# @wait 300ms\n`);
    const r = await cli(['run', f, '--json']);
    assert.equal(r.code, 0, r.err);
    const x = JSON.parse(r.out).exchange;
    assert.equal(x.kind, 'ws');
    assert.equal(x.handshake.status, 101);
    assert.equal(x.handshake.protocol, 'chat');
    const frames = x.frames.map((fr: { dir: string; opcode: string; data: { base64: string } }) => `${fr.dir} ${fr.opcode} ${Buffer.from(fr.data.base64, 'base64').toString('hex')}`);
    assert.deepEqual(frames.slice(0, 4), ['sent text 68656c6c6f', 'sent binary 0102', 'received text 68656c6c6f', 'received binary 0102']);
    assert.equal(x.closeCode, 1000);
  });

  it('exits 1 when a socket request fails, naming the phase', async () => {
    const f = file('refused.netreq', 'TCP 127.0.0.1:1\n\nhi\n');
    const r = await cli(['run', f]);
    assert.equal(r.code, 1);
    assert.match(r.out, /✗ Connection refused: nothing is listening on 127\.0\.0\.1:1 {2}\[phase: connect\]/);
  });
});
