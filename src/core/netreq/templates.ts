/**
 * `{{…}}` references: finding them in a line, and checking the syntax of system variables.
 * Shared by the parser (diagnostics) and the resolver (substitution). No regex backtracking:
 * references are found with indexOf.
 */
import { shown } from './diag';

/** 'nested': a `{{` inside the reference (`{{$datetime "{{x}}"}}`), which is an error. */
export type RefKind = 'plain' | 'percent' | 'system' | 'nested';

export interface VarRef {
  kind: RefKind;
  /** Variable name without `%` / `$` prefix (for system: 'guid', 'datetime'…; for nested: the system variable's name, or ''). */
  name: string;
  /** Arguments of a system variable (quotes removed), [] otherwise. */
  args: readonly string[];
  /** Text between the braces, trimmed. */
  inner: string;
  /** Offset of the first `{` and just past the last `}` in the scanned text. */
  start: number;
  end: number;
}

export interface ScanResult {
  refs: VarRef[];
  /** Offsets of `{{` with no closing `}}` on the same text. */
  unterminated: number[];
}

export function hasTemplate(text: string): boolean {
  return text.indexOf('{{') >= 0;
}

/** Finds every `{{…}}` reference in a single line of text. */
export function scanRefs(text: string): ScanResult {
  const refs: VarRef[] = [];
  const unterminated: number[] = [];
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf('{{', from);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      unterminated.push(open);
      break;
    }
    const next = text.indexOf('{{', open + 2);
    if (next >= 0 && next < close) {
      const end = nestedEnd(text, open);
      const inner = text.slice(open + 2, end - 2).trim();
      refs.push({ kind: 'nested', name: nestedSystemName(inner), args: NO_ARGS, inner, start: open, end });
      from = end;
      continue;
    }
    const inner = text.slice(open + 2, close).trim();
    refs.push(makeRef(inner, open, close + 2));
    from = close + 2;
  }
  return { refs, unterminated };
}

/**
 * For a `{{` at `open` that has another `{{` before its first `}}`: the index just past the
 * `}}` that balances it, or past the last `}}` when none does. Linear in the distance walked.
 */
export function nestedEnd(text: string, open: number): number {
  let depth = 1;
  let last = open + 2;
  let i = open + 2;
  const n = text.length - 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 123 && text.charCodeAt(i + 1) === 123) {
      depth++;
      i += 2;
    } else if (c === 125 && text.charCodeAt(i + 1) === 125) {
      i += 2;
      last = i;
      if (--depth === 0) return i;
    } else {
      i++;
    }
  }
  return last;
}

/** 'datetime' for `$datetime "{{x`; '' when the text is not a system variable. */
function nestedSystemName(inner: string): string {
  if (!inner.startsWith('$')) return '';
  let i = 1;
  while (i < inner.length && i < 40 && /[A-Za-z]/.test(inner[i])) i++;
  return inner.slice(1, i);
}

/** The words for a `{{…}}` that holds another `{{`. */
export function nestedMessage(ref: VarRef): string {
  if (ref.name === '') return `A {{…}} reference cannot hold another '{{': write {{name}}, or define a variable whose value uses other variables`;
  const indirect = ref.name === 'processEnv' || ref.name === 'dotenv' ? `; to take the name from a variable write {{$${ref.name} %variableHoldingTheName}}` : '';
  return `{{$${ref.name} …}} cannot hold another '{{': the arguments of a system variable are used as written${indirect}`;
}

const NO_ARGS: readonly string[] = Object.freeze([]);

function makeRef(inner: string, start: number, end: number): VarRef {
  if (inner.startsWith('$')) {
    const parts = splitArgs(inner.slice(1));
    const name = parts.length > 0 ? parts[0] : '';
    return { kind: 'system', name, args: parts.slice(1), inner, start, end };
  }
  if (inner.startsWith('%')) {
    return { kind: 'percent', name: inner.slice(1).trim(), args: NO_ARGS, inner, start, end };
  }
  return { kind: 'plain', name: inner, args: NO_ARGS, inner, start, end };
}

/** Splits on whitespace; "double" or 'single' quotes group words (quotes removed). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      const end = close < 0 ? n : close;
      out.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const s = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    out.push(text.slice(s, i));
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

export const SYSTEM_VARIABLES = [
  'guid',
  'timestamp',
  'datetime',
  'localDatetime',
  'randomInt',
  'processEnv',
  'dotenv',
  'shared',
] as const;

export const OFFSET_UNITS = ['y', 'Q', 'M', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

const INT = /^-?\d{1,15}$/;

export function isOffsetUnit(u: string): u is OffsetUnit {
  return (OFFSET_UNITS as readonly string[]).includes(u);
}

function offsetProblem(name: string, offset: string | undefined, unit: string | undefined): string | undefined {
  if (offset === undefined) return undefined;
  if (!INT.test(offset) || unit === undefined || !isOffsetUnit(unit)) {
    return `{{$${name}}}: the offset must be an integer and a unit (y, Q, M, w, d, h, m, s, ms), e.g. {{$${name}${name === 'timestamp' ? '' : ' iso8601'} -1 d}}`;
  }
  return undefined;
}

/**
 * Checks a system variable reference; returns an error message, or undefined when it is well formed.
 * `unknown` is true when the name itself is not a system variable.
 */
export function checkSystemRef(ref: VarRef): { unknown: boolean; message: string } | undefined {
  const a = ref.args;
  switch (ref.name) {
    case 'guid':
      return a.length === 0 ? undefined : bad('{{$guid}} takes no arguments');
    case 'timestamp':
      if (a.length !== 0 && a.length !== 2) {
        return bad('{{$timestamp}} takes no arguments or an offset and a unit, e.g. {{$timestamp -1 d}}');
      }
      return wrap(offsetProblem('timestamp', a[0], a[1]));
    case 'datetime':
    case 'localDatetime': {
      const example = `{{$${ref.name} iso8601}}, {{$${ref.name} rfc1123 1 h}} or {{$${ref.name} "YYYY-MM-DD"}}`;
      if (a.length !== 1 && a.length !== 3) {
        return bad(`{{$${ref.name}}} needs a format and optionally an offset and a unit: ${example}`);
      }
      const quoted = /^\$\S+\s+["']/.test(ref.inner);
      if (!quoted && a[0] !== 'rfc1123' && a[0] !== 'iso8601') {
        return bad(`{{$${ref.name}}}: unknown format ${shown(a[0])}; use rfc1123, iso8601 or a quoted format like "YYYY-MM-DD"`);
      }
      return wrap(offsetProblem(ref.name, a[1], a[2]));
    }
    case 'randomInt':
      if (a.length !== 2 || !INT.test(a[0]) || !INT.test(a[1]) || Number(a[0]) >= Number(a[1])) {
        return bad('{{$randomInt}} needs two integers, min < max: {{$randomInt 1 100}} (min included, max excluded)');
      }
      return undefined;
    case 'processEnv':
    case 'dotenv':
    case 'shared':
      if (a.length !== 1 || a[0] === '%' || a[0] === '') {
        return bad(`{{$${ref.name}}} needs one name: {{$${ref.name} NAME}}${ref.name === 'shared' ? '' : ` or {{$${ref.name} %variableHoldingTheName}}`}`);
      }
      return undefined;
    default:
      return {
        unknown: true,
        message: `Unknown system variable '$${ref.name}': known ones are ${SYSTEM_VARIABLES.map((s) => `$${s}`).join(', ')}`,
      };
  }
}

function bad(message: string): { unknown: boolean; message: string } {
  return { unknown: false, message };
}

function wrap(message: string | undefined): { unknown: boolean; message: string } | undefined {
  return message === undefined ? undefined : bad(message);
}

/**
 * REST Client request variables: `{{login.response.body.$.token}}` where `login` is a `# @name`.
 * Returns the request name when the reference has that shape.
 */
export function requestVariablePrefix(name: string): string | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const rest = name.slice(dot + 1);
  if (!rest.startsWith('response.') && !rest.startsWith('request.')) return undefined;
  return name.slice(0, dot);
}
