// One CONNECT for the client's `# @proxy` and for NetReq's proxy chained to an upstream proxy: the same request,
// the same reading of the answer (in any number of pieces, bounded), each side wording the outcome for its reader.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { ProxyServer } from '../../../src/core/proxy/server';
import { Operation } from '../../../src/core/transport/operation';
import { ConnectAnswerReader, connectRequest, connectTunnel, MAX_CONNECT_ANSWER } from '../../../src/core/transport/proxyConnect';
import { talk } from '../proxy/hostilePeers';

/** Reads `text` in pieces of `step` bytes; the first answer that is not 'more'. */
function readIn(text: string | Buffer, step: number) {
  const r = new ConnectAnswerReader();
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  for (let i = 0; i < bytes.length; i += step) {
    const a = r.read(bytes.subarray(i, i + step));
    if (a.kind !== 'more') return a.kind === 'open' ? { kind: 'open', rest: a.rest.toString('latin1') } : a;
  }
  return { kind: 'more' };
}

/** An upstream proxy on loopback that answers every CONNECT with `answer`, in pieces of `step` bytes; it records the requests. */
async function fakeUpstreamProxy(answer: string, step: number): Promise<{ port: number; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      requests.push(got);
      for (let i = 0; i < answer.length; i += step) s.write(answer.slice(i, i + step));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('CONNECT through an HTTP proxy: one request and one answer reader for the client and the proxy', function () {
  this.timeout(10_000);

  it('reads an answer in any pieces: any 2xx opens the tunnel with the bytes after it; other statuses, non-HTTP and oversized answers do not', () => {
    // The head is 47 bytes: the rest is what came in the same piece as its end.
    for (const [step, rest] of [[1, ''], [7, 'he'], [1000, 'hello']] as const) {
      assert.deepEqual(readIn('HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\nhello', step), { kind: 'open', rest }, `step ${step}`);
    }
    assert.deepEqual(readIn('HTTP/1.0 204 No Content\r\n\r\n', 5), { kind: 'open', rest: '' });
    assert.deepEqual(readIn('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n', 3), {
      kind: 'refused',
      status: 407,
      reason: 'Proxy Authentication Required',
      statusLine: 'HTTP/1.1 407 Proxy Authentication Required',
    });
    assert.deepEqual(readIn('SSH-2.0-OpenSSH_9.2\r\n\r\n', 4), { kind: 'not-http', statusLine: 'SSH-2.0-OpenSSH_9.2' });
    assert.deepEqual(readIn(Buffer.alloc(MAX_CONNECT_ANSWER + 2, 0x61), 4096), { kind: 'too-large' });
    assert.equal(connectRequest('[::1]:443'), 'CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n');
  });

  it('the client and the chained proxy send the same CONNECT and read the same trickled answer; early target bytes reach the client', async () => {
    const up = await fakeUpstreamProxy('HTTP/1.1 200 OK\r\n\r\nbanner', 3);
    const op = new Operation();
    const socket = net.connect(up.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    try {
      await connectTunnel(socket, { host: 'target.test', port: 17, proxy: { host: '127.0.0.1', port: up.port } }, op);
      const early = await new Promise<string>((resolve) => {
        let got = '';
        socket.on('data', (d) => {
          got += d.toString('latin1');
          if (got.length >= 6) resolve(got);
        });
        socket.resume(); // connectTunnel holds the stream for its new owner
      });
      assert.equal(early, 'banner');
    } finally {
      socket.destroy();
    }
    const proxy = new ProxyServer({ port: 0, upstream: `http://127.0.0.1:${up.port}` });
    const { port } = await proxy.listen();
    try {
      const r = await talk(port, 'CONNECT target.test:17 HTTP/1.1\r\nHost: target.test:17\r\n\r\n', (t) => t.endsWith('banner'));
      assert.equal(r.text, 'HTTP/1.1 200 Connection Established\r\n\r\nbanner');
      assert.deepEqual(up.requests, [connectRequest('target.test:17'), connectRequest('target.test:17')]);
    } finally {
      await proxy.close();
      await up.close();
    }
  });

  it('a refusal is worded for each reader: the client error names the proxy and status, the proxy answers 502 with the status line', async () => {
    const up = await fakeUpstreamProxy('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n', 5);
    const socket = net.connect(up.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    try {
      const err = await connectTunnel(socket, { host: 'target.test', port: 17, proxy: { host: '127.0.0.1', port: up.port } }, new Operation()).catch((e: Error & { code?: string }) => e);
      assert.ok(err instanceof Error);
      assert.equal(err.message, `Proxy 127.0.0.1:${up.port} refused the tunnel to target.test:17: 407 Proxy Authentication Required`);
      assert.equal((err as { code?: string }).code, 'PROXY_407');
    } finally {
      socket.destroy();
    }
    const proxy = new ProxyServer({ port: 0, upstream: `http://127.0.0.1:${up.port}` });
    const { port } = await proxy.listen();
    try {
      const r = await talk(port, 'CONNECT target.test:17 HTTP/1.1\r\n\r\n');
      assert.match(r.text, /^HTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*\r\n\r\nThe upstream proxy refused the tunnel to target\.test:17: HTTP\/1\.1 407 Proxy Authentication Required\n$/);
    } finally {
      await proxy.close();
      await up.close();
    }
  });
});
