/** What a resolved TCP, TLS, QOTD, DAYTIME or ECHO block asks the TcpClient to do. */
import type { EolMode, RequestOptions } from '../../request';
import type { streamKinds } from './syntax';

/** Classic RFC 865 / 867 / 862 services (the stream kinds with a default port): plain TCP with a default port. */
export type TcpService = Extract<(typeof streamKinds)[number], { defaultPort: number }>['id'];

/** `TCP host:port`, `TLS host:port`, `QOTD host[:17]`, `DAYTIME host[:13]`, `ECHO host[:7]`. */
export interface TcpRequestSpec {
  kind: 'tcp' | 'tls';
  /** Set for QOTD / DAYTIME / ECHO blocks (kind is then 'tcp'). */
  service?: TcpService;
  /** Host to connect to (no brackets for IPv6). */
  host: string;
  port: number;
  /** TLS SNI (kind 'tls' only); undefined when host is an IP literal. */
  servername?: string;
  /** Bytes to send after connecting (may be empty: then only read). */
  payload: Buffer;
  /** `# @read-until <text>`: stop reading once these bytes have been received. */
  readUntil?: Buffer;
  /** `# @idle`: stop after this much silence once the first byte arrived (default 1000). */
  idleMs: number;
  /** `# @max-bytes`: stop after this many bytes (default options.maxResponseBytes). */
  maxBytes: number;
  /** `# @half-close`: shut down the write side (FIN) after sending. */
  halfClose: boolean;
  /** `# @eol` as written (the payload already has it applied). */
  eol?: EolMode;
  /** `# @hex`: the payload came from hex text. */
  hex: boolean;
  options: RequestOptions;
}
