// The HTTP engine tells who asks the bytes received so far, as they come (the panel's "received" figure).
import { strict as assert } from 'node:assert';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpSpec, rawServer, sleep, type RawServer } from '../../support/servers';

describe('HTTP progress: bytes received so far', () => {
  let pool: ConnectionPool;
  let server: RawServer | undefined;
  beforeEach(() => (pool = new ConnectionPool()));
  afterEach(async () => {
    pool.dispose();
    await server?.close();
    server = undefined;
  });

  it('reports a growing count that ends at every byte received (head and body), chunk by chunk', async () => {
    const body = 'x'.repeat(64 * 1024);
    const head = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`;
    server = await rawServer(async (s) => {
      // Four writes with pauses: the client sees several chunks.
      s.write(head);
      for (let i = 0; i < 4; i++) {
        await sleep(20);
        s.write(body.slice(i * 16 * 1024, (i + 1) * 16 * 1024));
      }
    });
    const seen: number[] = [];
    const x = await new HttpClient({ pool }).send(httpSpec(server.port), { onProgress: (n) => seen.push(n) });
    assert.equal(x.error, undefined, x.error?.message);
    assert.ok(seen.length >= 2, `reported ${seen.length} times`);
    assert.ok(
      seen.every((n, i) => i === 0 || n > seen[i - 1]),
      'never goes down',
    );
    assert.equal(seen.at(-1), head.length + body.length);
  });
});
