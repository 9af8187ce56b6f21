/**
 * System variables (`{{$guid}}`, `{{$timestamp}}`, `{{$datetime}}`, `{{$localDatetime}}`,
 * `{{$randomInt}}`, `{{$processEnv}}`, `{{$dotenv}}`, `{{$shared}}`) with REST Client's meaning.
 * Everything from the outside world comes in through `SystemPorts`.
 */
import { nodeCrypto } from '../lazyNode';
import { addOffset, formatNamed } from './datetime';
import { refusedSystemVariable } from './restricted';
import { checkSystemRef, isOffsetUnit, type VarRef } from './templates';

export interface SystemPorts {
  now: () => Date;
  random: () => number;
  processEnv: Record<string, string | undefined>;
  /** The parsed `.env` next to the file, or why it cannot be read. */
  dotenv: () => Promise<{ values: Record<string, string> } | { error: string }>;
  /** `$shared` environment values. */
  shared: Record<string, string>;
  /** Resolves a variable (for `%NAME` indirection); undefined when not defined. */
  variable: (name: string) => Promise<string | undefined>;
  /** Restricted Mode: $processEnv and $dotenv are refused. */
  restricted?: boolean;
}

export type SystemResult =
  | { value: string; warning?: string }
  | { error: string; code: 'unknown-system-variable' | 'bad-system-variable' | 'dotenv-error' | 'undefined-variable' | 'restricted-variable' };

export async function evalSystem(ref: VarRef, ports: SystemPorts): Promise<SystemResult> {
  const problem = checkSystemRef(ref);
  if (problem) return { error: problem.message, code: problem.unknown ? 'unknown-system-variable' : 'bad-system-variable' };
  const a = ref.args;
  if (ports.restricted && (ref.name === 'processEnv' || ref.name === 'dotenv')) return { error: refusedSystemVariable(ref.name), code: 'restricted-variable' };
  switch (ref.name) {
    case 'guid':
      return { value: nodeCrypto().randomUUID() };
    case 'timestamp': {
      const d = a.length === 2 ? offset(ports.now(), a[0], a[1], false) : ports.now();
      return { value: String(Math.floor(d.getTime() / 1000)) };
    }
    case 'datetime':
    case 'localDatetime': {
      const local = ref.name === 'localDatetime';
      const d = a.length === 3 ? offset(ports.now(), a[1], a[2], local) : ports.now();
      return { value: formatNamed(d, a[0], !local) };
    }
    case 'randomInt': {
      const min = Number(a[0]);
      const max = Number(a[1]);
      return { value: String(Math.floor(ports.random() * (max - min)) + min) };
    }
    case 'processEnv': {
      const name = await indirect(a[0], ports);
      if ('error' in name) return name;
      const v = own(ports.processEnv, name.value);
      if (v === undefined) return { value: '', warning: `Environment variable ${name.value} is not set; {{$processEnv ${a[0]}}} is empty` };
      return { value: v };
    }
    case 'dotenv': {
      const name = await indirect(a[0], ports);
      if ('error' in name) return name;
      const env = await ports.dotenv();
      if ('error' in env) return { error: env.error, code: 'dotenv-error' };
      const v = own(env.values, name.value);
      if (v === undefined) return { error: `${name.value} is not defined in the .env file`, code: 'dotenv-error' };
      return { value: v };
    }
    case 'shared': {
      const v = own(ports.shared, a[0]);
      if (v === undefined) return { error: `'${a[0]}' is not defined in the $shared environment`, code: 'undefined-variable' };
      return { value: v };
    }
    default:
      return { error: `Unknown system variable '$${ref.name}'`, code: 'unknown-system-variable' };
  }
}

/** r[key] when it is r's own string ('constructor' or 'toString' must not find Object.prototype's members). */
function own(r: Record<string, string | undefined>, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(r, key)) return undefined;
  const v: unknown = r[key];
  return typeof v === 'string' ? v : undefined;
}

function offset(d: Date, n: string, unit: string, local: boolean): Date {
  return isOffsetUnit(unit) ? addOffset(d, Number(n), unit, local) : d;
}

/** `NAME` or `%variable` (the variable's value is the name to look up). */
async function indirect(
  arg: string,
  ports: SystemPorts,
): Promise<{ value: string } | { error: string; code: 'undefined-variable' }> {
  if (!arg.startsWith('%')) return { value: arg };
  const v = await ports.variable(arg.slice(1));
  if (v === undefined) return { error: `Variable '${arg.slice(1)}' (holding the name to look up) is not defined`, code: 'undefined-variable' };
  return { value: v.trim() };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/**
 * Parses `.env` text: `KEY=VALUE` lines, `export ` prefix allowed, `#` comments, 'single'
 * quotes literal, "double" quotes with \n \r \t escapes, unquoted values lose a trailing ` # comment`.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r\n|\n|\r/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const qc = value[0];
    if ((qc === '"' || qc === "'" || qc === '`') && value.length >= 2 && value.lastIndexOf(qc) > 0) {
      value = value.slice(1, value.lastIndexOf(qc));
      if (qc === '"') value = value.replace(/\\([nrt"\\])/g, (_m, c: string) => ESCAPES[c] ?? c);
    } else {
      const hash = value.indexOf(' #');
      if (hash >= 0) value = value.slice(0, hash).trim();
    }
    out[key] = value;
  }
  return out;
}
