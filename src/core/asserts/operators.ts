/**
 * httpyac's assert operators (HY@89a439d src/plugins/assert/predicates/*.ts) and what each does with the value a
 * field read and the expected text: the expected text is converted to the type of the value (numbers compared as
 * numbers, booleans as booleans, text as text), as httpyac does. In .netreq files `includes` on a list is
 * membership (any element equals the value); .http files keep httpyac's search in the list's JSON text.
 * `matches` runs in a separate V8 context with a time limit, so a catastrophic pattern stops with an error.
 */
import { nodeCrypto } from '../lazyNode';
import * as vm from 'node:vm';
import type { AssertValue } from './fields';

/** httpyac's operator ids in its alternation order (assertHttpRegionParser.ts:7-27); the order decides the split. */
export const OPERATOR_IDS: readonly string[] = Object.freeze([
  'endsWith', '==', '===', 'equals', 'exists', 'isTrue', '>=', '>', 'contains', 'includes', 'isArray', 'isBoolean',
  'isNumber', 'isString', '<=', '<', 'matches', '!=', '!==', 'not equals', 'startsWith', 'sha256', 'md5', 'sha512', 'isFalse',
]);

/** Operator id → the name reports use (httpyac's first id of the predicate). */
export const CANONICAL: Readonly<Record<string, string>> = Object.freeze({ '===': '==', equals: '==', '!==': '!=', 'not equals': '!=', contains: 'includes' });

/** Operators that take no expected value. */
export const NO_VALUE: ReadonlySet<string> = new Set(['exists', 'isTrue', 'isFalse', 'isNumber', 'isString', 'isBoolean', 'isArray']);
/** Operators that compare numbers: the expected value must be one. */
export const NUMERIC: ReadonlySet<string> = new Set(['>', '>=', '<', '<=']);
/** Operators whose expected text is used as written (httpyac's `noAutoConvert`). */
export const NO_CONVERT: ReadonlySet<string> = new Set(['matches', 'sha256', 'md5', 'sha512']);

export const OPERATOR_DOC: Readonly<Record<string, string>> = Object.freeze({
  '==': 'equals (the value is converted to the field’s type: numbers as numbers)',
  '!=': 'does not equal',
  '>': 'greater than (numbers)',
  '>=': 'greater than or equal (numbers)',
  '<': 'less than (numbers)',
  '<=': 'less than or equal (numbers)',
  startsWith: 'the text starts with',
  endsWith: 'the text ends with',
  includes: 'the text contains, or the list has an element equal to',
  exists: 'has a value',
  isTrue: 'is true (truthy)',
  isFalse: 'is false, 0, empty or absent (falsy)',
  isNumber: 'is a number',
  isString: 'is text',
  isBoolean: 'is true or false',
  isArray: 'is a list',
  matches: 'matches the regular expression',
  sha256: 'the SHA-256 of the value, base64, equals',
  sha512: 'the SHA-512 of the value, base64, equals',
  md5: 'the MD5 of the value, base64, equals',
});

/** Longest pattern `matches` takes (a longer one is a diagnostic). */
export const MAX_PATTERN_CHARS = 1000;
/** Longest text `matches` runs on (chars); a longer value makes the assert an error, not a slow match. */
export const MAX_MATCH_SUBJECT = 16 * 1024 * 1024;
/** Time limit of one `matches` (ms): past it the assert is an error naming the pattern. */
export const MATCH_TIMEOUT_MS = 1000;

/** httpyac's toNumber: a number as is, text by parseFloat (NaN: none). */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string') {
    const n = parseFloat(v.trim());
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function toBoolean(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = toNumber(t);
  return n !== undefined ? n !== 0 : !!t;
}

export function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The expected text as the type of the value it is compared with (httpyac's auto conversion). */
export function convertExpected(actual: AssertValue, expected: string): unknown {
  if (typeof actual === 'number') return toNumber(expected);
  if (typeof actual === 'boolean') return toBoolean(expected);
  if (typeof actual === 'string') return expected;
  if (actual === null) return expected.trim() === 'null' ? null : expected;
  if (actual === undefined) return expected.trim() === 'undefined' ? undefined : expected;
  try {
    return JSON.parse(expected) as unknown;
  } catch {
    return expected;
  }
}

function equals(actual: AssertValue, expected: unknown): boolean {
  if (typeof actual === 'object' && actual !== null) return JSON.stringify(actual) === JSON.stringify(expected);
  return actual === expected;
}

let context: vm.Context | undefined;
let script: vm.Script | undefined;

/** `new RegExp(pattern, flags).test(subject)` bounded in time; throws a readable error past MATCH_TIMEOUT_MS. */
export function boundedTest(pattern: string, flags: string, subject: string): boolean {
  if (subject.length > MAX_MATCH_SUBJECT) throw new Error(`the value is ${subject.length.toLocaleString('en-US')} characters; matches runs on at most ${MAX_MATCH_SUBJECT.toLocaleString('en-US')}`);
  context ??= vm.createContext(Object.create(null) as object);
  script ??= new vm.Script('new RegExp(p, f).test(s)');
  context.p = pattern;
  context.f = flags;
  context.s = subject;
  try {
    return script.runInContext(context, { timeout: MATCH_TIMEOUT_MS }) === true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error(`the regular expression ran for over ${MATCH_TIMEOUT_MS} ms on ${subject.length.toLocaleString('en-US')} characters and was stopped (catastrophic backtracking?)`, { cause: e });
    throw new Error(`bad regular expression: ${(e as Error).message}`, { cause: e });
  } finally {
    context.s = '';
  }
}

/** `/pattern/flags` (a regular expression literal), or undefined when the text is not one. */
export function regexLiteral(text: string): { pattern: string; flags: string } | undefined {
  const m = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  return m ? { pattern: m[1], flags: m[2] } : undefined;
}

/** The pattern and flags `matches` uses for an expected text (`literal`: `/…/flags` is read as a literal). */
export function regexOf(expected: string, literal: boolean): { pattern: string; flags: string } {
  const lit = literal ? regexLiteral(expected) : undefined;
  if (!lit) return { pattern: expected, flags: 'u' };
  const flags = lit.flags.replace(/[gy]/g, ''); // test() with g or y would depend on lastIndex
  return { pattern: lit.pattern, flags: flags.includes('u') || flags.includes('v') ? flags : `${flags}u` };
}

/**
 * Applies operator `op` (any id or alias) to the value read. `bytes`: the raw bytes for the hashes (a body).
 * Throws only for `matches` (a pattern that cannot run, or ran too long).
 */
export function applyOperator(op: string, actual: AssertValue, expected: string, opts: { bytes?: Buffer; exists: 'truthy' | 'defined'; regexLiteral: boolean; httpyacIncludes?: boolean }): boolean {
  const id = CANONICAL[op] ?? op;
  switch (id) {
    case 'exists':
      return opts.exists === 'defined' ? actual !== undefined : !!actual;
    case 'isTrue':
      return !!actual;
    case 'isFalse':
      return !actual;
    case 'isNumber':
      return typeof actual === 'number';
    case 'isString':
      return typeof actual === 'string';
    case 'isBoolean':
      return typeof actual === 'boolean';
    case 'isArray':
      return Array.isArray(actual);
    case '==':
      return equals(actual, convertExpected(actual, expected));
    case '!=':
      return actual !== convertExpected(actual, expected);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const a = toNumber(actual);
      const e = toNumber(expected);
      if (a === undefined || e === undefined) return false;
      return id === '>' ? a > e : id === '>=' ? a >= e : id === '<' ? a < e : a <= e;
    }
    case 'startsWith':
    case 'endsWith': {
      const a = toText(actual);
      if (!a || !expected) return false;
      return id === 'startsWith' ? a.startsWith(expected) : a.endsWith(expected);
    }
    case 'includes':
      if (opts.httpyacIncludes) {
        const a = toText(actual);
        return a && expected ? a.includes(expected) : Array.isArray(actual) ? actual.includes(expected) : false;
      }
      if (Array.isArray(actual)) return actual.some((el) => equals(el as AssertValue, convertExpected(el as AssertValue, expected)) || (typeof el === 'string' && el === expected));
      return !!expected && toText(actual).includes(expected);
    case 'matches': {
      const a = toText(actual);
      if (!a || !expected) return false;
      const r = regexOf(expected, opts.regexLiteral);
      return boundedTest(r.pattern, r.flags, a);
    }
    case 'sha256':
    case 'sha512':
    case 'md5': {
      const data = opts.bytes ?? Buffer.from(toText(actual), 'utf8');
      return nodeCrypto().createHash(id).update(data).digest('base64') === expected;
    }
  }
  return false;
}
