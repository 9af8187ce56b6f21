/** Environments for the CLI: settings.json, the other tools' files (core/netreq/envSources.ts), --env-file. */
import * as path from 'node:path';
import { safeLine } from '../core/text';
import type { Environments } from '../core/netreq/types';
import { loadEnvSources, MAX_ENV_FILE_BYTES, nodeEnvReader, type EnvOrigin } from '../core/netreq/envSources';
import { parseJsonc } from '../core/netreq/jsonc';

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
  /** The settings file (or --env-file) NetReq's own environments came from. */
  source?: string;
  /** `netreq.defaultEnvironment` of the same settings file: used when --env is not given. */
  defaultEnvironment?: string;
  /** Where each environment came from (settings, http-client*.env.json, .env files), lowest precedence first. */
  origins: Record<string, EnvOrigin[]>;
  /** Per environment, the variables with a value from http-client.private.env.json or a .env file. */
  secretNames: Record<string, Set<string>>;
  warnings: string[];
}

/**
 * The environments a request file sees in the CLI: from the nearest .vscode/settings.json above it
 * (`netreq.environments`, `rest-client.environmentVariables`, `netreq.defaultEnvironment`), http-client*.env.json
 * and (for .http / .rest files) .env files from the project root down to its folder; --env-file takes the place
 * of the settings file's netreq.environments. Throws with file:line:col for a bad file.
 */
export function loadEnvironments(file: string, envFile?: string): LoadedEnvironments {
  const settings = nearestSettings(file);
  let own: { environments: Environments; file: string } | undefined;
  let restClient: { raw: unknown; file: string } | undefined;
  let defaultEnvironment: string | undefined;
  if (settings) {
    const envs = settings.json['netreq.environments'];
    if (envs !== undefined) own = { environments: checkEnvironments(envs, settings.file), file: settings.file };
    if (settings.json['rest-client.environmentVariables'] !== undefined) restClient = { raw: settings.json['rest-client.environmentVariables'], file: settings.file };
    const d = settings.json['netreq.defaultEnvironment'];
    defaultEnvironment = typeof d === 'string' && d.trim() !== '' && d.trim() !== '$shared' ? d.trim() : undefined;
  }
  if (envFile) {
    const parsed = parseJson(readOrThrow(envFile, 'environment file'), envFile);
    const envs = parsed['netreq.environments'] ?? (parsed['rest-client.environmentVariables'] === undefined ? parsed : undefined);
    own = envs === undefined ? undefined : { environments: checkEnvironments(envs, envFile), file: envFile };
    if (parsed['rest-client.environmentVariables'] !== undefined) restClient = { raw: parsed['rest-client.environmentVariables'], file: envFile };
    defaultEnvironment = undefined;
  }
  const combined = loadEnvSources({ file: path.resolve(file), reader: nodeEnvReader, dotenv: isHttpFile(file), restClient, netreq: own });
  return { ...combined, source: own?.file ?? restClient?.file, defaultEnvironment };
}

/** `.http` and `.rest` files follow REST Client / httpyac (the parser's 'http' dialect); anything else is .netreq. */
export function isHttpFile(file: string): boolean {
  return /\.(http|rest)$/i.test(file);
}

/** The nearest .vscode/settings.json above the file that sets netreq.environments or rest-client.environmentVariables. */
function nearestSettings(file: string): { file: string; json: Record<string, unknown> } | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let n = 0; n < MAX_SETTINGS_DEPTH; n++) {
    const candidate = path.join(dir, '.vscode', 'settings.json');
    const text = nodeEnvReader.readText(candidate, MAX_ENV_FILE_BYTES);
    if (text !== undefined) {
      const json = parseJson(text, candidate);
      if (json['netreq.environments'] !== undefined || json['rest-client.environmentVariables'] !== undefined) return { file: candidate, json };
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

const MAX_SETTINGS_DEPTH = 64;

function readOrThrow(p: string, what: string): string {
  try {
    const text = nodeEnvReader.readText(p, MAX_ENV_FILE_BYTES);
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text;
  } catch (e) {
    throw new Error(`cannot read ${what} ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : safeLine((e as Error).message)}`, { cause: e });
  }
}

function parseJson(text: string, p: string): Record<string, unknown> {
  const v = parseJsonc(text, p);
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new Error(`${p} must hold a JSON object`);
}

function checkEnvironments(envs: unknown, p: string): Environments {
  if (!envs || typeof envs !== 'object' || Array.isArray(envs)) throw new Error(`${p}: netreq.environments must be an object of environment name → variables`);
  const out: Environments = {};
  for (const [name, vars] of Object.entries(envs as Record<string, unknown>)) {
    if (name === '__proto__') continue;
    if (!vars || typeof vars !== 'object' || Array.isArray(vars)) throw new Error(`${p}: environment '${name}' must be an object of variable → value`);
    out[name] = Object.fromEntries(Object.entries(vars as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return out;
}
