/** Reads NetReq's settings (read at each use, so changes apply without a reload). */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Environments } from '../core/netreq/types';
import { DEFAULT_OPTIONS, type RequestOptions } from '../core/request';
import { DEFAULT_POOL_OPTIONS, type PoolOptions } from '../core/transport/pool';
import { pemProblem } from '../core/transport/tlsinfo';

export const SECTION = 'netreq';
export const DEFAULT_PREVIEW_BYTES = 1024 * 1024;

/** Request settings are resource-scoped (a folder may set its own); pool settings are window-scoped (one pool). */
function cfg(scope?: vscode.Uri | null): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

export function poolOptions(): PoolOptions {
  const c = cfg();
  return {
    enabled: c.get<boolean>('pool.enabled', DEFAULT_POOL_OPTIONS.enabled) !== false,
    maxSocketsPerHost: Math.floor(positive(c.get('pool.maxSocketsPerHost'), DEFAULT_POOL_OPTIONS.maxSocketsPerHost)),
    idleTimeoutMs: positive(c.get('pool.idleTimeoutMs'), DEFAULT_POOL_OPTIONS.idleTimeoutMs),
    maxAgeMs: positive(c.get('pool.maxAgeMs'), DEFAULT_POOL_OPTIONS.maxAgeMs),
  };
}

/** Defaults for a request; the block's directives override them in the resolver. */
export function requestDefaults(scope?: vscode.Uri): RequestOptions {
  const c = cfg(scope ?? null);
  return {
    ...DEFAULT_OPTIONS,
    timeoutMs: positive(c.get('timeout'), DEFAULT_OPTIONS.timeoutMs),
    insecure: c.get<boolean>('insecure', false) === true,
    noPool: cfg().get<boolean>('pool.enabled', true) === false,
    maxResponseBytes: positive(c.get('maxResponseBytes'), DEFAULT_OPTIONS.maxResponseBytes),
  };
}

/**
 * `netreq.tls.caFiles`: extra trusted CA certificates (PEM files), absolute or relative to `baseDir`
 * (the workspace folder). A file that cannot be read, or holds no PEM certificate, is an error the caller shows;
 * it is never skipped silently.
 */
export async function caCertificates(scope: vscode.Uri | undefined, baseDir: string | undefined, readFile: (p: string) => Promise<Buffer>): Promise<Buffer[]> {
  const files = cfg(scope ?? null).get<unknown>('tls.caFiles', []);
  if (!Array.isArray(files)) return [];
  const out: Buffer[] = [];
  for (const f of files) {
    if (typeof f !== 'string' || !f.trim()) continue;
    const p = f.startsWith('~/') ? path.join(os.homedir(), f.slice(2)) : path.isAbsolute(f) || !baseDir ? f : path.join(baseDir, f);
    let data: Buffer;
    try {
      data = await readFile(p);
    } catch (e) {
      throw new Error(`netreq.tls.caFiles: cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { cause: e });
    }
    const problem = pemProblem(data);
    if (problem) throw new Error(`netreq.tls.caFiles: ${p}: ${problem}`);
    out.push(data);
  }
  return out;
}

export function environments(scope?: vscode.Uri): Environments {
  const raw = cfg(scope ?? null).get<unknown>('environments', {});
  const out: Environments = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [name, vars] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof vars !== 'object' || vars === null) continue;
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') set[k] = String(v);
    }
    out[name] = set;
  }
  return out;
}

/** `netreq.defaultEnvironment`: the environment used in a workspace where none has been picked yet. */
export function defaultEnvironment(): string | undefined {
  const v = cfg().get<unknown>('defaultEnvironment', '');
  return typeof v === 'string' && v.trim() !== '' && v.trim() !== '$shared' ? v.trim() : undefined;
}

/** `netreq.response.panel`: one response / transcript panel that follows the block sent (`single`), or one per block. */
export function panelMode(): 'single' | 'perBlock' {
  return cfg().get<unknown>('response.panel', 'single') === 'perBlock' ? 'perBlock' : 'single';
}

export function previewBytes(scope?: vscode.Uri): number {
  return Math.floor(positive(cfg(scope ?? null).get('response.previewBytes'), DEFAULT_PREVIEW_BYTES));
}
