/**
 * Checks parsed asserts against an exchange: each field is read by the protocol module that made the exchange
 * (ProtocolModule.asserts), then the operator is applied as httpyac applies it (operators.ts). Never throws:
 * a field that cannot be read (no response, body not JSON, a pattern stopped) is an `error` outcome in words.
 */
import type { Exchange } from '../exchange';
import { moduleForExchange } from '../protocols/registry';
import { safeText } from '../text';
import type { BodyCache } from './body';
import type { AssertValue, FieldRead } from './fields';
import { applyOperator, CANONICAL } from './operators';
import type { AssertCheck, AssertOutcome } from './types';
import { monoMs } from '../clock';

/** Longest actual or expected text an outcome carries (characters, before escaping). */
export const MAX_SHOWN_CHARS = 300;

export interface EvaluateOptions {
  /** The clock for `tls.daysLeft` (ms since the epoch); default Date.now(). */
  now?: number;
  /** Applied to every text an outcome carries (actual, expected, message): the caller's secret masking. */
  mask?: (text: string) => string;
}

/** A value as one line of text: escaped, cut at MAX_SHOWN_CHARS with the full length said. */
export function shownValue(v: AssertValue): string {
  const t = typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v);
  const cut = t.length > MAX_SHOWN_CHARS ? `${t.slice(0, MAX_SHOWN_CHARS)}… (${t.length.toLocaleString('en-US')} characters)` : t;
  return safeText(cut, { oneLine: true });
}

function label(c: AssertCheck): string {
  return safeText(c.text.replace(/^\?\?\s*/, ''), { oneLine: true });
}

function readField(x: Exchange, c: AssertCheck, now: number, cache: BodyCache): FieldRead {
  try {
    return moduleForExchange(x).asserts.read(x, c.field, c.arg, { now, cache });
  } catch (e) {
    return { error: `${c.field} could not be read: ${(e as Error).message}` };
  }
}

function existsMode(x: Exchange, c: AssertCheck): 'truthy' | 'defined' {
  if (c.field === 'body' && c.arg !== undefined) return c.arg.startsWith('$') ? 'defined' : 'truthy'; // JSONPath: Hurl; httpyac's a.b: httpyac
  return moduleForExchange(x).asserts.fields.find((f) => f.name === c.field)?.exists ?? 'defined';
}

export function evaluateAsserts(checks: readonly AssertCheck[], x: Exchange, opts: EvaluateOptions = {}): AssertOutcome[] {
  const now = opts.now ?? Date.now();
  const mask = opts.mask ?? ((s: string) => s);
  const cache: BodyCache = {};
  return checks.map((c) => {
    const t0 = monoMs();
    const o = evaluateOne(c, x, now, cache);
    o.ms = Math.round((monoMs() - t0) * 1000) / 1000;
    if (o.actual !== undefined) o.actual = mask(o.actual);
    if (o.expected !== undefined) o.expected = mask(o.expected);
    o.message = mask(o.message);
    return o;
  });
}

function evaluateOne(c: AssertCheck, x: Exchange, now: number, cache: BodyCache): AssertOutcome {
  const expected = c.expected !== undefined ? shownValue(c.expected) : undefined;
  const name = label(c);
  const r = readField(x, c, now, cache);
  if ('error' in r) return { check: c, status: 'error', expected, message: `${name}: ${safeText(r.error, { oneLine: true })}` };
  const actual = r.value === undefined ? undefined : shownValue(r.value);
  let pass: boolean;
  try {
    pass = applyOperator(c.op, r.value, c.expected ?? '', { bytes: r.bytes, exists: existsMode(x, c), regexLiteral: c.regexLiteral === true, httpyacIncludes: c.httpyacIncludes });
  } catch (e) {
    return { check: c, status: 'error', actual, expected, message: `${name}: ${safeText((e as Error).message, { oneLine: true })}` };
  }
  if (pass) return { check: c, status: 'passed', actual, expected, message: `${name}: passed` };
  return { check: c, status: 'failed', actual, expected, message: `${name}: ${failure(c, r.value, actual)}` };
}

function failure(c: AssertCheck, value: AssertValue, actual: string | undefined): string {
  const op = CANONICAL[c.op] ?? c.op;
  if (value === undefined) return `${c.field}${c.arg ? ` ${c.arg}` : ''} has no value`;
  if (op === 'sha256' || op === 'sha512' || op === 'md5') return `its ${op} is not ${c.expected ?? ''} (the value was ${actual})`;
  if (op === 'isNumber' || op === 'isString' || op === 'isBoolean' || op === 'isArray') return `got ${actual} (${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`})`;
  return `got ${actual}`;
}
