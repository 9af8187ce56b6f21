import { strict as assert } from 'node:assert';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { WsClient } from '../../../src/core/sockets/ws';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { startSocat, startSquid, type Peer } from '../../support/peers';
import { httpSpec, rawServer } from '../../support/servers';
import { tcpSpec } from '../../support/sockets';
import { startWsServer, text, wsSpec, type WsTestServer } from '../../support/ws';

describe('# @proxy through squid (CONNECT): TCP, WebSocket, HTTP', function () {
  this.timeout(30_000);
  let squid: Peer;
  let echo: Peer;
  let ws: WsTestServer;
  let proxy: string;

  before(async () => {
    squid = await startSquid();
    echo = await startSocat('tcp', 'EXEC:cat');
    ws = await startWsServer();
    proxy = `http://127.0.0.1:${squid.port}`;
  });
  after(async () => {
    await ws?.close();
    await echo?.stop();
    await squid?.stop();
  });

  it('TCP echo through the tunnel', async () => {
    const x = await new TcpClient().send(tcpSpec(echo.port, { service: 'echo', payload: Buffer.from('via squid') }, { proxy }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.echoMatches, true);
    assert.ok(x.timings.proxyTunnel! > 0);
    assert.equal(x.connection!.remotePort, squid.port);
  });

  it('a WebSocket session through the tunnel', async () => {
    const x = await new WsClient().send(wsSpec(ws.port, { messages: [text('over the proxy')] }, { proxy }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.ok(x.frames.some((f) => f.dir === 'received' && f.data.toString() === 'over the proxy'));
    assert.ok(x.timings.proxyTunnel! > 0);
  });

  it('HTTP through the tunnel, and squid refusing an unreachable target in words', async () => {
    const srv = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const pool = new ConnectionPool();
    try {
      const x = await new HttpClient({ pool }).send(httpSpec(srv.port, {}, { proxy }));
      assert.equal(x.response?.status, 200, x.error?.message);
      const closed = await new HttpClient({ pool }).send(httpSpec(1, {}, { proxy }));
      assert.equal(closed.error?.phase, 'proxy');
      assert.match(closed.error!.message, new RegExp(`^Proxy 127\\.0\\.0\\.1:${squid.port} refused the tunnel to 127\\.0\\.0\\.1:1: 5\\d\\d `));
    } finally {
      pool.dispose();
      await srv.close();
    }
  });
});
