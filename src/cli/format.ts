/**
 * Human-readable rendering of an exchange for the terminal. Network bytes never reach the terminal raw: text from
 * outside is escaped before it is styled (`safeLine` for what belongs on one line, `safeText` for bodies), and the
 * CLI's sink (`terminalIo` in main.ts) escapes everything again, keeping only the colour codes of `COLOR`.
 */
import type { Exchange, HttpExchange, SocketExchange, Timings, TlsInfo, WsExchange } from '../core/exchange';
import { describeClose } from '../core/sockets/ws';
import { formatBytes, formatMs } from '../common/format';
import { chunkText, safeLine, safeText } from '../core/text';
import { formatDnsExchange } from './formatDns';

export { chunkText, safeLine, safeText };

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (a: number, b: number) => (s: string) => `\x1b[${a}m${s}\x1b[${b}m`;
export const COLOR: Style = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

export function timingLine(t: Timings): string {
  const parts: string[] = [];
  if (t.dnsLookup !== undefined) parts.push(`dns ${formatMs(t.dnsLookup)}`);
  if (t.tcpConnect !== undefined) parts.push(`connect ${formatMs(t.tcpConnect)}`);
  if (t.proxyTunnel !== undefined) parts.push(`proxy CONNECT ${formatMs(t.proxyTunnel)}`);
  if (t.tlsHandshake !== undefined) parts.push(`tls ${formatMs(t.tlsHandshake)}`);
  if (t.requestSent !== undefined) parts.push(`sent ${formatMs(t.requestSent)}`);
  if (t.firstByte !== undefined) parts.push(`first byte ${formatMs(t.firstByte)}`);
  if (t.download !== undefined) parts.push(`download ${formatMs(t.download)}`);
  parts.push(`total ${formatMs(t.total)}`);
  return parts.join(' · ');
}

/** Text when the bytes are UTF-8 without NULs; undefined for binary. */
export function asText(b: Buffer): string | undefined {
  if (b.includes(0)) return undefined;
  const s = b.toString('utf8');
  return s.includes('\uFFFD') && !b.toString('latin1').includes('\uFFFD') ? undefined : s;
}

export function formatExchange(x: HttpExchange, header: string, style: Style, verbose: boolean): string {
  const out: string[] = [];
  out.push(style.bold(header));
  const r = x.request;
  out.push(style.cyan(safeLine(`${r.method} ${r.url}`)) + style.dim(` ${r.version}`));
  if (verbose) {
    out.push(style.dim('--- sent ---'));
    out.push(style.dim(safeText(x.sent.subarray(0, 64 * 1024).toString('latin1')).replace(/\n/g, '⏎\n')));
    out.push(style.dim('------------'));
  }
  const res = x.response;
  if (res) {
    for (const i of res.interim) out.push(style.dim(`${safeLine(i.version ?? res.version)} ${i.status} ${safeLine(i.reason)}`));
    const color = res.status >= 500 ? style.red : res.status >= 400 ? style.yellow : res.status >= 300 ? style.cyan : style.green;
    const conn = x.connection;
    const connText = conn ? ` · connection #${conn.id} ${conn.reused ? `reused (request ${conn.requestsServed})` : 'new'}` : '';
    out.push(`${color(style.bold(`${res.version} ${res.status} ${safeLine(res.reason)}`))}${style.dim(`  ${formatMs(x.timings.total)} · ${formatBytes(res.bodyBytesOnWire)}${connText}`)}`);
    for (const [k, v] of res.headers) out.push(`${style.dim(safeLine(k) + ':')} ${safeLine(v)}`);
    out.push('');
    const text = asText(res.body);
    if (res.body.length === 0) {
      // no body
    } else if (text !== undefined) {
      out.push(safeText(text));
    } else {
      out.push(style.dim(`[binary body, ${formatBytes(res.body.length)}; --json carries it as base64]`));
    }
    for (const [k, v] of res.trailers) out.push(`${style.dim('trailer ' + safeLine(k) + ':')} ${safeLine(v)}`);
    if (res.truncated) out.push(style.yellow(`[body cut at ${formatBytes(res.body.length)} (maxResponseBytes); the rest was not read]`));
    if (res.decodeError) out.push(style.yellow(`[${safeLine(res.decodeError)}]`));
    for (const n of res.notes ?? []) out.push(style.yellow(`[${safeLine(n)}]`));
  }
  if (x.error) out.push(errorLine(x.error, style));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) {
    const t = x.tls;
    out.push(tlsLine(t, style));
    if (verbose) {
      for (const c of t.chain) {
        out.push(style.dim(`  cert  ${safeLine(c.subject)}  issuer ${safeLine(c.issuer)}`));
        out.push(style.dim(safeLine(`        valid ${c.validFrom} → ${c.validTo}  san ${c.subjectAltNames.join(', ')}`)));
        out.push(style.dim(`        sha256 ${safeLine(c.fingerprint256)}`));
      }
    }
  }
  if (x.connection?.retried) out.push(style.dim(`note    ${x.connection.retried}`));
  return out.join('\n');
}

export function hexDump(data: Buffer, max = 4096): string {
  const lines: string[] = [];
  for (let off = 0; off < Math.min(data.length, max); off += 16) {
    const row = data.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (data.length > max) lines.push(`… ${data.length - max} more bytes`);
  return lines.join('\n');
}

function indent(s: string, by = '    '): string {
  return s
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export function formatSocketExchange(x: SocketExchange, header: string, style: Style, verbose: boolean): string {
  if (x.dns) return formatDnsExchange(x, header, style, verbose);
  const out: string[] = [style.bold(header), style.cyan(safeLine(`${x.request.protocol.toUpperCase()} ${x.request.target}`))];
  for (const e of x.transcript) {
    const arrow = e.dir === 'sent' ? style.cyan('→') : style.green('←');
    out.push(`${arrow} ${style.dim(`${formatMs(e.at).padStart(9)}  ${formatBytes(e.data.length).padStart(8)}${e.peer ? `  ${safeLine(e.peer)}` : ''}`)}`);
    out.push(indent(chunkText(e.data)));
    if (verbose) out.push(style.dim(indent(hexDump(e.data))));
  }
  const chunks = (d: 'sent' | 'received') => x.transcript.filter((e) => e.dir === d).length;
  out.push(style.dim(`sent ${formatBytes(x.sentBytes)} in ${chunks('sent')} · received ${formatBytes(x.receivedBytes)} in ${x.datagramsReceived ?? chunks('received')} · stopped: ${safeLine(x.stopDetail)}`));
  if (x.captureNote) out.push(style.yellow(`[${safeLine(x.captureNote)}]`));
  else if (x.uncapturedBytes) out.push(style.yellow(`[the transcript keeps the first ${formatBytes(x.receivedBytes - x.uncapturedBytes)}; ${formatBytes(x.uncapturedBytes)} more were counted, not kept]`));
  if (x.echoMatches !== undefined) out.push(x.echoMatches ? style.green('echo: what came back equals what was sent ✓') : style.red('echo: what came back differs from what was sent ✗'));
  if (x.error) out.push(errorLine(x.error, style));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) out.push(tlsLine(x.tls, style));
  return out.join('\n');
}

export function formatWsExchange(x: WsExchange, header: string, style: Style, verbose: boolean): string {
  const out: string[] = [style.bold(header), style.cyan(safeLine(`WS ${x.request.url}`))];
  const h = x.handshake;
  if (verbose && h.requestHead) out.push(style.dim(indent(safeText(h.requestHead).trimEnd())));
  if (h.status !== undefined) {
    const status = `${h.status} ${safeLine(h.reason ?? '')}`;
    out.push(`${h.status === 101 ? style.green(status) : style.red(status)}${h.protocol ? style.dim(`  subprotocol ${safeLine(h.protocol)}`) : ''}`);
    if (verbose) for (const [k, v] of h.responseHeaders) out.push(style.dim(`    ${safeLine(k)}: ${safeLine(v)}`));
  }
  if (x.framesDropped) out.push(style.dim(`… ${x.framesDropped} earlier frames not kept (the newest ${x.frames.length} follow)`));
  for (const f of x.frames) {
    const arrow = f.dir === 'sent' ? style.cyan('→') : style.green('←');
    const body = f.opcode === 'binary' ? hexDump(f.data, 256) : f.opcode === 'close' ? `${f.closeCode ?? ''} ${safeLine(f.data.toString('utf8'))}`.trim() : safeText(f.data.toString('utf8'));
    out.push(`${arrow} ${style.dim(`${formatMs(f.at).padStart(9)}  ${f.opcode.padEnd(6)} ${formatBytes(f.data.length).padStart(8)}`)}  ${body.includes('\n') ? `\n${indent(body)}` : body}`);
  }
  if (x.closeCode !== undefined) out.push(style.dim(`closed by ${x.closedBy ?? '?'}: ${safeLine(describeClose(x.closeCode, x.closeReason))}`));
  if (x.error) out.push(errorLine(x.error, style));
  if (h.responseBody?.length) out.push(indent(safeText(h.responseBody.toString('utf8'))));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) out.push(tlsLine(x.tls, style));
  return out.join('\n');
}

/**
 * The terminal form of each exchange kind a protocol module returns (its `exchangeKind`): a kind with no
 * renderer here does not compile.
 */
const RENDERERS: { [K in Exchange['kind']]: (x: Extract<Exchange, { kind: K }>, header: string, style: Style, verbose: boolean) => string } = {
  http: formatExchange,
  socket: formatSocketExchange,
  ws: formatWsExchange,
};

/** Any exchange for the terminal, by its kind. */
export function formatAnyExchange(x: Exchange, header: string, style: Style, verbose: boolean): string {
  return (RENDERERS[x.kind] as (x: Exchange, header: string, style: Style, verbose: boolean) => string)(x, header, style, verbose);
}

/** An engine's error: one line, whatever the peer's bytes it quotes (reason phrases, close reasons, certificate names). */
export function errorLine(e: { message: string; phase: string }, style: Style): string {
  return style.red(`✗ ${safeLine(e.message)}`) + style.dim(`  [phase: ${e.phase}]`);
}

function tlsLine(t: TlsInfo, style: Style): string {
  const why = safeLine(t.authorizationError ?? '');
  const verdict = t.authorized ? style.green('verified') : t.verify ? style.red(`not verified: ${why}`) : style.yellow(`not verified (@insecure): ${why}`);
  return style.dim(safeLine(`tls     ${t.protocol} · ${t.cipher}${t.alpn ? ` · alpn ${t.alpn}` : ''} · `)) + verdict;
}
