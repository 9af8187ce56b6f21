/** dns-packet's decoded answer → the plain records and header an exchange keeps, in words. */
import type { Answer, Packet } from 'dns-packet';
import type { DnsHeaderInfo, DnsRecordInfo } from './types';

export { flagsText, rcodeText } from '../../../common/dns';

/** At most this many records are kept per section (a hostile answer may claim thousands). */
export const RECORDS_KEPT = 200;

const MAX_DATA = 1024;

function quoteText(b: Buffer | string): string {
  const s = typeof b === 'string' ? b : b.toString('latin1');
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f-\uffff]/g, (c) => `\\${c.charCodeAt(0).toString().padStart(3, '0')}`)}"`;
}

function hex(b: Buffer): string {
  return b.length ? `\\# ${b.length} ${b.toString('hex')}` : '\\# 0';
}

/** A record's data as dig prints it (roughly): "127.0.0.42", "10 mail.example.test", "\"hello\"". */
export function recordData(r: Answer): string {
  const d = (r as { data?: unknown }).data;
  let out: string;
  if (typeof d === 'string') out = d;
  else if (Buffer.isBuffer(d)) out = r.type === 'TXT' ? quoteText(d) : hex(d);
  else if (Array.isArray(d)) out = d.map((x) => (Buffer.isBuffer(x) || typeof x === 'string' ? quoteText(x) : JSON.stringify(x))).join(' ');
  else if (d && typeof d === 'object') {
    const o = d as Record<string, unknown>;
    switch (r.type) {
      case 'MX':
        out = `${String(o.preference)} ${String(o.exchange)}`;
        break;
      case 'SOA':
        out = `${String(o.mname)} ${String(o.rname)} ${String(o.serial)} ${String(o.refresh)} ${String(o.retry)} ${String(o.expire)} ${String(o.minimum)}`;
        break;
      case 'SRV':
        out = `${String(o.priority)} ${String(o.weight)} ${String(o.port)} ${String(o.target)}`;
        break;
      case 'CAA':
        out = `${String(o.flags)} ${String(o.tag)} ${quoteText(String(o.value))}`;
        break;
      default:
        out = JSON.stringify(o, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? '<bytes>' : v));
    }
  } else if (r.type === 'OPT') {
    const opt = r as unknown as { udpPayloadSize?: number };
    out = `EDNS, UDP payload ${opt.udpPayloadSize ?? '?'}`;
  } else out = '';
  return out.length > MAX_DATA ? `${out.slice(0, MAX_DATA)}…` : out;
}

export function recordsOf(list: readonly Answer[] | undefined): { kept: DnsRecordInfo[]; notKept: number } {
  const all = list ?? [];
  const kept = all.slice(0, RECORDS_KEPT).map((r) => {
    const rec: DnsRecordInfo = { name: r.name || '.', type: String(r.type), class: String((r as { class?: string }).class ?? 'IN'), data: recordData(r) };
    const ttl = (r as { ttl?: number }).ttl;
    if (typeof ttl === 'number' && r.type !== 'OPT') rec.ttl = ttl;
    return rec;
  });
  return { kept, notKept: Math.max(0, all.length - RECORDS_KEPT) };
}

type Decoded = Packet & { flag_qr?: boolean; flag_aa?: boolean; flag_tc?: boolean; flag_rd?: boolean; flag_ra?: boolean; flag_ad?: boolean; flag_cd?: boolean; rcode?: string; opcode?: string };

export function headerOf(p: Packet): DnsHeaderInfo {
  const d = p as Decoded;
  return {
    id: p.id ?? 0,
    opcode: d.opcode ?? 'QUERY',
    qr: d.flag_qr === true,
    aa: d.flag_aa === true,
    tc: d.flag_tc === true,
    rd: d.flag_rd === true,
    ra: d.flag_ra === true,
    ad: d.flag_ad === true,
    cd: d.flag_cd === true,
    rcode: d.rcode ?? 'NOERROR',
  };
}
