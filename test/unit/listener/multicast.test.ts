import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import { isMulticast, MulticastListener, type Datagram } from '../../../src/core/listener/multicast';
import { MulticastClient } from '../../../src/core/sockets/udp';
import { requireBinary } from '../../support/peers';
import { sleep } from '../../support/servers';
import { freeUdpPort, multicastSpec } from '../../support/sockets';

describe('MulticastListener (interface pinned to loopback)', function () {
  it('takes the groups the MULTICAST request kind takes: 224.0.0.0/4 and ff00::/8 (not ff1::, whose first byte is 0x0f)', () => {
    assert.deepEqual(['239.255.0.1', '224.0.0.1', 'ff02::1', 'FF01::1234'].map(isMulticast), [true, true, true, true]);
    assert.deepEqual(['223.255.255.255', '240.0.0.1', '10.0.0.1', 'ff1::1', 'fe80::1', 'ff02.example', ''].map(isMulticast), [false, false, false, false, false, false, false]);
  });

  this.timeout(20_000);

  it('receives datagrams from socat and from NetReq MULTICAST requests, with sender, size and bytes', async () => {
    const port = await freeUdpPort();
    const l = new MulticastListener({ group: '239.255.0.7', port, interface: '127.0.0.1' });
    const got: Datagram[] = [];
    l.on('datagram', (d) => got.push(d));
    await l.start();
    try {
      const socat = requireBinary('socat', 'socat');
      const r = spawnSync(socat, ['-u', 'STDIN', `UDP4-DATAGRAM:239.255.0.7:${port},ip-multicast-if=127.0.0.1,ip-multicast-ttl=1`], { input: 'from socat', timeout: 5000 });
      assert.equal(r.status, 0, r.stderr?.toString());
      await new MulticastClient().send(multicastSpec('239.255.0.7', port, { repeat: 2, everyMs: 20, waitMs: 50 }));
      for (let i = 0; i < 40 && got.length < 3; i++) await sleep(25);
      assert.deepEqual(
        got.map((d) => d.data.toString()),
        ['from socat', 'hello group', 'hello group'],
      );
      assert.ok(got.every((d) => /^127\.0\.0\.1:\d+$/.test(d.from) && d.size === d.data.length));
      assert.equal(l.stats.datagrams, 3);
      assert.ok(l.rate() > 0);
    } finally {
      await l.stop();
    }
  });

  it('IPv6: joins ff01::1235 on ::%lo and receives a NetReq MULTICAST datagram (with the multicast route on lo)', async () => {
    const add = spawnSync('ip', ['-6', 'route', 'add', 'multicast', 'ff01::/16', 'dev', 'lo', 'table', 'local'], { encoding: 'utf8' });
    const added = add.status === 0;
    if (!added && !/File exists/.test(add.stderr)) throw new Error(`cannot add the IPv6 multicast route on lo (needs root and iproute2): ${add.stderr.trim() || add.error?.message}`);
    const port = await freeUdpPort();
    const l = new MulticastListener({ group: 'ff01::1235', port, interface: '::%lo' });
    const got: Datagram[] = [];
    l.on('datagram', (d) => got.push(d));
    try {
      await l.start();
      assert.equal(l.label, `[ff01::1235]:${port} on ::%lo`);
      assert.equal(l.stats.kernelDrops, 0, "found in /proc/net/udp6 by the socket's inode");
      await new MulticastClient().send(multicastSpec('ff01::1235', port, { waitMs: 50 }));
      for (let i = 0; i < 40 && got.length < 1; i++) await sleep(25);
      assert.equal(got.length, 1);
      assert.equal(got[0].data.toString(), 'hello group');
      assert.match(got[0].from, /^\[[0-9a-f:]+(%\w+)?\]:\d+$/);
    } finally {
      await l.stop();
      if (added) spawnSync('ip', ['-6', 'route', 'del', 'multicast', 'ff01::/16', 'dev', 'lo', 'table', 'local']);
    }
  });

  it('several listeners share a port; stopping leaves the group and frees the port', async () => {
    const port = await freeUdpPort();
    const a = new MulticastListener({ group: '239.255.0.8', port, interface: '127.0.0.1' });
    const b = new MulticastListener({ group: '239.255.0.8', port, interface: '127.0.0.1' });
    const seen = { a: 0, b: 0 };
    a.on('datagram', () => seen.a++);
    b.on('datagram', () => seen.b++);
    await a.start();
    await b.start();
    assert.deepEqual([a.stats.kernelDrops, b.stats.kernelDrops], [0, 0], 'each socket found by its inode, though they share the port');
    await new MulticastClient().send(multicastSpec('239.255.0.8', port, { waitMs: 50 }));
    await sleep(100);
    assert.deepEqual(seen, { a: 1, b: 1 });
    await a.stop();
    await b.stop();
    const s = dgram.createSocket('udp4'); // exclusive bind succeeds once both are gone
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => resolve());
    });
    s.close();
  });

  it('explains a non-multicast group and a bad port', async () => {
    await assert.rejects(new MulticastListener({ group: '10.0.0.1', port: 5000 }).start(), /10\.0\.0\.1 is not a multicast group: use 224\.0\.0\.0\/4/);
    await assert.rejects(new MulticastListener({ group: '239.255.0.1', port: 70000 }).start(), /Port 70000 is out of range/);
  });
});
