/**
 * The "before" of a before/after run: a built copy of another git revision (NETREQ_BENCH_BASELINE, default 733430a,
 * the last commit before the issue-10 refactor), loaded next to the current build so that both run in the same
 * process (or as the same kind of child process), in alternating rounds, on the same peers.
 *
 * The copy is `git archive` of that revision in `.cache/bench-baseline/<sha>/` (gitignored), with `node_modules`
 * linked to this checkout's, compiled with its own tsconfig (`tsc -p`: src, test/support and bench only); a copy
 * built once is reused. Anything that goes wrong (the revision unknown in a shallow clone, tsc failing or past its
 * deadline, a module missing in that revision) is a sentence in the cells of the baseline, never a crash.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secs } from './deadline';

export const DEFAULT_BASELINE = '733430a';
/** Deadlines: one git command, the whole tsc of the baseline. */
const GIT_MS = 60_000;
const TSC_MS = 300_000;
const MARKER = '.netreq-bench-built';

/** The repository root of this build (`out/bench/baseline.js` → `../..`). */
export const ROOT = path.join(__dirname, '..', '..');
/** This build's compiled tree (`out/`), the "after". */
export const CURRENT_OUT = path.join(__dirname, '..');

export interface Baseline {
  /** The revision as asked for (e.g. 733430a). */
  rev: string;
  /** The compiled tree of that revision (its `out/`), when it built. */
  out?: string;
  /** Why there is no build, in words. */
  error?: string;
}

/** The revision asked for: NETREQ_BENCH_BASELINE, default 733430a; `none` (or `off`, `0`) runs without a before column. */
export function baselineRev(): string | undefined {
  const v = (process.env.NETREQ_BENCH_BASELINE ?? DEFAULT_BASELINE).trim();
  return v === '' || /^(none|off|0|no)$/i.test(v) ? undefined : v;
}

/** Short name of the current build for the table: the commit, "+ changes" when the work tree differs from it. */
export function currentName(): string {
  const sha = git(['rev-parse', '--short', 'HEAD']);
  if (sha.error) return 'this build';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  return `${sha.out.trim()}${dirty.out.trim() ? ' + uncommitted changes' : ''}`;
}

function git(args: string[]): { out: string; error?: string } {
  const r = spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', timeout: GIT_MS });
  if (r.error) return { out: '', error: (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `git ${args[0]}: no result within ${secs(GIT_MS)}` : `git: ${r.error.message}` };
  if (r.status !== 0) return { out: r.stdout ?? '', error: `git ${args[0]}: ${(r.stderr || `exit ${r.status}`).trim().split('\n')[0]}` };
  return { out: r.stdout };
}

const tail = (text: string, lines = 3) => text.trim().split('\n').slice(-lines).join(' / ').slice(0, 300);

/** Builds (or reuses) the baseline; synchronous and bounded (git and tsc each under a deadline). */
export function prepareBaseline(rev: string): Baseline {
  const t0 = Date.now();
  const sha = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (sha.error || !sha.out.trim()) return { rev, error: `git does not know ${rev} in this checkout (a shallow clone? \`git fetch --unshallow\`)` };
  const full = sha.out.trim();
  const cache = path.join(ROOT, '.cache', 'bench-baseline');
  const dir = path.join(cache, full.slice(0, 12));
  const out = path.join(dir, 'out');
  if (fs.existsSync(path.join(dir, MARKER))) return { rev, out };
  const modules = path.join(ROOT, 'node_modules');
  if (!fs.existsSync(modules)) return { rev, error: `no node_modules in ${ROOT} to build ${rev} with (npm ci first)` };
  const tmp = `${dir}.partial-${process.pid}`;
  removeLeftovers(cache);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    console.log(`bench: building the baseline ${rev} (${full.slice(0, 12)}) in ${path.relative(ROOT, dir)} …`);
    const tar = path.join(tmp, '..', `${full.slice(0, 12)}-${process.pid}.tar`);
    const archived = git(['archive', '--format=tar', '-o', tar, full]);
    if (archived.error) return { rev, error: `could not export ${rev}: ${archived.error}` };
    const x = spawnSync('tar', ['-xf', tar, '-C', tmp], { encoding: 'utf8', timeout: GIT_MS });
    fs.rmSync(tar, { force: true });
    if (x.status !== 0) return { rev, error: `could not unpack ${rev}: ${tail(x.stderr ?? String(x.error))}` };
    fs.symlinkSync(fs.realpathSync(modules), path.join(tmp, 'node_modules'));
    if (!fs.existsSync(path.join(tmp, 'tsconfig.json'))) return { rev, error: `${rev} has no tsconfig.json` };
    // Its own compiler options; only what the bench loads (the unit and integration tests are not needed).
    fs.writeFileSync(path.join(tmp, 'tsconfig.bench-baseline.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/**/*.ts', 'test/support/**/*.ts', 'bench/**/*.ts'] }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench-baseline.json'], { cwd: tmp, encoding: 'utf8', timeout: TSC_MS });
    if ((tsc.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return { rev, error: `tsc of ${rev}: no result within ${secs(TSC_MS)}` };
    // What a row needs and this revision lacks (a module, the CLI) is said in that row's cells.
    if (!fs.existsSync(path.join(tmp, 'out', 'src'))) return { rev, error: `tsc of ${rev} emitted nothing: ${tail(`${tsc.stdout}\n${tsc.stderr}`) || `exit ${tsc.status}`}` };
    // Type errors against today's node_modules do not stop the emit; the code runs as written.
    if (tsc.status !== 0) console.error(`bench: tsc of ${rev} reported errors (the emitted code is used): ${tail(tsc.stdout)}`);
    fs.writeFileSync(path.join(tmp, MARKER), `${full}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    console.log(`bench: baseline ${rev} built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return { rev, out };
  } catch (e) {
    return { rev, error: `could not build ${rev}: ${(e as Error).message}` };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Partial builds (and their tar files) of bench runs that were killed while building: their process is gone. */
function removeLeftovers(cache: string): void {
  if (!fs.existsSync(cache)) return;
  for (const name of fs.readdirSync(cache)) {
    const m = /^[0-9a-f]{12}(?:\.partial-(\d+)|-(\d+)\.tar)$/.exec(name);
    if (!m || alive(Number(m[1] ?? m[2]))) continue;
    fs.rmSync(path.join(cache, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A module of the baseline build (`rel` is its path under `out/`, e.g. `src/core/http/client.js`), typed as the
 * current one; throws a sentence when that revision has no such file.
 */
export function baselineModule<T>(b: Baseline, rel: string): T {
  if (!b.out) throw new Error(b.error ?? `baseline ${b.rev} not built`);
  const file = path.join(b.out, rel);
  if (!fs.existsSync(file)) throw new Error(`${rel.replace(/\.js$/, '.ts')} does not exist in ${b.rev}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
