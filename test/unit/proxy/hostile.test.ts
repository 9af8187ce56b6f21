/**
 * The proxy against hostile loopback peers, part 2: a flood over maxConnections (503), idle CONNECT tunnels,
 * requests and tunnels to the proxy itself (508), IPv4 clients on a `::` bind, and `[::1]` as the listen
 * host. Peers are raw net sockets on 127.0.0.1 / ::1 written here.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as os from 'node:os';
import { clientAllowed, OwnAddresses } from '../../../src/core/proxy/limits';
import { canonicalIp } from '../../../src/core/transport/address';
import { ProxyServer } from '../../../src/core/proxy/server';
import { rawServer, sleep } from '../../support/servers';
import { count, rawClient, start, talk, until } from './hostilePeers';

describe('ProxyServer against hostile peers: connections, tunnels, loops, addresses', function () {
  this.timeout(20_000);

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
    const peer = rawClient(port);
    const c = peer.socket;
    try {
      const eport = (echo.address() as net.AddressInfo).port;
      c.write(`CONNECT 127.0.0.1:${eport} HTTP/1.1\r\nHost: 127.0.0.1:${eport}\r\n\r\n`);
      await until(() => peer.text.includes('200 Connection Established'), 'the tunnel');
      // Busy for 10 × 100 ms = 1 s, longer than the idle timeout: it stays open.
      for (let i = 0; i < 10; i++) {
        c.write('x');
        await sleep(100);
      }
      await until(() => count(peer.text, /x/g) === 10, 'ten echoes');
      assert.equal(peer.closed, false, 'a busy tunnel stays open');
      await until(() => peer.closed, 'the idle tunnel to close');
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
