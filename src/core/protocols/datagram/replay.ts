/**
 * "Open as .netreq" for a datagram the multicast listener caught: a `UDP sender:port` reply block and a
 * `MULTICAST group:port` resend block with `# @interface`, the payload as text or `# @hex`.
 */
import { netreqDocument, oneLine, payload, Preamble } from '../../netreq/netreqText';
import { hostPort } from '../../transport/address';
import { clockText } from '../../../common/format';

export interface ReplayDatagram {
  at: number;
  from: string;
  data: Uint8Array;
}

export interface ListenerSource {
  group: string;
  port: number;
  interface?: string;
}

/** A captured datagram and the group it was sent to (what datagramModule.replay takes). */
export interface CapturedDatagram {
  datagram: ReplayDatagram;
  source: ListenerSource;
}

/** A reply to the sender (UDP) and the same datagram to the group again (MULTICAST). */
export function datagramToNetreq(d: ReplayDatagram, source: ListenerSource): string {
  const pre = new Preamble();
  const p = payload(d.data, pre);
  const group = hostPort(source.group, source.port);
  const fromOk = /^(\[[0-9A-Fa-f:.%A-Za-z]+\]|[0-9.]+):\d{1,5}$/.test(d.from);
  const lines: string[] = [`# A ${d.data.length}-byte datagram from ${oneLine(d.from)} to ${group} at ${clockText(d.at)} UTC.`, ''];
  // With `# @eol` blank lines at the end of a block are sent too: then no blank line after the payload.
  const gap = p.directives.some((l) => l.startsWith('# @eol')) ? [] : [''];
  if (fromOk) lines.push(`### Reply to ${d.from}`, ...p.directives, `UDP ${d.from}`, ...p.lines, ...gap);
  const iface = source.interface !== undefined && /^[0-9A-Za-z.:%_-]+$/.test(source.interface) ? source.interface : undefined;
  lines.push(`### Send it to ${group} again`, ...(iface ? [`# @interface ${iface}`] : []), ...p.directives, `MULTICAST ${group}`, ...p.lines);
  return netreqDocument(pre, lines);
}
