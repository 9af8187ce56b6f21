/** The terminal form of a DNS exchange: the question and server, the header in words, each section like dig. */
import type { SocketExchange } from '../../exchange';
import { formatBytes } from '../../../common/format';
import { safeLine } from '../../text';
import { errorLine, hexDump, type RenderOptions, type Style, timingLine } from '../render';
import { flagsText, rcodeText } from './records';
import type { DnsRecordInfo } from './types';

function section(title: string, records: readonly DnsRecordInfo[], style: Style): string[] {
  if (records.length === 0) return [];
  const out = [style.dim(`;; ${title} (${records.length})`)];
  const names = records.map((r) => (r.name.endsWith('.') ? r.name : `${r.name}.`));
  const width = Math.min(40, Math.max(...names.map((n) => n.length)));
  records.forEach((r, i) => out.push(safeLine(`${names[i].padEnd(width)}  ${String(r.ttl ?? '').padStart(6)}  ${r.class}  ${r.type.padEnd(5)}  ${r.data}`)));
  return out;
}

export function dnsText(x: SocketExchange, style: Style, { header, verbose }: RenderOptions): string {
  const d = x.dns!;
  const from = d.serverFrom === 'resolv.conf' ? ', the first nameserver in /etc/resolv.conf' : '';
  const out: string[] = [style.bold(header), style.cyan(safeLine(`DNS ${d.question.name} ${d.question.type} @${d.server || '?'} over ${d.transport.toUpperCase()}${from}`))];
  if (d.header) {
    const h = d.header;
    const words = rcodeText(h.rcode);
    out.push(`${h.rcode === 'NOERROR' ? style.green(words) : style.red(words)}${style.dim(` · flags: ${flagsText(h)} · id ${h.id}`)}`);
    out.push(...section('ANSWER', d.answers, style), ...section('AUTHORITY', d.authorities, style), ...section('ADDITIONAL', d.additionals, style));
  }
  for (const n of d.notes) out.push(style.yellow(`[${safeLine(n)}]`));
  const sent = x.transcript.filter((e) => e.dir === 'sent');
  const got = x.transcript.filter((e) => e.dir === 'received');
  out.push(style.dim(`query ${formatBytes(x.sentBytes)} · answer ${formatBytes(x.receivedBytes)}${d.recursionDesired ? '' : ' · recursion not asked for (# @no-recurse)'}`));
  if (verbose) {
    for (const e of sent) out.push(style.dim(`→ query\n${hexDump(e.data)}`));
    for (const e of got) out.push(style.dim(`← answer\n${hexDump(e.data)}`));
  }
  if (x.error) out.push(errorLine(x.error, style));
  out.push(style.dim(`timing  ${timingLine(x.timings)}`));
  return out.join('\n');
}
