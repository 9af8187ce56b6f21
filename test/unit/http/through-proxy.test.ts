import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { makeSelfSigned, startOpensslServer, tempDir } from '../../support/peers';
import { startConnectProxy, type TestProxy } from '../../support/proxy';
import { httpSpec, rawServer, type RawServer } from '../../support/servers';

describe('# @proxy: HTTP and HTTPS through a CONNECT tunnel', function () {
  this.timeout(20_000);
  let pool: ConnectionPool;
  let client: HttpClient;
  let proxy: TestProxy;
  let server: RawServer;

  before(async () => {
    proxy = await startConnectProxy({ refuse: (a) => a.endsWith(':1') });
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\ntunnel!'));
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });
  beforeEach(() => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
  });
  afterEach(() => pool.dispose());

  it('sends the request through the tunnel and times the CONNECT', async () => {
    const before = proxy.tunnels.length;
    const a = await client.send(httpSpec(server.port, { target: '/a' }, { proxy: `http://127.0.0.1:${proxy.port}` }));
    const b = await client.send(httpSpec(server.port, { target: '/b' }, { proxy: `http://127.0.0.1:${proxy.port}` }));
    assert.equal(a.error, undefined, a.error?.message);
    assert.equal(a.response!.body.toString(), 'tunnel!');
    assert.ok(a.timings.proxyTunnel! > 0);
    assert.equal(a.connection!.remotePort, proxy.port, 'the socket goes to the proxy');
    assert.equal(b.connection!.reused, true, 'the tunnel is pooled like any connection');
    assert.deepEqual(proxy.tunnels.slice(before), [`127.0.0.1:${server.port}`]);
    assert.match(server.received[server.received.length - 1].toString(), /^GET \/a HTTP\/1.1\r\nHost: 127.0.0.1:\d+\r\n\r\nGET \/b/);
  });

  it('does TLS end to end through the tunnel (the proxy sees only CONNECT)', async () => {
    const dir = tempDir('proxy-tls');
    const peer = await startOpensslServer(makeSelfSigned(dir));
    try {
      const x = await client.send(httpSpec(peer.port, { tls: true, servername: 'localhost' }, { proxy: `http://127.0.0.1:${proxy.port}`, insecure: true }));
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.response!.status, 200);
      assert.equal(x.tls!.chain[0].subject, 'CN=localhost');
      assert.ok(x.timings.proxyTunnel! > 0 && x.timings.tlsHandshake! > 0);
    } finally {
      await peer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when the proxy refuses the tunnel, and when nothing listens on the proxy port', async () => {
    const refused = await client.send(httpSpec(1, {}, { proxy: `http://127.0.0.1:${proxy.port}` }));
    assert.equal(refused.error?.phase, 'proxy');
    assert.equal(refused.error?.message, `Proxy 127.0.0.1:${proxy.port} refused the tunnel to 127.0.0.1:1: 403 Forbidden`);
    const noProxy = await client.send(httpSpec(server.port, {}, { proxy: 'http://127.0.0.1:1' }));
    assert.equal(noProxy.error?.phase, 'connect');
    assert.equal(noProxy.error?.message, 'Connection refused: nothing is listening on 127.0.0.1:1');
    const tlsProxy = await client.send(httpSpec(server.port, {}, { proxy: 'https://127.0.0.1:8443' }));
    assert.match(tlsProxy.error!.message, /TLS to the proxy itself .* is not supported/);
  });
});
