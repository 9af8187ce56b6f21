/** What a resolved UDP or MULTICAST block asks the datagram clients to do. */
import type { EolMode, RequestOptions } from '../../request';

/** `UDP host:port`: one datagram, then collect replies. */
export interface UdpRequestSpec {
  kind: 'udp';
  host: string;
  port: number;
  payload: Buffer;
  /** `# @replies N`: stop after N replies (undefined: collect until waitMs). */
  replies?: number;
  /** How long to collect replies: `# @timeout`, default 2000. */
  waitMs: number;
  eol?: EolMode;
  hex: boolean;
  options: RequestOptions;
}

/** `MULTICAST group:port`: datagram(s) to a multicast group. */
export interface MulticastRequestSpec {
  kind: 'multicast';
  /** Group address (no brackets for IPv6). */
  group: string;
  port: number;
  family: 4 | 6;
  payload: Buffer;
  /** `# @ttl N` (0..255, default 1). */
  ttl: number;
  /** `# @interface addr`: local interface address to send from. */
  interface?: string;
  /** `# @loopback on|off` (default on, as the OS does). */
  loopback: boolean;
  /** `# @repeat N every 1s`: number of datagrams (default 1). */
  repeat: number;
  /** Interval between repeats (default 1000). */
  everyMs: number;
  /** `# @replies N`: stop collecting after N replies. */
  replies?: number;
  /** How long to collect replies after the last send: `# @timeout`, default 2000. */
  waitMs: number;
  eol?: EolMode;
  hex: boolean;
  options: RequestOptions;
}
