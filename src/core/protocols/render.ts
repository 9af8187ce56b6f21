/**
 * What the protocol modules' terminal renderers (`render` in a module, `<id>/text.ts`) share: the Style they
 * colour with, and the lines every kind prints the same way (timings, TLS, errors, hex dumps). Network bytes
 * never reach the result raw: text from outside is escaped (`safeLine` for one line, `safeText` for bodies)
 * before it is styled, and the CLI's sink escapes everything again, keeping only the colour codes it writes.
 */
import type { Timings, TlsInfo } from '../exchange';
import { formatMs } from '../../common/format';
import { safeLine } from '../text';

/** Plain functions that colour text: the CLI supplies ANSI colours, tests and plain output the identity. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const id = (s: string) => s;
/** No colour at all. */
export const PLAIN: Style = Object.freeze({ bold: id, dim: id, red: id, green: id, yellow: id, cyan: id });

/** How to render: the title line, and whether to add the verbose parts (bytes sent, hex dumps, certificates). */
export interface RenderOptions {
  header: string;
  verbose: boolean;
}

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

export function indent(s: string, by = '    '): string {
  return s
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** An engine's error: one line, whatever the peer's bytes it quotes (reason phrases, close reasons, certificate names). */
export function errorLine(e: { message: string; phase: string }, style: Style): string {
  return style.red(`✗ ${safeLine(e.message)}`) + style.dim(`  [phase: ${e.phase}]`);
}

export function tlsLine(t: TlsInfo, style: Style): string {
  const why = safeLine(t.authorizationError ?? '');
  const verdict = t.authorized ? style.green('verified') : t.verify ? style.red(`not verified: ${why}`) : style.yellow(`not verified (@insecure): ${why}`);
  return style.dim(safeLine(`tls     ${t.protocol} · ${t.cipher}${t.alpn ? ` · alpn ${t.alpn}` : ''} · `)) + verdict;
}
