import { strict as assert } from 'node:assert';
import { WsClient, WsSession, describeClose } from '../../../src/core/sockets/ws';
import { startPythonWsEcho, type Peer } from '../../support/peers';
import { rawServer } from '../../support/servers';
import { startWsServer, text, wsSpec, type WsTestServer } from '../../support/ws';

const frames = (x: { frames: Array<{ dir: string; opcode: string; data: Buffer; closeCode?: number }> }) =>
  x.frames.map((f) => `${f.dir === 'sent' ? '>' : '<'} ${f.opcode}${f.closeCode ? ` ${f.closeCode}` : ''} ${f.data.toString()}`.trimEnd());

describe('WebSocket sessions', function () {
  this.timeout(20_000);
  const client = new WsClient();
  let server: WsTestServer;
  let py: Peer;

  before(async () => {
    server = await startWsServer();
    py = await startPythonWsEcho();
  });
  after(async () => {
    await server.close();
    await py.stop();
  });

  it('echo through python3-websockets: handshake, text and binary messages, normal close', async () => {
    const x = await client.send(wsSpec(py.port, { messages: [text('hello'), { type: 'binary', data: Buffer.from([1, 2, 3]) }] }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.handshake.status, 101);
    assert.match(x.handshake.requestHead, /^GET \/ HTTP\/1\.1\r\n[\s\S]*Sec-WebSocket-Key: [\s\S]*Upgrade: websocket\r\n/i);
    assert.deepEqual(frames(x).slice(0, 4), ['> text hello', '> binary \u0001\u0002\u0003', '< text hello', '< binary \u0001\u0002\u0003']);
    assert.equal(x.state, 'closed');
    assert.equal(x.closeCode, 1000);
    assert.equal(x.closedBy, 'client');
    assert.ok(x.timings.tcpConnect! >= 0 && x.timings.firstByte! >= 0);
  });

  it('sends handshake headers and subprotocols from the block and shows the negotiated one', async () => {
    const x = await client.send(wsSpec(server.port, { target: '/chat?x=1', headers: [['Sec-WebSocket-Protocol', 'chat, superchat'], ['Authorization', 'Bearer t0k3n'], ['Origin', 'http://local.test']] }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.handshake.protocol, 'chat');
    const seen = server.handshakes[server.handshakes.length - 1];
    assert.equal(seen.authorization, 'Bearer t0k3n');
    assert.equal(seen.origin, 'http://local.test');
    assert.match(String(seen['sec-websocket-protocol']), /^chat, ?superchat$/); // ws writes the list without the space
    assert.ok(x.handshake.responseHeaders.some(([k, v]) => k.toLowerCase() === 'sec-websocket-protocol' && v === 'chat'));
  });

  it('records a server ping (answered with a pong automatically) and a server-initiated close with code and reason', async () => {
    const x = await client.send(wsSpec(server.port, { messages: [text('ping-me'), { ...text('close-me'), pauseMs: 100 }], waitMs: 2000 }));
    assert.deepEqual(frames(x), ['> text ping-me', '< ping are you there', '> pong are you there', '> text close-me', '< close 4001 bye']);
    assert.equal(x.frames.find((f) => f.opcode === 'pong')?.auto, true, 'the automatic pong is marked as such');
    assert.equal(x.closedBy, 'server');
    assert.equal(describeClose(x.closeCode, x.closeReason), '4001 application-defined: bye');
    assert.ok(x.timings.total < 1500, 'a server close ends the wait early');
  });

  it('an interactive session: send while open, ping, close with a code; states in order', async () => {
    const s = new WsSession(wsSpec(server.port));
    const states: string[] = [];
    s.on('state', (st) => states.push(st));
    const got = new Promise<string>((resolve) => s.on('frame', (f) => f.dir === 'received' && f.opcode === 'text' && resolve(f.data.toString())));
    assert.equal(await s.open(), true);
    s.sendText('typed by hand');
    assert.equal(await got, 'typed by hand');
    s.ping(Buffer.from('p'));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(s.exchange.frames.some((f) => f.opcode === 'pong' && f.data.toString() === 'p'));
    await s.close(1001, 'leaving');
    assert.deepEqual(states, ['open', 'closing', 'closed']);
    assert.equal(s.exchange.closeCode, 1001);
    assert.throws(() => s.sendText('late'), /Cannot send a text message: the WebSocket is closed/);
  });

  it('a long session keeps only the newest frames and counts the rest (keepFrames)', async () => {
    const s = new WsSession(wsSpec(server.port), { keepFrames: 8 });
    assert.equal(await s.open(), true);
    let echoed = 0;
    const all = new Promise<void>((resolve) => s.on('frame', (f) => f.dir === 'received' && f.opcode === 'text' && ++echoed === 30 && resolve()));
    for (let i = 0; i < 30; i++) s.sendText(`m${i}`);
    await all;
    await s.close(1000, 'done');
    const x = s.exchange;
    assert.ok(x.frames.length <= 10, `kept ${x.frames.length}`);
    assert.equal((x.framesDropped ?? 0) + x.frames.length, 62, 'every frame is either kept or counted (30 sent, 30 echoed, 2 close)');
    assert.match(frames(x).at(-3)!, /^< text m29$/);
  });

  it('explains an invalid handshake answer and keeps the response', async () => {
    const srv = await rawServer((sock) => sock.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nno socket'));
    try {
      const x = await client.send(wsSpec(srv.port));
      assert.equal(x.error?.phase, 'parse');
      assert.equal(x.error?.message, 'WebSocket handshake failed: the server answered 404 Not Found instead of 101 Switching Protocols');
      assert.equal(x.handshake.responseBody?.toString(), 'no socket');
      assert.equal(x.state, 'closed');
    } finally {
      await srv.close();
    }
    const bad = await rawServer((sock) => sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n'));
    try {
      const x = await client.send(wsSpec(bad.port));
      assert.equal(x.error?.message, 'WebSocket handshake failed: Invalid Sec-WebSocket-Accept header');
    } finally {
      await bad.close();
    }
  });

  it('a handshake Node refuses to write (a header value outside Latin-1) fails in words and closes the connection it had opened', async () => {
    // Before, the WebSocket constructor threw after the TCP connection was open, and nothing closed it: the CLI
    // printed the error and then never exited.
    let closed!: () => void;
    const peerClosed = new Promise<void>((r) => (closed = r));
    const srv = await rawServer(() => undefined);
    srv.onConnect = (sock) => sock.once('close', () => closed());
    try {
      const x = await client.send(wsSpec(srv.port, { headers: [['X-Price', '5 \u20ac']] }));
      assert.match(x.error?.message ?? '', /Invalid character in header content \["X-Price"\]/);
      assert.equal(x.state, 'closed');
      const outcome = await Promise.race([peerClosed.then(() => 'closed'), new Promise<string>((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
      assert.equal(outcome, 'closed');
    } finally {
      await srv.close();
    }
  });

  it('a refusal whose body never ends is cut at 64 KB, and one that stalls after its head is not awaited', async () => {
    // Before, the handshake read the refusal's body until its end: a server streaming it (or keeping the
    // connection open without a length) held the Send until the request's timeout.
    let timer: NodeJS.Timeout | undefined;
    const streaming = await rawServer((sock) => {
      sock.write('HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n');
      let n = 0;
      timer = setInterval(() => {
        if (sock.destroyed || ++n > 2_000) return clearInterval(timer);
        sock.write('4000\r\n' + 'x'.repeat(0x4000) + '\r\n');
      }, 1);
    });
    try {
      const x = await client.send(wsSpec(streaming.port, {}, { timeoutMs: 60_000 }));
      assert.equal(x.error?.message, 'WebSocket handshake failed: the server answered 403 Forbidden instead of 101 Switching Protocols');
      assert.equal(x.handshake.responseBody?.length, 64 * 1024);
      assert.notEqual(x.error?.phase, 'timeout');
    } finally {
      clearInterval(timer);
      await streaming.close();
    }
    const stalled = await rawServer((sock) => sock.write('HTTP/1.1 401 Unauthorized\r\nContent-Length: 100\r\n\r\nlog in'));
    try {
      const x = await client.send(wsSpec(stalled.port, {}, { timeoutMs: 60_000 }));
      assert.equal(x.error?.message, 'WebSocket handshake failed: the server answered 401 Unauthorized instead of 101 Switching Protocols');
      assert.equal(x.handshake.responseBody?.toString(), 'log in');
      // A request deadline shorter than the wait for the body: still the refusal, never "did not answer".
      const short = await client.send(wsSpec(stalled.port, {}, { timeoutMs: 300 }));
      assert.equal(short.error?.message, 'WebSocket handshake failed: the server answered 401 Unauthorized instead of 101 Switching Protocols');
      assert.equal(short.handshake.status, 401);
    } finally {
      await stalled.close();
    }
  });

  it('times out a handshake nobody answers, naming the phase', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const x = await client.send(wsSpec(silent.port, {}, { timeoutMs: 300 }));
      assert.equal(x.error?.phase, 'wait');
      assert.match(x.error!.message, /Timed out after 300 ms .*the upgrade request was sent but 127\.0\.0\.1:\d+ did not answer/);
    } finally {
      await silent.close();
    }
  });
});
