import { strict as assert } from 'node:assert';
import { HttpClient } from '../../../src/core/http/client';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpSpec, rawServer } from '../../support/servers';
import { tcpSpec } from '../../support/sockets';

describe('Connection numbers: one counter for pooled and unpooled connections', () => {
  it('an HTTP request (pooled), a TCP session (unpooled), then another HTTP request on a new pooled connection get three different, consecutive numbers', async () => {
    const pool = new ConnectionPool();
    const http = new HttpClient({ pool });
    const tcp = new TcpClient();
    const server = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'));
    try {
      const a = await http.send(httpSpec(server.port));
      const b = await tcp.send(tcpSpec(server.port, { payload: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n') }));
      const c = await http.send(httpSpec(server.port));
      const ids = [a.connection?.id, b.connection?.id, c.connection?.id];
      assert.equal(a.connection?.pooled, true);
      assert.equal(b.connection?.pooled, false);
      assert.ok(ids.every((id) => typeof id === 'number'), `ids ${JSON.stringify(ids)}`);
      assert.equal(new Set(ids).size, 3, `connection numbers ${ids.join(', ')} name different sockets`);
      // Nothing else opens connections between these three in this test: the one counter gives n, n+1, n+2.
      assert.deepEqual(ids, [ids[0], ids[0]! + 1, ids[0]! + 2]);
    } finally {
      pool.dispose();
      await server.close();
    }
  });
});
