/**
 * What a resolved `.netreq` block asks the engine to do. The parser + resolver
 * (src/core/netreq) produce these; the protocol clients consume them.
 */
import type { HeaderList } from './exchange';
import type { DnsRequestSpec } from './protocols/dns/types';
import type { streamKinds } from './protocols/stream/syntax';

export type { DnsRequestSpec };

/** Options every request kind carries, after directives, settings and defaults are merged. */
export interface RequestOptions {
  /** Bound on the whole operation and on each phase, ms. `# @timeout`, setting netreq.timeout (default 30 000). */
  timeoutMs: number;
  /** Accept any TLS certificate (`# @insecure`, CLI --insecure, setting). */
  insecure: boolean;
  /** A fresh connection, closed afterwards (`# @no-pool`, setting netreq.pool.enabled=false). */
  noPool: boolean;
  /** Cap on the response body kept in memory; past it the body is cut with a notice. */
  maxResponseBytes: number;
  /** `# @proxy http://host:port` (CONNECT tunnel). */
  proxy?: string;
  /** Extra trusted CA certificates (PEM), on top of Node's bundled roots (setting netreq.tls.caFiles, CLI --cacert). */
  ca?: Array<string | Buffer>;
}

export const DEFAULT_OPTIONS: RequestOptions = {
  timeoutMs: 30_000,
  insecure: false,
  noPool: false,
  maxResponseBytes: 50 * 1024 * 1024,
};

export interface HttpRequestSpec {
  kind: 'http';
  method: string;
  /** Display URL, e.g. https://127.0.0.1:8443/path */
  url: string;
  tls: boolean;
  /** Host to connect to (no brackets for IPv6). */
  host: string;
  port: number;
  /** TLS SNI / hostname to verify; defaults to host (never an IP literal on the wire, per RFC 6066). */
  servername?: string;
  /** request-target as written on the request line (origin-form normally). */
  target: string;
  /** e.g. "HTTP/1.1" */
  version: string;
  /** Headers as written after substitution; the engine adds Host / Content-Length when missing (not with raw). */
  headers: HeaderList;
  body?: Buffer;
  /** `# @raw`: these exact bytes go on the wire; nothing is added or changed. */
  raw?: Buffer;
  options: RequestOptions;
}

/** How text body lines become payload bytes (`# @eol`). Absent: lines joined with CRLF, nothing after the last. */
export type EolMode = 'lf' | 'crlf' | 'none';

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

export interface WsMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** 0-based line of the message in the .netreq file. */
  line?: number;
  /** Pause before sending this message (a `# @wait` line before it in the body), ms. */
  pauseMs?: number;
}

/** `WS ws://host/path`, `WS wss://…`: handshake, then the messages. */
export interface WsRequestSpec {
  kind: 'ws';
  /** Full URL as resolved, e.g. wss://127.0.0.1:8443/chat */
  url: string;
  tls: boolean;
  host: string;
  port: number;
  servername?: string;
  /** Path + query for the handshake request line. */
  target: string;
  /** Extra handshake headers as written after substitution. */
  headers: HeaderList;
  messages: WsMessage[];
  /** `# @wait`: keep the session open this long after the last send (default 1000). */
  waitMs: number;
  options: RequestOptions;
}

export type SocketRequestSpec = TcpRequestSpec | UdpRequestSpec | MulticastRequestSpec | WsRequestSpec;

export type RequestSpec = HttpRequestSpec | SocketRequestSpec | DnsRequestSpec;
