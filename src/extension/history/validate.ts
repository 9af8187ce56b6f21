/**
 * The checks on what History reads back from disk (an index line is untrusted: the file may be damaged, old, or
 * written by someone else). Each field is checked and copied; anything else in the line is left out. Pure.
 */
import { ENTRY_VERSION, isEntryId, type HistoryMeta } from './entry';

const KINDS = new Set(['http', 'socket', 'ws']);
const MAX_URI_CHARS = 8 * 1024;
const MAX_TEXT_CHARS = 4 * 1024;

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** One index line as an entry, or undefined when it is not one. */
export function readMeta(line: string): HistoryMeta | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  return checkMeta(o);
}

export function checkMeta(o: unknown): HistoryMeta | undefined {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const m = o as Record<string, unknown>;
  if (m.v !== ENTRY_VERSION || !isEntryId(m.id) || !num(m.at)) return undefined;
  if (typeof m.kind !== 'string' || !KINDS.has(m.kind) || !str(m.protocol, 32) || !/^[a-z0-9-]+$/.test(m.protocol)) return undefined;
  if (!str(m.uri, MAX_URI_CHARS) || !/^[a-z][a-z0-9+.-]*:/i.test(m.uri) || !count(m.blockIndex)) return undefined;
  if (m.blockName !== undefined && (!str(m.blockName, 1024) || m.blockName.length === 0)) return undefined;
  if (!str(m.title, MAX_TEXT_CHARS) || !str(m.outcome, MAX_TEXT_CHARS)) return undefined;
  if (m.status !== undefined && !(count(m.status) && m.status <= 999)) return undefined;
  if (typeof m.failed !== 'boolean' || !num(m.ms) || !count(m.size) || !count(m.bytes)) return undefined;
  let cut: HistoryMeta['cut'];
  if (m.cut !== undefined) {
    const c = m.cut as Record<string, unknown> | null;
    if (!c || typeof c !== 'object' || !count(c.kept) || !count(c.total) || c.kept > c.total) return undefined;
    cut = { kept: c.kept, total: c.total };
  }
  if (m.redacted !== undefined && !count(m.redacted)) return undefined;
  const out: HistoryMeta = {
    v: ENTRY_VERSION,
    id: m.id,
    at: m.at,
    kind: m.kind as HistoryMeta['kind'],
    protocol: m.protocol,
    uri: m.uri,
    blockIndex: m.blockIndex,
    title: m.title,
    outcome: m.outcome,
    failed: m.failed,
    ms: m.ms,
    size: m.size,
    bytes: m.bytes,
  };
  if (m.blockName !== undefined) out.blockName = m.blockName;
  if (m.status !== undefined) out.status = m.status;
  if (cut) out.cut = cut;
  if (m.redacted !== undefined) out.redacted = m.redacted;
  return out;
}
