/**
 * `{{…}}` references: finding them in a line, and checking the syntax of system variables.
 * Shared by the parser (diagnostics) and the resolver (substitution). No regex backtracking:
 * references are found with indexOf.
 */

export type RefKind = 'plain' | 'percent' | 'system';

export interface VarRef {
  kind: RefKind;
  /** Variable name without `%` / `$` prefix (for system: 'guid', 'datetime'…). */
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
    const inner = text.slice(open + 2, close).trim();
    refs.push(makeRef(inner, open, close + 2));
    from = close + 2;
  }
  return { refs, unterminated };
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
        return bad(`{{$${ref.name}}}: unknown format ${JSON.stringify(a[0])}; use rfc1123, iso8601 or a quoted format like "YYYY-MM-DD"`);
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
