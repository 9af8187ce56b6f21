import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import { formatAnyExchange, PLAIN } from '../../../src/cli/format';
import { exchangeToJson } from '../../../src/core/protocols/registry';
import { DATAGRAM_KEEP, MulticastClient, UdpClient } from '../../../src/core/sockets/udp';
import { formatBytes } from '../../../src/common/format';
import { startSocat, type Peer } from '../../support/peers';
import { freeUdpPort, multicastSpec, udpSpec } from '../../support/sockets';

const received = (x: { transcript: Array<{ dir: string; data: Buffer }> }) => x.transcript.filter((e) => e.dir === 'received');

describe('UDP datagrams against socat', function () {
  this.timeout(20_000);
  const client = new UdpClient();
  let echo: Peer;

  before(async () => {
    echo = await startSocat('udp', 'EXEC:cat');
  });
  after(async () => echo?.stop());

  it('sends one datagram and collects the echo with sender, size and time', async () => {
    const x = await client.send(udpSpec(echo.port, { payload: Buffer.from('ping 1'), replies: 1 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.stop, 'replies');
    const r = received(x);
    assert.equal(r.length, 1);
    assert.equal(r[0].data.toString(), 'ping 1');
    assert.equal(x.transcript.find((e) => e.dir === 'received')!.peer, `127.0.0.1:${echo.port}`);
    assert.ok(x.timings.firstByte! >= 0);
  });

  it('keeps collecting until the reply window ends', async () => {
    const x = await client.send(udpSpec(echo.port, { waitMs: 300 }));
    assert.equal(x.stop, 'wait-elapsed');
    assert.equal(received(x).length, 1);
    assert.match(x.stopDetail, /300 ms reply window ended/);
  });

  it('says "no one is listening" on a closed port instead of timing out silently', async () => {
    const port = await freeUdpPort();
    const x = await client.send(udpSpec(port, { waitMs: 2000 }));
    assert.equal(x.error?.code, 'ECONNREFUSED');
    assert.equal(x.error?.message, `No one is listening on 127.0.0.1:${port}: the host answered "port unreachable" (ICMP)`);
    assert.ok(x.timings.total < 1500, 'it did not wait for the whole window');
  });

  it('refuses a payload larger than a datagram, before sending', async () => {
    const x = await client.send(udpSpec(echo.port, { payload: Buffer.alloc(70_000) }));
    assert.equal(x.error?.phase, 'send');
    assert.match(x.error!.message, /The payload is 70000 bytes, but a UDP datagram over IPv4 holds at most 65,507 bytes/);
    assert.equal(x.sentBytes, 0);
  });
});

describe('MULTICAST sends, interface pinned to loopback', function () {
  this.timeout(20_000);
  const client = new MulticastClient();

  async function receiver(group: string, iface: string, type: 'udp4' | 'udp6') {
    const got: Array<{ data: string; from: string }> = [];
    const s = dgram.createSocket({ type, reuseAddr: true });
    await new Promise<void>((r) => s.bind(0, r));
    s.addMembership(group, iface);
    s.on('message', (m, rinfo) => {
      got.push({ data: m.toString(), from: `${rinfo.address}:${rinfo.port}` });
      s.send(`ack ${m}`, rinfo.port, rinfo.address); // a unicast reply to the sender
    });
    return { port: s.address().port, got, close: () => s.close() };
  }

  it('IPv4: a group member on lo receives every repeat, and the sender collects the replies', async () => {
    const r = await receiver('239.255.0.1', '127.0.0.1', 'udp4');
    try {
      const x = await client.send(multicastSpec('239.255.0.1', r.port, { repeat: 3, everyMs: 50, replies: 3 }));
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(r.got.length, 3);
      assert.ok(r.got.every((g) => g.data === 'hello group'));
      assert.equal(x.transcript.filter((e) => e.dir === 'sent').length, 3);
      assert.equal(x.stop, 'replies');
      assert.deepEqual(
        received(x).map((e) => e.data.toString()),
        ['ack hello group', 'ack hello group', 'ack hello group'],
      );
    } finally {
      r.close();
    }
  });

  it('IPv6: ff01::1234 on lo (after adding the link-local multicast route the peers note describes)', async function () {
    const add = spawnSync('ip', ['-6', 'route', 'add', 'multicast', 'ff01::/16', 'dev', 'lo', 'table', 'local'], { encoding: 'utf8' });
    const added = add.status === 0;
    if (!added && !/File exists/.test(add.stderr)) {
      throw new Error(`cannot add the IPv6 multicast route on lo (needs root and iproute2): ${add.stderr.trim() || add.error?.message}`);
    }
    try {
      const r = await receiver('ff01::1234', '::%lo', 'udp6');
      try {
        const x = await client.send(multicastSpec('ff01::1234', r.port, { replies: 1 }));
        assert.equal(x.error, undefined, x.error?.message);
        assert.equal(r.got.length, 1);
        assert.equal(received(x)[0].data.toString(), 'ack hello group');
      } finally {
        r.close();
      }
    } finally {
      if (added) spawnSync('ip', ['-6', 'route', 'del', 'multicast', 'ff01::/16', 'dev', 'lo', 'table', 'local']);
    }
  });

  it('no group member: nothing comes back and the window says so', async () => {
    const x = await client.send(multicastSpec('239.255.0.2', await freeUdpPort(), { waitMs: 200 }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.stop, 'wait-elapsed');
    assert.equal(x.stopDetail, 'no reply within 200 ms');
  });

  it('cancelled between repeats: stops at once, sends no more, and leaves no pause timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const port = await freeUdpPort();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const before = timers(); // with the abort timer
    const pending = client.send(multicastSpec('239.255.0.2', port, { repeat: 3, everyMs: 30_000, waitMs: 200 }), { signal: ac.signal });
    const x = await pending;
    assert.equal(x.stop, 'cancelled');
    assert.equal(x.transcript.filter((e) => e.dir === 'sent').length, 1);
    // The 30 s pause's timer was cleared (it used to stay armed, holding a process that wanted to exit); the abort
    // timer has fired too.
    await new Promise((r) => setImmediate(r));
    assert.ok(timers() < before, `${timers()} timers now, ${before} before the send`);
  });
});

/**
 * A hostile loopback peer: answers the first datagram with `count` datagrams of `size` bytes (bounded), paced
 * so that the kernel's receive buffer keeps up (the client reads in the same process between bursts).
 */
async function floodPeer(count: number, size: number, burst: number) {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  let sent = 0;
  s.once('message', async (_m, rinfo) => {
    const data = Buffer.alloc(size, 0x46);
    while (sent < count) {
      for (let i = 0; i < burst && sent < count; i++, sent++) s.send(data, rinfo.port, rinfo.address);
      await new Promise((r) => setImmediate(r));
    }
  });
  return { port: s.address().port, sent: () => sent, close: () => s.close() };
}

describe('UDP against a flooding peer: replies kept are capped, the rest counted and said in words', function () {
  this.timeout(20_000);

  it('keeps the first 1,000 replies, counts the rest, and ends normally at the reply window', async () => {
    const peer = await floodPeer(1500, 100, 8);
    try {
      const x = await new UdpClient().send(udpSpec(peer.port, { waitMs: 1000 }));
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.stop, 'wait-elapsed');
      assert.equal(peer.sent(), 1500);
      const got = x.datagramsReceived!;
      assert.ok(got > DATAGRAM_KEEP.count, `received ${got}: the peer's flood must exceed what is kept (a loopback drop would be rare)`);
      assert.equal(received(x).length, 1000);
      assert.equal(x.datagramsNotKept, got - 1000);
      assert.equal(x.receivedBytes, got * 100);
      assert.equal(x.uncapturedBytes, (got - 1000) * 100);
      assert.equal(
        x.captureNote,
        `kept the first 1,000 replies (97.7 KB) of ${got.toLocaleString('en')} replies received; ${(got - 1000).toLocaleString('en')} more (${formatBytes((got - 1000) * 100)}) were counted, not kept: a datagram exchange keeps at most 1,000 replies and 16 MB`,
      );
      // The CLI's text and --json say it too.
      const text = formatAnyExchange(x, 'flood', PLAIN, false);
      assert.ok(text.includes(`received ${formatBytes(got * 100)} in ${got} · stopped: the 1 s reply window ended`), text.slice(-400));
      assert.ok(text.includes(`[${x.captureNote}]`));
      const json = JSON.parse(JSON.stringify(exchangeToJson(x))) as Record<string, unknown>;
      assert.equal(json.captureNote, x.captureNote);
      assert.equal(json.datagramsReceived, got);
      assert.equal(json.datagramsNotKept, got - 1000);
    } finally {
      peer.close();
    }
  });

  it('60 KB replies stop being kept at netreq.maxResponseBytes when that is below 16 MB', async () => {
    const peer = await floodPeer(12, 60_000, 1);
    try {
      const spec = udpSpec(peer.port, { waitMs: 800 });
      spec.options.maxResponseBytes = 256 * 1024;
      const x = await new UdpClient().send(spec);
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.stop, 'wait-elapsed');
      const got = x.datagramsReceived!;
      assert.ok(got > 4, `received ${got} of 12 (paced one at a time, so the kernel keeps them)`);
      assert.equal(received(x).length, 4, '4 × 60,000 B fit in 256 KB, a fifth does not');
      assert.equal(x.datagramsNotKept, got - 4);
      assert.equal(x.uncapturedBytes, (got - 4) * 60_000);
      assert.match(x.captureNote!, /^kept the first 4 replies \(234 KB\) of \d+ replies received; \d+ more \([\d.]+ KB\) were counted, not kept: a datagram exchange keeps at most 1,000 replies and 256 KB \(netreq\.maxResponseBytes\)$/);
    } finally {
      peer.close();
    }
  });

  it('`# @replies` above 1,000 raises the count kept (the bytes cap still holds)', async () => {
    const peer = await floodPeer(1200, 10, 8);
    try {
      const x = await new UdpClient().send(udpSpec(peer.port, { waitMs: 1000, replies: 1100 }));
      assert.equal(x.error, undefined, x.error?.message);
      assert.equal(x.stop, 'replies');
      assert.equal(received(x).length, 1100);
      assert.equal(x.datagramsNotKept, undefined);
      assert.equal(x.captureNote, undefined);
    } finally {
      peer.close();
    }
  });
});
