// "Copy as curl": the command is run by a real POSIX shell (dash) with Debian's curl against a loopback
// server, which must receive the captured request: method, URL, headers, body byte for byte.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { flowToCurl, printfFormat, shellQuote } from '../../../src/extension/traffic/curl';
import type { ReplayFlow } from '../../../src/extension/traffic/replay';
import { requireBinary } from '../../support/peers';

interface Seen {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

function run(command: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { timeout: 10_000 }, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

describe('Copy as curl (real sh and curl against a loopback server)', function () {
  this.timeout(20_000);
  let server: http.Server;
  let port: number;
  const seen: Seen[] = [];

  before(async () => {
    requireBinary('curl', 'curl');
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  const flow = (over: Partial<ReplayFlow>): ReplayFlow => ({
    kind: 'http',
    startedAt: 0,
    client: '127.0.0.1:1',
    method: 'GET',
    target: `http://127.0.0.1:${port}/p`,
    requestHeaders: [
      ['Host', `127.0.0.1:${port}`],
      ['User-Agent', 'test/1'],
      ['Accept', '*/*'],
      ['Proxy-Connection', 'Keep-Alive'],
    ],
    bytesUp: 0,
    ...over,
  });

  async function roundTrip(f: ReplayFlow): Promise<Seen> {
    seen.length = 0;
    const cmd = flowToCurl(f);
    const r = await run(`${cmd} -s -o /dev/null`);
    assert.equal(r.code, 0, `curl failed: ${r.stderr}\n${cmd}`);
    assert.equal(seen.length, 1, cmd);
    return seen[0];
  }

  const headersOf = (s: Seen) => s.headers.filter(([k]) => !/^(content-length|host)$/i.test(k));

  it('a GET: URL, headers as sent (hop-by-hop left out), no body', async () => {
    const s = await roundTrip(flow({}));
    assert.equal(s.method, 'GET');
    assert.equal(s.url, '/p');
    assert.deepEqual(headersOf(s), [
      ['User-Agent', 'test/1'],
      ['Accept', '*/*'],
    ]);
    assert.equal(s.body.length, 0);
  });

  const bodies: Array<[string, Buffer]> = [
    ['JSON with quotes and a newline', Buffer.from(`{"it's": "a \\"quote\\"",\n "x": 1}`)],
    ['CRLF text (through printf)', Buffer.from('a=1\r\nb=2\r\n')],
    ['binary with NUL, quote, percent, backslash and high bytes', Buffer.from([0, 0x27, 0x25, 0x5c, 0xff, 0x80, 0x0a, 0x41, 0x31, 0x32])],
    ['shell metacharacters', Buffer.from('$(touch /tmp/x) `id` $HOME ; | & > < * ? ! ~')],
    ['UTF-8', Buffer.from('café ☕')],
  ];
  for (const [what, body] of bodies) {
    it(`a POST body arrives byte for byte: ${what}`, async () => {
      const s = await roundTrip(flow({ method: 'POST', requestBody: body, bytesUp: body.length, requestHeaders: [['Host', `127.0.0.1:${port}`], ['Content-Type', 'application/octet-stream'], ['Content-Length', String(body.length)]] }));
      assert.equal(s.method, 'POST');
      assert.deepEqual(s.body, body);
      assert.deepEqual(headersOf(s).filter(([k]) => /content-type/i.test(k)), [['Content-Type', 'application/octet-stream']]);
    });
  }

  it('a body without Content-Type gets none (curl would add a form type)', async () => {
    const s = await roundTrip(flow({ method: 'PUT', requestBody: Buffer.from('x'), bytesUp: 1, requestHeaders: [['Host', `127.0.0.1:${port}`]] }));
    assert.equal(s.method, 'PUT');
    assert.ok(!s.headers.some(([k]) => /content-type/i.test(k)), JSON.stringify(s.headers));
  });

  it('HEAD, DELETE, an empty-valued header, quotes in values, braces in the URL', async () => {
    const head = await roundTrip(flow({ method: 'HEAD' }));
    assert.equal(head.method, 'HEAD');
    const del = await roundTrip(
      flow({
        method: 'DELETE',
        target: `http://127.0.0.1:${port}/a?q={x}&r=[1]`,
        requestHeaders: [
          ['Host', `127.0.0.1:${port}`],
          ['X-Empty', ''],
          ['X-Quote', `it's "quoted"`],
        ],
      }),
    );
    assert.equal(del.method, 'DELETE');
    assert.equal(del.url, '/a?q={x}&r=[1]');
    assert.deepEqual(headersOf(del).filter(([k]) => k.startsWith('X-')), [
      ['X-Empty', ''],
      ['X-Quote', `it's "quoted"`],
    ]);
  });

  it('a CONNECT tunnel becomes curl -v https://host:port/', () => {
    assert.equal(flowToCurl(flow({ kind: 'tunnel', method: 'CONNECT', target: 'example.com:443' })), 'curl -v https://example.com/');
    assert.equal(flowToCurl(flow({ kind: 'tunnel', method: 'CONNECT', target: 'example.com:8443' })), 'curl -v https://example.com:8443/');
  });

  it('quotes for POSIX sh and writes printf formats', () => {
    assert.equal(shellQuote('plain-1.2/x:y'), 'plain-1.2/x:y');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('$HOME'), `'$HOME'`);
    assert.equal(printfFormat(Buffer.from([0x41, 0x25, 0x5c, 0x27, 0x00, 0x0a])), 'A%%\\\\\\047\\000\\012');
  });

  it('says when the body was cut', () => {
    const cmd = flowToCurl(flow({ method: 'POST', requestBody: Buffer.from('abc'), bytesUp: 10 }));
    assert.match(cmd, /^# Only the first 3 of the 10 body bytes were captured; this command sends those\.\n/);
  });
});
