/**
 * Restricted Mode (VS Code, untrusted workspace): what a `.netreq` file may not make NetReq read and send.
 * `{{$processEnv}}` and `{{$dotenv}}` are refused outright; a body file (`< path`, `<@ path`) is read only
 * when its real path (`..` and symbolic links resolved) is inside a workspace folder. The words say why
 * and how to lift it, and start with RESTRICTED_PREFIX so the editor can offer to manage trust.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Codes } from './diag';
import type { Diagnostic } from './types';

export const RESTRICTED_PREFIX = 'Restricted Mode: ';

/** True for the diagnostics Restricted Mode produced (the request would have read something it may not). */
export function isRestrictedDiagnostic(d: Pick<Diagnostic, 'code'>): boolean {
  return d.code === Codes.restrictedVariable || d.code === Codes.restrictedFile;
}

/** The refusal of `$processEnv` / `$dotenv` (name without the `$`). */
export function refusedSystemVariable(name: 'processEnv' | 'dotenv'): string {
  const what = name === 'processEnv' ? 'environment variables of the VS Code process' : 'values from the .env file';
  return `${RESTRICTED_PREFIX}$${name} is not available in an untrusted workspace, so ${what} are not sent (trust the workspace to use it)`;
}

export type FileCheck = { ok: true; realPath: string } | { ok: false; code: 'restricted-file' | 'unreadable'; error?: unknown; message?: string };

/**
 * Whether `absPath` may be read in Restricted Mode: its real path must be inside one of `folders` (each
 * also taken by its real path). `written` is the path as the file wrote it, for the words.
 */
export async function checkRestrictedFile(absPath: string, written: string, folders: readonly string[]): Promise<FileCheck> {
  let real: string;
  try {
    real = await fsp.realpath(absPath);
  } catch (error) {
    return { ok: false, code: 'unreadable', error };
  }
  const roots = await Promise.all(folders.map((f) => fsp.realpath(f).catch(() => path.resolve(f))));
  if (roots.some((root) => isInside(root, real))) return { ok: true, realPath: real };
  const leads = real !== path.resolve(absPath) ? ` (it leads to ${real})` : ` (${real})`;
  const where =
    folders.length === 0
      ? 'no workspace folder is open, so no body file is read'
      : `it is outside the workspace folder${folders.length > 1 ? 's' : ''}${leads}, and only files inside are read`;
  return {
    ok: false,
    code: 'restricted-file',
    message: `${RESTRICTED_PREFIX}body file ${written} is not sent: in an untrusted workspace ${where} (trust the workspace to use it)`,
  };
}

/** `file` is strictly below `root` (both absolute, normalised). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
