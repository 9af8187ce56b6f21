/**
 * `??` asserts: parse (with diagnostics), evaluate against an exchange. SKELETON (issue 13 in progress): the
 * grammar and a few fields work; the full operator list and every protocol's fields come next.
 */
import type { Exchange } from '../exchange';
import type { AssertLine, Diagnostic } from '../netreq/types';
import type { AssertCheck, AssertOutcome } from './types';

export * from './types';

const OPS = ['==', '!=', '>=', '<=', '>', '<', 'startsWith', 'endsWith', 'includes', 'contains', 'exists', 'isFalse', 'isTrue', 'isNumber', 'isString', 'isBoolean', 'isArray', 'matches'];
const NO_VALUE = new Set(['exists', 'isFalse', 'isTrue', 'isNumber', 'isString', 'isBoolean', 'isArray']);

/** `??` lines → checks; problems (unknown operator, missing value) go to `diags`. */
export function parseAsserts(lines: readonly AssertLine[], diags: Diagnostic[]): AssertCheck[] {
  const out: AssertCheck[] = [];
  for (const l of lines) {
    const text = l.text.trim();
    const words = text.slice(2).trim().split(/\s+/);
    const at = words.findIndex((w, i) => i > 0 && OPS.includes(w));
    if (at < 0) {
      diags.push({ span: l.span, severity: 'error', code: 'bad-assert', message: `Expected '?? FIELD [ARG] OPERATOR [VALUE]', e.g. ?? status == 200` });
      continue;
    }
    const op = words[at];
    const expected = words.slice(at + 1).join(' ');
    out.push({ text, line: l.line, span: l.span, field: words[0], arg: at > 1 ? words.slice(1, at).join(' ') : undefined, op, expected: NO_VALUE.has(op) ? undefined : expected });
  }
  return out;
}

function read(c: AssertCheck, x: Exchange): string | undefined {
  if (x.kind === 'http' && c.field === 'status') return x.response ? String(x.response.status) : undefined;
  return undefined;
}

export function evaluateAsserts(checks: readonly AssertCheck[], x: Exchange): AssertOutcome[] {
  return checks.map((c) => {
    const actual = read(c, x);
    if (actual === undefined) return { check: c, status: 'error', expected: c.expected, message: `${c.text}: ${c.field} could not be read` };
    const pass = c.op === '==' ? actual === c.expected : c.op === '!=' ? actual !== c.expected : false;
    return { check: c, status: pass ? 'passed' : 'failed', actual, expected: c.expected, message: `${c.text}: ${pass ? 'passed' : `got ${actual}`}` };
  });
}
