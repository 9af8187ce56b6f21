/**
 * `?? FIELD [ARG] OPERATOR [EXPECTED]`, split exactly as httpyac splits it (its regex, HY@89a439d
 * src/plugins/assert/assertHttpRegionParser.ts:44, flags `iu`): the ARG is greedy, so the last operator that
 * leaves a valid split wins; no space is needed after the operator. Where httpyac silently does something else
 * (`===` read as `==` then `= 200`, `EQUALS` matched but never run, an unknown operator turned into body text),
 * NetReq says so with a diagnostic. Pure: the fields a kind has are passed in (see catalog.ts).
 */
import { Codes, nearWords, q, type DiagnosticCode } from '../netreq/diag';
import type { AssertLine, Diagnostic, Dialect, Severity, Span } from '../netreq/types';
import { jsonPathOf } from './body';
import type { AssertFieldSpec } from './fields';
import { libXpath } from '../lazyNode';
import { CANONICAL, MAX_PATTERN_CHARS, NO_VALUE, NUMERIC, OPERATOR_IDS, regexOf, toNumber } from './operators';
import type { AssertCheck } from './types';

/** Assert lines longer than this are refused (the split regex backtracks over the line). */
export const MAX_ASSERT_LINE = 64 * 1024;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SPLIT = new RegExp(`^\\s*\\?\\?\\s*(?<type>[^\\s]*)(\\s+(?<value>.*))?\\s+(?<predicate>(${OPERATOR_IDS.map(escape).join('|')}))\\s*(?<expected>.*)\\s*$`, 'iu');
const OPS_TEXT = OPERATOR_IDS.filter((o) => !CANONICAL[o]).join(', ');

export interface AssertParseOptions {
  /** The fields the block's kind has; absent: any field is taken (no unknown-field check). */
  fields?: readonly AssertFieldSpec[];
  /** How the kind is named in messages ("HTTP", "DNS"). */
  label?: string;
  dialect?: Dialect;
}

function d(s: Span, severity: Severity, code: DiagnosticCode, message: string): Diagnostic {
  return { span: s, severity, code, message };
}

/** One `??` line → a check, or undefined when it cannot be one (the reason is in `diags`). */
export function parseAssertLine(l: AssertLine, opts: AssertParseOptions, diags: Diagnostic[]): AssertCheck | undefined {
  const text = l.text.trim();
  const at = l.span;
  if (text.length > MAX_ASSERT_LINE) {
    diags.push(d(at, 'error', Codes.badAssert, `This assert line is ${text.length.toLocaleString('en-US')} characters long; asserts are limited to ${MAX_ASSERT_LINE.toLocaleString('en-US')}`));
    return undefined;
  }
  if (/^\?\?\s*js(\s|$)/.test(text)) {
    diags.push(d(at, 'error', Codes.assertJs, `'?? js …' runs JavaScript in httpyac; NetReq runs no JavaScript in files: assert a field instead (e.g. ?? body $.id == 1, ?? header content-type includes json)`));
    return undefined;
  }
  const m = SPLIT.exec(text);
  if (!m?.groups) {
    const words = text.slice(2).trim().split(/\s+/);
    const near = words.length > 1 ? nearWords(words[words.length > 2 ? 2 : 1], OPERATOR_IDS, 2) : [];
    const hint = near.length ? ` (did you mean '${near[0]}'?)` : '';
    diags.push(d(at, 'error', Codes.badAssert, `Expected '?? FIELD [ARG] OPERATOR [VALUE]', e.g. ?? status == 200; no operator found${hint}. Operators: ${OPS_TEXT}${opts.dialect === 'http' ? ' (httpyac would send this line as body text)' : ''}`));
    return undefined;
  }
  const g = m.groups;
  const field = g.type;
  const arg = g.value?.trim() || undefined;
  const written = g.predicate;
  const expectedText = g.expected.trim();
  if (!field) {
    diags.push(d(at, 'error', Codes.badAssert, `The assert names no field: write ?? FIELD ${written} …, e.g. ?? status == 200`));
    return undefined;
  }
  if (!OPERATOR_IDS.includes(written)) {
    const right = OPERATOR_IDS.find((o) => o.toLowerCase() === written.toLowerCase())!;
    diags.push(d(at, 'error', Codes.assertOperatorCase, `Operators are case-sensitive: write '${right}' (httpyac matches ${q(written)} but never runs the assert)`));
    return undefined;
  }
  // `\s*` before EXPECTED is greedy: EXPECTED starts right after the operator exactly when no blank precedes it.
  const beforeExpected = text.slice(0, text.length - g.expected.length);
  if ((written === '==' || written === '!=') && g.expected.startsWith('=') && !/\s$/.test(beforeExpected)) {
    diags.push(d(at, 'error', Codes.assertTripleEquals, `httpyac reads '${written}=' as '${written}' followed by the value ${q(expectedText)}, so this assert could never pass there: write '${written}'`));
    return undefined;
  }
  if (written === 'equals' && /(^|\s)not$/.test(arg ?? '')) {
    diags.push(d(at, 'error', Codes.assertNotEquals, `httpyac never reads 'not equals': it takes 'not' as part of the field's argument and runs 'equals', the opposite check: write '!='`));
    return undefined;
  }
  const check: AssertCheck = { text, line: l.line, span: at, field, arg, op: written, expected: NO_VALUE.has(written) ? undefined : expectedText };
  if (opts.dialect !== 'http') check.regexLiteral = true;
  else check.httpyacIncludes = true;
  if (!checkField(check, opts, diags)) return undefined;
  if (!checkValue(check, opts, diags, expectedText)) return undefined;
  return check;
}

function fieldSpan(c: AssertCheck): Span {
  const col = c.span.start.col + c.text.indexOf(c.field, 2);
  return { start: { line: c.line, col }, end: { line: c.line, col: col + c.field.length } };
}

function checkField(c: AssertCheck, opts: AssertParseOptions, diags: Diagnostic[]): boolean {
  if (!opts.fields) return true;
  const spec = opts.fields.find((f) => f.name === c.field);
  if (!spec) {
    const names = opts.fields.map((f) => f.name);
    const near = nearWords(c.field, names, 3).concat(names.filter((n) => n.toLowerCase() === c.field.toLowerCase()));
    const hint = near.length ? ` Did you mean '${near[near.length - 1]}'?` : '';
    diags.push(d(fieldSpan(c), 'error', Codes.assertUnknownField, `${opts.label ?? 'This'} requests have no assert field ${q(c.field)}.${hint} Fields: ${names.join(', ')}`));
    return false;
  }
  if (spec.arg === 'none' && c.arg !== undefined) {
    diags.push(d(c.span, 'error', Codes.assertBadArg, `${c.field} takes no argument, but ${q(c.arg)} comes before the operator ${q(c.op)}`));
    return false;
  }
  if (spec.arg === 'required' && c.arg === undefined) {
    diags.push(d(c.span, 'error', Codes.assertBadArg, `${c.field} needs ${spec.argHint ?? 'an argument'} before the operator, e.g. ${spec.example}`));
    return false;
  }
  if (c.arg !== undefined && spec.argValues && !spec.argValues.includes(c.arg)) {
    const near = nearWords(c.arg, spec.argValues, 2);
    const why = c.field === 'duration' && c.arg === 'wait' ? ' (httpyac’s wait for a free socket: NetReq does not measure it)' : near.length ? ` (did you mean '${near[0]}'?)` : '';
    diags.push(d(c.span, 'error', Codes.assertBadArg, `${c.field} ${q(c.arg)}: not one of ${spec.argValues.join(', ')}${why}`));
    return false;
  }
  if (c.field === 'body' && c.arg !== undefined) {
    const p = jsonPathOf(c.arg);
    if ('error' in p) {
      diags.push(d(c.span, 'error', Codes.assertJs, p.error));
      return false;
    }
    if (!p.fromJs && opts.dialect === 'http') {
      diags.push(d(c.span, 'info', Codes.assertNetreqOnly, `NetReq reads 'body ${c.arg}' as a JSONPath; httpyac reads it as JavaScript and fails this assert (httpyac's form: body ${c.arg.replace(/^\$\.?/, '') || '…'})`));
    }
  }
  if (c.field === 'xpath' && c.arg !== undefined && !xpathParses(c.arg)) {
    diags.push(d(c.span, 'error', Codes.assertBadArg, `xpath ${q(c.arg)} is not an XPath 1.0 expression`));
    return false;
  }
  if (opts.dialect === 'http' && !spec.httpyac && c.field !== 'body') {
    diags.push(d(fieldSpan(c), 'info', Codes.assertNetreqOnly, `${c.field} is NetReq's own field: httpyac does not know it (its assert fails there)`));
  }
  return true;
}

function xpathParses(expr: string): boolean {
  try {
    (libXpath() as unknown as { parse(e: string): unknown }).parse(expr);
    return true;
  } catch {
    return false;
  }
}

/** The expected value: present when the operator takes one, a number for numeric checks, a valid pattern. */
function checkValue(c: AssertCheck, opts: AssertParseOptions, diags: Diagnostic[], expectedText: string): boolean {
  if (NO_VALUE.has(c.op)) {
    if (expectedText) diags.push(d(c.span, 'warning', Codes.assertUnexpectedValue, `'${c.op}' takes no value: ${q(expectedText)} is ignored (as httpyac ignores it)`));
    return true;
  }
  if (!expectedText) {
    const numeric = NUMERIC.has(c.op) || opts.fields?.find((f) => f.name === c.field)?.type === 'number';
    diags.push(d(c.span, 'error', Codes.assertMissingValue, `'${c.op}' needs a value after it, e.g. ?? ${c.field}${c.arg ? ` ${c.arg}` : ''} ${c.op} ${numeric ? '200' : 'text'}`));
    return false;
  }
  const spec = opts.fields?.find((f) => f.name === c.field);
  return checkExpected(c, expectedText, spec, opts.dialect, diags);
}

/**
 * Checks an expected value (again after `{{variables}}` are expanded: text holding `{{` is left to then):
 * numbers for numeric operators and number fields, a valid and bounded pattern for `matches`.
 */
export function checkExpected(c: AssertCheck, expected: string, spec: AssertFieldSpec | undefined, dialect: Dialect | undefined, diags: Diagnostic[]): boolean {
  if (expected.includes('{{')) return true;
  const op = CANONICAL[c.op] ?? c.op;
  const numberField = spec?.type === 'number' && (op === '==' || op === '!=');
  if ((NUMERIC.has(op) || numberField) && toNumber(expected) === undefined) {
    const why = numberField ? `${c.field} is a number` : `'${c.op}' compares numbers`;
    diags.push(d(c.span, 'error', Codes.assertBadNumber, `${why}, and ${q(expected)} is not one`));
    return false;
  }
  if (op === 'matches') {
    const r = regexOf(expected, c.regexLiteral === true);
    if (r.pattern.length > MAX_PATTERN_CHARS) {
      diags.push(d(c.span, 'error', Codes.assertBadRegex, `The pattern is ${r.pattern.length.toLocaleString('en-US')} characters; matches takes at most ${MAX_PATTERN_CHARS}`));
      return false;
    }
    try {
      new RegExp(r.pattern, r.flags);
    } catch (e) {
      diags.push(d(c.span, 'error', Codes.assertBadRegex, `Bad regular expression ${q(r.pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`));
      return false;
    }
    if (dialect === 'http' && /^\/.+\/[a-z]*$/s.test(expected)) {
      diags.push(d(c.span, 'info', Codes.assertNetreqOnly, `In .http files the pattern is the text as written, slashes included (as httpyac reads it); write it without the slashes to match ${q(expected.replace(/^\/|\/[a-z]*$/g, ''))}`));
    }
  }
  if ((op === 'sha256' || op === 'sha512' || op === 'md5') && /^[0-9a-f]+$/i.test(expected) && [32, 64, 128].includes(expected.length)) {
    diags.push(d(c.span, 'warning', Codes.assertHashHex, `${c.op} compares the base64 digest (as httpyac does); ${q(expected, 20)} looks like hex`));
  }
  return true;
}
