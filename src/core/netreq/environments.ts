/**
 * Environments: named sets of variables plus `$shared`, which applies to every environment.
 * (The setting `netreq.environments`, the CLI's --env / --env-file.)
 */
import type { Environments } from './types';

export const SHARED = '$shared';

/** Names a person can pick (everything but `$shared`), in the order they were written. */
export function listEnvironments(envs: Environments | undefined): string[] {
  if (!envs) return [];
  return Object.keys(envs).filter((n) => n !== SHARED && isVarSet(envs[n]));
}

export function hasEnvironment(envs: Environments | undefined, name: string): boolean {
  return !!envs && name !== SHARED && Object.prototype.hasOwnProperty.call(envs, name) && isVarSet(envs[name]);
}

/**
 * The variables an environment sees: `$shared` overlaid by the named environment.
 * An unknown or absent name gives `$shared` alone.
 */
export function environmentVariables(envs: Environments | undefined, name?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!envs) return out;
  copyStrings(envs[SHARED], out);
  if (name && name !== SHARED) copyStrings(envs[name], out);
  return out;
}

/**
 * Merges sets of environments (e.g. user settings, then workspace settings, then --env-file):
 * later sets win per variable; environments present in only one set are kept.
 */
export function mergeEnvironments(...sets: Array<Environments | undefined>): Environments {
  const out: Environments = {};
  for (const set of sets) {
    if (!set) continue;
    for (const name of Object.keys(set)) {
      if (!isVarSet(set[name])) continue;
      const target = (out[name] ??= {});
      copyStrings(set[name], target);
    }
  }
  return out;
}

function isVarSet(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies string values; numbers and booleans (common in settings JSON) become strings. */
function copyStrings(from: unknown, to: Record<string, string>): void {
  if (!isVarSet(from)) return;
  for (const k of Object.keys(from)) {
    const v: unknown = from[k];
    if (typeof v === 'string') to[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') to[k] = String(v);
  }
}
