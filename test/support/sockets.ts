/** Request specs for socket tests. */
import * as dgram from 'node:dgram';
import { DEFAULT_OPTIONS, type MulticastRequestSpec, type RequestOptions, type TcpRequestSpec, type UdpRequestSpec } from '../../src/core/request';

export function tcpSpec(port: number, over: Partial<TcpRequestSpec> = {}, options: Partial<RequestOptions> = {}): TcpRequestSpec {
  return {
    kind: 'tcp',
    host: '127.0.0.1',
    port,
    payload: Buffer.alloc(0),
    idleMs: 1000,
    maxBytes: 1024 * 1024,
    halfClose: false,
    hex: false,
    ...over,
    options: { ...DEFAULT_OPTIONS, timeoutMs: 5000, ...options },
  };
}

export function udpSpec(port: number, over: Partial<UdpRequestSpec> = {}): UdpRequestSpec {
  return { kind: 'udp', host: '127.0.0.1', port, payload: Buffer.from('ping'), waitMs: 1000, hex: false, ...over, options: { ...DEFAULT_OPTIONS } };
}

export function multicastSpec(group: string, port: number, over: Partial<MulticastRequestSpec> = {}): MulticastRequestSpec {
  return {
    kind: 'multicast',
    group,
    port,
    family: group.includes(':') ? 6 : 4,
    payload: Buffer.from('hello group'),
    ttl: 1,
    interface: group.includes(':') ? '::%lo' : '127.0.0.1',
    loopback: true,
    repeat: 1,
    everyMs: 100,
    waitMs: 500,
    hex: false,
    ...over,
    options: { ...DEFAULT_OPTIONS },
  };
}

/** A UDP port nothing listens on (bound, read, released). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
