/** Human-readable rendering of an exchange for the terminal. Network bytes never reach the terminal raw. */
import type { HttpExchange, Timings } from '../core/exchange';
import { formatBytes } from '../shared/format';

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

/** Makes control characters visible (ESC, BEL, NUL...) so a response cannot drive the terminal. Keeps \n and \t. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (c) => (c === '\r' ? '' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export function ms(n: number | undefined): string {
  if (n === undefined) return '–';
  return n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;
}

export function timingLine(t: Timings): string {
  const parts: string[] = [];
  if (t.dnsLookup !== undefined) parts.push(`dns ${ms(t.dnsLookup)}`);
  if (t.tcpConnect !== undefined) parts.push(`connect ${ms(t.tcpConnect)}`);
  if (t.proxyTunnel !== undefined) parts.push(`proxy CONNECT ${ms(t.proxyTunnel)}`);
  if (t.tlsHandshake !== undefined) parts.push(`tls ${ms(t.tlsHandshake)}`);
  if (t.requestSent !== undefined) parts.push(`sent ${ms(t.requestSent)}`);
  if (t.firstByte !== undefined) parts.push(`first byte ${ms(t.firstByte)}`);
  if (t.download !== undefined) parts.push(`download ${ms(t.download)}`);
  parts.push(`total ${ms(t.total)}`);
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
  out.push(style.cyan(`${r.method} ${r.url}`) + style.dim(` ${r.version}`));
  if (verbose) {
    out.push(style.dim('--- sent ---'));
    out.push(style.dim(safeText(x.sent.subarray(0, 64 * 1024).toString('latin1')).replace(/\n/g, '⏎\n')));
    out.push(style.dim('------------'));
  }
  const res = x.response;
  if (res) {
    for (const i of res.interim) out.push(style.dim(`${res.version} ${i.status} ${safeText(i.reason)}`));
    const color = res.status >= 500 ? style.red : res.status >= 400 ? style.yellow : res.status >= 300 ? style.cyan : style.green;
    const conn = x.connection;
    const connText = conn ? ` · connection #${conn.id} ${conn.reused ? `reused (request ${conn.requestsServed})` : 'new'}` : '';
    out.push(`${color(style.bold(`${res.version} ${res.status} ${safeText(res.reason)}`))}${style.dim(`  ${ms(x.timings.total)} · ${formatBytes(res.bodyBytesOnWire)}${connText}`)}`);
    for (const [k, v] of res.headers) out.push(`${style.dim(safeText(k) + ':')} ${safeText(v)}`);
    out.push('');
    const text = asText(res.body);
    if (res.body.length === 0) {
      // no body
    } else if (text !== undefined) {
      out.push(safeText(text));
    } else {
      out.push(style.dim(`[binary body, ${formatBytes(res.body.length)}; --json carries it as base64]`));
    }
    for (const [k, v] of res.trailers) out.push(`${style.dim('trailer ' + safeText(k) + ':')} ${safeText(v)}`);
    if (res.truncated) out.push(style.yellow(`[body cut at ${formatBytes(res.body.length)} (maxResponseBytes); the rest was not read]`));
    if (res.decodeError) out.push(style.yellow(`[${res.decodeError}]`));
  }
  if (x.error) out.push(style.red(`✗ ${x.error.message}`) + style.dim(`  [phase: ${x.error.phase}]`));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  if (x.tls) {
    const t = x.tls;
    const verdict = t.authorized ? style.green('verified') : t.verify ? style.red(`not verified: ${t.authorizationError}`) : style.yellow(`not verified (@insecure): ${t.authorizationError}`);
    out.push(style.dim(`tls     ${t.protocol} · ${t.cipher}${t.alpn ? ` · alpn ${t.alpn}` : ''} · `) + verdict);
    if (verbose) {
      for (const c of t.chain) {
        out.push(style.dim(`  cert  ${safeText(c.subject)}  issuer ${safeText(c.issuer)}`));
        out.push(style.dim(`        valid ${c.validFrom} → ${c.validTo}  san ${safeText(c.subjectAltNames.join(', '))}`));
        out.push(style.dim(`        sha256 ${c.fingerprint256}`));
      }
    }
  }
  if (x.connection?.retried) out.push(style.dim(`note    ${x.connection.retried}`));
  return out.join('\n');
}
