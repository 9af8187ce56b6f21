/**
 * The DNS part of a transcript message (SocketExchangeJson.dns) as lines of text for the transcript panel: the
 * question and server, the status and flags, each section with TTLs, the notes. It checks the shape itself
 * (the message comes over postMessage) and bounds what it renders. No DOM, no Node.
 */
import { flagsText, rcodeText } from '../common/dns';

/** Most records rendered per section (the engine keeps at most 200). */
export const DNS_ROWS_SHOWN = 200;

export interface DnsView {
  /** "example.test MX @127.0.0.1:5353 over UDP" */
  question: string;
  /** "NOERROR (the server answered) · flags: qr aa rd ra · id 4242"; absent when no answer was read. */
  status?: string;
  ok: boolean;
  sections: Array<{ title: string; rows: string[] }>;
  notes: string[];
}

const str = (v: unknown): v is string => typeof v === 'string';
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function rows(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const r of v.slice(0, DNS_ROWS_SHOWN)) {
    const o = obj(r);
    if (!o || !str(o.name) || !str(o.type) || !str(o.class) || !str(o.data) || (o.ttl !== undefined && typeof o.ttl !== 'number')) return undefined;
    out.push(`${o.name.endsWith('.') ? o.name : `${o.name}.`}  ${o.ttl ?? ''}  ${o.class}  ${o.type}  ${o.data}`);
  }
  return out;
}

/** The view of `dns`, or undefined when it is absent or not the shape the engine writes. */
export function dnsView(dns: unknown): DnsView | undefined {
  const d = obj(dns);
  const q = obj(d?.question);
  if (!d || !q || !str(q.name) || !str(q.type) || !str(d.server) || !str(d.transport) || !Array.isArray(d.notes) || !d.notes.every(str)) return undefined;
  const from = d.serverFrom === 'resolv.conf' ? ' (the first nameserver in /etc/resolv.conf)' : '';
  const view: DnsView = { question: `${q.name} ${q.type} @${d.server || '?'}${from} over ${d.transport.toUpperCase()}`, ok: false, sections: [], notes: d.notes.slice(0, 20) };
  const h = obj(d.header);
  if (h && str(h.rcode) && typeof h.id === 'number') {
    view.status = `${rcodeText(h.rcode)} · flags: ${flagsText(h)} · id ${h.id}`;
    view.ok = h.rcode === 'NOERROR';
  }
  for (const [key, title] of [
    ['answers', 'Answer'],
    ['authorities', 'Authority'],
    ['additionals', 'Additional'],
  ] as const) {
    const r = rows(d[key]);
    if (r === undefined) return undefined;
    if (r.length) view.sections.push({ title: `${title} (${r.length})`, rows: r });
  }
  return view;
}
