/**
 * Pure formatting helpers for the response panel: no DOM, no Node, no vscode.
 * They turn bytes and numbers into strings / token lists; render.ts turns those into text nodes.
 * Shared by the webview (rendering) and the host (naming / decoding bodies); compiles under both tsconfigs.
 * `formatBytes`, `formatMs` and `clockText` are the one size, duration and clock format of every surface (panels,
 * CLI, terminals, log lines, error messages), src/core included.
 */
import type { Timings } from '../core/exchange';

// ---------------------------------------------------------------- numbers

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const s = v >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1);
  return `${s.replace(/\.0$/, '')} ${units[i]}`;
}

/**
 * A duration in words, the one format everywhere (panels, CLI, terminals, error messages): below a second in
 * milliseconds, from a second on in seconds, each with three significant digits at most (two decimals at most)
 * and no trailing zeros: 0.5 ms, 5 ms, 12.3 ms, 150 ms, 1.5 s, 12.3 s, 90 s, 300 s. `–` when unknown.
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 0) return `-${formatMs(-ms)}`;
  const inMs = threeDigits(ms);
  return inMs < 1000 ? `${inMs} ms` : `${threeDigits(ms / 1000)} s`;
}

function threeDigits(v: number): number {
  return +v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
}

/** Epoch ms as the `HH:MM:SS.mmm` clock (UTC) of log lines and the traffic view; `—` for a time that is not one. */
export function clockText(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(11, 23);
}

// ---------------------------------------------------------------- status

export type StatusClass = 'status-1xx' | 'status-2xx' | 'status-3xx' | 'status-4xx' | 'status-5xx' | 'status-error' | 'status-none';

/** CSS class for the status line: by status family, or `status-error` when the exchange failed without a status. */
export function statusClass(status: number | undefined, failed = false): StatusClass {
  if (status === undefined || !Number.isFinite(status)) return failed ? 'status-error' : 'status-none';
  if (status >= 100 && status < 200) return 'status-1xx';
  if (status >= 200 && status < 300) return 'status-2xx';
  if (status >= 300 && status < 400) return 'status-3xx';
  if (status >= 400 && status < 500) return 'status-4xx';
  if (status >= 500 && status < 600) return 'status-5xx';
  return 'status-error';
}

// ---------------------------------------------------------------- bytes

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const HEX = '0123456789abcdef';
function hex2(b: number): string {
  return HEX[b >> 4] + HEX[b & 15];
}

export interface HexRow {
  /** 8 hex digits. */
  offset: string;
  /** "48 65 6c 6c 6f 20 …" with an extra space after the 8th byte, padded to full width. */
  hex: string;
  /** Printable ASCII, '.' for anything else. */
  ascii: string;
}

/** A classic hex dump (offset / hex / ascii), `width` bytes per row, at most `maxBytes` bytes. */
export function hexDump(bytes: Uint8Array, width = 16, maxBytes = Infinity): HexRow[] {
  const rows: HexRow[] = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let off = 0; off < n; off += width) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < width; i++) {
      if (i > 0) hex += i === width / 2 ? '  ' : ' ';
      if (off + i < n) {
        const b = bytes[off + i];
        hex += hex2(b);
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '  ';
      }
    }
    rows.push({ offset: off.toString(16).padStart(8, '0'), hex, ascii });
  }
  return rows;
}

export type RawSegmentKind = 'text' | 'ctl' | 'eol' | 'bad';
export interface RawSegment {
  kind: RawSegmentKind;
  /** The text, a control as its Control Picture (␍ ␊ ␛ …), a bad byte as «xx». */
  text: string;
  /** A control's short name (CR, LF, ESC, NUL, DEL …): what a page shows in a badge, since many fonts lack the pictures. */
  name?: string;
}

const C0_NAMES = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'TAB', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];

/** The short name of a C0 control or DEL (undefined for other bytes). */
export function controlName(b: number): string | undefined {
  return b === 0x7f ? 'DEL' : C0_NAMES[b];
}
export type RawLine = RawSegment[];

/** Control Pictures for C0 controls: U+2400 + code; DEL is U+2421. */
function controlPicture(b: number): string {
  if (b === 0x7f) return '\u2421';
  return String.fromCharCode(0x2400 + b);
}

/** The code point of a valid UTF-8 sequence (2..4 bytes) at i, with its length; undefined when the bytes there are not one. */
function utf8At(bytes: Uint8Array, i: number): { len: number; cp: number } | undefined {
  const b = bytes[i];
  let len: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) [len, min] = [2, 0x80];
  else if (b >= 0xe0 && b <= 0xef) [len, min] = [3, 0x800];
  else if (b >= 0xf0 && b <= 0xf4) [len, min] = [4, 0x10000];
  else return undefined;
  if (i + len > bytes.length) return undefined;
  let cp = b & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    const c = bytes[i + k];
    if ((c & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { len, cp };
}

/**
 * The exact bytes, made visible: CR as ␍, LF as ␊ followed by a line break, other controls as their
 * Control Picture (␀ ␉ ␛ …), valid UTF-8 as text, and any other byte as «xx».
 * Returns lines of segments (kind 'eol' for ␍/␊, 'ctl' for other controls, 'bad' for undecodable bytes).
 */
export function visualizeRaw(all: Uint8Array, maxBytes = Infinity): RawLine[] {
  const bytes = all.length > maxBytes ? all.subarray(0, maxBytes) : all;
  const lines: RawLine[] = [];
  let line: RawLine = [];
  let text = '';
  const flush = () => {
    if (text) line.push({ kind: 'text', text });
    text = '';
  };
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b === 0x0a) {
      flush();
      line.push({ kind: 'eol', text: '\u240a', name: 'LF' });
      lines.push(line);
      line = [];
      i++;
    } else if (b === 0x0d) {
      flush();
      line.push({ kind: 'eol', text: '\u240d', name: 'CR' });
      i++;
    } else if (b < 0x20 || b === 0x7f) {
      flush();
      line.push({ kind: 'ctl', text: controlPicture(b), name: controlName(b) });
      i++;
    } else if (b < 0x80) {
      text += String.fromCharCode(b);
      i++;
    } else {
      const u = utf8At(bytes, i);
      if (u) {
        text += String.fromCodePoint(u.cp);
        i += u.len;
      } else {
        flush();
        line.push({ kind: 'bad', text: `\u00ab${hex2(b)}\u00bb` });
        i++;
      }
    }
  }
  flush();
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------- content types and text

export interface ContentType {
  /** Lower-case type/subtype, '' when absent. */
  mime: string;
  charset?: string;
}

export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { mime: '' };
  const [type, ...params] = value.split(';');
  const ct: ContentType = { mime: type.trim().toLowerCase() };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'charset') {
      ct.charset = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
    }
  }
  return ct;
}

/** The first value of a header (case-insensitive name), or undefined. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Decodes text with the charset when the platform knows it, else UTF-8 (invalid bytes become U+FFFD). */
export function decodeText(bytes: Uint8Array, charset?: string): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** True when the bytes look like text: no NUL, few other controls, valid UTF-8 (a cut sequence at the end is fine). */
export function looksLikeText(bytes: Uint8Array, charset?: string): boolean {
  const n = Math.min(bytes.length, 64 * 1024);
  let controls = 0;
  const utf8 = !charset || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b === 0) return false;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) controls++;
    if (b >= 0x80 && utf8) {
      const u = utf8At(bytes, i);
      if (!u) {
        if (i >= bytes.length - 3) break; // a sequence cut by the preview limit
        return false;
      }
      i += u.len;
      continue;
    }
    i++;
  }
  return controls <= Math.max(2, n / 100);
}

export type BodyKind = 'empty' | 'json' | 'xml' | 'html' | 'image' | 'text' | 'binary';

/** Image types shown inline (as a data: URL in an <img>, where SVG cannot run script). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
  'image/avif',
  'image/svg+xml',
]);

export function classifyBody(mime: string, bytes: Uint8Array, charset?: string): BodyKind {
  if (bytes.length === 0) return 'empty';
  if (INLINE_IMAGE_TYPES.has(mime)) return 'image';
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/json') return 'json';
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/xml' || mime === 'text/xml' || mime.endsWith('+xml')) return 'xml';
  if (!looksLikeText(bytes, charset)) return 'binary';
  if (!mime || mime === 'text/plain' || mime === 'application/octet-stream') {
    const head = decodeText(bytes.subarray(0, 256), charset).trimStart();
    if (head.startsWith('{') || head.startsWith('[')) return 'json';
    if (/^<!doctype html|^<html/i.test(head)) return 'html';
    if (head.startsWith('<?xml')) return 'xml';
  }
  return 'text';
}

/** A data: URL for an inline image; the MIME type comes from our allow-list, never from the header text. */
export function imageDataUrl(mime: string, base64: string): string | undefined {
  if (!INLINE_IMAGE_TYPES.has(mime)) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return undefined;
  return `data:${mime};base64,${base64}`;
}

// ---------------------------------------------------------------- timing waterfall

export type TimingsLike = Timings;

export interface WaterfallBar {
  key: 'setup' | 'dns' | 'connect' | 'proxy' | 'tls' | 'send' | 'wait' | 'download' | 'total';
  label: string;
  startMs: number;
  durationMs: number;
  /** Percent of the scale (0..100), for an SVG rect's x / width. */
  leftPct: number;
  widthPct: number;
}

const PHASES: Array<[WaterfallBar['key'], keyof TimingsLike, string]> = [
  ['dns', 'dnsLookup', 'DNS lookup'],
  ['connect', 'tcpConnect', 'TCP connect'],
  ['proxy', 'proxyTunnel', 'Proxy CONNECT'],
  ['tls', 'tlsHandshake', 'TLS handshake'],
  ['send', 'requestSent', 'Request sent'],
  ['wait', 'firstByte', 'Waiting (first byte)'],
  ['download', 'download', 'Download'],
];

/**
 * The waterfall: the time in no phase ("Queued / socket setup", when there is some), then each phase that
 * happened, starting where the previous ended, scaled so the longest of (total, sum of phases) is 100%. The
 * last bar is the total.
 */
export function waterfall(t: TimingsLike): WaterfallBar[] {
  const bars: WaterfallBar[] = [];
  const phases: Array<[WaterfallBar['key'], string, number]> = [];
  let sum = 0;
  for (const [key, field, label] of PHASES) {
    const v = t[field];
    if (v === undefined || !Number.isFinite(v)) continue;
    const d = Math.max(0, v);
    phases.push([key, label, d]);
    sum += d;
  }
  const total = Math.max(0, t.total);
  // The time of the total in no phase (waiting for a pooled connection, creating the socket, the engine's
  // own steps between phases), shown first so the phases add up to the total.
  const unaccounted = total - sum;
  if (unaccounted > UNACCOUNTED_MIN_MS) phases.unshift(['setup', SETUP_LABEL, unaccounted]);
  let at = 0;
  for (const [key, label, d] of phases) {
    bars.push({ key, label, startMs: at, durationMs: d, leftPct: 0, widthPct: 0 });
    at += d;
  }
  bars.push({ key: 'total', label: 'Total', startMs: 0, durationMs: total, leftPct: 0, widthPct: 0 });
  const scale = Math.max(total, at);
  for (const b of bars) {
    if (scale > 0) {
      b.leftPct = round2((b.startMs / scale) * 100);
      b.widthPct = round2(Math.min(100 - b.leftPct, (b.durationMs / scale) * 100));
    }
  }
  return bars;
}

/** The waterfall's name for the part of the total in no phase. */
export const SETUP_LABEL = 'Queued / socket setup';
/** Up to this much in no phase is rounding, not a bar. */
const UNACCOUNTED_MIN_MS = 0.5;

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---------------------------------------------------------------- certificates

/** Whole days from `now` until `validTo` (negative when expired). */
export function daysLeft(validTo: string, now: number = Date.now()): number | undefined {
  const t = Date.parse(validTo);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((t - now) / 86_400_000);
}

export function describeValidity(validFrom: string, validTo: string, now: number = Date.now()): string {
  const from = Date.parse(validFrom);
  const left = daysLeft(validTo, now);
  if (left === undefined) return `until ${validTo}`;
  if (!Number.isNaN(from) && from > now) return `not valid yet (from ${validFrom.slice(0, 10)})`;
  if (left < 0) return `expired ${-left} day${-left === 1 ? '' : 's'} ago`;
  return `${left} day${left === 1 ? '' : 's'} left`;
}
