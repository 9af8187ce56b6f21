import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropsOf, parseProcNetUdp, readKernelDrops, socketInode } from '../../../src/core/listener/kernelDrops';
import { MulticastListener, type ListenerStats } from '../../../src/core/listener/multicast';
import { listenerStatsLine } from '../../../src/extension/tasks/logLines';
import { kernelDropsText } from '../../../src/shared/kernelDrops';
import { sleep } from '../../support/servers';
import { freeUdpPort } from '../../support/sockets';

// Lines as this machine's kernel wrote them (trailing spaces included), one with a drop count edited in.
const UDP = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ',
  ' 3007: 0100007F:8A0B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 47616 2 00000000646f5926 0         ',
  ' 1418: 00000000:1388 00000000:0000 07 00000000:00000A80 00:00000000 00000000     0        0 51234 2 00000000b2c1d0e4 21734     ',
  ' garbage line',
  '',
].join('\n');
const UDP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
  '10576: 00000000000000000000000001000000:A79C 00000000000000000000000001000000:D906 01 00000000:00000000 00:00000000 00000000    13        0 45638 2 00000000666fe294 0',
  '10577: 000080FF000000000000000000000000:1389 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 45700 2 00000000666fe295 7',
].join('\n');

describe('Kernel drops from /proc/net/udp and udp6', function () {
  this.timeout(20_000);

  it('parses address, port, inode, queue and drops from real lines (little-endian host order), skipping the rest', () => {
    assert.deepEqual(parseProcNetUdp(UDP, true), [
      { localAddress: '127.0.0.1', localPort: 0x8a0b, inode: 47616, drops: 0, rxQueue: 0 },
      { localAddress: '0.0.0.0', localPort: 5000, inode: 51234, drops: 21734, rxQueue: 0xa80 },
    ]);
    assert.deepEqual(
      parseProcNetUdp(UDP6, true).map((r) => [r.localAddress, r.localPort, r.inode, r.drops]),
      [
        ['::1', 0xa79c, 45638, 0],
        ['ff80::', 5001, 45700, 7],
      ],
    );
    assert.deepEqual(parseProcNetUdp('x\n1: zz:zz 00000000:0000 07 0:0 0 0 0 0 0 1 2 3', true), []);
  });

  it('finds a socket by inode, or by port only when one socket has it', () => {
    const rows = parseProcNetUdp(UDP, true);
    assert.equal(dropsOf(rows, { inode: 51234, localPort: 1 }), 21734);
    assert.equal(dropsOf(rows, { inode: 99, localPort: 5000 }), undefined, 'an inode that is not there is not guessed from the port');
    assert.equal(dropsOf(rows, { localPort: 5000 }), 21734);
    assert.equal(dropsOf([...rows, { ...rows[1], inode: 1 }], { localPort: 5000 }), undefined, 'two sockets on the port: unknown');
  });

  it('without /proc (another OS) the count is unknown, and says so', async () => {
    const none = path.join(os.tmpdir(), `netreq-no-proc-${process.pid}`);
    assert.equal(await readKernelDrops({ localPort: 5000 }, false, { udp: `${none}/udp`, udp6: `${none}/udp6` }), null);
    assert.equal(kernelDropsText(null), 'kernel drops: unknown');
  });

  it('reads at most the bound of a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-proc-'));
    try {
      fs.writeFileSync(path.join(dir, 'udp'), UDP);
      const files = { udp: path.join(dir, 'udp'), udp6: path.join(dir, 'nope') };
      assert.equal(await readKernelDrops({ inode: 51234, localPort: 5000 }, false, files), 21734);
      assert.equal(await readKernelDrops({ inode: 51234, localPort: 5000 }, false, files, 300), null, 'the line past 300 bytes is not read');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds a real socket's own line by its inode", async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    try {
      const inode = socketInode(s);
      assert.ok(inode && inode > 0, 'the inode comes from /proc/self/fd');
      const row = parseProcNetUdp(fs.readFileSync('/proc/net/udp', 'latin1')).find((r) => r.inode === inode);
      assert.deepEqual(row && [row.localAddress, row.localPort, row.drops], ['127.0.0.1', s.address().port, 0]);
    } finally {
      s.close();
    }
  });

  it('reports the drops of a listener whose small receive buffer overflows while its process is busy', async () => {
    const port = await freeUdpPort();
    const group = '239.255.0.31';
    const SENT = 400;
    const l = new MulticastListener({ group, port, interface: '127.0.0.1', receiveBufferBytes: 4096, statsIntervalMs: 50 });
    const stats: ListenerStats[] = [];
    l.on('stats', (s) => stats.push({ ...s }));
    await l.start();
    try {
      assert.equal(l.stats.kernelDrops, 0, 'read at start: a fresh socket has dropped nothing');
      // spawnSync blocks this process (so the listener reads nothing) while the child sends a burst.
      const script = `const s=require('dgram').createSocket('udp4');s.bind(0,'127.0.0.1',()=>{s.setMulticastInterface('127.0.0.1');let n=0;const b=Buffer.alloc(200,46);for(let i=0;i<${SENT};i++)s.send(b,${port},'${group}',()=>{if(++n===${SENT})s.close()})})`;
      const r = spawnSync(process.execPath, ['-e', script], { timeout: 10_000 });
      assert.equal(r.status, 0, r.stderr?.toString());
      for (let i = 0; i < 100 && l.stats.datagrams + (l.stats.kernelDrops ?? 0) < SENT; i++) {
        await sleep(20);
        await l.pollKernelDrops();
      }
      const drops = l.stats.kernelDrops!;
      assert.ok(drops > 0, `a 4 KB buffer cannot hold ${SENT} datagrams: drops ${drops}, received ${l.stats.datagrams}`);
      assert.equal(l.stats.datagrams + drops, SENT, 'every datagram was either read or counted as dropped by the kernel');
      for (let i = 0; i < 40 && !stats.some((s) => s.kernelDrops === drops); i++) await sleep(25);
      assert.ok(stats.some((s) => s.kernelDrops === drops), 'the periodic `stats` event carries the count');
      assert.match(listenerStatsLine(l), new RegExp(`; kernel drops: ${drops.toLocaleString('en')} \\(the socket's receive buffer was full`));
    } finally {
      await l.stop();
    }
  });
});
