/** Environments for the CLI: an --env-file, or `netreq.environments` from the nearest .vscode/settings.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { safeLine } from '../core/text';
import type { Environments } from '../core/netreq/types';

/** Strips // and /* *\/ comments and trailing commas from JSONC (VS Code settings), leaving strings alone. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export interface LoadedEnvironments {
  environments: Environments;
  source?: string;
  /** `netreq.defaultEnvironment` of the same settings file: used when --env is not given. */
  defaultEnvironment?: string;
}

export function loadEnvironments(file: string, envFile?: string): LoadedEnvironments {
  if (envFile) {
    const text = readOrThrow(envFile, 'environment file');
    const parsed = parseJson(text, envFile);
    const envs = (parsed['netreq.environments'] ?? parsed) as Environments;
    return { environments: checkEnvironments(envs, envFile), source: envFile };
  }
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const candidate = path.join(dir, '.vscode', 'settings.json');
    if (fs.existsSync(candidate)) {
      const parsed = parseJson(readOrThrow(candidate, 'settings file'), candidate);
      const envs = parsed['netreq.environments'] as Environments | undefined;
      if (envs) {
        const d = parsed['netreq.defaultEnvironment'];
        const defaultEnvironment = typeof d === 'string' && d.trim() !== '' && d.trim() !== '$shared' ? d.trim() : undefined;
        return { environments: checkEnvironments(envs, candidate), source: candidate, defaultEnvironment };
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return { environments: {} };
    dir = up;
  }
}

function readOrThrow(p: string, what: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : safeLine((e as Error).message)}`, { cause: e });
  }
}

function parseJson(text: string, p: string): Record<string, unknown> {
  try {
    const v = JSON.parse(stripJsonc(text));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${p} is not valid JSON: ${safeLine((e as Error).message)}`, { cause: e });
  }
  throw new Error(`${p} must hold a JSON object`);
}

function checkEnvironments(envs: unknown, p: string): Environments {
  if (!envs || typeof envs !== 'object' || Array.isArray(envs)) throw new Error(`${p}: netreq.environments must be an object of environment name → variables`);
  const out: Environments = {};
  for (const [name, vars] of Object.entries(envs as Record<string, unknown>)) {
    if (!vars || typeof vars !== 'object' || Array.isArray(vars)) throw new Error(`${p}: environment '${name}' must be an object of variable → value`);
    out[name] = Object.fromEntries(Object.entries(vars as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return out;
}
