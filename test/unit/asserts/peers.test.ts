// ?? asserts on every other request kind, against real peers: openssl s_server (tls.*, the certificate's days
// left), socat (TCP and UDP received/echo/replies/stop), python3-websockets (frames, close), dnsmasq (DNS).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { freePort, makeSelfSigned, startOpensslServer, startPythonWsEcho, startSocat, tempDir, type Peer } from '../../support/peers';
import { startDnsmasq } from '../protocols/dns/peers';
import { expectations, runText, statuses } from './run';

describe('?? asserts on TLS, sockets, WebSocket and DNS, against real peers', function () {
  this.timeout(30_000);
  const peers: Peer[] = [];
  after(async () => {
    for (const p of peers) await p.stop();
  });
  const start = async (p: Promise<Peer>): Promise<Peer> => {
    const peer = await p;
    peers.push(peer);
    return peer;
  };

  it('tls.* on HTTPS and on a TLS socket, with the days left of a certificate made for the test (30 days)', async () => {
    const dir = tempDir('asserts-tls');
    try {
      const s = await start(startOpensslServer(makeSelfSigned(dir)));
      const { text, expected } = expectations([
        '# @insecure',
        `GET https://127.0.0.1:${s.port}/`,
        '',
        '?? status == 200 #=> passed',
        '?? tls.protocol startsWith TLSv1. #=> passed',
        '?? tls.cipher isString #=> passed',
        '?? tls.authorized isFalse #=> passed',
        '?? tls.daysLeft >= 29 #=> passed',
        '?? tls.daysLeft <= 30 #=> passed',
        '?? tls.daysLeft < 14 #=> failed',
        '?? tls.subject includes CN=localhost #=> passed',
        '?? tls.issuer includes CN=localhost #=> passed',
        '?? tls.alpn exists #=> failed',
        '?? timing.tls > 0 #=> passed',
        '###',
        '# @insecure',
        '# @eol crlf',
        '# @idle 300ms',
        `TLS 127.0.0.1:${s.port}`,
        '',
        'GET / HTTP/1.0',
        '',
        '',
        '?? received startsWith HTTP/1.0 200 #=> passed',
        '?? receivedBytes > 100 #=> passed',
        '?? tls.daysLeft > 0 #=> passed',
        '?? tls.authorized == false #=> passed',
      ]);
      const run = await runText(text);
      assert.deepEqual(run.blocks.flatMap(statuses), expected);
      const alpn = run.blocks[0].outcomes.find((o) => o.check.field === 'tls.alpn')!;
      assert.equal(alpn.message, 'tls.alpn exists: tls.alpn has no value');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('TCP, ECHO and UDP: received, receivedBytes, echo, replies, stop', async () => {
    const tcp = await start(startSocat('tcp', 'EXEC:cat'));
    const udp = await start(startSocat('udp', 'EXEC:cat'));
    const { text, expected } = expectations([
      '# @idle 300ms',
      `TCP 127.0.0.1:${tcp.port}`,
      '',
      'hello socat',
      '',
      '?? received includes hello #=> passed',
      '?? received == hello socat #=> passed',
      '?? received matches ^hello\\s #=> passed',
      '?? receivedBytes == 11 #=> passed',
      '?? stop == idle #=> passed',
      '?? stop == peer-closed #=> failed',
      '?? connection.id isNumber #=> passed',
      '###',
      `ECHO 127.0.0.1:${tcp.port}`,
      '',
      'ping',
      '',
      '?? echo isTrue #=> passed',
      '?? echo == true #=> passed',
      '?? stop == echo-complete #=> passed',
      '###',
      '# @replies 1',
      `UDP 127.0.0.1:${udp.port}`,
      '',
      'pong?',
      '',
      '?? replies == 1 #=> passed',
      '?? received == pong? #=> passed',
      '?? receivedBytes >= 5 #=> passed',
      '?? stop == replies #=> passed',
    ]);
    const run = await runText(text);
    assert.deepEqual(run.blocks.flatMap(statuses), expected);
  });

  it('WebSocket: handshake status and headers, frames.received, frames.count, the close', async () => {
    const ws = await start(startPythonWsEcho());
    const { text, expected } = expectations([
      `WS ws://127.0.0.1:${ws.port}/`,
      '',
      '> hello',
      '> world',
      '# @wait 300ms',
      '',
      '?? status == 101 #=> passed',
      '?? header upgrade == websocket #=> passed',
      '?? frames.received includes world #=> passed',
      '?? frames.received includes nobody #=> failed',
      '?? frames.received isArray #=> passed',
      '?? frames.count == 2 #=> passed',
      '?? closeCode == 1000 #=> passed',
      '?? closeReason isString #=> passed',
    ]);
    const run = await runText(text);
    assert.deepEqual(run.blocks.flatMap(statuses), expected);
  });

  it('DNS: rcode, answers, ttl', async () => {
    const dns = await start(startDnsmasq());
    const { text, expected } = expectations([
      `# @server 127.0.0.1:${dns.port}`,
      'DNS example.test A',
      '',
      '?? rcode == NOERROR #=> passed',
      '?? answers includes 127.0.0.42 #=> passed',
      '?? answers includes 127.0.0.1 #=> failed',
      '?? ttl >= 0 #=> passed',
      '?? duration < 60000 #=> passed',
      '###',
      `# @server 127.0.0.1:${dns.port}`,
      'DNS txt.example.test TXT',
      '',
      '?? answers includes "hello dns" #=> passed',
      '###',
      `# @server 127.0.0.1:${dns.port}`,
      'DNS nothing.test A',
      '',
      '?? rcode == NXDOMAIN #=> passed',
      '?? answers isArray #=> passed',
      '?? ttl exists #=> failed',
    ]);
    const run = await runText(text);
    assert.deepEqual(run.blocks.flatMap(statuses), expected);
  });

  it('nothing exchanged (WS, TCP refused; DNS unanswered): the asserts are errors that say why, timings still read', async () => {
    const closed = await freePort();
    const run = await runText(
      [
        `WS ws://127.0.0.1:${closed}/`,
        '',
        '> hi',
        '',
        '?? status == 101',
        '?? frames.count == 0',
        '###',
        `TCP 127.0.0.1:${closed}`,
        '',
        'x',
        '',
        '?? received == x',
        '?? timing.total >= 0',
        '###',
        `# @server 127.0.0.1:${closed}`,
        '# @timeout 500ms',
        'DNS example.test',
        '',
        '?? rcode == NOERROR',
      ].join('\n'),
    );
    const all = run.blocks.flatMap((b) => b.outcomes);
    assert.deepEqual(
      all.map((o) => o.status),
      ['error', 'error', 'error', 'passed', 'error'],
    );
    assert.match(all[0].message, /^status == 101: nothing was exchanged: connect failed: /);
    assert.match(all[2].message, /^received == x: nothing was exchanged: connect failed: /);
    assert.match(all[4].message, /^rcode == NOERROR: no DNS answer: \w+ failed: /);
  });
});
