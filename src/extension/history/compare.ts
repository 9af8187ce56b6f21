/**
 * What "Compare with previous" puts on each side of the diff editor: one response as text, without what always
 * differs (times, ids). HTTP: the status line, the headers, a blank line, the body (JSON pretty-printed, text as
 * UTF-8, anything else as a hex dump). Sockets and DNS: the target, the outcome, the DNS answer, then each chunk.
 * WebSocket: the handshake's status and headers, each frame, then how it closed. Pure: no `vscode`.
 */
import type { Exchange, HttpExchange, SocketExchange, WsExchange } from '../../core/exchange';
import { hexDump } from '../../core/protocols/render';
import { rcodeText } from '../../common/dns';
import { formatBytes, headerValue } from '../../common/format';
import { cutText, kindLabel, outcomeText, type HistoryMeta } from './entry';

/** Bytes of a body pretty-printed as JSON (past it the body is shown as it is). */
export const MAX_PRETTY_BYTES = 8 * 1024 * 1024;
/** Bytes of a binary body or chunk shown as hex. */
const HEX_BYTES = 64 * 1024;

/** Text when the bytes are valid UTF-8 without NULs; undefined otherwise. */
function utf8(b: Buffer): string | undefined {
  if (b.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

/** A body as text: JSON pretty (when it is JSON), text as it is, binary as hex. */
export function bodyText(body: Buffer, contentType: string | undefined): string {
  if (body.length === 0) return '';
  const text = utf8(body);
  if (text === undefined) return `‹${formatBytes(body.length)} of binary data›\n${hexDump(body, HEX_BYTES)}`;
  const t = text.trimStart();
  const jsonish = /[/+]json\b/i.test(contentType ?? '') || t.startsWith('{') || t.startsWith('[');
  if (jsonish && body.length <= MAX_PRETTY_BYTES) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON after all (or cut by history): as it is.
    }
  }
  return text;
}

function headerLines(h: ReadonlyArray<readonly [string, string]>): string[] {
  return h.map(([k, v]) => `${k}: ${v}`);
}

function httpText(x: HttpExchange, meta: HistoryMeta): string[] {
  const r = x.response;
  if (!r) return [outcomeText(x)];
  const out = [`${r.version} ${r.status} ${r.reason}`.trimEnd(), ...headerLines(r.headers), ''];
  out.push(bodyText(r.body, headerValue(r.headers, 'content-type')));
  if (x.error) out.push('', outcomeText(x));
  if (meta.cut) out.push('', `‹${cutText(meta.cut)}›`);
  return out;
}

function chunkText(data: Buffer): string {
  const t = utf8(data);
  return t ?? hexDump(data, HEX_BYTES);
}

function socketText(x: SocketExchange, meta: HistoryMeta): string[] {
  const out = [`${kindLabel(meta)} ${x.request.target}`, outcomeText(x)];
  const d = x.dns;
  if (d) {
    out.push(`${d.question.name} ${d.question.type}${d.header ? ` · ${rcodeText(d.header.rcode)}` : ''}`);
    for (const [name, list] of [['answer', d.answers], ['authority', d.authorities], ['additional', d.additionals]] as const) {
      for (const rr of list) out.push(`${name}: ${rr.name} ${rr.ttl ?? ''} ${rr.class} ${rr.type} ${rr.data}`.replace(/ {2,}/g, ' '));
    }
    return out;
  }
  out.push('');
  for (const e of x.transcript) {
    out.push(`${e.dir === 'sent' ? '→ sent' : '← received'} ${formatBytes(e.data.length)}${e.peer ? ` from ${e.peer}` : ''}`, chunkText(e.data));
  }
  if (meta.cut) out.push('', `‹${cutText(meta.cut)}›`);
  return out;
}

function wsText(x: WsExchange, meta: HistoryMeta): string[] {
  const h = x.handshake;
  const out = [`WebSocket ${x.request.url}`, h.status !== undefined ? `${h.status} ${h.reason ?? ''}`.trimEnd() : 'no handshake answer', ...headerLines(h.responseHeaders), ''];
  for (const f of x.frames) {
    const what = f.opcode === 'close' ? `close ${f.closeCode ?? ''}`.trimEnd() : f.opcode;
    out.push(`${f.dir === 'sent' ? '→' : '←'} ${what}${f.auto ? ' (auto)' : ''} ${formatBytes(f.data.length)}`, ...(f.data.length ? [chunkText(f.data)] : []));
  }
  out.push('', outcomeText(x));
  if (meta.cut) out.push('', `‹${cutText(meta.cut)}›`);
  return out;
}

/** One side of the diff. */
export function comparisonText(x: Exchange, meta: HistoryMeta): string {
  const lines = x.kind === 'http' ? httpText(x, meta) : x.kind === 'socket' ? socketText(x, meta) : wsText(x, meta);
  return `${lines.join('\n')}\n`;
}
