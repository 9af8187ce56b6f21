/** What a resolved HTTP block asks the HttpClient to send. */
import type { HeaderList } from '../../exchange';
import type { RequestOptions } from '../../request';

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
