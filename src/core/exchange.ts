/**
 * The one result model every protocol fills in: what was sent, what came back,
 * how long each phase took, the TLS session, the connection that carried it,
 * and (if it failed) which phase failed and why.
 *
 * Plain data (Buffers aside), so the CLI, the webview and tests read the same thing.
 */
import type { DnsInfo } from './protocols/dns/types';

/** Phases of a network operation, in order. An error names the phase it hit. */
export type Phase =
  | 'resolve' // variables, files: before anything touches the network
  | 'dns'
  | 'connect'
  | 'proxy'
  | 'tls'
  | 'send'
  | 'wait' // request sent, waiting for the first byte
  | 'receive'
  | 'parse' // the peer's bytes are not a valid response
  | 'decode' // content-encoding could not be decoded (the raw bytes are still kept)
  | 'cancelled';

export interface NetError {
  phase: Phase;
  /** Node's error code when there is one (ECONNREFUSED, CERT_HAS_EXPIRED, ETIMEDOUT...). */
  code?: string;
  /** A sentence a person can act on, e.g. "TLS handshake failed: certificate has expired". */
  message: string;
}

/** Header lines in wire order, repeats kept, names as the peer spelled them. */
export type HeaderList = Array<[name: string, value: string]>;

/** Durations in milliseconds, named like curl/Postman phases. Absent when the phase did not happen (a reused connection has no DNS/connect/TLS). */
export interface Timings {
  dnsLookup?: number;
  tcpConnect?: number;
  /** `# @proxy`: the CONNECT request to the proxy until its 2xx answer (DNS and TCP connect are then the proxy's). */
  proxyTunnel?: number;
  tlsHandshake?: number;
  /** Writing the request bytes until the socket accepted the last one. */
  requestSent?: number;
  /** From request sent to the first response byte (server think time). */
  firstByte?: number;
  /** From the first response byte to the last. */
  download?: number;
  total: number;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string; // ISO 8601
  validTo: string; // ISO 8601
  serialNumber: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
  alpn: string | null;
  servername?: string;
  /** Whether certificate verification was asked for (false with @insecure). */
  verify: boolean;
  /** Whether the peer's chain verified against the trust store and the hostname. */
  authorized: boolean;
  /** Why it did not verify, in words (e.g. "self-signed certificate"). */
  authorizationError?: string;
  /** Leaf first. */
  chain: CertificateInfo[];
}

export interface ConnectionInfo {
  /** Process-wide connection number, 1, 2, 3... */
  id: number;
  reused: boolean;
  /** Requests served on this connection including this one. */
  requestsServed: number;
  /** How long the connection sat idle in the pool before this request (reused only). */
  idleMs?: number;
  /** Whether the connection came from / went back to the pool (false with @no-pool or pooling off). */
  pooled: boolean;
  /** What happened to it after this exchange. */
  afterwards?: 'kept-alive' | 'closed';
  /** Why it was closed, when it was. */
  closeReason?: string;
  /** Set when a reused connection was found closed by the server and the request was sent again on another. */
  retried?: string;
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

export interface HttpRequestRecord {
  method: string;
  /** The URL as a person reads it. */
  url: string;
  /** The request-target on the wire (origin-form, or whatever @raw sent). */
  target: string;
  version: string;
  host: string;
  port: number;
  tls: boolean;
  headers: HeaderList;
  bodyBytes: number;
  /** REST Client conveniences NetReq applied to this request (Basic encoded, GraphQL body built, …), in words. */
  conversions?: string[];
}

export interface InterimResponse {
  /** Its own version (an interim response may differ from the final one). */
  version?: string;
  status: number;
  reason: string;
  headers: HeaderList;
}

export type BodyFraming = 'content-length' | 'chunked' | 'close' | 'none';

export interface HttpResponseRecord {
  version: string;
  status: number;
  reason: string;
  headers: HeaderList;
  /** 1xx responses received before the final one. */
  interim: InterimResponse[];
  /** Chunked trailers. */
  trailers: HeaderList;
  framing: BodyFraming;
  /** The body as received, content-encoding intact, transfer-encoding removed. */
  rawBody: Buffer;
  /** The body decoded for display (gzip/deflate/br); same bytes as rawBody when not encoded. */
  body: Buffer;
  contentEncoding?: string;
  /** Why the body could not be decoded, when it could not. */
  decodeError?: string;
  /** The body went past maxResponseBytes and was cut; the rest was discarded. */
  truncated: boolean;
  /** Body bytes read from the peer (after transfer-decoding); when the body was cut, the cap. */
  bodyBytesOnWire: number;
  /** Interim (1xx) responses received past the first 16: counted, not kept. */
  interimNotKept?: number;
  /** Trailer fields received past the first 100: counted, not kept. */
  trailersNotKept?: number;
  /** Bytes that came after the end of the response (ignored; after a CONNECT, tunnel data). */
  bytesAfterResponse?: number;
  /** A 2xx answer to CONNECT: the connection became a tunnel after the head, so there is no body (RFC 9112 §6.3). */
  tunnel?: boolean;
  /** What a person should know about how the response was read (limits reached, bytes ignored, doubtful framing), in words. */
  notes?: string[];
}

export interface HttpExchange {
  kind: 'http';
  id: string;
  /** Epoch ms when the request started. */
  startedAt: number;
  request: HttpRequestRecord;
  response?: HttpResponseRecord;
  /** Exact bytes written to the socket. */
  sent: Buffer;
  /** Exact bytes read from the socket for this exchange (the first RAW_CAPTURE_BYTES of them). */
  received: Buffer;
  /** All the bytes read from the socket, when that is more than `received` kept. */
  receivedBytes?: number;
  timings: Timings;
  tls?: TlsInfo;
  connection?: ConnectionInfo;
  error?: NetError;
  /**
   * `Authorization: Digest user pass`: the first exchange, which the server answered 401 with a Digest challenge;
   * this exchange is the one retry that answered it. At most one level (the challenge has none of its own).
   */
  authChallenge?: HttpExchange;
  /** Why a Digest challenge was not answered (e.g. no Digest challenge, a header too long), in words. */
  authNote?: string;
}

/** One chunk (TCP/TLS) or datagram (UDP/multicast) in a transcript, in the order it happened. */
export interface TranscriptEntry {
  dir: 'sent' | 'received';
  /** ms since the exchange started. */
  at: number;
  data: Buffer;
  /** Datagrams: the peer address ("127.0.0.1:9001", "[::1]:9001"). */
  peer?: string;
}

/** Why reading stopped, in order of the stop conditions of a socket request. */
export type StopReason = 'peer-closed' | 'read-until' | 'idle' | 'max-bytes' | 'timeout' | 'echo-complete' | 'replies' | 'wait-elapsed' | 'error' | 'cancelled';

export interface SocketRequestRecord {
  /** tcp, tls, qotd, daytime, echo, udp, multicast */
  protocol: string;
  host: string;
  port: number;
  /** "host:port" as a person reads it. */
  target: string;
  payloadBytes: number;
}

/** TCP, TLS (and QOTD / DAYTIME / ECHO), UDP and multicast: what was sent and received, chunk by chunk. */
export interface SocketExchange {
  kind: 'socket';
  id: string;
  startedAt: number;
  request: SocketRequestRecord;
  transcript: TranscriptEntry[];
  sentBytes: number;
  receivedBytes: number;
  /** Received bytes past the capture limit (maxResponseBytes): counted in receivedBytes, not kept in the transcript. */
  uncapturedBytes?: number;
  /** UDP / MULTICAST: replies received, kept or not (the transcript keeps at most DATAGRAM_KEEP of them). */
  datagramsReceived?: number;
  /** UDP / MULTICAST: replies counted but not kept (their bytes are in uncapturedBytes). */
  datagramsNotKept?: number;
  /** Why part of what was received is not in the transcript, in words (set only when something was not kept). */
  captureNote?: string;
  stop: StopReason;
  /** The stop reason in words ("the server closed the connection", "1 s of silence"...). */
  stopDetail: string;
  /** ECHO: whether what came back equals what was sent. */
  echoMatches?: boolean;
  /** DNS: the question, the server, the answer's flags and records (the query and answer bytes are the transcript). */
  dns?: DnsInfo;
  timings: Timings;
  tls?: TlsInfo;
  connection?: ConnectionInfo;
  error?: NetError;
}

export type WsOpcode = 'text' | 'binary' | 'ping' | 'pong' | 'close';

export interface WsFrame {
  dir: 'sent' | 'received';
  /** ms since the session started. */
  at: number;
  opcode: WsOpcode;
  data: Buffer;
  /** Close frames: the code (1000 normal, 1001 going away, ...). */
  closeCode?: number;
  /** Sent by NetReq on its own, not by the user: the pong that answers a ping. */
  auto?: true;
}

export type WsState = 'connecting' | 'open' | 'closing' | 'closed';

export interface WsHandshake {
  /** The upgrade request head exactly as it went out. */
  requestHead: string;
  status?: number;
  reason?: string;
  /** Response headers in wire order. */
  responseHeaders: HeaderList;
  /** The negotiated subprotocol, if any. */
  protocol?: string;
  /** A non-101 answer's body (first 64 KB). */
  responseBody?: Buffer;
}

/** A WebSocket session: the handshake, then every frame both ways. */
export interface WsExchange {
  kind: 'ws';
  id: string;
  startedAt: number;
  request: { url: string; host: string; port: number; tls: boolean; target: string; headers: HeaderList; protocols: string[] };
  handshake: WsHandshake;
  /** The newest frames (a long session keeps the last `keepFrames`, see WsSession). */
  frames: WsFrame[];
  /** Earlier frames no longer kept (counted, sizes in the totals of whoever displays them). */
  framesDropped?: number;
  state: WsState;
  closeCode?: number;
  closeReason?: string;
  /** Who started the close: the client (us), the server, or an error/abort. */
  closedBy?: 'client' | 'server' | 'error';
  timings: Timings;
  tls?: TlsInfo;
  connection?: ConnectionInfo;
  error?: NetError;
}

export type Exchange = HttpExchange | SocketExchange | WsExchange;

let nextExchange = 1;
export function newExchangeId(): string {
  return `x${nextExchange++}`;
}

/** A socket exchange before anything happened (stopped by 'error' until the engine says otherwise). */
export function newSocketExchange(request: SocketRequestRecord): SocketExchange {
  return { kind: 'socket', id: newExchangeId(), startedAt: Date.now(), request, transcript: [], sentBytes: 0, receivedBytes: 0, stop: 'error', stopDetail: '', timings: { total: 0 } };
}
