/**
 * FILE | DIR | GLOB → the files `netreq test` runs. A DIR is searched recursively for .netreq, .http and .rest files
 * (skipping node_modules, .git and other dot-folders); a GLOB (`*`, `**`, `?`, `[abc]`, no dependency) is matched
 * below its fixed leading folders. Bounded: at most MAX_TEST_FILES files and MAX_WALK_ENTRIES directory entries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import { MAX_TEST_FILES } from './args';

export const TEST_EXTENSIONS = ['.netreq', '.http', '.rest'];
/** Most directory entries looked at while searching folders (a home directory given by mistake ends, with a message). */
export const MAX_WALK_ENTRIES = 200_000;
const SKIP = new Set(['node_modules', '.git']);

export function isTestFile(p: string): boolean {
  const ext = path.extname(p).toLowerCase();
  return TEST_EXTENSIONS.includes(ext);
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** A glob (`/`-separated) → a RegExp over `/`-separated paths. `**` spans folders; `*`, `?` and `[...]` do not. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

class Walk {
  entries = 0;
  constructor(private readonly found: (file: string) => void) {}

  dir(dir: string): void {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new UsageError(`cannot read folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of list) {
      if (++this.entries > MAX_WALK_ENTRIES) throw new UsageError(`more than ${MAX_WALK_ENTRIES.toLocaleString('en-US')} entries below ${dir}: name a smaller folder or a glob`);
      const p = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (!SKIP.has(d.name) && !d.name.startsWith('.')) this.dir(p);
      } else if (d.isFile() && isTestFile(d.name)) this.found(p);
    }
  }
}

/** The files to test, in the order given (each DIR and GLOB sorted), each once. */
export function findTestFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const key = path.resolve(f);
    if (seen.has(key)) return;
    seen.add(key);
    if (out.length >= MAX_TEST_FILES) throw new UsageError(`more than ${MAX_TEST_FILES.toLocaleString('en-US')} files to test: name fewer`);
    out.push(f);
  };
  for (const a of args) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(a);
    } catch {
      st = undefined;
    }
    if (st?.isFile()) add(a);
    else if (st?.isDirectory()) {
      const before = out.length;
      new Walk(add).dir(a);
      if (out.length === before) throw new UsageError(`no .netreq, .http or .rest files in ${a}`);
    } else if (hasGlob(a)) {
      const glob = a.split(path.sep).join('/');
      const parts = glob.split('/');
      const fixed: string[] = [];
      while (parts.length > 1 && !hasGlob(parts[0])) fixed.push(parts.shift()!);
      const base = fixed.length ? fixed.join('/') || '/' : '.';
      const re = globRegExp(parts.join('/'));
      const before = out.length;
      if (fs.existsSync(base)) {
        new Walk((f) => {
          if (re.test(path.relative(base, f).split(path.sep).join('/'))) add(f);
        }).dir(base);
      }
      if (out.length === before) throw new UsageError(`no .netreq, .http or .rest files match ${a}`);
    } else throw new UsageError(`cannot read ${a}: no such file or folder`);
  }
  return out;
}
