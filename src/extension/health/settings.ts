/**
 * The health checks the view shows, where each came from (user settings, workspace settings, a pinned
 * `.netreq` block), which of them run, and the edits "Add Check" / "Remove" make to the setting. Plain
 * Node, unit-tested without VS Code.
 *
 * Workspace Trust: checks from the workspace (its settings or its files) connect to whatever the
 * workspace names, so they run only in a trusted workspace. Checks in the user's own settings run in
 * Restricted Mode too: the user wrote them, not the folder.
 */
import { parseTarget, type HealthCheckConfig } from '../../core/health/checks';
import { concurrencyProblem, DEFAULT_CONCURRENCY, issueText, validateCheck } from '../../core/health/validate';
import { parseDuration } from '../../core/netreq/values';

export const DEFAULT_INTERVAL_SECONDS = 30;

export type SettingScope = 'user' | 'workspace';

export type CheckSource =
  | { kind: 'setting'; scope: SettingScope; /** The name as written in the setting (the key for Remove). */ name: string }
  | { kind: 'file'; uri: string; /** "file.netreq:12" */ label: string; /** 0-based line of `# @health`. */ directiveLine: number };

export interface HealthEntry {
  /** Unique among all entries: the scheduler's key and the tree's label. */
  name: string;
  source: CheckSource;
  /** What runs (absent when the entry has a problem). */
  config?: HealthCheckConfig;
  /** The target as written, shown even when there is a problem. */
  target?: string;
  /** Why this entry cannot run, in words a person can act on. */
  problem?: string;
  /** From the workspace while it is not trusted: shown, not run. */
  idle?: boolean;
}

export function sourceLabel(source: CheckSource): string {
  return source.kind === 'file' ? source.label : source.scope === 'user' ? 'user settings' : 'workspace settings';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One item of `netreq.health.checks`, checked by the same rules as `netreq health` (core/health/validate):
 * the config, or every problem with it in words (`field "insecure" must be true or false, got the string "false"`).
 */
export function validateRawCheck(raw: unknown, index: number): { config: HealthCheckConfig } | { problem: string; name?: string; target?: string } {
  const v = validateCheck(raw, index);
  if (v.config) return { config: v.config };
  return { problem: v.errors.map(issueText).join('; '), ...(v.name ? { name: v.name } : {}), ...(v.target ? { target: v.target } : {}) };
}

/**
 * One level's list. Two checks of the same list with the same name: the later one cannot run (as in
 * `netreq health`, which refuses such a file), since Remove and the history could not tell them apart.
 * Checks from different places (user, workspace, files) may share a name: uniqueNames gives the later a suffix.
 */
function fromSetting(list: unknown, scope: SettingScope, idle: boolean): HealthEntry[] {
  if (list === undefined || list === null) return [];
  const where = scope === 'user' ? 'user settings' : 'workspace settings';
  if (!Array.isArray(list)) {
    return [{ name: `netreq.health.checks (${where})`, source: { kind: 'setting', scope, name: '' }, problem: `netreq.health.checks in ${where} must be an array of checks` }];
  }
  const firstByName = new Map<string, number>();
  return list.map((raw, i): HealthEntry => {
    const r = validateRawCheck(raw, i);
    const rawName = isObject(raw) && typeof raw.name === 'string' ? raw.name : '';
    const name = 'config' in r ? r.config.name : r.name;
    const first = name === undefined ? undefined : firstByName.get(name);
    if (name !== undefined && first === undefined) firstByName.set(name, i);
    const source: CheckSource = { kind: 'setting', scope, name: rawName };
    if (first !== undefined) {
      const problem = `has the same name as check #${first + 1} in ${where}: give each check its own name`;
      return { name: name!, source, problem: 'problem' in r ? `${problem}; ${r.problem}` : problem, target: 'config' in r ? r.config.target : r.target };
    }
    if ('config' in r) return { name: r.config.name, source, config: r.config, target: r.config.target, ...(idle ? { idle } : {}) };
    return { name: r.name || `check ${i + 1} (${where})`, source, problem: r.problem, ...(r.target ? { target: r.target } : {}) };
  });
}

/**
 * The checks of `netreq.health.checks` from both levels: the user's (always run) and the workspace's (run
 * only when the workspace is trusted). Both lists apply; neither replaces the other.
 */
export function settingEntries(values: { user?: unknown; workspace?: unknown }, trusted: boolean): HealthEntry[] {
  return [...fromSetting(values.user, 'user', false), ...fromSetting(values.workspace, 'workspace', !trusted)];
}

/** Gives later entries with a taken name a " (2)", " (3)" suffix, so every check has its own row and history. */
export function uniqueNames(entries: HealthEntry[]): HealthEntry[] {
  const taken = new Set<string>();
  return entries.map((e) => {
    let name = e.name;
    for (let n = 2; taken.has(name); n++) name = `${e.name} (${n})`;
    taken.add(name);
    if (name === e.name) return e;
    return { ...e, name, ...(e.config ? { config: { ...e.config, name } } : {}) };
  });
}

/** What the scheduler runs: entries without a problem that are not idle. */
export function runnableConfigs(entries: HealthEntry[]): HealthCheckConfig[] {
  return entries.filter((e) => e.config && !e.problem && !e.idle).map((e) => e.config!);
}

/** The setting's list with one more check (the list as it was is left alone). */
export function withCheckAdded(list: unknown, check: HealthCheckConfig): unknown[] {
  return [...(Array.isArray(list) ? list : []), check];
}

/** The setting's list without the first check named `name`; `removed` says whether there was one. */
export function withCheckRemoved(list: unknown, name: string): { list: unknown[]; removed: boolean } {
  const items = Array.isArray(list) ? list : [];
  const i = items.findIndex((c) => isObject(c) && c.name === name);
  if (i < 0) return { list: [...items], removed: false };
  return { list: [...items.slice(0, i), ...items.slice(i + 1)], removed: true };
}

/** "Add Check", step 1: a name no other check has. */
export function validateNewName(name: string, taken: readonly string[]): string | undefined {
  const n = name.trim();
  if (!n) return 'Give the check a name, e.g. "api" or "database"';
  if (taken.includes(n)) return `There is already a check named "${n}": choose another name`;
  return undefined;
}

/** "Add Check", step 2: the target, with parseTarget's own words when it is wrong. */
export function validateTargetText(target: string): string | undefined {
  if (!target.trim()) return 'Write a target: tcp://host:port, http(s)://…, tls://host:port, dns://name, udp://host:port or ws(s)://…';
  try {
    parseTarget(target.trim());
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** "Add Check", step 3: the interval ("30", "30s", "2m"; empty = 30 s), in seconds, or the problem. */
export function parseIntervalText(text: string): { seconds: number } | { error: string } {
  const t = text.trim();
  if (!t) return { seconds: DEFAULT_INTERVAL_SECONDS };
  const d = parseDuration(/^\d+(\.\d+)?$/.test(t) ? `${t}s` : t);
  if (!d.ok) return { error: `${d.message.replace(/ \(a bare number means milliseconds\)/, '')} (a bare number means seconds)` };
  if (d.value < 1000) return { error: 'Check at most once a second: write 1s or more' };
  return { seconds: Math.round(d.value / 1000) };
}

/** `netreq.health.concurrency` as set: a whole number 1–256, else the default (16). */
export function concurrencyFrom(value: unknown): number {
  return value !== undefined && !concurrencyProblem(value) ? (value as number) : DEFAULT_CONCURRENCY;
}
