/**
 * dist/cli.js, the `netreq` program: starts the CLI bundle (dist/cli-main.js) through V8's code cache, so a start
 * does not compile the whole bundle again (about half of what `netreq run` of one request cost over `node -e 0`;
 * issue 13). The cache is one file per build, Node version and command in $XDG_CACHE_HOME/netreq/v8 (default
 * ~/.cache/netreq/v8), written (mode 0600) when the process ends after a start without a usable one; the previous
 * builds' files are removed then. NETREQ_NO_COMPILE_CACHE=1 turns it off. Any problem with the cache falls back to a
 * plain require: the cache can make a start faster, never different.
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

declare const NETREQ_VERSION: string | undefined;

interface CliMain {
  start(): void;
}

export function compileCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.NETREQ_NO_COMPILE_CACHE && env.NETREQ_NO_COMPILE_CACHE !== '0') return undefined;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'netreq', 'v8');
}

/** The commands with a cache of their own; anything else (help, version, a usage error) shares one. */
const CACHED_COMMANDS: ReadonlySet<string> = new Set(['run', 'test', 'envs', 'proxy', 'listen', 'health', 'demo-servers']);

/**
 * Which cache a start uses: one per command, because V8 caches the functions the first start ran (a cache made by
 * `netreq --version` holds none of what `netreq run` needs: measured, such a run cost 10 ms more CPU than with
 * its own cache).
 */
export function cacheGroup(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return CACHED_COMMANDS.has(first) && !argv.includes('--help') && !argv.includes('-h') && !argv.includes('--version') && !argv.includes('-V') ? first : 'start';
}

/**
 * The build part of a cache file's name: V8 checks only the source's length, so it holds the bundle's size,
 * modification time and inode, the version, and Node's version and architecture.
 */
function buildKey(file: string): { install: string; build: string } {
  const st = fs.statSync(file);
  const version = typeof NETREQ_VERSION === 'string' ? NETREQ_VERSION : 'dev';
  const install = `cli-${fnv1a(path.resolve(file))}`;
  return { install, build: `${install}-${version}-${process.version}-${process.arch}-${st.size}-${Math.floor(st.mtimeMs)}-${st.ino}`.replace(/[^\w.-]/g, '_') };
}

/** FNV-1a of a path, 8 hex digits: which installation a cache file belongs to (without loading node:crypto). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Files of another installation (another copy, another Node) unused this long are removed too. */
const STALE_MS = 30 * 86_400_000;

/**
 * Writes this command's cache and removes this installation's files of older builds (its other commands stay); other
 * installations sharing the folder keep theirs unless unused for 30 days.
 */
function writeCache(dir: string, key: { install: string; build: string }, name: string, data: Buffer): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, path.join(dir, name));
    const now = Date.now();
    for (const old of fs.readdirSync(dir)) {
      if (!old.startsWith('cli-') || old.startsWith(`${key.build}.`)) continue;
      const mine = old.startsWith(`${key.install}-`);
      const used = () => {
        const st = fs.statSync(path.join(dir, old));
        return Math.max(st.atimeMs, st.mtimeMs);
      };
      if (mine || now - used() > STALE_MS) fs.rmSync(path.join(dir, old), { force: true });
    }
  } catch {
    // no cache this time: the next start compiles again
  }
}

/** Loads `file` (a CommonJS bundle) with the code cache in `dir`; undefined when that cannot be done. */
export function loadWithCache(file: string, dir: string, group = 'start'): CliMain | undefined {
  let run: () => CliMain;
  try {
    const key = buildKey(file);
    const name = `${key.build}.${group.replace(/[^a-z-]/g, '_')}.bin`;
    let cached: Buffer | undefined;
    try {
      cached = fs.readFileSync(path.join(dir, name));
    } catch {
      cached = undefined;
    }
    // esbuild writes ASCII (non-ASCII characters escaped), which reads as Latin-1 without a UTF-8 decoding pass.
    const bytes = fs.readFileSync(file);
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
    const wrapper = script.runInThisContext() as (exports: object, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
    const m = new Module(file);
    m.filename = file;
    if (!cached || script.cachedDataRejected) process.once('exit', () => writeCache(dir, key, name, script.createCachedData()));
    run = () => {
      wrapper.call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
      m.loaded = true;
      return m.exports as CliMain;
    };
  } catch {
    return undefined;
  }
  return run();
}

if (require.main === module) {
  const file = path.join(__dirname, 'cli-main.js');
  const dir = compileCacheDir(process.env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cli = (dir && loadWithCache(file, dir, cacheGroup(process.argv.slice(2)))) || (require(file) as CliMain);
  cli.start();
}
