import { strict as assert } from 'node:assert';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpSpec, rawServer, sleep, type RawServer } from '../../support/servers';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('ConnectionPool (keep-alive, real sockets)', () => {
  let pool: ConnectionPool;
  let client: HttpClient;
  let server: RawServer | undefined;

  afterEach(async () => {
    pool?.dispose();
    await server?.close();
    server = undefined;
  });

  it('reuses one connection for sequential requests and records it on each exchange', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    const xs: Awaited<ReturnType<HttpClient['send']>>[] = [];
    for (let i = 0; i < 3; i++) {
      xs.push(await client.send(httpSpec(server.port)));
      await sleep(20);
    }
    assert.deepEqual(
      xs.map((x) => [x.connection!.id === xs[0].connection!.id, x.connection!.reused, x.connection!.requestsServed]),
      [
        [true, false, 1],
        [true, true, 2],
        [true, true, 3],
      ],
    );
    assert.ok(xs[1].connection!.idleMs! >= 15, `idle ${xs[1].connection!.idleMs}`);
    assert.equal(xs[1].timings.tcpConnect, undefined, 'a reused connection has no connect phase');
    assert.equal(server.connections, 1);
    const snap = pool.snapshot();
    assert.equal(snap.totalOpen, 1);
    assert.equal(snap.hosts[0].connections[0].state, 'idle');
    assert.equal(snap.hosts[0].connections[0].requestsServed, 3);
  });

  it('never sends on an idle connection the server closed', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s, _req, n) => {
      s.write(OK);
      if (n === 1) setTimeout(() => s.end(), 20); // keep-alive, then the server closes the idle socket
    });
    const a = await client.send(httpSpec(server.port));
    await sleep(150);
    assert.equal(pool.snapshot().totalOpen, 0, 'the closed idle socket left the pool at once');
    const b = await client.send(httpSpec(server.port));
    assert.equal(b.error, undefined);
    assert.equal(b.connection!.reused, false);
    assert.notEqual(b.connection!.id, a.connection!.id);
    assert.equal(b.connection!.retried, undefined, 'nothing was sent on the dead socket, so no retry was needed');
    assert.equal(server.received[0].toString().split('GET').length - 1, 1, 'the first connection carried exactly one request');
  });

  it('retries an idempotent request once when a reused connection dies before answering', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s, _req, n) => {
      if (n === 2) s.destroy(); // second request on the reused connection: server drops it without a byte
      else s.write(OK);
    });
    await client.send(httpSpec(server.port));
    const b = await client.send(httpSpec(server.port));
    assert.equal(b.error, undefined, b.error?.message);
    assert.equal(b.response!.status, 200);
    assert.match(b.connection!.retried!, /closed by the server before it answered; retried/);
    assert.equal(b.connection!.reused, false);
  });

  it('does not retry a POST on a dead reused connection', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s, _req, n) => (n === 2 ? s.destroy() : s.write(OK)));
    await client.send(httpSpec(server.port));
    const b = await client.send(httpSpec(server.port, { method: 'POST', body: Buffer.from('once') }));
    assert.ok(b.error, 'a POST is not silently sent twice');
  });

  it('opens at most maxSocketsPerHost connections; the rest wait their turn', async () => {
    pool = new ConnectionPool({ maxSocketsPerHost: 2 });
    client = new HttpClient({ pool });
    server = await rawServer((s) => setTimeout(() => s.write(OK), 50));
    const xs = await Promise.all(Array.from({ length: 6 }, () => client.send(httpSpec(server!.port))));
    assert.ok(xs.every((x) => x.response?.status === 200));
    assert.equal(server.connections, 2);
    assert.equal(new Set(xs.map((x) => x.connection!.id)).size, 2);
  });

  it('a request waiting for a slot when the pool is disposed fails in words and opens no connection', async () => {
    pool = new ConnectionPool({ maxSocketsPerHost: 1 });
    client = new HttpClient({ pool });
    server = await rawServer((s) => setTimeout(() => s.write(OK), 300));
    const first = client.send(httpSpec(server.port));
    await sleep(50);
    const waiting = client.send(httpSpec(server.port));
    await sleep(50);
    pool.dispose();
    const [, x] = await Promise.all([first, waiting]);
    assert.match(x.error?.message ?? '', /connection pool is disposed/);
    await sleep(100);
    assert.equal(server.connections, 1, 'the waiting request opened no connection of its own');
  });

  it('closes idle connections after idleTimeoutMs', async () => {
    pool = new ConnectionPool({ idleTimeoutMs: 100 });
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    await client.send(httpSpec(server.port));
    assert.equal(pool.snapshot().totalOpen, 1);
    await sleep(250);
    assert.equal(pool.snapshot().totalOpen, 0);
    const b = await client.send(httpSpec(server.port));
    assert.equal(b.connection!.reused, false);
  });

  it('does not reuse a connection older than maxAgeMs', async () => {
    let now = 1_000_000;
    pool = new ConnectionPool({ maxAgeMs: 1000 }, { now: () => now });
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    const a = await client.send(httpSpec(server.port));
    now += 500;
    const b = await client.send(httpSpec(server.port));
    now += 600;
    const c = await client.send(httpSpec(server.port));
    assert.equal(b.connection!.id, a.connection!.id);
    assert.equal(c.connection!.afterwards, 'kept-alive');
    assert.equal(b.connection!.afterwards, 'kept-alive');
    assert.notEqual(c.connection!.id, a.connection!.id);
  });

  it('@no-pool and pooling off give a fresh connection that is closed afterwards', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    const a = await client.send(httpSpec(server.port, {}, { noPool: true }));
    const b = await client.send(httpSpec(server.port, {}, { noPool: true }));
    assert.equal(a.connection!.pooled, false);
    assert.equal(a.connection!.afterwards, 'closed');
    assert.notEqual(a.connection!.id, b.connection!.id);
    pool.setOptions({ enabled: false });
    const c = await client.send(httpSpec(server.port));
    assert.equal(c.connection!.pooled, false);
    assert.equal(pool.snapshot().totalOpen, 0);
    assert.equal(server.connections, 3);
  });

  it('closeAll closes idle connections and reports how many were open', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    await Promise.all([client.send(httpSpec(server.port)), client.send(httpSpec(server.port))]);
    assert.equal(pool.snapshot().totalOpen, 2);
    assert.equal(pool.closeAll(), 2);
    assert.equal(pool.snapshot().totalOpen, 0);
    await sleep(50);
    assert.equal(server.sockets.size, 0);
  });

  it('closeConnection closes one connection by id (the pool view\'s Close), the others stay', async () => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
    server = await rawServer((s) => s.write(OK));
    await Promise.all([client.send(httpSpec(server.port)), client.send(httpSpec(server.port))]);
    const [a, b] = pool.snapshot().hosts[0].connections.map((c) => c.id);
    let changes = 0;
    pool.on('change', () => changes++);
    assert.equal(pool.closeConnection(a), true);
    assert.ok(changes > 0, 'the view hears of it');
    assert.deepEqual(pool.snapshot().hosts[0].connections.map((c) => c.id), [b]);
    assert.equal(pool.closeConnection(a), false, 'already gone');
    assert.equal(pool.closeConnection(999_999), false);
    await sleep(50);
    assert.equal(server.sockets.size, 1);
  });
});
