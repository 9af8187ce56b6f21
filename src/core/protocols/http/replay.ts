/**
 * "Open as .netreq" for a proxy flow: a document NetReq can send again (the unit tests parse and resolve
 * what it writes and compare the bytes).
 *
 * - Plain HTTP: the client's request — method, absolute URL, end-to-end headers, body (the first 64 KB the
 *   proxy kept) — exactly, or with a comment saying what could not be carried.
 * - CONNECT: the proxy saw only host:port (the bytes are encrypted): an HTTPS GET and a TLS handshake block.
 */
import type { HeaderList } from '../../exchange';
import { BODY_VAR, inlineHttpBody, isPlainHost, isPlainText, netreqDocument, oneLine, Preamble, splitTrailingSpaces, utf8 } from '../../netreq/netreqText';
import { hostPort } from '../../transport/address';
import { clockText } from '../../../common/format';

/** What replay needs of a proxy flow (core's Flow has it all). */
export interface ReplayFlow {
  kind: 'http' | 'tunnel';
  startedAt: number;
  client: string;
  method: string;
  target: string;
  requestHeaders: HeaderList;
  requestBody?: Uint8Array;
  /** Body bytes the client sent (the proxy keeps the first 64 KB of them). */
  bytesUp: number;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): they were for the proxy hop, not for the target. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The client's headers minus hop-by-hop ones (and those its Connection header names). */
export function endToEndHeaders(headers: HeaderList): HeaderList {
  const named = new Set<string>();
  for (const [k, v] of headers) if (k.toLowerCase() === 'connection') for (const t of v.split(',')) named.add(t.trim().toLowerCase());
  return headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && !named.has(k.toLowerCase()));
}

const formatBytes = (n: number) => (n < 1024 ? `${n} bytes` : `${Math.round(n / 1024)} KB`);

/** The authority (host[:port]) of a CONNECT target, split; undefined when it is not host:port. */
export function splitAuthority(target: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
  if (!m || !isPlainHost(m[1])) return undefined;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1], port } : undefined;
}

export function flowToNetreq(flow: ReplayFlow): string {
  return flow.kind === 'tunnel' ? tunnelToNetreq(flow) : httpToNetreq(flow);
}

function httpToNetreq(flow: ReplayFlow): string {
  const pre = new Preamble();
  const notes: string[] = [`# Captured by the NetReq proxy at ${clockText(flow.startedAt)} UTC from ${oneLine(flow.client)}.`];
  const body = flow.requestBody ?? new Uint8Array(0);
  const cut = flow.bytesUp > body.length;
  const original = endToEndHeaders(flow.requestHeaders);
  const chunked = flow.requestHeaders.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  let bodyLines: string[] = [];
  let exact = !cut;
  if (body.length > 0) {
    const text = utf8(body);
    if (text === undefined || !isPlainText(text)) {
      exact = false;
      notes.push(`# The request body (${formatBytes(flow.bytesUp)}) is not text, so it is not written here: save it to a file and add the line < ./body.bin as the body.`);
    } else {
      const inline = inlineHttpBody(text);
      if (inline) bodyLines = inline.map((l) => pre.literal(l));
      else {
        const [value, spaces] = splitTrailingSpaces(text);
        pre.define(BODY_VAR, value);
        bodyLines = [`{{${BODY_VAR}}}${spaces}`];
      }
    }
    if (cut) notes.push(`# Only the first ${formatBytes(body.length)} of the body (${formatBytes(flow.bytesUp)}) were captured; this block sends those.`);
  } else if (cut) {
    notes.push(`# The request had a ${formatBytes(flow.bytesUp)} body that was not captured.`);
  }
  if (chunked) notes.push('# The client sent the body chunked; NetReq sends the same bytes with a Content-Length.');
  const headerLines: string[] = [];
  for (const [name, value] of original) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' && (!exact || chunked)) continue; // NetReq writes the right one
    if (name.startsWith('#') || (headerLines.length === 0 && name.startsWith('&')) || !isPlainText(value) || /[\r\n]/.test(value)) {
      notes.push(`# Header ${JSON.stringify(oneLine(name, 60))} is left out: NetReq would not read it back as a header.`);
      continue;
    }
    headerLines.push(`${name}: ${pre.literal(value)}`);
  }
  const dropped = flow.requestHeaders.filter(([k]) => !original.some(([o]) => o === k));
  if (dropped.length > 0) notes.push(`# Left out (they were for the proxy hop): ${[...new Set(dropped.map(([k]) => oneLine(k, 40)))].join(', ')}.`);
  let url = flow.target;
  if (!/^https?:\/\/\S+$/.test(url)) {
    notes.push(`# The client's request target was not an absolute http:// URL (the proxy answered 400): write the URL to send to.`);
    url = `http://127.0.0.1/${encodeURIComponent(oneLine(url, 200))}`;
  }
  const requestLine = `${flow.method} ${pre.literal(url)}`;
  const block = [`### ${oneLine(`${flow.method} ${flow.target}`)}`, ...notes, requestLine, ...headerLines];
  if (bodyLines.length > 0) block.push('', ...bodyLines);
  return netreqDocument(pre, block);
}

function tunnelToNetreq(flow: ReplayFlow): string {
  const at = splitAuthority(flow.target);
  const intro = [`# A CONNECT tunnel to ${oneLine(flow.target)} through the NetReq proxy at ${clockText(flow.startedAt)} UTC from ${oneLine(flow.client)}.`];
  if (!at) {
    return [...intro, `# ${JSON.stringify(oneLine(flow.target))} is not a host:port NetReq can connect to, so there is nothing to send again.`, ''].join('\n');
  }
  const url = `https://${at.host}${at.port === 443 ? '' : `:${at.port}`}/`;
  return [
    ...intro,
    '# The bytes inside were encrypted: the proxy saw only the host and port. Two ways to go there again:',
    '',
    `### HTTPS GET ${hostPort(at.host, at.port)}`,
    `GET ${url}`,
    '',
    `### TLS handshake with ${hostPort(at.host, at.port)} (the TLS tab shows the certificate; write bytes to send below)`,
    `TLS ${hostPort(at.host, at.port)}`,
    '',
  ].join('\n');
}
