/**
 * The proxy against hostile loopback peers: an origin streaming interim (1xx) responses, clients trickling
 * request heads (slowloris), a flood over maxConnections, idle CONNECT tunnels, requests and tunnels to the
 * proxy itself, IPv4 clients on a `::` bind, and `[::1]` as the listen host. Peers are raw net sockets on
 * 127.0.0.1 / ::1 written here.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as os from 'node:os';
import { canonicalIp, clientAllowed, OwnAddresses } from '../../../src/core/proxy/limits';
import { ProxyServer, type Flow } from '../../../src/core/proxy/server';
import { rawServer, sleep } from '../../support/servers';

/** Writes `bytes`, reads until `done(text)` says so or the proxy closes (bounded); returns what came back. */
function talk(port: number, bytes: string | Buffer, done: (got: string) => boolean = () => false, ms = 3000, host = '127.0.0.1'): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => s.write(bytes));
    let got = '';
    let closed = false;
    const finish = () => {
      clearTimeout(t);
      s.destroy();
      resolve({ text: got, closed });
    };
    const t = setTimeout(finish, ms);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (done(got)) finish();
    });
    s.on('end', () => (closed = true));
    s.on('close', finish);
    s.on('error', () => undefined);
  });
}

/** Sends `bytes` one byte every `everyMs` (bounded by its length) until the proxy closes; what it answered and how many bytes went out. */
function trickle(port: number, bytes: string, everyMs: number): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let sent = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    s.on('connect', () => {
      timer = setInterval(() => {
        if (sent >= bytes.length || s.destroyed) return s.destroy();
        s.write(bytes[sent++]);
      }, everyMs);
    });
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearInterval(timer);
      resolve({ text: got, sent });
    });
  });
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !cond(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

async function start(options: ConstructorParameters<typeof ProxyServer>[0]): Promise<{ proxy: ProxyServer; port: number; flows: Flow[] }> {
  const proxy = new ProxyServer({ port: 0, ...options });
  const flows: Flow[] = [];
  proxy.on('flow-end', (f) => flows.push(f));
  const port = (await proxy.listen()).port;
  return { proxy, port, flows };
}

describe('ProxyServer against hostile peers', function () {
  this.timeout(20_000);

  describe('interim (1xx) responses', () => {
    it('an origin streaming 100 Continue: 16 are relayed, then 502 in words, and the origin is cut', async () => {
      const { proxy, port, flows } = await start({});
      let originClosed = false;
      let written = 0;
      const origin = net.createServer((s) => {
        s.on('error', () => undefined);
        s.on('close', () => (originClosed = true));
        s.once('data', () => {
          // Endless (bounded here) 1xx, as fast as the socket takes them.
          const pump = () => {
            while (!s.destroyed && written < 100_000) {
              written++;
              if (!s.write('HTTP/1.1 100 Continue\r\n\r\n')) return void s.once('drain', pump);
              if (written % 64 === 0) return void setImmediate(pump);
            }
          };
          pump();
        });
      });
      await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
      try {
        const oport = (origin.address() as net.AddressInfo).port;
        const r = await talk(port, `GET http://127.0.0.1:${oport}/ HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => t.includes('gave up'));
        assert.equal(count(r.text, /HTTP\/1\.1 100 Continue/g), 16, r.text.slice(0, 400));
        assert.match(r.text, /HTTP\/1\.1 502 Bad Gateway[\s\S]*more than 16 interim \(1xx\) responses without a final one; the proxy gave up on this request/);
        await until(() => flows.length === 1 && originClosed, 'the flow to end and the origin to be cut');
        assert.equal(flows[0].status, 502);
        assert.match(flows[0].error!, /more than 16 interim \(1xx\) responses/);
        assert.ok(written < 100_000, `the origin was cut before it finished (${written} written)`);
      } finally {
        await proxy.close();
        origin.close();
      }
    });

    it('backpressure: while the client does not read, the proxy stops reading the origin; nothing is lost', async () => {
      const { proxy, port, flows } = await start({ maxInterimResponses: 1000 });
      const N = 400;
      const pad = 'a'.repeat(60 * 1024);
      let written = 0;
      const origin = net.createServer((s) => {
        s.on('error', () => undefined);
        s.once('data', () => {
          const pump = () => {
            while (written < N) {
              written++;
              if (!s.write(`HTTP/1.1 103 Early Hints\r\nX-Pad: ${pad}\r\n\r\n`)) return void s.once('drain', pump);
            }
            s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
          };
          pump();
        });
      });
      await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
      const client = net.connect(port, '127.0.0.1');
      try {
        const oport = (origin.address() as net.AddressInfo).port;
        await new Promise<void>((r) => client.once('connect', () => r()));
        client.pause(); // never reads, for now
        client.write(`GET http://127.0.0.1:${oport}/ HTTP/1.1\r\nHost: x\r\n\r\n`);
        await sleep(1000);
        // 400 × 60 KB = 24 MB: without backpressure the proxy would have read (and queued) all of it.
        assert.ok(written < N, `the origin is held back while the client does not read (${written}/${N} written)`);
        assert.equal(flows.length, 0);
        let got = 0;
        let tail = '';
        let early = 0;
        client.on('data', (d: Buffer) => {
          got += d.length;
          const t = tail + d.toString('latin1');
          early += count(t, /HTTP\/1\.1 103 Early Hints\r\n/g);
          tail = t.slice(-40);
          early -= count(tail, /HTTP\/1\.1 103 Early Hints\r\n/g); // counted again with the next piece
        });
        client.resume();
        await until(() => tail.endsWith('\r\n\r\nok'), 'the final response', 10_000);
        early += count(tail, /HTTP\/1\.1 103 Early Hints\r\n/g);
        assert.equal(early, N, 'every interim response reached the client');
        assert.ok(got > N * pad.length);
        await until(() => flows.length === 1, 'the flow to end');
        assert.equal(flows[0].status, 200);
        assert.equal(flows[0].error, undefined);
      } finally {
        client.destroy();
        await proxy.close();
        origin.close();
      }
    });

    it('bytes of a response head trickling in do not refresh the upstream timer: 504 in words', async () => {
      const { proxy, port, flows } = await start({ upstreamTimeoutMs: 300 });
      const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n' + 'X-Slow: yes\r\n'.repeat(20) + '\r\nok';
      let sent = 0;
      const origin = await rawServer((s) => {
        const t = setInterval(() => {
          if (s.destroyed || sent >= head.length) return clearInterval(t);
          s.write(head[sent++]);
        }, 30);
        s.on('close', () => clearInterval(t));
      });
      try {
        const r = await talk(port, `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => t.includes('within'));
        assert.match(r.text, /^HTTP\/1\.1 504 Gateway Timeout[\s\S]*did not answer within 300 ms/);
        assert.ok(sent < head.length, `cut while the head was still trickling (${sent}/${head.length} bytes)`);
        await until(() => flows.length === 1, 'the flow to end');
        assert.equal(flows[0].status, 504);
      } finally {
        await proxy.close();
        await origin.close();
      }
    });
  });

  describe('slow request heads (slowloris)', () => {
    it('a head trickled a byte at a time gets 408 and the connection closes, however often bytes come', async () => {
      const { proxy, port } = await start({ requestHeadTimeoutMs: 300, clientIdleTimeoutMs: 10_000 });
      try {
        const head = 'GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nAccept: */*\r\nX-Slow: ' + 'z'.repeat(40) + '\r\n\r\n';
        // 20 connections with a byte every 50 ms (the idle timeout alone would keep them all), plus one trickling only empty lines.
        const all = await Promise.all([...Array.from({ length: 20 }, () => trickle(port, head, 50)), trickle(port, '\r\n'.repeat(50), 50)]);
        for (const r of all) {
          assert.match(r.text, /^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*Connection: close[\s\S]*The request head did not arrive in full within 300 ms of its first byte; the proxy closed the connection\./);
          assert.ok(r.sent < 60, `closed while it was still trickling (${r.sent} bytes sent)`);
        }
        await until(() => proxy.openConnections === 0, 'every connection to close');
      } finally {
        await proxy.close();
      }
    });

    it('keep-alive: the idle wait before the next request is the idle timeout; the next head has its own deadline', async () => {
      const { proxy, port } = await start({ requestHeadTimeoutMs: 300, clientIdleTimeoutMs: 10_000 });
      const origin = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
      const c = net.connect(port, '127.0.0.1');
      try {
        let got = '';
        let closed = false;
        c.on('data', (d) => (got += d.toString('latin1')));
        c.on('close', () => (closed = true));
        c.on('error', () => undefined);
        await new Promise<void>((r) => c.once('connect', () => r()));
        const req = `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`;
        c.write(req);
        await until(() => count(got, /200 OK/g) === 1, 'the first answer');
        await sleep(700); // idle between requests, longer than the head deadline
        c.write(req);
        await until(() => count(got, /200 OK/g) === 2, 'the second answer');
        assert.equal(closed, false);
        // The third head starts and never finishes.
        c.write('GET http://127.0.0.1:');
        await until(() => closed, 'the connection to close');
        assert.match(got, /HTTP\/1\.1 408 Request Timeout[\s\S]*within 300 ms of its first byte/);
        assert.equal(count(got, /200 OK/g), 2);
      } finally {
        c.destroy();
        await proxy.close();
        await origin.close();
      }
    });
  });

  it('over maxConnections: 503 in words with Connection: close, and nothing is kept for a flood', async () => {
    const { proxy, port } = await start({ maxConnections: 3 });
    const origin = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        held.push(s);
      }
      await until(() => proxy.openConnections === 3, 'three connections');
      let most = 0;
      const watch = setInterval(() => (most = Math.max(most, proxy.openConnections)), 5);
      const flood = await Promise.all(Array.from({ length: 100 }, () => talk(port, `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`)));
      clearInterval(watch);
      for (const r of flood) {
        assert.match(r.text, /^HTTP\/1\.1 503 Service Unavailable\r\nConnection: close\r\n[\s\S]*\r\n\r\nThis proxy is serving its maximum of 3 connections; try again shortly\.\n$/);
        assert.equal(r.closed, true);
      }
      assert.equal(origin.connections, 0, 'no refused request reached the origin');
      assert.ok(most <= 3, `never more than 3 connections kept (${most})`);
      for (const s of held) s.destroy();
      await until(() => proxy.openConnections === 0, 'the held connections to close');
      const ok = await talk(port, `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => t.endsWith('ok'));
      assert.match(ok.text, /^HTTP\/1\.1 200 OK/);
    } finally {
      for (const s of held) s.destroy();
      await proxy.close();
      await origin.close();
    }
  });

  it('a CONNECT tunnel idle (no bytes either way) for tunnelIdleTimeout is closed, and says so; a busy one is not', async () => {
    const { proxy, port, flows } = await start({ tunnelIdleTimeoutMs: 300 });
    const echo = net.createServer((s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const c = net.connect(port, '127.0.0.1');
    try {
      const eport = (echo.address() as net.AddressInfo).port;
      let got = '';
      let closed = false;
      c.on('data', (d) => (got += d.toString('latin1')));
      c.on('close', () => (closed = true));
      c.on('error', () => undefined);
      c.write(`CONNECT 127.0.0.1:${eport} HTTP/1.1\r\nHost: 127.0.0.1:${eport}\r\n\r\n`);
      await until(() => got.includes('200 Connection Established'), 'the tunnel');
      // Busy for 10 × 100 ms = 1 s, longer than the idle timeout: it stays open.
      for (let i = 0; i < 10; i++) {
        c.write('x');
        await sleep(100);
      }
      await until(() => count(got, /x/g) === 10, 'ten echoes');
      assert.equal(closed, false, 'a busy tunnel stays open');
      await until(() => closed, 'the idle tunnel to close');
      await until(() => flows.length === 1 && proxy.openTunnels === 0, 'the flow to end');
      assert.equal(flows[0].kind, 'tunnel');
      assert.equal(flows[0].error, 'The tunnel was idle (no bytes either way) for 300 ms; the proxy closed it');
      assert.equal(flows[0].bytesUp, 10);
    } finally {
      c.destroy();
      await proxy.close();
      echo.close();
    }
  });

  describe('requests and tunnels to the proxy itself', () => {
    it('refused with 508 Loop Detected in words: CONNECT and absolute-form, by IP and by name; nested self-CONNECTs open nothing', async () => {
      const { proxy, port, flows } = await start({});
      try {
        for (const req of [
          `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
          `CONNECT localhost:${port} HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`,
          `CONNECT 0.0.0.0:${port} HTTP/1.1\r\nHost: 0.0.0.0:${port}\r\n\r\n`,
          `GET http://127.0.0.1:${port}/ HTTP/1.1\r\nHost: x\r\n\r\n`,
          `GET http://localhost:${port}/x HTTP/1.1\r\nHost: x\r\n\r\n`,
        ]) {
          const r = await talk(port, req, (t) => t.includes('loop'));
          assert.match(r.text, /^HTTP\/1\.1 508 Loop Detected\r\n[\s\S]*is this proxy itself \(listening on 127\.0\.0\.1:\d+\): forwarding there would loop/, req);
        }
        // One 72 KB write of nested self-CONNECTs: one answer, no tunnel, no upstream connection.
        const nested = `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(Math.ceil((72 * 1024) / 60));
        const r = await talk(port, nested, () => false, 1500);
        assert.equal(count(r.text, /508 Loop Detected/g), 1);
        assert.equal(proxy.openTunnels, 0);
        assert.equal(proxy.upstreamConnections, 0);
        await until(() => proxy.openConnections === 0, 'every connection to close');
        assert.equal(flows.length, 6);
        assert.ok(flows.every((f) => f.status === 508 && /is this proxy itself/.test(f.error!)));
      } finally {
        await proxy.close();
      }
    });

    it('on a wildcard bind (::), loopback and interface addresses on its port are itself; other ports are not', async () => {
      const { proxy, port } = await start({ host: '::' });
      const echo = net.createServer((s) => {
        s.on('error', () => undefined);
        s.pipe(s);
      });
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
      try {
        const own = Object.values(os.networkInterfaces())
          .flatMap((l) => l ?? [])
          .map((i) => i.address)
          .filter((a) => !a.startsWith('fe80'));
        for (const a of ['127.0.0.1', '127.0.0.2', '::1', ...own]) {
          const hp = a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`;
          const r = await talk(port, `CONNECT ${hp} HTTP/1.1\r\nHost: ${hp}\r\n\r\n`, (t) => t.includes('loop'));
          assert.match(r.text, /^HTTP\/1\.1 508 Loop Detected/, hp);
        }
        const eport = (echo.address() as net.AddressInfo).port;
        const ok = await talk(port, `CONNECT 127.0.0.1:${eport} HTTP/1.1\r\n\r\nping`, (t) => t.endsWith('ping'));
        assert.match(ok.text, /^HTTP\/1\.1 200 Connection Established\r\n\r\nping$/);
      } finally {
        await proxy.close();
        echo.close();
      }
    });

    it('an upstream proxy that is this proxy itself (by IP or by name): 508, and no request goes round', async () => {
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const free = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      for (const up of [`http://127.0.0.1:${free}`, `http://localhost:${free}`]) {
        const { proxy, port, flows } = await start({ port: free, upstream: up });
        try {
          for (const req of [`GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n\r\n`, `CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n`]) {
            const r = await talk(port, req, (t) => t.includes('loop'));
            assert.match(r.text, /^HTTP\/1\.1 508 Loop Detected\r\n[\s\S]*The upstream proxy (127\.0\.0\.1|localhost):\d+ is this proxy itself/, `${up}: ${req}`);
          }
          await until(() => flows.length === 2, 'two flows');
          assert.equal(proxy.upstreamConnections, 0);
          assert.equal(proxy.openTunnels, 0);
        } finally {
          await proxy.close();
        }
      }
    });

    it('OwnAddresses: a specific bind is only itself; the unspecified address means this host', () => {
      const own = new OwnAddresses({ host: '127.0.0.1', port: 8888 });
      assert.equal(own.isSelf('127.0.0.1', 8888), true);
      assert.equal(own.isSelf('::ffff:127.0.0.1', 8888), true);
      assert.equal(own.isSelf('0.0.0.0', 8888), true);
      assert.equal(own.isSelf('127.0.0.1', 8889), false);
      assert.equal(own.isSelf('127.0.0.2', 8888), false, 'another loopback address is another listener');
      const v4any = new OwnAddresses({ host: '0.0.0.0', port: 80 });
      assert.equal(v4any.isSelf('127.9.9.9', 80), true);
      assert.equal(v4any.isSelf('::1', 80), false, 'an IPv4 wildcard does not take IPv6');
    });
  });

  describe('client addresses and the listen host', () => {
    it('allowClients ["127.0.0.1"] serves an IPv4 client on a :: bind (it arrives as ::ffff:127.0.0.1); ::1 gets 403', async () => {
      const { proxy, port } = await start({ host: '::', allowClients: ['127.0.0.1'] });
      const origin = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
      try {
        const req = `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`;
        const v4 = await talk(port, req, (t) => t.endsWith('ok'));
        assert.match(v4.text, /^HTTP\/1\.1 200 OK/);
        const v6 = await talk(port, req, (t) => t.includes('allow-list'), 3000, '::1');
        assert.match(v6.text, /^HTTP\/1\.1 403 Forbidden[\s\S]*This proxy does not serve ::1 \(it is not on the client allow-list\)/);
      } finally {
        await proxy.close();
        await origin.close();
      }
    });

    it('canonical client addresses: v4-mapped, brackets, zero runs, case', () => {
      assert.equal(canonicalIp('::ffff:127.0.0.1'), '127.0.0.1');
      assert.equal(canonicalIp('::FFFF:7f00:1'), '127.0.0.1');
      assert.equal(canonicalIp('[0:0:0:0:0:0:0:1]'), '::1');
      assert.equal(canonicalIp('FD00:0::2'), 'fd00::2');
      assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1');
      assert.equal(clientAllowed(['::ffff:10.0.0.1'], '10.0.0.1'), true);
      assert.equal(clientAllowed(['10.0.0.1'], '::ffff:10.0.0.2'), false);
      assert.equal(clientAllowed(undefined, '::1'), true);
    });

    it('listens on [::1] given with brackets, as in a URL', async () => {
      const proxy = new ProxyServer({ host: '[::1]', port: 0 });
      try {
        const at = await proxy.listen();
        assert.equal(at.host, '::1');
        assert.equal(proxy.options.host, '::1');
      } finally {
        await proxy.close();
      }
    });
  });
});
