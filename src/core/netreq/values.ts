/**
 * Directive values: durations, sizes, flags… One parser per value kind, used by the parser
 * (to report what does not parse) and by the resolver (to use it).
 */
import { isIP } from 'node:net';
import { shown } from './diag';
import { parseHostPort } from './hostport';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): ValueResult<T> => ({ ok: true, value });
const fail = <T>(message: string): ValueResult<T> => ({ ok: false, message });

export const MAX_MS = 2_147_483_647; // setTimeout's limit

const DURATION = /^(\d{1,12}(?:\.\d{1,6})?)\s*(ms|s|m|h)?$/i;

/** `500ms`, `10s`, `2m`, `1h`, `1.5s`; a bare number means milliseconds. */
export function parseDuration(text: string, allowZero = false): ValueResult<number> {
  const m = DURATION.exec(text.trim());
  if (!m) {
    return fail(`${shown(text)} is not a duration: write e.g. 500ms, 10s or 2m (a bare number means milliseconds)`);
  }
  const unit = (m[2] ?? 'ms').toLowerCase();
  const mult = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = Math.round(Number(m[1]) * mult);
  if (ms === 0 && !allowZero) return fail(`A duration of 0 is not allowed here: write e.g. 500ms or 10s`);
  if (ms > MAX_MS) return fail(`${shown(text)} is too long: the longest duration is 24 days`);
  return ok(ms);
}

const SIZE = /^(\d{1,15}(?:\.\d{1,6})?)\s*([a-z]*)$/i;
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  byte: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `100`, `100 bytes`, `512KB`, `1MB`, `1.5MB` (binary multiples: 1KB = 1024 bytes). */
export function parseSize(text: string): ValueResult<number> {
  const m = SIZE.exec(text.trim());
  const mult = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || mult === undefined) {
    return fail(`${shown(text)} is not a size: write e.g. 100 bytes, 512KB or 1MB`);
  }
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) return fail(`A size must be at least 1 byte`);
  if (!Number.isSafeInteger(n)) return fail(`${shown(text)} is too large`);
  return ok(n);
}

const TRUE_WORDS = ['', 'on', 'true', 'yes'];
const FALSE_WORDS = ['off', 'false', 'no'];

/** A flag: present without a value means on; `on|off|true|false|yes|no` also accepted. */
export function parseFlag(text: string): ValueResult<boolean> {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(t)) return ok(true);
  if (FALSE_WORDS.includes(t)) return ok(false);
  return fail(`${shown(text)} is not on or off: write the directive alone, or with on / off`);
}

/** `on|off` (required). */
export function parseOnOff(text: string): ValueResult<boolean> {
  if (text.trim() === '') return fail('Write on or off');
  return parseFlag(text);
}

export function parseInteger(text: string, min: number, max: number, what: string): ValueResult<number> {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t)) return fail(`${shown(text)} is not a whole number: ${what} must be ${min}–${max}`);
  const n = Number(t);
  if (n < min || n > max) return fail(`${what} ${n} is out of range: valid values are ${min}–${max}`);
  return ok(n);
}

export interface Repeat {
  count: number;
  everyMs: number;
}

/** The most datagrams one `# @repeat` sends: every one is recorded in the exchange's transcript. */
export const MAX_REPEAT = 100_000;
const REPEAT = /^(\d{1,9})(?:\s+every\s+(\S+))?$/i;

/** `N` or `N every 1s`; the interval defaults to 1 s. */
export function parseRepeat(text: string): ValueResult<Repeat> {
  const m = REPEAT.exec(text.trim());
  if (!m) return fail(`${shown(text)} is not a repeat: write e.g. 5 every 1s`);
  const count = Number(m[1]);
  if (count < 1) return fail('Repeat at least once: write e.g. 5 every 1s');
  if (count > MAX_REPEAT) return fail(`Repeat at most ${MAX_REPEAT.toLocaleString('en-US')} times (each datagram sent is kept in the transcript)`);
  if (m[2] === undefined) return ok({ count, everyMs: 1000 });
  const every = parseDuration(m[2]);
  return every.ok ? ok({ count, everyMs: every.value }) : fail(every.message);
}

export type Eol = 'lf' | 'crlf' | 'none';

export function parseEol(text: string): ValueResult<Eol> {
  const t = text.trim().toLowerCase();
  if (t === 'lf' || t === 'crlf' || t === 'none') return ok(t);
  return fail(`${shown(text)} is not a line ending: write lf, crlf or none`);
}

/** A local interface address for multicast (IPv4 or IPv6 literal; brackets optional). */
export function parseInterface(text: string): ValueResult<string> {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (isIP(t) !== 0) return ok(t);
  return fail(`${shown(text)} is not an interface address: write the local IP address, e.g. 192.168.1.10`);
}

/**
 * Text with escapes: \r \n \t \0 \\ \" \xHH. Surrounding double quotes are removed
 * (so trailing spaces can be written). Returns the bytes.
 */
export function parseEscapedText(text: string): ValueResult<Buffer> {
  let t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  if (t === '') return fail('Write the text to wait for, e.g. \\r\\n or "END" (escapes: \\r \\n \\t \\xHH)');
  // Runs of plain text are encoded at once (one Buffer per run, not per character).
  const parts: Buffer[] = [];
  let i = 0;
  while (i < t.length) {
    const bs = t.indexOf('\\', i);
    const runEnd = bs < 0 || bs + 1 >= t.length ? t.length : bs;
    if (runEnd > i) parts.push(Buffer.from(t.slice(i, runEnd), 'utf8'));
    if (runEnd >= t.length) break;
    const e = t[bs + 1];
    i = bs + 2;
    if (e === 'r') parts.push(CR);
    else if (e === 'n') parts.push(LF);
    else if (e === 't') parts.push(TAB);
    else if (e === '0') parts.push(NUL);
    else if (e === 'x') {
      const h = t.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return fail(`'\\x${h}' is not a byte: write \\x followed by two hex digits, e.g. \\x0a`);
      parts.push(Buffer.from([parseInt(h, 16)]));
      i += 2;
    } else {
      parts.push(Buffer.from(e, 'utf8'));
    }
  }
  return ok(Buffer.concat(parts));
}

const CR = Buffer.from([13]);
const LF = Buffer.from([10]);
const TAB = Buffer.from([9]);
const NUL = Buffer.from([0]);

const NAME = /^[A-Za-z0-9_.-]+$/;

export function parseRequestName(text: string): ValueResult<string> {
  const t = text.trim();
  if (t === '') return fail('# @name needs a name, e.g. # @name login');
  if (!NAME.test(t)) return fail(`${shown(text)} is not a request name: use letters, digits, _ . -`);
  return ok(t);
}

/** `http://host:port` (or https://) for `# @proxy`. */
export function parseProxyUrl(text: string): ValueResult<string> {
  const t = text.trim();
  const m = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/:@[\]]+)(?::(\d{1,5}))?\/?$/i.exec(t);
  if (!m) return fail(`${shown(text)} is not a proxy URL: write e.g. http://127.0.0.1:8888`);
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) return fail(`Proxy port ${port} is out of range: valid ports are 1–65535`);
  }
  return ok(t);
}

export function parseText(text: string): ValueResult<string> {
  return ok(text.trim());
}

export interface ConnectTo {
  host: string;
  port: number;
}

/** `host:port` for `# @connect` (where to connect, whatever the URL or Host header says). */
export function parseConnect(text: string): ValueResult<ConnectTo> {
  const t = text.trim();
  if (t === '') return fail('Write where to connect as host:port, e.g. # @connect 127.0.0.1:8080');
  const hp = parseHostPort(t, { requirePort: true, what: '@connect' });
  if (hp.problems.length > 0) return fail(hp.problems[0].message);
  return ok({ host: hp.host, port: hp.port! });
}

/** `# @server host[:port]`: a DNS server by IP address (port 53 when left out). */
export interface Server {
  host: string;
  port: number;
}

export function parseServer(text: string): ValueResult<Server> {
  const t = text.trim();
  if (t === '') return fail('Write the DNS server as an IP address, e.g. # @server 127.0.0.1:5353 (port 53 when left out)');
  const hp = parseHostPort(t, { requirePort: false, defaultPort: 53, what: '@server' });
  if (hp.problems.length > 0) return fail(hp.problems[0].message);
  if (isIP(hp.host) === 0) return fail(`${shown(text)} is not an IP address: a DNS server is not looked up by name, write e.g. # @server 127.0.0.1:5353`);
  return ok({ host: hp.host, port: hp.port ?? 53 });
}
