/**
 * The kernel's count of datagrams it dropped for one UDP socket (its receive buffer was full). On Linux that is
 * the `drops` column of /proc/net/udp and /proc/net/udp6, found by the socket's inode (from /proc/self/fd) or,
 * failing that, by its local port when only one socket has it. Elsewhere the count is unknown (`null`).
 * Reads are bounded (MAX_PROC_BYTES); nothing here throws.
 */
import type * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { KernelDrops } from './types';

/** The most read of one /proc file: ~65,000 sockets at 128 bytes a line. */
export const MAX_PROC_BYTES = 8 * 1024 * 1024;

export interface ProcUdpRow {
  localAddress: string;
  localPort: number;
  inode: number;
  drops: number;
  /** Bytes waiting in the receive queue. */
  rxQueue: number;
}

/** "0100007F" (a u32 printed in host byte order) → "127.0.0.1"; 32 hex digits → an IPv6 address. */
function decodeAddress(hex: string, littleEndian: boolean): string | undefined {
  if (!/^(?:[0-9A-Fa-f]{8}){1,4}$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = [0, 2, 4, 6].map((i) => parseInt(hex.slice(w + i, w + i + 2), 16));
    bytes.push(...(littleEndian ? word.reverse() : word));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1); // the URL parser writes it compressed
}

/** The socket lines of /proc/net/udp or /proc/net/udp6 (the header and malformed lines are skipped). */
export function parseProcNetUdp(text: string, littleEndian = os.endianness() === 'LE'): ProcUdpRow[] {
  const rows: ProcUdpRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13 || !/^\d+:$/.test(f[0])) continue;
    const local = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(f[1]);
    const queues = /^[0-9A-Fa-f]+:([0-9A-Fa-f]+)$/.exec(f[4]);
    const inode = Number(f[9]);
    const drops = Number(f[12]);
    if (!local || !queues || !Number.isSafeInteger(inode) || !Number.isSafeInteger(drops)) continue;
    const address = decodeAddress(local[1], littleEndian);
    if (address === undefined) continue;
    rows.push({ localAddress: address, localPort: parseInt(local[2], 16), inode, drops, rxQueue: parseInt(queues[1], 16) });
  }
  return rows;
}

export interface SocketMatch {
  /** The socket's inode (best: unique even when several listeners share the port). */
  inode?: number;
  localPort: number;
}

/** The drops of the socket that matches: by inode when known, else by port when exactly one socket has it. */
export function dropsOf(rows: readonly ProcUdpRow[], m: SocketMatch): number | undefined {
  if (m.inode !== undefined) return rows.find((r) => r.inode === m.inode)?.drops;
  const same = rows.filter((r) => r.localPort === m.localPort);
  return same.length === 1 ? same[0].drops : undefined;
}

/**
 * The socket's inode via its file descriptor (Linux: /proc/self/fd/N → "socket:[inode]"). Node has no public
 * fd for a dgram socket; its internal handle is reached without the deprecated `_handle` getter.
 */
export function socketInode(s: dgram.Socket): number | undefined {
  try {
    for (const sym of Object.getOwnPropertySymbols(s)) {
      const fd = (s as unknown as Record<symbol, { handle?: { fd?: unknown } } | undefined>)[sym]?.handle?.fd;
      if (typeof fd !== 'number' || fd < 0) continue;
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`));
      return m ? Number(m[1]) : undefined;
    }
  } catch {
    /* not Linux, or no /proc: unknown */
  }
  return undefined;
}

/** At most `max` bytes of a file (a /proc file has no size to ask for); undefined when it cannot be read. */
async function readBounded(file: string, max: number): Promise<string | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(file, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < max) {
      const buf = Buffer.alloc(Math.min(64 * 1024, max - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks).toString('latin1');
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The kernel's drop count for the socket: its family's file first, then the other one; null when unknown. */
export async function readKernelDrops(m: SocketMatch, v6: boolean, files = { udp: '/proc/net/udp', udp6: '/proc/net/udp6' }, max = MAX_PROC_BYTES): Promise<KernelDrops> {
  for (const file of v6 ? [files.udp6, files.udp] : [files.udp, files.udp6]) {
    const text = await readBounded(file, max);
    if (text === undefined) continue;
    const d = dropsOf(parseProcNetUdp(text), m);
    if (d !== undefined) return d;
  }
  return null;
}
