/**
 * What a resolved `.netreq` block asks the engine to do. The parser + resolver
 * (src/core/netreq) produce these; the protocol clients consume them.
 */
import type { HeaderList } from './exchange';

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

export type RequestSpec = HttpRequestSpec;
