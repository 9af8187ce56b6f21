import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { HttpClient } from '../../../src/core/http/client';
import { ProxyServer, type Flow } from '../../../src/core/proxy/server';
import { isLoopback } from '../../../src/core/transport/address';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { makeSelfSigned, requireBinary, startNginx, startOpensslServer, startSocat, tempDir, type Peer } from '../../support/peers';
import { httpSpec, rawServer, sleep } from '../../support/servers';
import { tcpSpec } from '../../support/sockets';

function curl(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const bin = requireBinary('curl', 'curl');
  return new Promise((resolve) => {
    const c = spawn(bin, ['-sS', '--max-time', '10', ...args]);
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Sends raw bytes to the proxy and returns everything it answers until it closes (bounded). */
function raw(port: number, bytes: string | Buffer, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    const t = setTimeout(() => s.destroy(), ms);
    s.on('close', () => {
      clearTimeout(t);
      resolve(got);
    });
    s.on('error', () => undefined);
  });
}

describe('ProxyServer (forward proxy + CONNECT) with real clients and servers', function () {
  this.timeout(30_000);
  let proxy: ProxyServer;
  let port: number;
  let nginx: Peer;
  let tls: Peer;
  let echo: Peer;
  let certDir: string;
  const flows: Flow[] = [];

  before(async () => {
    nginx = await startNginx({ files: { 'index.html': '<h1>via proxy</h1>\n', 'big.bin': Buffer.alloc(2 * 1024 * 1024, 0x62) } });
    certDir = tempDir('proxy-certs');
    tls = await startOpensslServer(makeSelfSigned(certDir));
    echo = await startSocat('tcp', 'EXEC:cat');
    proxy = new ProxyServer({ port: 0, maxHeaderBytes: 8 * 1024, upstreamTimeoutMs: 1500 });
    proxy.on('flow-end', (f) => flows.push(f));
    port = (await proxy.listen()).port;
  });
  after(async () => {
    await proxy.close();
    await nginx.stop();
    await tls.stop();
    await echo.stop();
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 by default', () => {
    assert.equal(new ProxyServer().options.host, '127.0.0.1');
    assert.equal(proxy.address!.host, '127.0.0.1');
  });

  it('warns when it listens beyond loopback, and not for localhost or ::1', () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1', '127.0.0.2']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.internal']) assert.equal(isLoopback(host), false, host);
  });

  it('curl -x: plain HTTP to nginx, with a flow recorded', async () => {
    const r = await curl(['-x', `http://127.0.0.1:${port}`, `http://127.0.0.1:${nginx.port}/index.html`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '<h1>via proxy</h1>\n');
    const f = flows.find((x) => x.target === `http://127.0.0.1:${nginx.port}/index.html`)!;
    assert.equal(f.kind, 'http');
    assert.equal(f.status, 200);
    assert.equal(f.bytesDown, 19);
    assert.equal(f.responseBody?.toString(), '<h1>via proxy</h1>\n');
  });

  it('removes hop-by-hop headers (and those named in Connection) before forwarding', async () => {
    const up = await rawServer((sock) => sock.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nX-End: 1\r\nContent-Length: 2\r\n\r\nok'));
    try {
      const answer = await raw(
        port,
        `GET http://127.0.0.1:${up.port}/h HTTP/1.1\r\nHost: 127.0.0.1:${up.port}\r\nProxy-Connection: keep-alive\r\nConnection: X-Hop\r\nX-Hop: secret\r\nTE: trailers\r\nX-Keep: yes\r\n\r\n`,
        500,
      );
      const seen = up.received[0].toString('latin1');
      assert.match(seen, /^GET \/h HTTP\/1\.1\r\n/);
      assert.match(seen, /\r\nX-Keep: yes\r\n/);
      assert.doesNotMatch(seen, /Proxy-Connection|X-Hop|\r\nTE:/i);
      assert.match(answer, /\r\nX-End: 1\r\n/);
      assert.doesNotMatch(answer, /Keep-Alive: timeout=5/);
    } finally {
      await up.close();
    }
  });

  it('curl -x: HTTPS to openssl s_server through CONNECT', async () => {
    const r = await curl(['-k', '-x', `http://127.0.0.1:${port}`, `https://localhost:${tls.port}/`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /s_server/);
    // The flow ends when both sides of the tunnel have closed, which can be just after curl exits.
    for (let i = 0; i < 100 && !flows.some((x) => x.kind === 'tunnel' && x.target === `localhost:${tls.port}`); i++) await sleep(50);
    const f = flows.find((x) => x.kind === 'tunnel' && x.target === `localhost:${tls.port}`)!;
    assert.equal(f.status, 200);
    assert.ok(f.bytesUp > 0 && f.bytesDown > 0);
  });

  it("NetReq's own # @proxy requests (HTTP keep-alive, and a TCP echo through a tunnel)", async () => {
    const pool = new ConnectionPool();
    try {
      const client = new HttpClient({ pool });
      const a = await client.send(httpSpec(nginx.port, { target: '/index.html' }, { proxy: `http://127.0.0.1:${port}` }));
      assert.equal(a.response?.status, 200, a.error?.message);
      const x = await new TcpClient().send(tcpSpec(echo.port, { service: 'echo', payload: Buffer.from('tunnelled') }, { proxy: `http://127.0.0.1:${port}` }));
      assert.equal(x.echoMatches, true, x.error?.message);
    } finally {
      pool.dispose();
    }
  });

  it('answers malformed requests with 400, oversized headers with 431, a closed CONNECT port with 502 — in words', async () => {
    assert.match(await raw(port, 'BLAH\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request[\s\S]*could not parse this request/);
    assert.match(await raw(port, `GET http://127.0.0.1:${nginx.port}/ HTTP/1.1\r\nX-Big: ${'a'.repeat(10_000)}\r\n\r\n`), /^HTTP\/1\.1 431 [\s\S]*larger than this proxy accepts \(8192 bytes\)/);
    assert.match(await raw(port, 'GET /relative HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 400 [\s\S]*not an absolute http:\/\/ URL/);
    const closed = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    assert.match(await raw(port, `CONNECT 127.0.0.1:${closed} HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1\.1 502 Bad Gateway[\s\S]*Nothing is listening on 127\.0\.0\.1:\d+ \(connection refused\)/);
    const r = await curl(['-x', `http://127.0.0.1:${port}`, '-i', `http://127.0.0.1:${closed}/`]);
    assert.match(r.out, /^HTTP\/1\.1 502 [\s\S]*Upstream unreachable: nothing is listening on 127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('504 when the upstream does not answer in time', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const r = await curl(['-x', `http://127.0.0.1:${port}`, '-i', `http://127.0.0.1:${silent.port}/`]);
      assert.match(r.out, /^HTTP\/1\.1 504 [\s\S]*did not answer within 1500 ms/);
    } finally {
      await silent.close();
    }
  });

  it('an upstream that resets mid-body: the client sees a broken response, the flow says why', async () => {
    const srv = await rawServer((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial');
      setTimeout(() => s.resetAndDestroy(), 50);
    });
    try {
      const r = await curl(['-x', `http://127.0.0.1:${port}`, `http://127.0.0.1:${srv.port}/reset`]);
      assert.notEqual(r.code, 0, 'curl notices the short body');
      await sleep(100);
      const f = flows.find((x) => x.target === `http://127.0.0.1:${srv.port}/reset`)!;
      assert.match(f.error!, /broke off the response|went away/);
    } finally {
      await srv.close();
    }
  });

  it('a client aborting mid-tunnel closes both sides; no connection is left open', async () => {
    const before = proxy.openConnections;
    const s = net.connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write(`CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await new Promise((r) => s.once('data', r));
    s.write('hello');
    await sleep(50);
    assert.equal(proxy.openTunnels, 1);
    s.destroy();
    for (let i = 0; i < 40 && (proxy.openConnections > before || proxy.openTunnels > 0); i++) await sleep(50);
    assert.equal(proxy.openConnections, before);
    assert.equal(proxy.openTunnels, 0, 'the connection to the target is closed too');
  });

  it('stops cleanly: the port can be bound again at once', async () => {
    const p = new ProxyServer({ port: 0 });
    const { port: used } = await p.listen();
    const c = await curl(['-x', `http://127.0.0.1:${used}`, `http://127.0.0.1:${nginx.port}/index.html`]);
    assert.equal(c.code, 0);
    await p.close();
    const again = new ProxyServer({ port: used });
    await again.listen();
    await again.close();
  });

  it('allow-lists: refuses a client address not on the list, and CONNECT ports not on the list', async () => {
    const p = new ProxyServer({ port: 0, allowClients: ['10.9.9.9'], allowConnectPorts: [443] });
    const { port: pp } = await p.listen();
    try {
      assert.match(await raw(pp, 'GET http://127.0.0.1/ HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 403 [\s\S]*not on the client allow-list/);
    } finally {
      await p.close();
    }
    const q = new ProxyServer({ port: 0, allowConnectPorts: [443] });
    const { port: qp } = await q.listen();
    try {
      assert.match(await raw(qp, `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\n\r\n`), /^HTTP\/1\.1 403 [\s\S]*does not open tunnels to port \d+ \(allowed: 443\)/);
    } finally {
      await q.close();
    }
  });

  it('chains through an upstream proxy', async () => {
    const front = new ProxyServer({ port: 0, upstream: `http://127.0.0.1:${port}` });
    const { port: fp } = await front.listen();
    try {
      const r = await curl(['-x', `http://127.0.0.1:${fp}`, `http://127.0.0.1:${nginx.port}/index.html`]);
      assert.equal(r.out, '<h1>via proxy</h1>\n', r.err);
      const t = await curl(['-k', '-x', `http://127.0.0.1:${fp}`, `https://localhost:${tls.port}/`]);
      assert.match(t.out, /s_server/, t.err);
    } finally {
      await front.close();
    }
  });
});
