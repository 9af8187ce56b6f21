/**
 * The proxy against hostile loopback peers, part 1: an origin streaming interim (1xx) responses (capped,
 * relayed with backpressure, not refreshing the upstream timer) and clients trickling request heads
 * (slowloris: 408 within the head deadline). Peers are raw net sockets on 127.0.0.1 written here.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { rawServer, sleep } from '../../support/servers';
import { count, rawClient, start, talk, trickle, until } from './hostilePeers';

describe('ProxyServer against hostile peers: interim responses, slow heads', function () {
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
      const peer = rawClient(port);
      const c = peer.socket;
      try {
        await new Promise<void>((r) => c.once('connect', () => r()));
        const req = `GET http://127.0.0.1:${origin.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`;
        c.write(req);
        await until(() => count(peer.text, /200 OK/g) === 1, 'the first answer');
        await sleep(700); // idle between requests, longer than the head deadline
        c.write(req);
        await until(() => count(peer.text, /200 OK/g) === 2, 'the second answer');
        assert.equal(peer.closed, false);
        // The third head starts and never finishes.
        c.write('GET http://127.0.0.1:');
        await until(() => peer.closed, 'the connection to close');
        assert.match(peer.text, /HTTP\/1\.1 408 Request Timeout[\s\S]*within 300 ms of its first byte/);
        assert.equal(count(peer.text, /200 OK/g), 2);
      } finally {
        c.destroy();
        await proxy.close();
        await origin.close();
      }
    });
  });
});
