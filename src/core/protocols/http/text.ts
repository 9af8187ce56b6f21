/** The terminal form of an HTTP exchange: request line, status, headers, body as text, trailers, timings, TLS. */
import type { HttpExchange } from '../../exchange';
import { formatBytes, formatMs } from '../../../common/format';
import { safeLine, safeText } from '../../text';
import { asText, errorLine, type RenderOptions, type Style, timingLine, tlsLine } from '../render';

export function httpText(x: HttpExchange, style: Style, { header, verbose }: RenderOptions): string {
  const out: string[] = [];
  out.push(style.bold(header));
  const r = x.request;
  const ch = x.authChallenge;
  if (ch) {
    const s = ch.response ? `${ch.response.status} ${ch.response.reason}` : 'no response';
    out.push(style.dim(safeLine(`first try: ${ch.request.method} ${ch.request.url} → ${s} (Digest challenge) → answered`)));
    if (verbose) out.push(style.dim(safeText(ch.sent.subarray(0, 64 * 1024).toString('latin1')).replace(/\n/g, '⏎\n')));
  }
  out.push(style.cyan(safeLine(`${r.method} ${r.url}`)) + style.dim(` ${r.version}`));
  for (const c of r.conversions ?? []) out.push(style.dim(`converted  ${safeLine(c)}`));
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
  if (x.authNote) out.push(style.yellow(`[${safeLine(x.authNote)}]`));
  if (x.connection?.retried) out.push(style.dim(`note    ${x.connection.retried}`));
  return out.join('\n');
}
