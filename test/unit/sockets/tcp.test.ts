import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { makeSelfSigned, requireBinary, startOpensslServer, startSocat, tempDir, type Peer } from '../../support/peers';
import { rawServer } from '../../support/servers';
import { tcpSpec } from '../../support/sockets';

const text = (x: { transcript: Array<{ dir: string; data: Buffer }> }, dir: 'sent' | 'received') =>
  Buffer.concat(x.transcript.filter((e) => e.dir === dir).map((e) => e.data)).toString();

describe('TCP / TLS sessions against real peers (socat, openssl s_server)', function () {
  this.timeout(20_000);
  const client = new TcpClient();
  const peers: Peer[] = [];
  let echo: Peer;
  let qotd: Peer;
  let daytime: Peer;

  before(async () => {
    echo = await startSocat('tcp', 'EXEC:cat');
    const fortune = fs.existsSync('/usr/games/fortune') ? '/usr/games/fortune' : requireBinary('fortune', 'fortune-mod');
    // fortune-mod without its data (apt's --no-install-recommends) prints "No fortunes found" on stderr and nothing on stdout.
    const quote = spawnSync(fortune, ['-s'], { encoding: 'utf8', timeout: 5000 });
    if (!quote.stdout?.trim()) throw new Error(`${fortune} -s printed no quote (${quote.stderr?.trim() || 'no output'}): run 'apt-get install -y fortunes-min' (the CI script .ci/run does this)`);
    qotd = await startSocat('tcp', `SYSTEM:${fortune} -s`);
    daytime = await startSocat('tcp', 'SYSTEM:date');
    peers.push(echo, qotd, daytime);
  });
  after(async () => {
    for (const p of peers) await p.stop();
  });

  it('ECHO: sends the payload and says whether the same bytes came back', async () => {
    const x = await client.send(tcpSpec(echo.port, { service: 'echo', payload: Buffer.from('hello\r\nworld') }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.stop, 'echo-complete');
    assert.equal(x.echoMatches, true);
    assert.equal(text(x, 'sent'), 'hello\r\nworld');
    assert.equal(text(x, 'received'), 'hello\r\nworld');
    assert.equal(x.request.protocol, 'echo');
    assert.ok(x.timings.tcpConnect! >= 0 && x.timings.firstByte! >= 0);
  });

  it('QOTD: sends nothing, reads a quote until the server closes', async () => {
    const x = await client.send(tcpSpec(qotd.port, { service: 'qotd' }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.stop, 'peer-closed');
    assert.equal(x.sentBytes, 0);
    assert.ok(x.receivedBytes > 0 && text(x, 'received').trim().length > 0);
  });

  it('DAYTIME: reads the date line', async () => {
    const x = await client.send(tcpSpec(daytime.port, { service: 'daytime' }));
    assert.equal(x.stop, 'peer-closed');
    assert.match(text(x, 'received'), /\d{4}|\d{2}:\d{2}:\d{2}/);
  });

  it('stops at # @read-until, at idle silence, and at # @max-bytes', async () => {
    const srv = await rawServer(() => undefined);
    srv.onConnect = (s) => {
      s.write('220 ready\r\n');
      setTimeout(() => s.write('more\r\nEND\r\ntrailing'), 50);
    };
    try {
      const until = await client.send(tcpSpec(srv.port, { readUntil: Buffer.from('END\r\n') }));
      assert.equal(until.stop, 'read-until');
      assert.match(text(until, 'received'), /END/);
      const idle = await client.send(tcpSpec(srv.port, { idleMs: 300 }));
      assert.equal(idle.stop, 'idle');
      assert.equal(text(idle, 'received'), '220 ready\r\nmore\r\nEND\r\ntrailing');
      assert.match(idle.stopDetail, /300 ms of silence/);
      const max = await client.send(tcpSpec(srv.port, { maxBytes: 5 }));
      assert.equal(max.stop, 'max-bytes');
      assert.equal(text(max, 'received'), '220 r');
    } finally {
      await srv.close();
    }
  });

  it('keeps at most maxResponseBytes in the transcript and counts the rest', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const x = await client.send(tcpSpec(echo.port, { payload, halfClose: true, maxBytes: 10 * 1024 * 1024, idleMs: 5000 }, { maxResponseBytes: 1024 * 1024 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.stop, 'peer-closed');
    assert.equal(x.receivedBytes, payload.length);
    assert.equal(text(x, 'received').length, 1024 * 1024);
    assert.equal(x.uncapturedBytes, 2 * 1024 * 1024);
  });

  it('# @half-close sends FIN after the payload (cat then finishes and the peer closes)', async () => {
    const x = await client.send(tcpSpec(echo.port, { payload: Buffer.from('bye'), halfClose: true, idleMs: 5000 }));
    assert.equal(x.stop, 'peer-closed');
    assert.equal(text(x, 'received'), 'bye');
  });

  it('names the phase when a server never answers, and keeps the data when it stops talking', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const x = await client.send(tcpSpec(silent.port, { payload: Buffer.from('hi') }, { timeoutMs: 300 }));
      assert.equal(x.error?.phase, 'wait');
      assert.equal(x.error?.message, `Timed out after 300 ms during waiting for the response (request sent): connected and sent 2 bytes, but 127.0.0.1:${silent.port} sent nothing back`);
    } finally {
      await silent.close();
    }
  });

  it('reports a reset in the middle of the stream with what arrived before it', async () => {
    const srv = await rawServer(() => undefined);
    srv.onConnect = (s) => {
      s.write('partial');
      setTimeout(() => s.resetAndDestroy(), 50);
    };
    try {
      const x = await client.send(tcpSpec(srv.port));
      assert.equal(x.error?.code, 'ECONNRESET');
      assert.match(x.error!.message, /Connection reset by 127\.0\.0\.1:\d+ during receiving the response after 7 bytes/);
      assert.equal(text(x, 'received'), 'partial');
    } finally {
      await srv.close();
    }
  });

  it('connection refused is named; cancelling stops the session', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const refused = await client.send(tcpSpec(port));
    assert.equal(refused.error?.message, `Connection refused: nothing is listening on 127.0.0.1:${port}`);
    const ac = new AbortController();
    const p = client.send(tcpSpec(echo.port, { payload: Buffer.from('x'), idleMs: 10_000 }), { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const x = await p;
    assert.equal(x.stop, 'cancelled');
  });

  it('TLS: talks through openssl s_server and shows the certificate', async () => {
    const dir = tempDir('tcp-tls');
    const peer = await startOpensslServer(makeSelfSigned(dir), ['-rev']);
    peers.push(peer);
    // -www is off for -rev: the server reverses each line it gets.
    const x = await client.send(tcpSpec(peer.port, { kind: 'tls', servername: 'localhost', payload: Buffer.from('olleh\n'), readUntil: Buffer.from('hello') }, { insecure: true }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.match(text(x, 'received'), /hello/);
    assert.equal(x.tls?.chain[0].subject, 'CN=localhost');
    assert.ok(x.timings.tlsHandshake! > 0);
    const refused = await client.send(tcpSpec(peer.port, { kind: 'tls', servername: 'localhost' }));
    assert.equal(refused.error?.phase, 'tls');
    assert.match(refused.error!.message, /self-signed certificate/);
  });
});
