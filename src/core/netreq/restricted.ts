/**
 * Restricted Mode (VS Code, untrusted workspace): what a `.netreq` file may not make NetReq read and send.
 * `{{$processEnv}}` and `{{$dotenv}}` are refused outright; a body file (`< path`, `<@ path`) is read only
 * when its real path (`..` and symbolic links resolved) is inside a workspace folder. The words say why
 * and how to lift it, and start with RESTRICTED_PREFIX so the editor can offer to manage trust.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Codes } from './diag';
import { scanRefs } from './templates';
import type { Diagnostic, NetreqDocument } from './types';

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
  if (roots.some((root) => isInside(root, real))) {
    // A FIFO or device a workspace ships would hang the read or never end.
    const st = await fsp.stat(real).catch(() => undefined);
    if (st && !st.isFile() && !st.isDirectory()) {
      return { ok: false, code: 'restricted-file', message: `${RESTRICTED_PREFIX}body file ${written} is not sent: in an untrusted workspace only regular files are read, and this is not one (trust the workspace to use it)` };
    }
    return { ok: true, realPath: real };
  }
  const leads = real !== path.resolve(absPath) ? ` (it leads to ${real})` : ` (${real})`;
  return { ok: false, code: 'restricted-file', message: refusedFile(written, leads, folders.length) };
}

function refusedFile(written: string, where: string, folders: number): string {
  const why =
    folders === 0
      ? 'no workspace folder is open, so no body file is read'
      : `it is outside the workspace folder${folders > 1 ? 's' : ''}${where}, and only files inside are read`;
  return `${RESTRICTED_PREFIX}body file ${written} is not sent: in an untrusted workspace ${why} (trust the workspace to use it)`;
}

/**
 * What Restricted Mode will refuse, found without sending (for the editor's squiggles as you type):
 * every `{{$processEnv}}` / `{{$dotenv}}` outside comments, and each body file whose path (without
 * variables) lies outside the folders by its text. Symbolic links are only followed when the block is
 * sent (checkRestrictedFile), so this is a subset of the refusals, never more.
 */
export function restrictedProblems(text: string, doc: NetreqDocument, opts: { baseDir?: string; folders: readonly string[] }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let line = 0; line < lines.length; line++) {
    const t = lines[line];
    if (t.indexOf('{{') < 0) continue;
    const lead = t.trimStart();
    if ((lead.startsWith('#') || lead.startsWith('//')) && !/^(#|\/\/)\s*@/.test(lead)) continue;
    for (const r of scanRefs(t).refs) {
      if (r.kind !== 'system' || (r.name !== 'processEnv' && r.name !== 'dotenv')) continue;
      out.push({ span: { start: { line, col: r.start }, end: { line, col: r.end } }, severity: 'error', code: Codes.restrictedVariable, message: refusedSystemVariable(r.name) });
    }
  }
  const roots = opts.folders.map((f) => path.resolve(f));
  for (const b of doc.blocks) {
    const f = b.body?.file;
    if (!f || f.path.indexOf('{{') >= 0 || (!path.isAbsolute(f.path) && !opts.baseDir)) continue;
    const abs = path.resolve(opts.baseDir ?? '/', f.path);
    if (roots.some((root) => isInside(root, abs))) continue;
    const col = Math.max(0, (lines[f.line] ?? '').indexOf(f.path));
    out.push({
      span: { start: { line: f.line, col }, end: { line: f.line, col: col + f.path.length } },
      severity: 'error',
      code: Codes.restrictedFile,
      message: refusedFile(f.path, ` (${abs})`, roots.length),
    });
  }
  return out;
}

/** `file` is strictly below `root` (both absolute, normalised). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
