/** `netreq test` options: strict, bounded, with messages that say what to type instead. */
import { OptionReader, requestOption, UsageError, type RequestOptionArgs } from '../args';

/** Most files one `netreq test` runs (a DIR or GLOB that finds more is a usage error, not a long silent run). */
export const MAX_TEST_FILES = 10_000;
export const MAX_PARALLEL = 64;
export const MAX_RETRIES = 10;
export const MAX_RETRY_DELAY_MS = 60_000;
export const DEFAULT_REDACT = ['Authorization', 'Cookie', 'Set-Cookie', 'Proxy-Authorization'];

/** A status class list from --fail-on-status: `4xx,5xx`, `404`, `500-599`. */
export interface StatusRange {
  from: number;
  to: number;
  text: string;
}

/** `--env`, `--var`, `--insecure`, `--cacert`, `--timeout`, `--no-pool`, `--yes` come from RequestOptionArgs (shared with run). */
export interface TestArgs extends RequestOptionArgs {
  command: 'test';
  paths: string[];
  all: boolean;
  name?: string;
  grep?: RegExp;
  parallel: number;
  bail: boolean;
  retries: number;
  retryDelayMs: number;
  failOnStatus: StatusRange[];
  junit?: string;
  tap: boolean;
  json: boolean;
  redact: string[];
  /** Send `# @note` blocks without asking (REST Client asks "Are you sure…?"; a CI run cannot answer). */
  yes: boolean;
}

function intOption(option: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${option} takes a whole number from ${min} to ${max}, not '${v}'`);
  return n;
}

export function parseStatusList(v: string): StatusRange[] {
  const out: StatusRange[] = [];
  for (const raw of v.split(',')) {
    const t = raw.trim().toLowerCase();
    let m: RegExpMatchArray | null;
    if ((m = /^([1-5])xx$/.exec(t))) out.push({ from: Number(m[1]) * 100, to: Number(m[1]) * 100 + 99, text: t });
    else if ((m = /^(\d{3})$/.exec(t))) out.push({ from: Number(m[1]), to: Number(m[1]), text: t });
    else if ((m = /^(\d{3})-(\d{3})$/.exec(t)) && Number(m[1]) <= Number(m[2])) out.push({ from: Number(m[1]), to: Number(m[2]), text: t });
    else throw new UsageError(`--fail-on-status takes statuses like 4xx,5xx or 404,500-599, not '${raw}'`);
  }
  return out;
}

export function parseTestArgs(rest: string[]): TestArgs {
  const out: TestArgs = { command: 'test', paths: [], all: false, parallel: 4, bail: false, retries: 0, retryDelayMs: 1000, failOnStatus: [], vars: {}, insecure: false, cacert: [], noPool: false, tap: false, json: false, redact: [...DEFAULT_REDACT], yes: false };
  const r = new OptionReader(rest);
  while (r.next()) {
    const a = r.arg;
    switch (a) {
      case '--all':
        out.all = true;
        break;
      case '--name':
        out.name = r.value();
        break;
      case '--grep': {
        const v = r.value();
        try {
          out.grep = new RegExp(v, 'u');
        } catch (e) {
          throw new UsageError(`--grep: '${v}' is not a regular expression (${(e as Error).message})`);
        }
        break;
      }
      case '--parallel':
        out.parallel = intOption(a, r.value(), 1, MAX_PARALLEL);
        break;
      case '--bail':
        out.bail = true;
        break;
      case '--retry':
        out.retries = intOption(a, r.value(), 0, MAX_RETRIES);
        break;
      case '--retry-delay':
        out.retryDelayMs = intOption(a, r.value(), 0, MAX_RETRY_DELAY_MS);
        break;
      case '--fail-on-status':
        out.failOnStatus.push(...parseStatusList(r.value()));
        break;
      case '--junit':
        out.junit = r.value();
        break;
      case '--tap':
        out.tap = true;
        break;
      case '--json':
        out.json = true;
        break;
      case '--redact':
        for (const h of r.value().split(',')) if (h.trim()) out.redact.push(h.trim());
        break;
      default:
        if (requestOption(r, out)) break;
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' for test (see 'netreq --help')`);
        out.paths.push(a);
    }
  }
  if (out.paths.length === 0) throw new UsageError('what to test? usage: netreq test FILE|DIR|GLOB... [options]');
  if (out.tap && out.json) throw new UsageError('use --tap or --json, not both');
  return out;
}
