/**
 * Date arithmetic and formatting for `{{$timestamp}}`, `{{$datetime}}` and `{{$localDatetime}}`,
 * with REST Client's (moment.js) meaning: offsets in y Q M w d h m s ms (months clamp to the
 * month's last day), formats rfc1123, iso8601 or a moment-style format string.
 */
import type { OffsetUnit } from './templates';

const MS: Partial<Record<OffsetUnit, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Adds `n` units; `local` does calendar arithmetic in local time (days keep the wall clock). */
export function addOffset(date: Date, n: number, unit: OffsetUnit, local: boolean): Date {
  const ms = MS[unit];
  if (ms !== undefined) return new Date(date.getTime() + n * ms);
  const d = new Date(date.getTime());
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'w' ? n * 7 : n;
    if (local) d.setDate(d.getDate() + days);
    else d.setUTCDate(d.getUTCDate() + days);
    return d;
  }
  const months = unit === 'y' ? n * 12 : unit === 'Q' ? n * 3 : n;
  const f = fields(d, !local);
  const total = f.year * 12 + f.month + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(f.day, daysInMonth(year, month));
  if (local) d.setFullYear(year, month, day);
  else d.setUTCFullYear(year, month, day);
  return d;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

interface Fields {
  year: number;
  month: number; // 0-11
  day: number;
  weekday: number; // 0 = Sunday
  hours: number;
  minutes: number;
  seconds: number;
  ms: number;
  /** Minutes east of UTC. */
  offset: number;
}

function fields(d: Date, utc: boolean): Fields {
  if (utc) {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hours: d.getUTCHours(),
      minutes: d.getUTCMinutes(),
      seconds: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
      offset: 0,
    };
  }
  return {
    year: d.getFullYear(),
    month: d.getMonth(),
    day: d.getDate(),
    weekday: d.getDay(),
    hours: d.getHours(),
    minutes: d.getMinutes(),
    seconds: d.getSeconds(),
    ms: d.getMilliseconds(),
    offset: -d.getTimezoneOffset(),
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

function zone(offset: number, colon: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function dayOfYear(f: Fields): number {
  return Math.round((Date.UTC(f.year, f.month, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

type Fmt = (f: Fields, d: Date) => string;

/** moment.js tokens, longest first so the scanner can match greedily. */
const TOKENS: Array<[string, Fmt]> = [
  ['YYYY', (f) => pad(f.year, 4)],
  ['MMMM', (f) => MONTHS[f.month]],
  ['dddd', (f) => DAYS[f.weekday]],
  ['DDDD', (f) => pad(dayOfYear(f), 3)],
  ['MMM', (f) => MONTHS[f.month].slice(0, 3)],
  ['ddd', (f) => DAYS[f.weekday].slice(0, 3)],
  ['DDD', (f) => String(dayOfYear(f))],
  ['SSS', (f) => pad(f.ms, 3)],
  ['YY', (f) => pad(f.year % 100)],
  ['MM', (f) => pad(f.month + 1)],
  ['DD', (f) => pad(f.day)],
  ['Do', (f) => ordinal(f.day)],
  ['dd', (f) => DAYS[f.weekday].slice(0, 2)],
  ['HH', (f) => pad(f.hours)],
  ['hh', (f) => pad(f.hours % 12 === 0 ? 12 : f.hours % 12)],
  ['kk', (f) => pad(f.hours === 0 ? 24 : f.hours)],
  ['mm', (f) => pad(f.minutes)],
  ['ss', (f) => pad(f.seconds)],
  ['SS', (f) => pad(Math.floor(f.ms / 10))],
  ['ZZ', (f) => zone(f.offset, false)],
  ['Q', (f) => String(Math.floor(f.month / 3) + 1)],
  ['M', (f) => String(f.month + 1)],
  ['D', (f) => String(f.day)],
  ['d', (f) => String(f.weekday)],
  ['E', (f) => String(f.weekday === 0 ? 7 : f.weekday)],
  ['H', (f) => String(f.hours)],
  ['h', (f) => String(f.hours % 12 === 0 ? 12 : f.hours % 12)],
  ['k', (f) => String(f.hours === 0 ? 24 : f.hours)],
  ['m', (f) => String(f.minutes)],
  ['s', (f) => String(f.seconds)],
  ['S', (f) => String(Math.floor(f.ms / 100))],
  ['A', (f) => (f.hours < 12 ? 'AM' : 'PM')],
  ['a', (f) => (f.hours < 12 ? 'am' : 'pm')],
  ['Z', (f) => zone(f.offset, true)],
  ['X', (_f, d) => String(Math.floor(d.getTime() / 1000))],
  ['x', (_f, d) => String(d.getTime())],
];

/** Formats with moment.js tokens; `[text]` is literal. */
export function formatDate(d: Date, format: string, utc: boolean): string {
  const f = fields(d, utc);
  let out = '';
  let i = 0;
  const lastClose = format.lastIndexOf(']'); // a '[' after it has no ']': no search (linear for '[[[[…')
  outer: while (i < format.length) {
    if (format[i] === '[' && i < lastClose) {
      const close = format.indexOf(']', i + 1);
      if (close > i) {
        out += format.slice(i + 1, close);
        i = close + 1;
        continue;
      }
    }
    for (const [tok, fmt] of TOKENS) {
      if (format.startsWith(tok, i)) {
        out += fmt(f, d);
        i += tok.length;
        continue outer;
      }
    }
    out += format[i];
    i++;
  }
  return out;
}

/** `rfc1123`, `iso8601` or a custom format, in UTC or local time (REST Client's output shapes). */
export function formatNamed(d: Date, format: string, utc: boolean): string {
  if (format === 'rfc1123') return utc ? d.toUTCString() : formatDate(d, 'ddd, DD MMM YYYY HH:mm:ss ZZ', false);
  if (format === 'iso8601') return utc ? d.toISOString() : formatDate(d, 'YYYY-MM-DDTHH:mm:ss.SSSZ', false);
  return formatDate(d, format, utc);
}
