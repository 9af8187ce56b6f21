/** Peers for the DNS tests: Debian's dnsmasq as a real resolver, and hostile UDP/TCP servers written here. */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { freePort, requireBinary, spawnPeer, tempDir, type Peer } from '../../../support/peers';

/**
 * dnsmasq in the foreground on 127.0.0.1 on a free port, answering only from its flags: example.test (and names
 * under it) → 127.0.0.42, a TXT and an MX record; other names under .test are NXDOMAIN (--local), the rest REFUSED.
 */
export async function startDnsmasq(): Promise<Peer> {
  const bin = requireBinary('dnsmasq', 'dnsmasq-base');
  const dir = tempDir('dnsmasq');
  const port = await freePort();
  return spawnPeer(
    'dnsmasq',
    bin,
    [
      '--keep-in-foreground',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      '--pid-file=',
      '--local=/test/',
      '--address=/example.test/127.0.0.42',
      '--txt-record=txt.example.test,hello dns',
      '--mx-host=example.test,mail.example.test,10',
    ],
    port,
    dir,
  );
}

/** A UDP server on 127.0.0.1 that answers each query with what `reply` makes of it (nothing when it returns []). */
export async function hostileUdp(reply: (query: Buffer) => Buffer[]): Promise<{ port: number; queries: number; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  const state = { port: 0, queries: 0, close: () => new Promise<void>((r) => sock.close(() => r())) };
  sock.on('message', (msg, rinfo) => {
    state.queries++;
    for (const out of reply(msg)) sock.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  state.port = sock.address().port;
  return state;
}

/** A TCP server on 127.0.0.1 that writes `reply` after the first bytes arrive, then ends the connection. */
export async function hostileTcp(reply: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((s) => {
    s.once('data', () => s.end(reply));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
