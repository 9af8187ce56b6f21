/** What a resolved HTTP block asks the HttpClient to send. */
import type { UrlRequestTarget } from '../../request';

export interface HttpRequestSpec extends UrlRequestTarget {
  kind: 'http';
  method: string;
  /** request-target as written on the request line (origin-form normally; as written with `# @raw`). */
  target: string;
  /** e.g. "HTTP/1.1" */
  version: string;
  body?: Buffer;
  /** `# @raw`: these exact bytes go on the wire; nothing is added or changed (else the engine adds Host / Content-Length when missing). */
  raw?: Buffer;
  /** REST Client conveniences applied while resolving (in words; shown with the exchange). Absent with `# @raw`. */
  conversions?: string[];
  /** `Authorization: Digest user pass`: the header was removed; a 401 Digest challenge is answered once with these. */
  digest?: { username: string; password: string };
}
