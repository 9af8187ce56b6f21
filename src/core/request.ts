/**
 * What a resolved `.netreq` block asks the engine to do. Each protocol module defines its own spec type
 * (src/core/protocols/<id>/spec.ts); `RequestSpec` is their union, derived from the module list in
 * protocols/specs.ts. The names are re-exported here so callers import every spec from one place.
 */
import type { HeaderList } from './exchange';
import type { MulticastRequestSpec, UdpRequestSpec } from './protocols/datagram/spec';
import type { DnsRequestSpec } from './protocols/dns/spec';
import type { HttpRequestSpec } from './protocols/http/spec';
import type { AnySpec } from './protocols/specs';
import type { TcpRequestSpec, TcpService } from './protocols/stream/spec';
import type { WsMessage, WsRequestSpec } from './protocols/ws/spec';

export type { DnsRequestSpec, HttpRequestSpec, MulticastRequestSpec, TcpRequestSpec, TcpService, UdpRequestSpec, WsMessage, WsRequestSpec };

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

/** Where a URL request (HTTP, WS) connects and what it asks for there; each spec says more about its fields. */
export interface UrlRequestTarget {
  /** The URL as resolved, for display (e.g. https://127.0.0.1:8443/path). */
  url: string;
  tls: boolean;
  /** Host to connect to (no brackets for IPv6); `# @connect` puts another address here than the URL's. */
  host: string;
  port: number;
  /** TLS SNI / hostname to verify; defaults to host (never an IP literal on the wire, per RFC 6066). */
  servername?: string;
  /** The request-target (path + query) of the request line. */
  target: string;
  /** Headers as written after substitution. */
  headers: HeaderList;
  options: RequestOptions;
}

/** How text body lines become payload bytes (`# @eol`). Absent: lines joined with CRLF, nothing after the last. */
export type EolMode = 'lf' | 'crlf' | 'none';

/** Any resolved request, whichever module resolves it (one member per module in protocols/specs.ts). */
export type RequestSpec = AnySpec;
