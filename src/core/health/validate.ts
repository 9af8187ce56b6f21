/**
 * Checks a list of health checks as written (JSON from a file or a setting) before anything runs: every
 * field has the right type and a sane range, every target has a known scheme, every name is unique.
 * Problems name the check and the field in words:
 *   check "api" (#2): field "insecure" must be true or false, got the string "false"
 * Unknown fields are warnings (they are ignored), everything else is an error. Shared by `netreq health`
 * and the extension's settings, so both accept and refuse the same checks.
 */
import { MAX_TIMER_MS, parseTarget, type HealthCheckConfig, type HealthExpect } from './checks';

export { MAX_TIMER_MS };
export { DEFAULT_CONCURRENCY } from './scheduler';
export const MAX_INTERVAL_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
export const MAX_WARN_DAYS = 36_500;
/** Longest text accepted in `expect` (body text, payload, reply, address). */
export const MAX_EXPECT_TEXT = 65_536;

export interface CheckIssue {
  /** 0-based position in the list. */
  index: number;
  name?: string;
  /** "insecure", "expect.status", … (absent for problems with the check as a whole). */
  field?: string;
  message: string;
}

/** `check "api" (#2)`, or `check #2` when it has no usable name. */
export function checkLabel(index: number, name?: string): string {
  return name ? `check ${JSON.stringify(name)} (#${index + 1})` : `check #${index + 1}`;
}

/** The issue without the check's label: `field "insecure" must be true or false, got …`. */
export function issueText(i: CheckIssue): string {
  return i.field ? `field "${i.field}" ${i.message}` : i.message;
}

/** The issue with the check's label: `check "api" (#2): field "insecure" …`. */
export function formatIssue(i: CheckIssue): string {
  return `${checkLabel(i.index, i.name)}: ${issueText(i)}`;
}

/** What a value is, in words, for "got …": `the string "false"`, `-5`, `an array`, `null`. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Edit distance of two short keys (at most 2 counts; more is "far"). */
function near(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2 || a.length > 40) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] <= 2;
}

/** `: did you mean "timeoutMs"?` for a key close to a known one (case, a typo, a prefix), else the list. */
function suggest(key: string, known: readonly string[]): string {
  const k = key.toLowerCase();
  const hit = k.length >= 3 ? known.find((n) => n.toLowerCase().startsWith(k) || k.startsWith(n.toLowerCase()) || near(k, n.toLowerCase())) : undefined;
  return hit ? `: did you mean "${hit}"?` : `; known fields: ${known.join(', ')}`;
}

const KNOWN = ['name', 'target', 'intervalSeconds', 'timeoutMs', 'slowMs', 'warnDays', 'insecure', 'expect'];
const KNOWN_EXPECT = ['status', 'bodyContains', 'address', 'payload', 'reply'];
/** The checks that read each `expect` field (the probes in src/core/protocols/<kind>/probe.ts). */
const EXPECT_SCHEMES: Record<keyof HealthExpect, readonly string[]> = {
  status: ['http', 'https'],
  bodyContains: ['http', 'https'],
  address: ['dns'],
  payload: ['udp'],
  reply: ['udp'],
};

interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
  words: string;
}

const NUMBERS: Record<'intervalSeconds' | 'timeoutMs' | 'slowMs' | 'warnDays', NumberRule> = {
  intervalSeconds: { min: 1, max: MAX_INTERVAL_SECONDS, integer: false, words: `a number of seconds from 1 to ${MAX_INTERVAL_SECONDS}` },
  timeoutMs: { min: 1, max: MAX_TIMER_MS, integer: true, words: `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` },
  slowMs: { min: 1, max: MAX_TIMER_MS, integer: true, words: `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` },
  warnDays: { min: 0, max: MAX_WARN_DAYS, integer: true, words: `a whole number of days from 0 to ${MAX_WARN_DAYS}` },
};

function numberProblem(v: unknown, rule: NumberRule): string | undefined {
  if (typeof v !== 'number') return `must be ${rule.words}, got ${describeValue(v)}`;
  if (!Number.isFinite(v) || v < rule.min || v > rule.max || (rule.integer && !Number.isInteger(v))) return `must be ${rule.words}, got ${v}`;
  return undefined;
}

/** "200", "2xx", "20x": three characters, digits or x, the first a digit 1–5. */
const STATUS_PATTERN = /^[1-5][0-9x]{2}$/i;

function expectProblems(raw: unknown, issue: (field: string, message: string) => void, warn: (field: string, message: string) => void): HealthExpect | undefined {
  if (!isObject(raw)) {
    issue('expect', `must be an object, e.g. { "status": [200] }, got ${describeValue(raw)}`);
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!KNOWN_EXPECT.includes(key)) warn(`expect.${key}`, `is not a known field (ignored)${suggest(key, KNOWN_EXPECT)}`);
  const out: HealthExpect = {};
  if (raw.status !== undefined) {
    if (!Array.isArray(raw.status) || raw.status.length === 0 || raw.status.length > 100) {
      issue('expect.status', `must be a list of 1 to 100 statuses, e.g. [200, 204] or ["2xx"], got ${describeValue(raw.status)}`);
    } else {
      raw.status.forEach((s: unknown, i: number) => {
        const ok = typeof s === 'number' ? Number.isInteger(s) && s >= 100 && s <= 599 : typeof s === 'string' && STATUS_PATTERN.test(s);
        if (!ok) issue(`expect.status[${i}]`, `must be a status 100–599 or a pattern like "2xx", got ${describeValue(s)}`);
      });
      out.status = raw.status as Array<number | string>;
    }
  }
  for (const key of ['bodyContains', 'address', 'payload', 'reply'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') issue(`expect.${key}`, `must be text, got ${describeValue(v)}`);
    else if (v.length > MAX_EXPECT_TEXT) issue(`expect.${key}`, `is ${v.length} characters long: at most ${MAX_EXPECT_TEXT}`);
    else out[key] = v;
  }
  return out;
}

export interface CheckValidation {
  /** Present when there are no errors. */
  config?: HealthCheckConfig;
  /** The trimmed name, when it is usable text. */
  name?: string;
  /** The trimmed target, when it is text. */
  target?: string;
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

/** One check as written. `index` is its 0-based position (for "#2" in the words). */
export function validateCheck(raw: unknown, index: number): CheckValidation {
  const errors: CheckIssue[] = [];
  const warnings: CheckIssue[] = [];
  if (!isObject(raw)) {
    errors.push({ index, message: `must be an object like { "name": "api", "target": "https://127.0.0.1:8443/health" }, got ${describeValue(raw)}` });
    return { errors, warnings };
  }
  const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : undefined;
  const target = typeof raw.target === 'string' ? raw.target.trim() : undefined;
  const issue = (field: string | undefined, message: string) => errors.push({ index, name, ...(field ? { field } : {}), message });
  const warn = (field: string, message: string) => warnings.push({ index, name, field, message });

  if (raw.name === undefined) issue(undefined, 'needs a "name" (text)');
  else if (!name) issue('name', `must be non-empty text, got ${describeValue(raw.name)}`);
  if (raw.target === undefined) issue(undefined, 'needs a "target", e.g. tcp://127.0.0.1:8080 or https://127.0.0.1:8443/health');
  else if (target === undefined) issue('target', `must be text, got ${describeValue(raw.target)}`);
  else {
    try {
      parseTarget(target);
    } catch (e) {
      issue('target', `is not usable: ${(e as Error).message}`);
    }
  }
  for (const key of Object.keys(NUMBERS) as Array<keyof typeof NUMBERS>) {
    if (raw[key] === undefined) continue;
    const p = numberProblem(raw[key], NUMBERS[key]);
    if (p) issue(key, p);
  }
  if (raw.insecure !== undefined && typeof raw.insecure !== 'boolean') issue('insecure', `must be true or false, got ${describeValue(raw.insecure)}`);
  const expect = raw.expect === undefined ? undefined : expectProblems(raw.expect, issue, warn);
  const scheme = target === undefined ? undefined : /^([a-z]+):\/\//i.exec(target)?.[1].toLowerCase();
  if (expect && scheme) {
    for (const key of Object.keys(expect) as Array<keyof HealthExpect>) {
      const schemes = EXPECT_SCHEMES[key];
      if (!schemes.includes(scheme)) warn(`expect.${key}`, `is not used by ${scheme}:// checks (ignored): it applies to ${schemes.map((x) => `${x}://`).join(' and ')}`);
    }
  }
  for (const key of Object.keys(raw)) if (!KNOWN.includes(key)) warn(key, `is not a known field (ignored)${suggest(key, KNOWN)}`);

  const out: CheckValidation = { errors, warnings, ...(name ? { name } : {}), ...(target !== undefined ? { target } : {}) };
  if (errors.length === 0) {
    const config: HealthCheckConfig = { name: name!, target: target! };
    for (const key of Object.keys(NUMBERS) as Array<keyof typeof NUMBERS>) if (raw[key] !== undefined) config[key] = raw[key] as number;
    if (raw.insecure !== undefined) config.insecure = raw.insecure as boolean;
    if (expect) config.expect = expect;
    out.config = config;
  }
  return out;
}

export interface ListValidation {
  /** Every valid check (also when others have errors). */
  configs: HealthCheckConfig[];
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

/** A list of checks: each one, and that no two share a name (`check "api" (#3): … also named by #1`). */
export function validateChecks(list: readonly unknown[]): ListValidation {
  const configs: HealthCheckConfig[] = [];
  const errors: CheckIssue[] = [];
  const warnings: CheckIssue[] = [];
  const firstByName = new Map<string, number>();
  list.forEach((raw, index) => {
    const v = validateCheck(raw, index);
    errors.push(...v.errors);
    warnings.push(...v.warnings);
    if (v.name !== undefined) {
      const first = firstByName.get(v.name);
      if (first !== undefined) {
        errors.push({ index, name: v.name, message: `has the same name as check #${first + 1}: give each check its own name` });
        return;
      }
      firstByName.set(v.name, index);
    }
    if (v.config) configs.push(v.config);
  });
  errors.sort((a, b) => a.index - b.index);
  return { configs, errors, warnings };
}

/** `netreq.health.concurrency` / `--concurrency`: a whole number 1–256. */
export const MAX_CONCURRENCY = 256;

export function concurrencyProblem(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_CONCURRENCY) return undefined;
  return `must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${describeValue(v)}`;
}
