/**
 * Environments from the other tools' files, for the editor and the CLI alike:
 * - REST Client's `rest-client.environmentVariables` (a VS Code setting; the CLI reads it from the nearest
 *   .vscode/settings.json), with `$shared` and `{{$<env> key}}` (its own environment) as REST Client reads them;
 *   `{{$shared key}}` is left to the resolver, which knows it;
 * - JetBrains' / httpyac's `http-client.env.json` and `http-client.private.env.json`;
 * - httpyac's `.env` files (only for `.http` / `.rest` files: `.env` → `$shared`, `.env.NAME` / `NAME.env` → NAME).
 * Files are found from the project root (see findRoot) down to the request file's folder, each folder's `env/`
 * subfolder after the folder itself; nearer wins. Everything is read through a passed-in reader, each file at most
 * MAX_ENV_FILE_BYTES; a bad file is an error naming file:line:col.
 *
 * Merge order, lowest first (later wins per variable; an environment's own value always beats `$shared`):
 * rest-client.environmentVariables < .env files < http-client.env.json < http-client.private.env.json <
 * NetReq's own (netreq.environments / --env-file) < --var.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonc } from './jsonc';
import { parseDotenv } from './system';
import type { Environments } from './types';

/** The largest environment file read (settings.json, http-client*.env.json, .env): 1 MiB. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;
/** Most folders walked up from the request file. */
export const MAX_ENV_DEPTH = 64;
/** Most environments taken from one directory's .env.NAME / NAME.env files. */
export const MAX_DOTENV_FILES = 64;

export type EnvSourceKind = 'rest-client' | 'dotenv' | 'http-client' | 'http-client-private' | 'netreq';

/** One file (or setting) that gave environments. */
export interface EnvLayer {
  kind: EnvSourceKind;
  /** The file's path, or the setting's name for settings the editor reads. */
  file: string;
  environments: Environments;
  /** Values are secrets (private env file, .env): reports must not show them. */
  secret: boolean;
  /** Values skipped (objects, null), in words. */
  warnings?: string[];
}

export interface EnvOrigin {
  kind: EnvSourceKind;
  file: string;
}

export interface CombinedEnvironments {
  environments: Environments;
  /** For each environment (and `$shared`), the sources that define it, lowest precedence first. */
  origins: Record<string, EnvOrigin[]>;
  /**
   * Per environment (and `$shared`), the variables whose value comes from a secret source
   * (http-client.private.env.json, .env files): reports must not show their values. See secretVariables().
   */
  secretNames: Record<string, Set<string>>;
  /** Values that were skipped (objects, null), in words. */
  warnings: string[];
}

/**
 * Reads a file: its text, or undefined when there is no such file. `maxBytes` is the bound the reader must keep
 * (throw with a message in words past it); other failures throw in words too.
 */
export interface EnvReader {
  readText(p: string, maxBytes: number): string | undefined;
  /** File names in a folder ([] when it is not one). */
  list(dir: string): string[];
  /** Whether a path exists (cheaper than listing a big folder such as /tmp); absent: `list` is used. */
  exists?(p: string): boolean;
}

/**
 * Files whose presence makes a folder the project root (httpyac's config files, package.json, .git), and
 * `.vscode` when it holds a settings.json (the home folder's `.vscode` holds only extensions: not a root).
 */
const ROOT_MARKERS = ['.httpyac.json', '.httpyac.js', '.httpyac.config.js', 'httpyac.config.js', 'package.json', '.git'];

/**
 * The folder where the walk up from `dir` stops: the nearest ancestor (or `dir`) holding a root marker, never
 * above `limit` (the workspace folder in the editor); `dir` itself when none is found.
 */
export function findRoot(dir: string, reader: EnvReader, limit?: string): string {
  let d = path.resolve(dir);
  for (let n = 0; n < MAX_ENV_DEPTH; n++) {
    if (reader.exists) {
      const at = d;
      if (ROOT_MARKERS.some((m) => reader.exists!(path.join(at, m))) || reader.exists(path.join(d, '.vscode', 'settings.json'))) return d;
    } else {
      const names = new Set(reader.list(d));
      if (ROOT_MARKERS.some((m) => names.has(m))) return d;
      if (names.has('.vscode') && reader.list(path.join(d, '.vscode')).includes('settings.json')) return d;
    }
    if (limit && path.resolve(limit) === d) return d;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return path.resolve(dir);
}

/** The folders searched, root first, the request file's folder last, each followed by its `env/` subfolder. */
export function searchDirs(fileDir: string, root: string): string[] {
  const chain: string[] = [];
  let d = path.resolve(fileDir);
  const r = path.resolve(root);
  for (let n = 0; n < MAX_ENV_DEPTH; n++) {
    chain.unshift(d);
    if (d === r) break;
    const up = path.dirname(d);
    if (up === d) return [path.resolve(fileDir), path.join(path.resolve(fileDir), 'env')]; // root is not above: the folder alone
    d = up;
  }
  return chain.flatMap((x) => [x, path.join(x, 'env')]);
}

/** http-client.env.json and .env layers for a request file (lowest precedence first). */
export function fileLayers(file: string, reader: EnvReader, opts: { dotenv: boolean; limit?: string }): EnvLayer[] {
  const dir = path.dirname(path.resolve(file));
  const dirs = searchDirs(dir, findRoot(dir, reader, opts.limit));
  const dotenv: EnvLayer[] = [];
  const pub: EnvLayer[] = [];
  const priv: EnvLayer[] = [];
  for (const d of dirs) {
    // .env files have names to find (NAME.env, .env.NAME): list the folder; otherwise only two names are looked up.
    const names = opts.dotenv || !reader.exists ? reader.list(d) : undefined;
    if (names?.length === 0) continue;
    const has = names ? new Set(names) : undefined;
    if (opts.dotenv && names) dotenv.push(...dotenvLayers(d, names, reader));
    for (const [name, out, kind] of [
      ['http-client.env.json', pub, 'http-client'],
      ['http-client.private.env.json', priv, 'http-client-private'],
    ] as const) {
      if (has ? !has.has(name) : !reader.exists!(path.join(d, name))) continue;
      const p = path.join(d, name);
      const text = reader.readText(p, MAX_ENV_FILE_BYTES);
      if (text === undefined) continue;
      const warnings: string[] = [];
      out.push({ kind, file: p, environments: envObject(parseJsonc(text, p), p, warnings), secret: kind === 'http-client-private', warnings });
    }
  }
  return [...dotenv, ...pub, ...priv];
}

function dotenvLayers(dir: string, names: string[], reader: EnvReader): EnvLayer[] {
  const out: EnvLayer[] = [];
  const read = (name: string, env: string) => {
    const p = path.join(dir, name);
    const text = reader.readText(p, MAX_ENV_FILE_BYTES);
    if (text !== undefined) out.push({ kind: 'dotenv', file: p, environments: { [env]: { ...parseDotenv(text) } }, secret: true });
  };
  if (names.includes('.env')) read('.env', '$shared');
  // httpyac's order: for each environment NAME.env, then .env.NAME (the later wins).
  const named = new Map<string, string[]>();
  for (const n of [...names].sort()) {
    const m = /^\.env\.(.+)$/.exec(n) ?? /^(.+)\.env$/.exec(n);
    if (!m || m[1] === '$shared' || n === '.env') continue;
    const list = named.get(m[1]) ?? [];
    if (n.startsWith('.env.')) list.push(n);
    else list.unshift(n);
    named.set(m[1], list);
  }
  let count = 0;
  for (const [env, files] of named) {
    if (++count > MAX_DOTENV_FILES) break;
    for (const f of files) read(f, env);
  }
  return out;
}

/** `rest-client.environmentVariables` as NetReq environments: `{{$<env> key}}` in env's values resolved as REST Client does. */
export function restClientLayer(raw: unknown, file: string): EnvLayer | undefined {
  if (raw === undefined || raw === null) return undefined;
  const warnings: string[] = [];
  const envs = envObject(raw, file, warnings);
  for (const [name, vars] of Object.entries(envs)) {
    if (name === '$shared') continue;
    // REST Client (environmentVariableProvider.ts:45-78): the first {{$<env> key}} of each value, exactly one space.
    const re = new RegExp(`\\{{2}\\$${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (.+?)\\}{2}`);
    for (const [k, v] of Object.entries(vars)) {
      const m = re.exec(v);
      if (m && Object.prototype.hasOwnProperty.call(vars, m[1])) vars[k] = v.slice(0, m.index) + vars[m[1]] + v.slice(m.index + m[0].length);
    }
  }
  return { kind: 'rest-client', file, environments: envs, secret: false, warnings };
}

const UNSAFE_KEY = '__proto__';

/** An object of environment → {variable: value}; strings, numbers and booleans are kept, anything else is skipped with a warning. */
export function envObject(raw: unknown, file: string, skipped: string[] = []): Environments {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file}: expected an object of environment name → variables`);
  const out: Environments = {};
  for (const [name, vars] of Object.entries(raw as Record<string, unknown>)) {
    if (name === UNSAFE_KEY || !vars || typeof vars !== 'object' || Array.isArray(vars)) {
      skipped.push(`${file}: '${name}' is not an object of variables; skipped`);
      continue;
    }
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
      if (k === UNSAFE_KEY) skipped.push(`${file}: environment '${name}': the name '${k}' is not allowed; skipped`);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') set[k] = String(v);
      else skipped.push(`${file}: environment '${name}': '${k}' is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object'} (not a text value); skipped`);
    }
    out[name] = set;
  }
  return out;
}

/** Merges layers, lowest precedence first: the environments, where each came from, and the secret variable names. */
export function combineLayers(layers: Array<EnvLayer | undefined>): CombinedEnvironments {
  const environments: Environments = {};
  const origins: Record<string, EnvOrigin[]> = {};
  const secretNames: Record<string, Set<string>> = {};
  const warnings: string[] = [];
  for (const layer of layers) {
    if (!layer) continue;
    warnings.push(...(layer.warnings ?? []));
    for (const [name, vars] of Object.entries(layer.environments)) {
      const target = (environments[name] ??= {});
      Object.assign(target, vars);
      (origins[name] ??= []).push({ kind: layer.kind, file: layer.file });
      const secret = (secretNames[name] ??= new Set());
      for (const k of Object.keys(vars)) {
        if (layer.secret) secret.add(k);
        else secret.delete(k);
      }
    }
  }
  return { environments, origins, secretNames, warnings };
}

/** The variables whose value is a secret when `envName` is active (its own secret values, and `$shared`'s it does not override). */
export function secretVariables(c: Pick<CombinedEnvironments, 'environments' | 'secretNames'>, envName: string | undefined): Set<string> {
  const own = envName && envName !== '$shared' ? c.environments[envName] : undefined;
  const out = new Set(c.secretNames[envName ?? ''] ?? []);
  for (const k of c.secretNames.$shared ?? []) if (!own || !Object.prototype.hasOwnProperty.call(own, k)) out.add(k);
  return out;
}

/** The EnvReader over the local disk: regular files only (a FIFO or device named .env is refused, not read). */
export const nodeEnvReader: EnvReader = {
  readText(p, maxBytes) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw new Error(`cannot read ${p}: ${(e as Error).message}`, { cause: e });
    }
    if (!st) return undefined;
    if (!st.isFile()) throw new Error(`${p} is not a regular file; not read`);
    if (st.size > maxBytes) throw new Error(`${p} is ${st.size} bytes, more than the ${maxBytes} an environment file may have; not read`);
    const text = fs.readFileSync(p, 'utf8');
    if (Buffer.byteLength(text) > maxBytes) throw new Error(`${p} grew past ${maxBytes} bytes while read; not read`);
    return text;
  },
  exists(p) {
    try {
      return fs.statSync(p, { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false; // ENOTDIR: a file where a folder was expected
    }
  },
  list(dir) {
    let d: fs.Dir | undefined;
    try {
      d = fs.opendirSync(dir);
      const names: string[] = [];
      for (let e = d.readSync(); e && names.length < MAX_LISTED; e = d.readSync()) names.push(e.name);
      return names;
    } catch {
      return [];
    } finally {
      d?.closeSync();
    }
  },
};

/** Most names read from one folder while looking for environment files. */
export const MAX_LISTED = 10_000;

/** How a source is named to people: the setting (and the settings file, with `full`) or the file's name (path with `full`). */
export function originLabel(o: EnvOrigin, full = false): string {
  if (o.kind === 'rest-client' || o.kind === 'netreq') {
    const setting = o.kind === 'netreq' ? 'netreq.environments' : 'rest-client.environmentVariables';
    return full && path.isAbsolute(o.file) ? `${setting} in ${o.file}` : setting;
  }
  return full ? o.file : path.basename(o.file);
}

export interface EnvSourcesInput {
  /** The request file (absolute, or relative to the working folder). */
  file: string;
  reader: EnvReader;
  /** Read .env files as environments (httpyac does, for .http / .rest files; .netreq files use {{$dotenv}}). */
  dotenv: boolean;
  /** The walk up never goes above this folder (the workspace folder). */
  limit?: string;
  /** `rest-client.environmentVariables` and where it was read. */
  restClient?: { raw: unknown; file: string };
  /** NetReq's own environments (netreq.environments, --env-file) and where they were read. */
  netreq?: { environments: Environments; file: string };
  /** false in Restricted Mode: .env files and http-client.private.env.json are not read (as {{$dotenv}} is refused). */
  secrets?: boolean;
}

/** Every source for one request file, merged in the documented order (see the top of this file). */
export function loadEnvSources(input: EnvSourcesInput): CombinedEnvironments {
  const secrets = input.secrets !== false;
  const files = fileLayers(input.file, input.reader, { dotenv: input.dotenv && secrets, limit: input.limit }).filter((l) => secrets || !l.secret);
  const own: EnvLayer | undefined = input.netreq && { kind: 'netreq', file: input.netreq.file, environments: input.netreq.environments, secret: false };
  return combineLayers([input.restClient && restClientLayer(input.restClient.raw, input.restClient.file), ...files, own]);
}
