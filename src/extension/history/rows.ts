/**
 * What the History view shows, as pure functions: entries grouped by local day (newest first) and each row's
 * label, description and tooltip. No `vscode`.
 */
import { formatBytes, formatMs } from '../../common/format';
import { cutText, kindLabel, type HistoryMeta } from './entry';

export interface DayGroup {
  /** yyyy-mm-dd, local time. */
  key: string;
  label: string;
  entries: HistoryMeta[];
}

const pad = (n: number) => String(n).padStart(2, '0');

export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Today", "Yesterday", else "Wed, 25 Nov 2026". */
export function dayLabel(key: string, now: number): string {
  if (key === dayKey(now)) return 'Today';
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (key === dayKey(y.getTime())) return 'Yesterday';
  const [yy, mm, dd] = key.split('-').map(Number);
  return new Date(yy, mm - 1, dd).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/** Entries (newest first) by day, the newest day first. */
export function groupByDay(entries: readonly HistoryMeta[], now: number): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const e of entries) {
    const key = dayKey(e.at);
    let g = groups.find((x) => x.key === key);
    if (!g) groups.push((g = { key, label: dayLabel(key, now), entries: [] }));
    g.entries.push(e);
  }
  return groups.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}

export function clock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The file's name from the entry's URI. */
export function fileName(uri: string): string {
  const p = uri.replace(/[?#].*$/, '');
  const name = p.slice(p.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || uri;
  } catch {
    return name || uri;
  }
}

export function blockText(m: Pick<HistoryMeta, 'blockIndex' | 'blockName'>): string {
  return m.blockName ? `@${m.blockName}` : `block ${m.blockIndex + 1}`;
}

export interface Row {
  label: string;
  description: string;
  tooltip: string;
  /** pass (2xx/3xx, a socket that ended well), warn (4xx), fail (5xx, failed, cancelled). */
  tone: 'pass' | 'warn' | 'fail';
}

export function entryRow(m: HistoryMeta): Row {
  const size = formatBytes(m.size);
  const description = `${clock(m.at)} · ${m.outcome} · ${formatMs(m.ms)} · ${size} · ${fileName(m.uri)} ${blockText(m)}`;
  const tone = m.failed || (m.status ?? 0) >= 500 ? 'fail' : (m.status ?? 0) >= 400 ? 'warn' : 'pass';
  const lines = [
    `${kindLabel(m)} · ${m.title}`,
    `Sent ${new Date(m.at).toLocaleString()}`,
    `Outcome: ${m.outcome}`,
    `Duration: ${formatMs(m.ms)} · received ${size}`,
    `File: ${m.uri}`,
    `Block: ${blockText(m)}`,
  ];
  if (m.cut) lines.push(`Stored cut: ${cutText(m.cut)}`);
  if (m.redacted) lines.push('Secret header values are stored as ‹redacted› (netreq.history.redact).');
  return { label: m.title, description, tooltip: lines.join('\n'), tone };
}
