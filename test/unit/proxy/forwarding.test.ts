/**
 * The proxy's HTTP/1.x forwarding on raw sockets, message by message: body framing both ways (chunked stays
 * chunked, HTTP/1.0 clients get it dechunked, close-delimited, HEAD/304), pipelining, keep-alive to the
 * client and to the upstream, a retry on a pooled connection the server had closed, smuggling-shaped
 * requests refused, Expect: 100-continue, Host rewritten, bodies and tunnels streamed intact (hash-checked,
 * with a slow reader). Peers: node:http servers, raw sockets and curl, all on 127.0.0.1.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { ProxyServer, type Flow } from '../../../src/core/proxy/server';
import { requireBinary, tempDir } from '../../support/peers';
import { rawServer, sleep } from '../../support/servers';
import { talk } from './hostilePeers';

interface Upstream {
  port: number;
  connections: number;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }>;
  close(): Promise<void>;
}

/** A node:http server; `handle` answers (default: echo of method, URL and body). Counts connections. */
async function upstream(handle?: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
      if (handle) handle(req, res, body);
      else res.end(`${req.method} ${req.url} ${body.length}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

function curl(args: string[], input?: string): Promise<{ code: number | null; out: Buffer; err: string }> {
  const bin = requireBinary('curl', 'curl');
  return new Promise((resolve) => {
    const c = spawn(bin, ['-sS', '--max-time', '20', ...args], { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    c.stdout!.on('data', (d: Buffer) => out.push(d));
    c.stderr!.on('data', (d) => (err += d));
    c.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
    if (input) c.stdin!.end(input);
  });
}

describe('ProxyServer forwarding: framing, keep-alive, pipelining, streaming', function () {
  this.timeout(30_000);
  let proxy: ProxyServer;
  let port: number;
  const flows: Flow[] = [];

  before(async () => {
    proxy = new ProxyServer({ port: 0, upstreamTimeoutMs: 3000 });
    proxy.on('flow-end', (f) => flows.push(f));
    port = (await proxy.listen()).port;
  });
  after(() => proxy.close());

  it('keeps the client connection and one upstream connection for many requests; rewrites Host to the target', async () => {
    const up = await upstream();
    try {
      const n = 20;
      let req = '';
      for (let i = 0; i < n; i++) req += `GET http://127.0.0.1:${up.port}/k${i} HTTP/1.1\r\nHost: somewhere.else\r\n\r\n`;
      // Pipelined in one write: answered in order, one at a time, on the same connection.
      const r = await talk(port, req, (t) => t.includes(`GET /k${n - 1} 0`));
      assert.equal(count(r.text, /HTTP\/1\.1 200 OK/g), n);
      for (let i = 0; i < n; i++) assert.ok(r.text.indexOf(`GET /k${i} 0`) < r.text.indexOf(`GET /k${i + 1} 0`) || i === n - 1);
      assert.equal(r.closed, false, 'the client connection stays open');
      assert.equal(up.connections, 1, 'one upstream connection carried all of them');
      assert.ok(up.seen.every((s) => s.headers.host === `127.0.0.1:${up.port}`), 'Host is the target authority');
      assert.equal(proxy.upstreamConnections, 1);
    } finally {
      await up.close();
    }
  });

  it('forwards a chunked request body as chunks and a chunked response with trailers as it came', async () => {
    // A raw upstream that reads the whole chunked request, then answers with chunk extensions and a trailer.
    let seen = '';
    const server = net.createServer((sock) => {
      sock.on('data', (d) => {
        seen += d.toString('latin1');
        if (seen.endsWith('\r\n0\r\n\r\n')) sock.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n');
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const up = { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
    try {
      const body = '4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n';
      const r = await talk(port, `POST http://127.0.0.1:${up.port}/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, (t) => t.includes('X-Sum: 42\r\n\r\n'));
      assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(r.text, /\r\nTransfer-Encoding: chunked\r\n/);
      assert.ok(r.text.endsWith('\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n'), r.text);
      assert.ok(seen.endsWith(`\r\nTransfer-Encoding: chunked\r\n\r\n${body}`), seen);
      const f = flows.find((x) => x.target === `http://127.0.0.1:${up.port}/c`)!;
      assert.equal(f.requestBody!.toString(), 'abcdefg', 'the detail view gets the body without the chunk framing');
      assert.equal(f.responseBody!.toString(), 'hello world');
    } finally {
      proxy.pool.destroyAll(); // the raw upstream keeps its connection; let go of it so close() returns
      await up.close();
    }
  });

  it('an HTTP/1.0 client gets a chunked response dechunked, and the connection closes after it', async () => {
    const up = await upstream((_req, res) => {
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 20);
    });
    try {
      const r = await talk(port, `GET http://127.0.0.1:${up.port}/old HTTP/1.0\r\n\r\n`);
      assert.equal(r.closed, true);
      assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.doesNotMatch(r.text, /Transfer-Encoding/i);
      assert.match(r.text, /\r\nConnection: close\r\n/);
      assert.ok(r.text.endsWith('\r\n\r\npart one, part two'), r.text);
    } finally {
      await up.close();
    }
  });

  it('a response framed by the end of the connection is relayed whole and closes the client connection', async () => {
    const up = await rawServer((sock) => sock.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'));
    try {
      const r = await talk(port, `GET http://127.0.0.1:${up.port}/eof HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(r.closed, true);
      assert.match(r.text, /\r\nConnection: close\r\n/);
      assert.ok(r.text.endsWith('\r\n\r\nuntil the end'), r.text);
    } finally {
      await up.close();
    }
  });

  it('HEAD and 304 have no body even with a Content-Length; the connection carries the next request', async () => {
    const up = await upstream((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(200, { 'Content-Length': 0 });
        return void res.end();
      }
      if (req.url === '/nm') {
        res.writeHead(304, { ETag: '"1"' });
        return void res.end();
      }
      res.setHeader('Content-Length', 11);
      res.end(req.method === 'HEAD' ? undefined : 'hello world');
    });
    try {
      const req = `HEAD http://127.0.0.1:${up.port}/h HTTP/1.1\r\nHost: x\r\n\r\nGET http://127.0.0.1:${up.port}/nm HTTP/1.1\r\nHost: x\r\n\r\nGET http://127.0.0.1:${up.port}/empty HTTP/1.1\r\nHost: x\r\n\r\nGET http://127.0.0.1:${up.port}/g HTTP/1.1\r\nHost: x\r\n\r\n`;
      const r = await talk(port, req, (t) => t.endsWith('hello world'));
      const heads = r.text.split(/(?=HTTP\/1\.1 )/);
      assert.equal(heads.length, 4, r.text);
      const empty = heads.splice(2, 1)[0];
      assert.match(empty, /\nContent-Length: 0\r\n/, 'an empty body keeps its Content-Length: 0');
      assert.match(empty, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n$/);
      assert.match(heads[0], /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n$/);
      assert.match(heads[0], /\nContent-Length: 11\r\n/);
      assert.match(heads[1], /^HTTP\/1\.1 304 Not Modified\r\n[\s\S]*\r\n\r\n$/);
      assert.match(heads[2], /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello world$/);
    } finally {
      await up.close();
    }
  });

  it('refuses smuggling-shaped requests (Transfer-Encoding with Content-Length, differing lengths) with 400 in words', async () => {
    const a = await talk(port, 'POST http://127.0.0.1:9/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    assert.match(a.text, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*both Transfer-Encoding and Content-Length/);
    assert.equal(a.closed, true);
    const b = await talk(port, 'POST http://127.0.0.1:9/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd');
    assert.match(b.text, /^HTTP\/1\.1 400 [\s\S]*differing Content-Length values \(3, 4\)/);
    const c = await talk(port, 'GET http://127.0.0.1:9/x HTTP/1.1\r\nHost: x\r\n folded: yes\r\n\r\n');
    assert.match(c.text, /^HTTP\/1\.1 400 [\s\S]*folded/);
  });

  it('a Connection header cannot remove the framing: Content-Length stays, nothing is smuggled; codings stay listed', async () => {
    let seen = '';
    const server = net.createServer((sock) => {
      sock.on('data', (d) => {
        seen += d.toString('latin1');
        if (seen.endsWith('\r\n0\r\n\r\n') || /\r\n\r\nGET \/admin HTTP\/1\.1\r\nHost: victim\r\n\r\n$/.test(seen)) sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const upPort = (server.address() as net.AddressInfo).port;
    try {
      const smuggled = 'GET /admin HTTP/1.1\r\nHost: victim\r\n\r\n';
      const r = await talk(port, `POST http://127.0.0.1:${upPort}/p HTTP/1.1\r\nHost: x\r\nContent-Length: ${smuggled.length}\r\nConnection: Content-Length\r\n\r\n${smuggled}`, (t) => t.endsWith('ok'));
      assert.match(r.text, /^HTTP\/1\.1 200 OK/);
      assert.match(seen, new RegExp(`\r\nContent-Length: ${smuggled.length}\r\n\r\nGET /admin`), 'the upstream was told the body length, so the GET is body, not a request');
      seen = '';
      const body = '3\r\nabc\r\n0\r\n\r\n';
      await talk(port, `POST http://127.0.0.1:${upPort}/z HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${body}`, (t) => t.endsWith('ok'));
      assert.match(seen, /\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n$/);
    } finally {
      proxy.pool.destroyAll();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses a bare LF in a chunk extension or trailer, and chunked bodies from HTTP/1.0 clients', async () => {
    const up = await upstream();
    try {
      const a = await talk(port, `POST http://127.0.0.1:${up.port}/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0;\n\nGET /admin HTTP/1.1\nHost: internal\n\n\r\n\r\n`);
      assert.match(a.text, /^HTTP\/1\.1 400 Bad Request[\s\S]*control byte 0x0a in a chunk extension/);
      const b = await talk(port, `POST http://127.0.0.1:${up.port}/b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(b.text, /^HTTP\/1\.1 400 [\s\S]*bare LF/);
      const c = await talk(port, `POST http://127.0.0.1:${up.port}/c HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
      assert.match(c.text, /^HTTP\/1\.1 400 [\s\S]*HTTP\/1\.0 has no Transfer-Encoding/);
      assert.equal(up.seen.filter((x) => x.url === '/admin').length, 0);
    } finally {
      await up.close();
    }
  });

  it('a client that sends its request and FIN still gets the whole answer (plain and through a tunnel)', async () => {
    const up = await upstream((_req, res) => setTimeout(() => res.end('late but whole'), 50));
    // An echo-after-EOF server: answers only once the client has finished sending.
    const eof = net.createServer({ allowHalfOpen: true }, (sock) => {
      let got = '';
      sock.on('data', (d) => (got += d));
      sock.on('end', () => sock.end(`you said: ${got}`));
    });
    await new Promise<void>((r) => eof.listen(0, '127.0.0.1', r));
    const eofPort = (eof.address() as net.AddressInfo).port;
    const halfClose = (first: string, then?: string) =>
      new Promise<string>((resolve, reject) => {
        const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
        let got = '';
        const t = setTimeout(() => reject(new Error(`no whole answer within 5 s: ${JSON.stringify(got)}`)), 5000);
        s.on('connect', () => (then === undefined ? s.end(first) : s.write(first)));
        s.on('data', (d) => {
          got += d.toString('latin1');
          if (then !== undefined && got.includes('\r\n\r\n') && !s.writableEnded) s.end(then);
        });
        s.on('end', () => {
          clearTimeout(t);
          resolve(got);
        });
        s.on('error', reject);
      });
    try {
      const plain = await halfClose(`GET http://127.0.0.1:${up.port}/fin HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(plain, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nlate but whole$/);
      const tunneled = await halfClose(`CONNECT 127.0.0.1:${eofPort} HTTP/1.1\r\nHost: x\r\n\r\n`, 'hello then EOF');
      assert.match(tunneled, /^HTTP\/1\.1 200 Connection Established\r\n\r\nyou said: hello then EOF$/);
      // The FIN sent right behind the CONNECT (before the tunnel exists) is passed on too.
      const early = await halfClose(`CONNECT 127.0.0.1:${eofPort} HTTP/1.1\r\nHost: x\r\n\r\nearly`);
      assert.match(early, /^HTTP\/1\.1 200 Connection Established\r\n\r\nyou said: early$/);
    } finally {
      await up.close();
      await new Promise<void>((r) => eof.close(() => r()));
    }
  });

  it('a client FIN in the middle of a request body ends the exchange at once (the rest will never come)', async () => {
    const up = await upstream();
    try {
      const before = flows.length;
      await new Promise<void>((resolve) => {
        const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => s.end(`POST http://127.0.0.1:${up.port}/cut HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly ten b`));
        s.on('close', () => resolve());
        s.on('error', () => undefined);
        setTimeout(() => s.destroy(), 5000);
      });
      for (let i = 0; i < 40 && !flows.slice(before).some((f) => f.target.endsWith('/cut')); i++) await sleep(25);
      const f = flows.slice(before).find((x) => x.target.endsWith('/cut'))!;
      assert.match(f.error ?? '', /client went away/);
      assert.equal(f.bytesUp, 10);
    } finally {
      await up.close();
    }
  });

  it('retries an idempotent request once when the pooled connection it took had been closed by the server', async () => {
    // The first request on each connection is answered (keep-alive); a second one on the same connection
    // finds it closed, as when a server's idle timeout fires just as the proxy reuses the connection.
    const up = await rawServer((sock, _req, n) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(n).length}\r\n\r\n${n}`);
    });
    up.onConnect = (s) => {
      let requests = 0;
      s.on('data', () => {
        if (++requests === 2) s.destroy();
      });
    };
    try {
      const first = await talk(port, `GET http://127.0.0.1:${up.port}/1 HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => t.endsWith('\r\n\r\n1'));
      assert.match(first.text, /^HTTP\/1\.1 200/);
      const second = await talk(port, `GET http://127.0.0.1:${up.port}/2 HTTP/1.1\r\nHost: x\r\n\r\n`, (t) => /\r\n\r\n\d$/.test(t));
      assert.match(second.text, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n\d$/, `answered on a fresh connection: ${JSON.stringify(second.text)}`);
      const post = await talk(port, `POST http://127.0.0.1:${up.port}/3 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab`, (t) => /\r\n\r\n[\s\S]+$/.test(t));
      assert.match(post.text, /^HTTP\/1\.1 (200|502)/, 'a POST is never sent twice: it is answered or refused');
    } finally {
      await up.close();
    }
  });

  it('passes Expect: 100-continue through (curl uploads 3 MB) and streams 20 MB both ways intact', async () => {
    const up = await upstream((req, res, body) => {
      if (req.url === '/big') {
        res.setHeader('Content-Length', 20 * 1024 * 1024);
        const block = Buffer.alloc(1024 * 1024, 0x71);
        let i = 0;
        const pump = () => {
          while (i < 20) {
            i++;
            if (!res.write(block)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      res.end(createHash('sha256').update(body).digest('hex'));
    });
    const dir = tempDir('proxy-upload');
    try {
      const file = path.join(dir, 'up.bin');
      const data = randomBytes(3 * 1024 * 1024);
      fs.writeFileSync(file, data);
      const r = await curl(['-x', `http://127.0.0.1:${port}`, '-H', 'Expect: 100-continue', '--data-binary', `@${file}`, `http://127.0.0.1:${up.port}/sum`]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.toString(), createHash('sha256').update(data).digest('hex'));
      const big = await curl(['-x', `http://127.0.0.1:${port}`, '--limit-rate', '40M', `http://127.0.0.1:${up.port}/big`]);
      assert.equal(big.code, 0, big.err);
      assert.equal(big.out.length, 20 * 1024 * 1024);
      assert.ok(big.out.every((b) => b === 0x71));
      const f = flows.find((x) => x.target === `http://127.0.0.1:${up.port}/big`)!;
      assert.equal(f.bytesDown, 20 * 1024 * 1024);
      assert.equal(f.responseBody!.length, 64 * 1024, 'the flow keeps only a preview');
    } finally {
      await up.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a CONNECT tunnel carries 32 MB of random bytes intact to a slow reader', async () => {
    const data = randomBytes(32 * 1024 * 1024);
    const src = net.createServer((s) => s.end(data));
    await new Promise<void>((r) => src.listen(0, '127.0.0.1', r));
    const srcPort = (src.address() as net.AddressInfo).port;
    try {
      const got = await new Promise<Buffer>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(`CONNECT 127.0.0.1:${srcPort} HTTP/1.1\r\nHost: x\r\n\r\n`));
        const parts: Buffer[] = [];
        let head = true;
        let reads = 0;
        const timer = setTimeout(() => reject(new Error('the tunnel did not deliver 32 MB within 20 s')), 20_000);
        s.on('data', (d: Buffer) => {
          if (head) {
            const end = d.indexOf('\r\n\r\n');
            assert.match(d.subarray(0, end).toString('latin1'), /^HTTP\/1\.1 200/);
            d = d.subarray(end + 4);
            head = false;
          }
          parts.push(d);
          // A slow reader: pause now and then so the proxy's writes to it back up.
          if (++reads % 20 === 0) {
            s.pause();
            setTimeout(() => s.resume(), 5);
          }
        });
        s.on('end', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(parts));
        });
        s.on('error', reject);
      });
      assert.equal(got.length, data.length);
      assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(data).digest('hex'));
    } finally {
      await new Promise<void>((r) => src.close(() => r()));
    }
  });

  it('closes idle client connections after the idle timeout, and connections over the limit at once (with a 503)', async () => {
    const p = new ProxyServer({ port: 0, clientIdleTimeoutMs: 300, maxConnections: 2 });
    const { port: pp } = await p.listen();
    let said = '';
    const open = () =>
      new Promise<{ socket: net.Socket; closedIn: Promise<number> }>((resolve) => {
        const t0 = Date.now();
        const socket = net.connect(pp, '127.0.0.1', () => resolve({ socket, closedIn: new Promise((r) => socket.once('close', () => r(Date.now() - t0))) }));
        socket.on('error', () => undefined);
        socket.on('data', (d: Buffer) => (said += d.toString('latin1')));
      });
    try {
      const a = await open();
      const b = await open();
      const c = await open();
      const extra = await Promise.race([c.closedIn, sleep(2000).then(() => Infinity)]);
      assert.ok(extra < 250, `the third connection (limit 2) is closed at once, not after ${extra} ms`);
      assert.match(said, /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*This proxy is serving its maximum of 2 connections; try again shortly\.\n$/);
      const [ta, tb] = await Promise.all([a.closedIn, b.closedIn]);
      assert.ok(ta >= 250 && ta < 3000 && tb >= 250 && tb < 3000, `idle connections closed after the 300 ms timeout (${ta}, ${tb} ms)`);
      for (let i = 0; i < 20 && p.openConnections > 0; i++) await sleep(25);
      assert.equal(p.openConnections, 0);
    } finally {
      await p.close();
    }
  });

  it('an upstream answering nonsense gets a 502 that says what was wrong', async () => {
    const up = await rawServer((sock) => sock.end('SMTP ready\r\n\r\n'));
    try {
      const r = await talk(port, `GET http://127.0.0.1:${up.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(r.text, /^HTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*cannot read: the status line "SMTP ready" is not "HTTP\/1\.x NNN reason"/);
    } finally {
      await up.close();
    }
  });
});
