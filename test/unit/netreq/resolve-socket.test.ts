import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_OPTIONS, type MulticastRequestSpec, type TcpRequestSpec, type UdpRequestSpec, type WsRequestSpec } from '../../../src/core/request';
import { FIXTURES, expectDiag, resolveFail, resolveOk } from './helpers';

const tcp = async (text: string, over = {}) => (await resolveOk(text, over)) as TcpRequestSpec;

describe('netreq resolve: TCP, TLS and the classic services', () => {
  it('TCP: the body is the payload, lines joined with CRLF, nothing after the last', async () => {
    assert.deepEqual(await tcp('TCP 127.0.0.1:7\nHELLO\nWORLD\n\n'), {
      kind: 'tcp',
      host: '127.0.0.1',
      port: 7,
      payload: Buffer.from('HELLO\r\nWORLD'),
      idleMs: 1000,
      maxBytes: DEFAULT_OPTIONS.maxResponseBytes,
      halfClose: false,
      hex: false,
      options: DEFAULT_OPTIONS,
    });
  });

  it('# @eol lf | crlf | none', async () => {
    assert.equal((await tcp('# @eol lf\nTCP h:1\nA\nB')).payload.toString(), 'A\nB\n');
    assert.equal((await tcp('# @eol crlf\nTCP h:1\nA\nB')).payload.toString(), 'A\r\nB\r\n');
    const none = await tcp('# @eol none\nTCP h:1\nA\nB');
    assert.equal(none.payload.toString(), 'AB');
    assert.equal(none.eol, 'none');
  });

  it('with an explicit @eol, blank lines written at the end are sent (an HTTP head typed over TLS)', async () => {
    const text = '### a\n# @eol crlf\nTLS example.com:443\nHEAD / HTTP/1.0\nHost: example.com\n\n### b\nTCP h:1\nA\n\n';
    assert.equal((await tcp(text)).payload.toString(), 'HEAD / HTTP/1.0\r\nHost: example.com\r\n\r\n');
    assert.equal(((await resolveOk(text, {}, 1)) as TcpRequestSpec).payload.toString(), 'A', 'default: trailing blank lines dropped');
    assert.equal((await tcp('# @eol lf\nTCP h:1\nA\n')).payload.toString(), 'A\n', 'the newline that ends the file is no blank line');
    assert.equal((await tcp('# @eol lf\nTCP h:1\nA\n\n\n')).payload.toString(), 'A\n\n\n');
  });

  it('# @hex reads bytes, ignoring whitespace and # comments; variables first', async () => {
    const s = await tcp('@b = 6c\n# @hex\nTCP h:1\n48 65 # He\n{{b}}6C 0x6f\n');
    assert.deepEqual(s.payload, Buffer.from('Hello'));
    assert.equal(s.hex, true);
    const d = await resolveFail('@b = zz\n# @hex\nTCP h:1\n48 {{b}}');
    expectDiag(d, 'bad-hex', 3, 3, 'error', /'zz' is not hex/);
  });

  it('reading directives: @read-until, @idle, @max-bytes, @half-close', async () => {
    const s = await tcp('# @read-until \\r\\n.\\r\\n\n# @idle 250ms\n# @max-bytes 512KB\n# @half-close\nTCP h:25\nQUIT');
    assert.deepEqual(s.readUntil, Buffer.from('\r\n.\r\n'));
    assert.deepEqual([s.idleMs, s.maxBytes, s.halfClose], [250, 512 * 1024, true]);
    assert.deepEqual((await tcp('# @read-until "END "\nTCP h:1')).readUntil, Buffer.from('END '));
    assert.equal((await tcp('# @max-bytes 100 bytes\nTCP h:1')).maxBytes, 100);
    assert.equal((await tcp('# @max-bytes 1MB\nTCP h:1')).maxBytes, 1024 * 1024);
  });

  it('TLS: SNI is the host name, never an IP literal', async () => {
    const s = await tcp('TLS example.com:443\n');
    assert.deepEqual([s.kind, s.servername], ['tls', 'example.com']);
    const ip = await tcp('TLS [::1]:8443\n');
    assert.deepEqual([ip.kind, ip.host, ip.port, 'servername' in ip], ['tls', '::1', 8443, false]);
  });

  it('QOTD, DAYTIME, ECHO: TCP with default ports 17, 13, 7 and a service name', async () => {
    const q = await tcp('QOTD qotd.example.test');
    assert.deepEqual([q.kind, q.service, q.port, q.payload.length], ['tcp', 'qotd', 17, 0]);
    assert.deepEqual([(await tcp('DAYTIME h')).port, (await tcp('DAYTIME h')).service], [13, 'daytime']);
    const e = await tcp('ECHO h\nping');
    assert.deepEqual([e.port, e.service, e.payload.toString()], [7, 'echo', 'ping']);
    assert.equal((await tcp('QOTD h:1717')).port, 1717);
  });

  it('host:port from variables, checked after substitution', async () => {
    const s = await tcp('TCP {{target}}', { overrides: { target: 'h:99' } });
    assert.deepEqual([s.host, s.port], ['h', 99]);
    const d = await resolveFail('TCP {{target}}', { overrides: { target: 'h' } });
    expectDiag(d, 'missing-port', 0, 4, 'error', /'\{\{target\}\}' became 'h': TCP needs a port/);
  });

  it('a file body is the payload, byte for byte', async () => {
    const s = await tcp('TCP h:1\n< ./binary.bin');
    assert.deepEqual(s.payload, fs.readFileSync(path.join(FIXTURES, 'binary.bin')));
  });
});

describe('netreq resolve: UDP and MULTICAST', () => {
  it('UDP: one datagram; replies collected for @timeout (default 2 s) or until @replies', async () => {
    const s = (await resolveOk('UDP 127.0.0.1:9999\nping')) as UdpRequestSpec;
    assert.deepEqual(s, { kind: 'udp', host: '127.0.0.1', port: 9999, payload: Buffer.from('ping'), waitMs: 2000, hex: false, options: DEFAULT_OPTIONS });
    const t = (await resolveOk('# @timeout 5s\n# @replies 3\n# @hex\nUDP h:53\n00 01')) as UdpRequestSpec;
    assert.deepEqual([t.waitMs, t.options.timeoutMs, t.replies, t.payload], [5000, 5000, 3, Buffer.from([0, 1])]);
  });

  it('MULTICAST: group, family, defaults (ttl 1, loopback on, once)', async () => {
    const s = (await resolveOk('MULTICAST 239.1.2.3:5000\nhello')) as MulticastRequestSpec;
    assert.deepEqual(s, {
      kind: 'multicast',
      group: '239.1.2.3',
      port: 5000,
      family: 4,
      payload: Buffer.from('hello'),
      ttl: 1,
      loopback: true,
      repeat: 1,
      everyMs: 1000,
      waitMs: 2000,
      hex: false,
      options: DEFAULT_OPTIONS,
    });
  });

  it('MULTICAST directives and IPv6 groups', async () => {
    const s = (await resolveOk('# @ttl 4\n# @interface 192.168.1.10\n# @loopback off\n# @repeat 3 every 250ms\nMULTICAST [ff02::fb]:5353\nx')) as MulticastRequestSpec;
    assert.deepEqual([s.group, s.family, s.ttl, s.interface, s.loopback, s.repeat, s.everyMs], ['ff02::fb', 6, 4, '192.168.1.10', false, 3, 250]);
    assert.deepEqual([((await resolveOk('# @repeat 2\nMULTICAST 224.0.0.1:1')) as MulticastRequestSpec).everyMs], [1000]);
    const d = await resolveFail('MULTICAST {{g}}:5000', { overrides: { g: '10.1.1.1' } });
    expectDiag(d, 'not-multicast', 0, 10, 'error', /became '10\.1\.1\.1:5000': '10\.1\.1\.1' is not a multicast address/);
  });
});

describe('netreq resolve: WebSocket', () => {
  it('handshake URL and headers, text and binary messages, waits', async () => {
    const s = (await resolveOk(
      '@who = Ada\n# @wait 3s\nWS wss://example.com/chat?room=1\nSec-WebSocket-Protocol: chat\nOrigin: https://example.com\n\n> hello {{who}}\nsecond line\n\n# @wait 100ms\n>hex 01 02\n  ff\n> {"a": 1}\n',
    )) as WsRequestSpec;
    assert.deepEqual(
      { ...s, messages: s.messages.map((m) => ({ ...m, data: m.type === 'text' ? m.data.toString() : m.data.toString('hex') })) },
      {
        kind: 'ws',
        url: 'wss://example.com/chat?room=1',
        tls: true,
        host: 'example.com',
        port: 443,
        servername: 'example.com',
        target: '/chat?room=1',
        headers: [
          ['Sec-WebSocket-Protocol', 'chat'],
          ['Origin', 'https://example.com'],
        ],
        messages: [
          { type: 'text', data: 'hello Ada\nsecond line', line: 6 },
          { type: 'binary', data: '0102ff', line: 10, pauseMs: 100 },
          { type: 'text', data: '{"a": 1}', line: 12 },
        ],
        waitMs: 3000,
        options: DEFAULT_OPTIONS,
      },
    );
  });

  it('defaults: ws:// port 80, wait 1 s; a # @wait after the last message wins', async () => {
    const s = (await resolveOk('WS ws://127.0.0.1:9000/\n> a')) as WsRequestSpec;
    assert.deepEqual([s.tls, s.port, s.waitMs, 'servername' in s, s.url], [false, 9000, 1000, false, 'ws://127.0.0.1:9000/']);
    const t = (await resolveOk('WS ws://h\n> a\n# @wait 0')) as WsRequestSpec;
    assert.deepEqual([t.port, t.target, t.waitMs], [80, '/', 0]);
    const none = (await resolveOk('WS ws://h/')) as WsRequestSpec;
    assert.deepEqual(none.messages, []);
  });
});
