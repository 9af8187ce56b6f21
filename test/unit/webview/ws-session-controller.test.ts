// The session panel's controller against real WebSocket servers on loopback (no vscode runtime).
import { strict as assert } from 'node:assert';
import type * as net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsSession } from '../../../src/core/sockets/ws';
import { WsSessionController } from '../../../src/extension/panels/wsSessionController';
import { isHostToSession, type HostToSession, type WsFramesMessage, type WsUpdateMessage } from '../../../src/shared/messages';
import { startWsServer, text, wsSpec, type WsTestServer } from '../../support/ws';
import type { WsRequestSpec } from '../../../src/core/request';

async function until<T>(what: string, f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Messages the controller posted that the page's guard refuses (through JSON, as VS Code carries them): checked after each test. */
const refusedByGuard: unknown[] = [];

function controller(spec: WsRequestSpec, opts: ConstructorParameters<typeof WsSessionController>[4] = {}) {
  const posted: HostToSession[] = [];
  const session = new WsSession(spec, { keepFrames: opts.cap }); // as the extension wires it: the session keeps what the log shows
  const post = (m: HostToSession) => {
    if (!isHostToSession(JSON.parse(JSON.stringify(m)))) refusedByGuard.push(m);
    posted.push(m);
  };
  const c = new WsSessionController(session, spec, 'Chat', post, { closeWaitMs: 1000, ...opts });
  const frames = () => posted.filter((m): m is WsFramesMessage => m.type === 'wsFrames').flatMap((m) => m.frames);
  const states = () => posted.filter((m): m is WsUpdateMessage => m.type === 'wsUpdate').map((m) => m.info.state);
  return { c, session, posted, frames, states };
}

/** Answers "flood N" with N text messages as fast as it can; "bye" closes with 4001. */
async function startFloodServer(): Promise<{ port: number; closeCodes: number[]; close(): Promise<void> }> {
  const closeCodes: number[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('close', (code) => closeCodes.push(code));
    ws.on('message', (data) => {
      const m = /^flood (\d+)$/.exec(data.toString());
      if (m) for (let i = 1; i <= Number(m[1]); i++) ws.send(`f${i}`);
    });
  });
  await new Promise<void>((r) => wss.once('listening', r));
  return {
    port: (wss.address() as net.AddressInfo).port,
    closeCodes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe('WebSocket session controller (real sockets)', () => {
  let server: WsTestServer;
  before(async () => {
    server = await startWsServer();
  });
  after(() => server.close());
  afterEach(() => assert.deepEqual(refusedByGuard.splice(0), [], 'every message the controller posted passes the page’s guard'));

  it('connects, sends the block’s messages with their pause, and stays open', async () => {
    const spec = wsSpec(server.port, { messages: [text('one'), { ...text('two'), pauseMs: 150 }], waitMs: 0 });
    const { c, posted, frames, states } = controller(spec);
    c.postSnapshot();
    const t0 = Date.now();
    const x = await c.run(new AbortController().signal);
    assert.ok(Date.now() - t0 >= 140, 'the pause was kept');
    assert.equal(x.state, 'open');
    assert.equal(c.state, 'open', 'still open after the script');
    assert.equal(posted[0].type, 'wsSession');
    assert.deepEqual(states().slice(0, 2), ['connecting', 'open']);
    const last = posted.filter((m): m is WsUpdateMessage => m.type === 'wsUpdate').pop()!;
    assert.deepEqual(last.info.script, { total: 2, sent: 2, running: false });
    assert.equal(last.info.exchange.handshake.status, 101);
    assert.match(last.info.exchange.handshake.requestHead, /^GET \/ HTTP\/1\.1\r\n/);
    const echoed = await until('both echoes', () => (frames().length >= 4 ? frames() : undefined));
    assert.deepEqual(
      echoed.map((f) => [f.seq, f.dir, Buffer.from(f.data.base64, 'base64').toString()]),
      [
        [1, 'sent', 'one'],
        [2, 'received', 'one'],
        [3, 'sent', 'two'],
        [4, 'received', 'two'],
      ],
    );
    await c.dispose();
  });

  it('sends text and hex, pings, and refuses bad hex and bad close codes without touching the socket', async () => {
    const { c, frames } = controller(wsSpec(server.port));
    await c.run(new AbortController().signal);
    assert.deepEqual(c.handle({ type: 'wsSend', id: 1, format: 'text', data: 'héllo' }), { ok: true, message: 'Sent a text message (6 B).' });
    assert.deepEqual(c.handle({ type: 'wsSend', id: 2, format: 'hex', data: '00 ff 10' }), { ok: true, message: 'Sent a binary message (3 B).' });
    const bad = c.handle({ type: 'wsSend', id: 3, format: 'hex', data: 'zz' });
    assert.equal(bad.ok, false);
    assert.match(bad.message, /'zz' is not hex/);
    assert.deepEqual(c.handle({ type: 'wsPing', id: 4 }), { ok: true, message: 'Ping sent.' });
    assert.match(c.handle({ type: 'wsClose', id: 5, code: 1005, reason: '' }).message, /reserved/);
    assert.match(c.handle({ type: 'wsClose', id: 6, code: 1000, reason: 'é'.repeat(70) }).message, /140 bytes/);
    assert.equal(c.state, 'open');
    const got = await until('the echoes and the pong', () => {
      const f = frames();
      return f.some((x) => x.opcode === 'pong') && f.filter((x) => x.dir === 'received' && x.opcode !== 'pong').length >= 2 ? f : undefined;
    });
    const binary = got.find((f) => f.dir === 'received' && f.opcode === 'binary')!;
    assert.deepEqual([...Buffer.from(binary.data.base64, 'base64')], [0, 0xff, 0x10]);
    assert.ok(got.some((f) => f.dir === 'sent' && f.opcode === 'ping'));
    assert.equal(c.frameText(binary.seq)!.content, '00 ff 10');
    assert.equal(c.frameText(1)!.content, 'héllo');
    await c.dispose();
  });

  it('closes with a code and reason; the close frames are in the log and the state says closed', async () => {
    const { c, frames, states } = controller(wsSpec(server.port));
    await c.run(new AbortController().signal);
    const r = c.handle({ type: 'wsClose', id: 1, code: 4000, reason: 'done here' });
    assert.ok(r.ok, r.message);
    await c.session.whenClosed();
    await until('closed state', () => states().includes('closed'));
    assert.equal(c.exchange.closeCode, 4000);
    assert.equal(c.exchange.closedBy, 'client');
    const close = frames().filter((f) => f.opcode === 'close');
    assert.ok(close.some((f) => f.dir === 'sent' && f.closeWords === '4000 application-defined: done here'));
    assert.match(c.handle({ type: 'wsSend', id: 2, format: 'text', data: 'x' }).message, /the WebSocket is closed/);
    const closedInfo = c.info();
    assert.equal(closedInfo.closeWords, '4000 application-defined: done here');
    await c.dispose();
  });

  it('reports a server close and keeps the panel’s state', async () => {
    const { c, states } = controller(wsSpec(server.port, { messages: [text('close-me')] }));
    await c.run(new AbortController().signal);
    await c.session.whenClosed();
    await until('closed', () => states().includes('closed'));
    assert.equal(c.info().closeWords, '4001 application-defined: bye');
    assert.equal(c.exchange.closedBy, 'server');
    await c.dispose();
  });

  it('cancel during the script stops it and closes the session', async () => {
    const spec = wsSpec(server.port, { messages: [text('a'), { ...text('b'), pauseMs: 5000 }] });
    const { c } = controller(spec);
    const ac = new AbortController();
    const done = c.run(ac.signal);
    await until('open', () => c.state === 'open');
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const x = await done;
    assert.ok(Date.now() - t0 < 3000, 'did not wait for the 5 s pause');
    assert.equal(x.state, 'closed');
    assert.equal(x.closeReason, 'cancelled');
    assert.ok(!x.frames.some((f) => f.dir === 'sent' && f.data.toString() === 'b'));
  });

  it('a failed connect ends closed with the error, and nothing can be sent', async () => {
    const { c, states } = controller(wsSpec(1));
    const x = await c.run(new AbortController().signal);
    assert.equal(x.state, 'closed');
    assert.equal(x.error?.phase, 'connect');
    assert.ok(states().includes('closed'));
    assert.match(c.handle({ type: 'wsPing', id: 1 }).message, /the WebSocket is closed/);
    await c.dispose();
  });

  it('dispose (the panel closed) closes the socket with 1001 and stops posting', async () => {
    const flood = await startFloodServer();
    try {
      const { c, posted } = controller(wsSpec(flood.port));
      await c.run(new AbortController().signal);
      await c.dispose();
      assert.equal(c.state, 'closed');
      assert.equal(c.exchange.closeCode, 1001);
      await until('the server saw 1001', () => flood.closeCodes.includes(1001));
      const n = posted.length;
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(posted.length, n, 'nothing posted after dispose');
    } finally {
      await flood.close();
    }
  });

  it('a flood of frames goes to the webview in a few batches, capped, with the dropped count', async () => {
    const flood = await startFloodServer();
    try {
      const { c, posted, frames } = controller(wsSpec(flood.port), { cap: 1000, intervalMs: 50 });
      await c.run(new AbortController().signal);
      const started = posted.length;
      c.sendMessage('text', 'flood 20000');
      await until('all 20000 frames', () => c.log.total >= 20_001, 15_000);
      await new Promise((r) => setTimeout(r, 120));
      const batches = posted.slice(started).filter((m): m is WsFramesMessage => m.type === 'wsFrames');
      assert.ok(batches.length >= 1 && batches.length < 200, `${batches.length} batches for 20001 frames`);
      assert.ok(batches.every((b) => b.frames.length <= 1000), 'no batch exceeds the cap');
      assert.equal(batches[batches.length - 1].total, 20_001);
      assert.equal(c.log.size, 1000);
      assert.equal(c.log.dropped, 19_001);
      assert.ok(c.exchange.frames.length <= 1250, `the session keeps a window too (${c.exchange.frames.length}), the rest counted (${c.exchange.framesDropped})`);
      const last = frames().pop()!;
      assert.equal(Buffer.from(last.data.base64, 'base64').toString(), 'f20000');
      const snap = c.snapshotMessage();
      assert.equal(snap.frames.length, 1000);
      assert.equal(snap.total, 20_001);
      assert.equal(snap.frames[0].seq, 19_002);
      await c.dispose();
    } finally {
      await flood.close();
    }
  });
});
