/**
 * A real VS Code that runs offline: the VS Code Server (1.100.3) inside the npm package `code-server`,
 * installed into the git-ignored `.cache/vscode-server/` and driven by Debian's Chromium through
 * playwright-core. See /work/shared/design/real-vscode-harness.md for why each step is there.
 *
 * Used by the integration and end-to-end runners and by `npm start`. A missing prerequisite is an
 * error naming the Debian package to install, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Native modules of VS Code's server that must be built for this Node (their install scripts were skipped). */
const NATIVE_MODULES = ['@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty', '@vscode/deviceid'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type Log = (line: string) => void;
const defaultLog: Log = (line) => console.log(`[vscode-server] ${line}`);

/** The repository root: the nearest folder up from here whose package.json is NetReq's. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 10; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'netreq') return dir;
      } catch {
        // not a JSON package file; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the NetReq repository root above ${from}`);
}

/** `.cache/vscode-server/` at the repository root (NETREQ_VSCODE_CACHE overrides it). */
export function cacheDir(): string {
  return process.env.NETREQ_VSCODE_CACHE ? path.resolve(process.env.NETREQ_VSCODE_CACHE) : path.join(repoRoot(), '.cache', 'vscode-server');
}

/** lib/vscode inside the cached code-server package: the VS Code Server itself. */
export function vscodeDir(cache = cacheDir()): string {
  return path.join(cache, 'node_modules', 'code-server', 'lib', 'vscode');
}

export function serverMain(dir = vscodeDir()): string {
  return path.join(dir, 'out', 'server-main.js');
}

function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] || undefined : undefined;
}

/**
 * What this machine lacks for the real-VS-Code tests, as Debian packages. `browser` adds Chromium
 * (not needed to only start the server, e.g. for `npm start`).
 */
export function missingPrerequisites(opts: { browser?: boolean } = {}): string[] {
  const missing: string[] = [];
  if (opts.browser && !fs.existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) missing.push('libkrb5-dev');
  if (!which('rg')) missing.push('ripgrep');
  if (!which('make') || !(which('g++') || which('c++'))) missing.push('build-essential');
  if (!which('python3')) missing.push('python3');
  return missing;
}

export function checkPrerequisites(opts: { browser?: boolean } = {}): void {
  const missing = missingPrerequisites(opts);
  if (missing.length > 0) {
    throw new Error(
      `The real-VS-Code harness needs Debian packages that are not installed: ${missing.join(', ')}.\n` +
        `Install them with: apt-get update && apt-get install -y ${missing.join(' ')}  (the CI script .ci/run does this)`,
    );
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One installer at a time (tests and `npm start` may both call ensureVSCodeServer). Bounded wait. */
async function withLock<T>(lockDir: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    let owner = NaN;
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // the owner has not written its pid yet
      }
    }
    if (Date.now() > deadline) throw new Error(`gave up after 20 min waiting for the install lock ${lockDir} (held by pid ${owner})`);
    const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isInteger(owner) && age > 30_000)) {
      log(`removing a stale install lock (${Number.isInteger(owner) ? `pid ${owner} is gone` : 'no owner'})`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`another process (pid ${owner}) is installing the VS Code Server; waiting for it`);
    announced = true;
    await sleep(1000);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs?: number;
}

/** Runs a command to completion, output appended to logFile; throws with the output's tail when it fails. */
function run(cmd: string, args: string[], opts: RunOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  return new Promise((resolve, reject) => {
    fs.appendFileSync(opts.logFile, `\n$ (cd ${opts.cwd} && ${cmd} ${args.join(' ')})\n`);
    const out = fs.openSync(opts.logFile, 'a');
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = signal === 'SIGKILL' ? `was stopped after ${timeoutMs / 1000} s` : `failed (${signal ?? `exit ${code}`})`;
      reject(new Error(`${cmd} ${args.join(' ')} ${why} in ${opts.cwd}\n--- last lines of ${opts.logFile} ---\n${tail(opts.logFile, 40)}`));
    });
  });
}

/** The last `lines` lines of a text file ('' when it does not exist). */
export function tail(file: string, lines = 60): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** npm settings for the install: no audit/fund noise, node-gyp uses this Node's own headers (offline). */
function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
  return env;
}

interface Marker {
  codeServer: string;
  vscode: string;
  installedAt: string;
  seconds: number;
}

function readMarker(file: string): Marker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/**
 * Installs the VS Code Server into the cache when it is not there yet (a marker file records a finished
 * install), and returns its folder (the one holding out/server-main.js). A few minutes the first time.
 */
export async function ensureVSCodeServer(opts: { log?: Log } = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  const cache = cacheDir();
  const dir = vscodeDir(cache);
  const markerFile = path.join(cache, '.netreq-installed.json');
  const ready = () => {
    const m = readMarker(markerFile);
    return m?.codeServer === CODE_SERVER_VERSION && fs.existsSync(serverMain(dir));
  };
  if (ready()) return dir;
  checkPrerequisites();
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  return withLock(`${cache}.lock`, log, async () => {
    if (ready()) return dir; // another process finished it while we waited
    const t0 = Date.now();
    log(`installing code-server@${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) into ${cache}; this takes a few minutes once`);
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(cache, { recursive: true });
    const logFile = path.join(cache, 'install.log');
    fs.writeFileSync(path.join(cache, 'package.json'), JSON.stringify({ name: 'netreq-vscode-server-cache', private: true, description: 'VS Code Server for the NetReq tests (generated)' }, null, 2) + '\n');
    const step = async (what: string, cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) => {
      const s = Date.now();
      log(`${what}…`);
      await run(cmd, args, { cwd, env: npmEnv(env), logFile });
      log(`${what}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
    };
    // code-server's own postinstall downloads things: never run it.
    await step(`npm install code-server@${CODE_SERVER_VERSION}`, 'npm', ['install', '--ignore-scripts', '--save-exact', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], cache);
    if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`code-server@${CODE_SERVER_VERSION} has no lib/vscode/package.json in ${dir}`);
    await step('VS Code Server dependencies', 'npm', ['install', '--omit=dev', '--ignore-scripts'], dir);
    // node-pty's build script calls `npx node-gyp`, which needs the yes.
    await step('native modules', 'npm', ['rebuild', ...NATIVE_MODULES], dir, { npm_config_yes: 'true' });
    const failed = spawnSync(process.execPath, ['-e', `for (const m of ${JSON.stringify(NATIVE_MODULES)}) { try { require(m) } catch (e) { console.log(m + ': ' + e.message) } }`], { cwd: dir, encoding: 'utf8' });
    if (failed.stdout.trim()) throw new Error(`native modules of the VS Code Server do not load after npm rebuild:\n${failed.stdout}\n--- ${logFile} ---\n${tail(logFile, 40)}`);
    // @vscode/ripgrep would download its binary: use Debian's.
    const rgBin = path.join(dir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    fs.mkdirSync(rgBin, { recursive: true });
    fs.rmSync(path.join(rgBin, 'rg'), { force: true });
    fs.symlinkSync(which('rg')!, path.join(rgBin, 'rg'));
    fs.rmSync(path.join(dir, 'node_modules.asar'), { force: true });
    fs.symlinkSync('node_modules', path.join(dir, 'node_modules.asar'));
    await step('built-in extensions dependencies', 'npm', ['install', '--omit=dev'], path.join(dir, 'extensions'));
    const version = spawnSync(process.execPath, [serverMain(dir), '--version'], { encoding: 'utf8', timeout: 60_000 });
    if (!version.stdout.includes(VSCODE_VERSION)) throw new Error(`the installed VS Code Server does not start: ${version.stdout}${version.stderr}`);
    const seconds = Math.round((Date.now() - t0) / 1000);
    const marker: Marker = { codeServer: CODE_SERVER_VERSION, vscode: VSCODE_VERSION, installedAt: new Date().toISOString(), seconds };
    fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2) + '\n');
    log(`VS Code Server ${VSCODE_VERSION} installed in ${seconds} s`);
    return dir;
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Settings for a test/demo profile: no telemetry, no update checks, no welcome page, no trust prompt. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
};

export interface VSCodeServer {
  port: number;
  pid: number;
  serverDataDir: string;
  userDataDir: string;
  /** The server's stdout and stderr. */
  logFile: string;
  /** The workbench URL opening `folder`; `payload` carries e.g. extensionDevelopmentPath (see devPayload). */
  url(folder: string, payload?: Array<[string, string]>): string;
  /** A local path as the remote URI the workbench's payload expects. */
  remoteUri(absPath: string): string;
  /** Log files of the server and its extension hosts: server.log, then <user-data-dir>/logs/<time>/remoteagent.log, exthost1/remoteexthost.log… */
  logFiles(): string[];
  /** Why the server process ended, or undefined while it runs. */
  exited(): string | undefined;
  /** Stops the server and every process it started (its process group), removes its temp folders. */
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** Where extensions are installed (e.g. the packaged .vsix); default: an empty folder in the server data dir. */
  extensionsDir?: string;
  /** Environment for the server, inherited by its extension hosts. */
  env?: NodeJS.ProcessEnv;
  /** Each line the server prints (it is also kept in logFile). */
  log?: Log;
  /** User settings on top of QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Keep the temp folders after stop() (for looking at logs). */
  keepDirs?: boolean;
}

function writeSettings(file: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

function listFiles(dir: string, depth = 6): string[] {
  if (depth < 0) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), depth - 1) : e.isFile() ? [path.join(dir, e.name)] : []));
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
  });
}

/** Kills a process group we started, politely then firmly; resolves when the leader has exited (bounded). */
async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  // Children of the server (extension hosts, pty host) are in the same group: make sure they go too.
  signal('SIGKILL');
  if (!done) await Promise.race([exited, sleep(2000)]);
}

/**
 * Starts the VS Code Server on 127.0.0.1 only, without a connection token, with fresh data folders and
 * quiet settings; resolves once the workbench page answers.
 */
export async function startVSCodeServer(opts: StartOptions = {}): Promise<VSCodeServer> {
  const dir = await ensureVSCodeServer({ log: opts.log });
  const port = opts.port ?? (await freePort());
  const serverDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-vscode-server-'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-vscode-user-'));
  const extensionsDir = opts.extensionsDir ?? path.join(serverDataDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = { ...QUIET_SETTINGS, ...opts.settings };
  // code-server's build keeps the user's data (settings, logs, workspace storage) in --user-data-dir on
  // the server, also for the web client.
  writeSettings(path.join(userDataDir, 'User', 'settings.json'), settings);
  const logFile = path.join(serverDataDir, 'server.log');
  const args = [
    serverMain(dir),
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--telemetry-level', 'off',
    '--server-data-dir', serverDataDir,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  // No extension gallery (code-server's default is open-vsx.org): everything here is offline and loopback.
  const env: NodeJS.ProcessEnv = { EXTENSIONS_GALLERY: '{}', ...process.env, ...opts.env };
  // Variables of a VS Code this may run inside (its terminal) must not leak into the one started here.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  // detached: its own process group, so stop() ends the extension hosts and helpers it forks too.
  const child = spawn(process.execPath, args, { cwd: serverDataDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  let lineBuf = '';
  const onData = (d: Buffer) => {
    logStream.write(d);
    if (!opts.log) return;
    lineBuf += d.toString('utf8');
    const lines = lineBuf.split('\n');
    lineBuf = lines.pop()!;
    for (const l of lines) if (l.trim()) opts.log(l);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | undefined;
  child.once('exit', (code, sig) => (exited = sig ?? `exit code ${code}`));
  // If this process ends without stop() (an uncaught error), its server group must not outlive it.
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killOnExit);

  const remoteUri = (p: string) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const server: VSCodeServer = {
    port,
    pid: child.pid!,
    serverDataDir,
    userDataDir,
    logFile,
    url: (folder, payload) =>
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`,
    remoteUri,
    exited: () => exited,
    logFiles: () => [logFile, ...listFiles(path.join(userDataDir, 'logs')).filter((f) => f.endsWith('.log')).sort()],
    stop: async () => {
      await killGroup(child);
      process.off('exit', killOnExit);
      logStream.end();
      if (!opts.keepDirs) {
        fs.rmSync(serverDataDir, { recursive: true, force: true });
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await server.stop().catch(() => undefined);
      throw new Error(`the VS Code Server exited while starting (${exited}):\n${tail(logFile, 40)}`);
    }
    if ((await httpStatus(`http://127.0.0.1:${port}/version`)) !== undefined && (await httpStatus(`http://127.0.0.1:${port}/`)) === 200) break;
    if (Date.now() > deadline) {
      const log = tail(logFile, 40);
      await server.stop();
      throw new Error(`the VS Code Server did not answer on 127.0.0.1:${port} within 60 s:\n${log}`);
    }
    await sleep(250);
  }
  return server;
}

/**
 * Installs a packaged extension (.vsix) into `extensionsDir` with the server's own CLI, as a user would,
 * and returns the `publisher.name@version` lines the server then lists.
 */
export async function installExtension(vsix: string, extensionsDir: string, opts: { log?: Log } = {}): Promise<string[]> {
  const dir = await ensureVSCodeServer({ log: opts.log });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-vscode-install-'));
  const cli = (args: string[]) => {
    const r = spawnSync(
      process.execPath,
      [serverMain(dir), ...args, '--extensions-dir', extensionsDir, '--server-data-dir', path.join(scratch, 'server'), '--user-data-dir', path.join(scratch, 'user')],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, EXTENSIONS_GALLERY: '{}' } },
    );
    if (r.status !== 0 || r.error) throw new Error(`server-main.js ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  try {
    fs.mkdirSync(extensionsDir, { recursive: true });
    const out = cli(['--install-extension', vsix, '--force']);
    if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} did not report success:\n${out}`);
    return cli(['--list-extensions', '--show-versions'])
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The payload that loads an extension from a folder (and, optionally, runs its tests in the extension host). */
export function devPayload(server: Pick<VSCodeServer, 'remoteUri'>, extensionDevelopmentPath: string, extensionTestsPath?: string): Array<[string, string]> {
  const p: Array<[string, string]> = [['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)]];
  if (extensionTestsPath) p.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
  return p;
}

/** Debian's Chromium, headless, through playwright-core (which never downloads a browser here). */
export async function launchChromium(opts: { headless?: boolean; args?: string[] } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is required at ${CHROMIUM_PATH}: run 'apt-get install -y chromium' (the CI script .ci/run does this)`);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed: run 'npm ci' (${(e as Error).message})`, { cause: e });
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? true,
    timeout: 60_000,
    // playwright-core gives each launch a fresh temporary profile (its own --user-data-dir).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...(opts.args ?? [])],
  });
}
