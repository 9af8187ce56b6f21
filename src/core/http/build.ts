/** The exact request bytes: what the user wrote, CRLF line endings, Host / Content-Length added only when missing. */
import type { HeaderList, HttpRequestRecord } from '../exchange';
import type { HttpRequestSpec } from '../request';
import { hostForUrl, hostPort } from '../transport/address';

export function hasHeader(headers: HeaderList, name: string): boolean {
  const n = name.toLowerCase();
  return headers.some(([k]) => k.toLowerCase() === n);
}

export function headerValues(headers: HeaderList, name: string): string[] {
  const n = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** Host header value: host[:port], port omitted when it is the scheme's default; IPv6 in brackets. */
export function hostHeader(host: string, port: number, tls: boolean): string {
  return port === (tls ? 443 : 80) ? hostForUrl(host) : hostPort(host, port);
}

/** The headers that go on the wire (spec headers plus Host / Content-Length when missing). */
export function wireHeaders(spec: HttpRequestSpec): HeaderList {
  const headers: HeaderList = [...spec.headers];
  if (!hasHeader(headers, 'host') && !spec.version.startsWith('HTTP/0.9')) {
    headers.unshift(['Host', hostHeader(spec.host, spec.port, spec.tls)]);
  }
  const bodyLen = spec.body?.length ?? 0;
  if (bodyLen > 0 && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers.push(['Content-Length', String(bodyLen)]);
  }
  return headers;
}

export function buildRequest(spec: HttpRequestSpec): { bytes: Buffer; record: HttpRequestRecord } {
  if (spec.raw) return { bytes: spec.raw, record: recordFromRaw(spec) };
  const headers = wireHeaders(spec);
  let head = `${spec.method} ${spec.target} ${spec.version}\r\n`;
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const headBuf = Buffer.from(head, 'latin1');
  const bytes = spec.body && spec.body.length > 0 ? Buffer.concat([headBuf, spec.body]) : headBuf;
  return {
    bytes,
    record: {
      method: spec.method,
      url: spec.url,
      target: spec.target,
      version: spec.version,
      host: spec.host,
      port: spec.port,
      tls: spec.tls,
      headers,
      bodyBytes: spec.body?.length ?? 0,
      ...(spec.conversions?.length ? { conversions: [...spec.conversions] } : {}),
    },
  };
}

/** Best-effort description of a `# @raw` request, read back from its bytes. */
function recordFromRaw(spec: HttpRequestSpec): HttpRequestRecord {
  const raw = spec.raw!;
  const text = raw.toString('latin1');
  let end = text.indexOf('\r\n\r\n');
  if (end < 0) end = text.length;
  const lines = text.slice(0, end).split('\r\n');
  const m = /^\s*(\S+)(?:\s+(\S+))?(?:\s+(\S+))?/.exec(lines[0] ?? '');
  const method = m?.[1] ?? spec.method;
  const target = m?.[2] ?? spec.target;
  const version = m?.[3] ?? '';
  const headers: HeaderList = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i), line.slice(i + 1).trim()]);
  }
  return {
    method,
    url: spec.url,
    target,
    version,
    host: spec.host,
    port: spec.port,
    tls: spec.tls,
    headers,
    bodyBytes: Math.max(0, raw.length - end - 4),
  };
}
