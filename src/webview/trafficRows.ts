/**
 * The traffic view's rows as text: cells of a proxy flow and of a datagram, the filter's match, and a
 * one-line preview of bytes with control characters visible. Pure (no DOM), shared by the view and tests.
 */
import { base64ToBytes, clockText, formatBytes, formatMs, statusClass, visualizeRaw, type StatusClass } from '../common/format';
import { kernelDropsText } from '../shared/kernelDrops';
import type { DatagramRow, FlowRow, ServiceSummary } from '../shared/trafficMessages';

export interface FlowCells {
  time: string;
  client: string;
  method: string;
  target: string;
  status: string;
  statusClass: StatusClass;
  up: string;
  down: string;
  duration: string;
  kind: string;
}

export function flowCells(r: FlowRow): FlowCells {
  const failed = r.error !== undefined;
  return {
    time: clockText(r.startedAt),
    client: r.client,
    method: r.kind === 'tunnel' ? 'CONNECT' : r.method,
    target: r.target,
    status: r.status !== undefined ? String(r.status) : r.done ? (failed ? 'failed' : '—') : '…',
    statusClass: r.done || r.status !== undefined ? statusClass(r.status, failed) : 'status-none',
    up: formatBytes(r.bytesUp),
    down: formatBytes(r.bytesDown),
    duration: r.done ? formatMs(r.durationMs) : 'open',
    kind: r.kind === 'tunnel' ? 'tunnel' : 'plain',
  };
}

/**
 * One line of text for bytes (a table cell): control characters by name in angle brackets (<CR><LF>, <ESC>, <NUL>:
 * every font draws those, while Debian's stock fonts show the Control Pictures ␍ ␊ ␛ as empty boxes), other
 * non-text bytes as «xx».
 */
export function previewText(bytes: Uint8Array, max = 160): string {
  let out = '';
  for (const line of visualizeRaw(bytes, max)) for (const seg of line) out += seg.name && seg.kind !== 'text' ? `<${seg.name}>` : seg.text;
  return bytes.length > max ? `${out}…` : out;
}

/** The first bytes as hex pairs. */
export function previewHex(bytes: Uint8Array, max = 16): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return bytes.length > max ? `${parts.join(' ')} …` : parts.join(' ');
}

export interface DatagramCells {
  time: string;
  listener: string;
  from: string;
  size: string;
  text: string;
  hex: string;
}

export function datagramCells(r: DatagramRow): DatagramCells {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(r.preview);
  } catch {
    bytes = new Uint8Array(0);
  }
  const text = previewText(bytes, 120);
  return {
    time: clockText(r.at),
    listener: r.listener,
    from: r.from,
    size: formatBytes(r.size),
    text: r.size > bytes.length && !text.endsWith('…') ? `${text}…` : text,
    hex: previewHex(bytes),
  };
}

/** Case-insensitive substring match on what a row shows; every word of the filter must match. */
export function matchesFilter(haystack: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const h = haystack.toLowerCase();
  return words.every((w) => h.includes(w));
}

export function flowHaystack(r: FlowRow): string {
  const c = flowCells(r);
  return [c.time, c.client, c.method, c.target, c.status, c.kind, r.proxy, r.error ?? ''].join(' ');
}

export function datagramHaystack(r: DatagramRow): string {
  const c = datagramCells(r);
  return [c.time, c.listener, c.from, c.size, c.text, c.hex].join(' ');
}

/** A running service as the header line names it; a listener with the kernel's drop count once it was read. */
export function serviceText(s: ServiceSummary): string {
  const label = String(s.label);
  return s.kind === 'multicastListener' && s.kernelDrops !== undefined ? `${label} (${kernelDropsText(s.kernelDrops)})` : label;
}
