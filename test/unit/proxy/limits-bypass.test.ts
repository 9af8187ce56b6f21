/**
 * The proxy's limits attacked for bypasses (an outside review after issue #9): idle upstream connections left
 * behind by one client naming many hosts, self-requests spelled every way an address can be, tunnels half
 * closed or never read, request bodies that stall or trickle, and 1xx responses that are not interim.
 * Peers are raw net sockets on 127.0.0.1 written here.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { DEFAULT_PROXY_OPTIONS } from '../../../src/core/proxy/server';
import { sleep } from '../../support/servers';
import { rawClient, start, talk, until } from './hostilePeers';

async function listen(onConnection: (s: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

describe('ProxyServer: limits attacked for bypasses', function () {
  this.timeout(20_000);

  it('one client naming many upstreams leaves at most maxIdleUpstreams idle connections (the oldest go first)', async () => {
    assert.equal(DEFAULT_PROXY_OPTIONS.maxIdleUpstreams, 512);
    const accepted = new Map<number, number>();
    const origins: net.Server[] = [];
    for (let i = 0; i < 40; i++) {
      const o: net.Server = await listen((s) => {
        accepted.set(portOf(o), (accepted.get(portOf(o)) ?? 0) + 1);
        s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
      });
      origins.push(o);
    }
    const { proxy, port } = await start({ maxIdleUpstreams: 16 });
    const c = net.connect(port, '127.0.0.1');
    try {
      let got = '';
      c.on('data', (d) => (got += d.toString('latin1')));
      const ask = async (o: net.Server, n: number) => {
        c.write(`GET http://127.0.0.1:${portOf(o)}/ HTTP/1.1\r\nHost: x\r\n\r\n`);
        await until(() => (got.match(/\r\n\r\nok/g) ?? []).length === n, `response ${n}`);
      };
      // Before the cap, every upstream with a distinct host:port stayed open; now 40 hosts leave 16.
      for (let i = 0; i < 40; i++) await ask(origins[i], i + 1);
      await until(() => proxy.upstreamConnections === 16, 'the pool to shrink to the cap');
      await ask(origins[39], 41); // among the newest 16: reused
      await ask(origins[0], 42); // the oldest: closed to make room, so a new connection
      assert.equal(accepted.get(portOf(origins[39])), 1);
      assert.equal(accepted.get(portOf(origins[0])), 2);
      assert.ok(proxy.upstreamConnections <= 16, `${proxy.upstreamConnections} upstream connections`);
    } finally {
      c.destroy();
      await proxy.close();
      for (const o of origins) o.close();
    }
  });

  it('a request or tunnel to the proxy itself is refused with 508 however the address is spelt', async () => {
    const { proxy, port } = await start({ upstreamTimeoutMs: 2000 });
    try {
      for (const h of ['127.1', '127.0.1', '0x7f.1', '0x7f000001', '2130706433', '0177.0.0.1', '017700000001', '127.000.000.001', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', 'LOCALHOST', 'LocalHost', '0', '[::]']) {
        for (const req of [`GET http://${h}:${port}/ HTTP/1.1\r\nHost: x\r\n\r\n`, `CONNECT ${h}:${port} HTTP/1.1\r\nHost: x\r\n\r\n`]) {
          const r = await talk(port, req, (t) => t.includes('loop'));
          assert.match(r.text, /^HTTP\/1\.1 508 Loop Detected\r\n[\s\S]*is this proxy itself \(listening on 127\.0\.0\.1:\d+\)/, req);
        }
      }
      assert.equal(proxy.openTunnels, 0);
      assert.equal(proxy.upstreamConnections, 0);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels: a client FIN with a silent target, a target FIN with a silent client, and a client that never reads are all closed when idle', async () => {
    const silent = await listen(() => undefined);
    const bye = await listen((s) => s.end('bye'));
    let flooded = 0;
    const flood = await listen((s) => {
      const block = Buffer.alloc(256 * 1024);
      const pump = () => {
        while (!s.destroyed && flooded < 64 * 1024 * 1024 && s.write(block)) flooded += block.length;
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    const { proxy, port, flows } = await start({ tunnelIdleTimeoutMs: 300, clientIdleTimeoutMs: 10_000 });
    const clients: net.Socket[] = [];
    const open = (target: net.Server, read: boolean) => {
      const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      c.on('error', () => undefined);
      c.on('data', () => (read ? undefined : c.pause()));
      c.write(`CONNECT 127.0.0.1:${portOf(target)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      clients.push(c);
      return c;
    };
    try {
      open(silent, true).end('half closed');
      open(bye, true);
      open(flood, false);
      await until(() => flows.length === 3, 'the three tunnels to be closed', 8000);
      const byTarget = (t: net.Server) => flows.find((f) => f.target === `127.0.0.1:${portOf(t)}`)!;
      assert.equal(byTarget(silent).error, 'The tunnel was idle (no bytes either way) for 300 ms after one side had ended; the proxy closed it');
      assert.equal(byTarget(bye).error, 'The tunnel was idle (no bytes either way) for 300 ms after one side had ended; the proxy closed it');
      assert.equal(byTarget(flood).error, 'The tunnel was idle (no bytes either way) for 300 ms; the proxy closed it');
      assert.ok(flooded < 64 * 1024 * 1024, `the flooding target was held back (${flooded} bytes written)`);
      await until(() => proxy.openTunnels === 0, 'no tunnel left');
    } finally {
      for (const c of clients) c.destroy();
      await proxy.close();
      for (const s of [silent, bye, flood]) s.close();
    }
  });

  it('request bodies: a trickle keeps the request (idle semantics, like client_body_timeout); a stall gets 408 in words, not a 504 blaming the origin', async () => {
    const origin = await listen((s) => s.resume()); // waits for a body that does not come
    const { proxy, port, flows } = await start({ requestHeadTimeoutMs: 200, upstreamTimeoutMs: 400, clientIdleTimeoutMs: 5000 });
    const c = net.connect(port, '127.0.0.1');
    try {
      let got = '';
      c.on('data', (d) => (got += d.toString('latin1')));
      c.on('error', () => undefined);
      c.write(`POST http://127.0.0.1:${portOf(origin)}/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n`);
      // Longer than the head deadline and the upstream timeout, a byte at a time: still going.
      for (let i = 0; i < 6; i++) {
        await sleep(150);
        c.write('x');
      }
      assert.equal(got, '');
      assert.equal(flows.length, 0);
      await until(() => got.includes('gave up'), 'the 408');
      assert.match(got, /^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*The client sent no more of the request body for 400 ms \(6 bytes of it came\); the proxy gave up on this request\n$/);
      await until(() => flows.length === 1, 'the flow');
      assert.equal(flows[0].status, 408);
    } finally {
      c.destroy();
      await proxy.close();
      origin.close();
    }
  });

  it('a partial head pipelined behind a slow response still meets its deadline (408) once its turn comes', async () => {
    const origin = await listen((s) => s.once('data', () => setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 600)));
    const { proxy, port, flows } = await start({ requestHeadTimeoutMs: 300 });
    const peer = rawClient(port);
    const c = peer.socket;
    try {
      c.write(`GET http://127.0.0.1:${portOf(origin)}/ HTTP/1.1\r\nHost: x\r\n\r\nGET http://127.0.0.1:${portOf(origin)}/2 HTTP/1.1\r\n`);
      // The rest of the second head, a byte every 100 ms: it would take 2 s.
      const rest = 'Host: x\r\nX-Slow: 0123456789\r\n\r\n';
      for (let i = 0; i < rest.length && !peer.closed; i++) {
        c.write(rest[i]);
        await sleep(100);
      }
      await until(() => peer.closed, 'the connection to close');
      assert.match(peer.text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nokHTTP\/1\.1 408 Request Timeout\r\n[\s\S]*did not arrive in full within 300 ms of its first byte/);
      assert.equal(flows.length, 1, 'the second request never went upstream');
    } finally {
      c.destroy();
      await proxy.close();
      origin.close();
    }
  });

  it('over maxConnections, clients that write a 200 KB head at once still read the 503 (nothing is reset unread)', async () => {
    const { proxy, port } = await start({ maxConnections: 1 });
    const held = net.connect(port, '127.0.0.1');
    held.on('error', () => undefined);
    try {
      await until(() => proxy.openConnections === 1, 'the held connection');
      const big = `GET http://127.0.0.1:9/ HTTP/1.1\r\nX-Big: ${'a'.repeat(200_000)}\r\n\r\n`;
      const answers = await Promise.all(Array.from({ length: 30 }, () => talk(port, big, (t) => t.includes('try again shortly'))));
      for (const a of answers) assert.match(a.text, /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*maximum of 1 connections; try again shortly\.\n$/);
      assert.equal(proxy.openConnections, 1);
    } finally {
      held.destroy();
      await proxy.close();
    }
  });

  it('a response with faulty framing (Transfer-Encoding with Content-Length, or in HTTP/1.0) never leaves its upstream connection for another client', async () => {
    for (const head of ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n', 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n']) {
      let connections = 0;
      // Ends the body by chunked framing, then (as if by its Content-Length) sends a forged response later.
      const origin = await listen((s) => {
        connections++;
        s.once('data', () => {
          s.write(`${head}0\r\n\r\n`);
          setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged'), 300);
        });
      });
      const { proxy, port } = await start({});
      try {
        const req = `GET http://127.0.0.1:${portOf(origin)}/ HTTP/1.1\r\nHost: x\r\n\r\n`;
        const first = await talk(port, req, (t) => t.endsWith('0\r\n\r\n'));
        assert.match(first.text, /^HTTP\/1\.1 200 OK\r\n/);
        const second = await talk(port, req, (t) => t.endsWith('0\r\n\r\n') || t.includes('forged'), 1500);
        assert.doesNotMatch(second.text, /forged/, head);
        assert.match(second.text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n0\r\n\r\n$/);
        assert.equal(connections, 2, 'the second request went on a new connection');
      } finally {
        await proxy.close();
        origin.close();
      }
    }
  });

  it('1xx that are not interim: 101 to an absolute-form request, and a 1xx with a body, are 502 in words; a 1xx goes on without Content-Length', async () => {
    const { proxy, port } = await start({});
    const switching = await listen((s) => s.once('data', () => s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nframes')));
    const bodied = await listen((s) => s.once('data', () => s.write('HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')));
    try {
      const a = await talk(port, `GET http://127.0.0.1:${portOf(switching)}/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`, (t) => t.includes('\n\n') || /\r\n\r\n[\s\S]*\n$/.test(t));
      assert.match(a.text, /^HTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*switched protocols \(101\), which this proxy does not relay for absolute-form requests\n$/);
      const b = await talk(port, `GET http://127.0.0.1:${portOf(bodied)}/ HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => /502[\s\S]*\n$/.test(t));
      assert.match(b.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*cannot read: the status line "helloHTTP\/1\.1 200 OK" is not/);
    } finally {
      await proxy.close();
      switching.close();
      bodied.close();
    }
  });
});
