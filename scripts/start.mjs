#!/usr/bin/env node
// `npm start`: build NetReq, start the local demo servers, and open VS Code on examples/ with the extension
// loaded — desktop VS Code (`code`) when it is on PATH, else the offline web VS Code (VS Code Server 1.100.3
// from the npm package code-server, installed into .cache/vscode-server/ the first time) whose URL is printed.
// Ctrl+C stops everything it started; a second Ctrl+C stops it at once.
//
//   npm start [-- options]
//   --http-port P    demo HTTP port (default 8080; env NETREQ_HTTP_PORT)
//   --https-port P   demo HTTPS port (default 8443; env NETREQ_HTTPS_PORT)
//   --qotd-port P, --daytime-port P, --echo-port P, --ws-port P   the socket demos (8017, 8013, 8007, 8081;
//                    env NETREQ_QOTD_PORT, NETREQ_DAYTIME_PORT, NETREQ_ECHO_PORT, NETREQ_WS_PORT)
//   The ports actually used are written into examples/.vscode/settings.json ($shared), so the examples follow.
//   --vscode-port P  web VS Code port (default 3000; env NETREQ_VSCODE_PORT)
//   --web            use the web VS Code even when `code` is on PATH (env NETREQ_WEB=1)
//   --cert-dir D     where the demo HTTPS certificate is kept (default ~/.cache/netreq/demo)
//   --no-vscode      only build and run the demo servers
//   --no-build       skip the build (dist/ is already built)
//   --verbose        also print the VS Code Server's own log lines
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (line) => process.stdout.write(`[netreq start] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`[netreq start] ${line}\n`);
};

const USAGE = `npm start [-- options]: build NetReq, start the demo servers, open VS Code on examples/ with the extension loaded.
  --http-port P    demo HTTP port (default 8080; env NETREQ_HTTP_PORT)
  --https-port P   demo HTTPS port (default 8443; env NETREQ_HTTPS_PORT)
  --qotd-port P    demo QOTD port (default 8017; env NETREQ_QOTD_PORT)
  --daytime-port P demo daytime port (default 8013; env NETREQ_DAYTIME_PORT)
  --echo-port P    demo echo port, TCP and UDP (default 8007; env NETREQ_ECHO_PORT)
  --ws-port P      demo WebSocket echo port (default 8081; env NETREQ_WS_PORT)
                   (0 picks a free port; the ports used go into examples/.vscode/settings.json, $shared)
  --examples DIR   the folder VS Code opens and whose .vscode/settings.json gets the ports (default examples/)
  --vscode-port P  web VS Code port (default 3000; env NETREQ_VSCODE_PORT)
  --web            the web VS Code even when desktop \`code\` is on PATH (env NETREQ_WEB=1)
  --cert-dir D     where the demo HTTPS certificate is kept (default ~/.cache/netreq/demo)
  --no-vscode      only build and run the demo servers
  --no-build       skip the build (dist/ is already built)
  --verbose        also print the VS Code Server's log lines
Ctrl+C stops everything; a second Ctrl+C stops it at once.`;

class Usage extends Error {}

function port(name, value) {
  if (!/^\d+$/.test(String(value)) || Number(value) > 65535) throw new Usage(`${name} takes a port number 0–65535, not '${value}'`);
  return Number(value);
}

function parseOptions(argv, env) {
  const o = {
    httpPort: port('NETREQ_HTTP_PORT', env.NETREQ_HTTP_PORT ?? '8080'),
    httpsPort: port('NETREQ_HTTPS_PORT', env.NETREQ_HTTPS_PORT ?? '8443'),
    qotdPort: port('NETREQ_QOTD_PORT', env.NETREQ_QOTD_PORT ?? '8017'),
    daytimePort: port('NETREQ_DAYTIME_PORT', env.NETREQ_DAYTIME_PORT ?? '8013'),
    echoPort: port('NETREQ_ECHO_PORT', env.NETREQ_ECHO_PORT ?? '8007'),
    wsPort: port('NETREQ_WS_PORT', env.NETREQ_WS_PORT ?? '8081'),
    vscodePort: port('NETREQ_VSCODE_PORT', env.NETREQ_VSCODE_PORT ?? '3000'),
    web: Boolean(env.NETREQ_WEB) && env.NETREQ_WEB !== '0',
    vscode: true,
    build: true,
    certDir: undefined,
    examples: path.join(repo, 'examples'),
    verbose: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Usage(`${a} needs a value`);
      return v;
    };
    if (a === '--http-port') o.httpPort = port(a, value());
    else if (a === '--https-port') o.httpsPort = port(a, value());
    else if (a === '--qotd-port') o.qotdPort = port(a, value());
    else if (a === '--daytime-port') o.daytimePort = port(a, value());
    else if (a === '--echo-port') o.echoPort = port(a, value());
    else if (a === '--ws-port') o.wsPort = port(a, value());
    else if (a === '--vscode-port') o.vscodePort = port(a, value());
    else if (a === '--web') o.web = true;
    else if (a === '--no-vscode') o.vscode = false;
    else if (a === '--no-build') o.build = false;
    else if (a === '--cert-dir') o.certDir = path.resolve(value());
    else if (a === '--examples') o.examples = path.resolve(value());
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Usage(`unknown option '${a}'`);
  }
  return o;
}

/** Runs a command with its output shown; resolves with its exit code (bounded by timeoutMs). */
function runShown(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(`cannot run ${cmd}: ${e.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * The demo servers (src/core/demo) and the VS Code Server harness (test/harness/vscode-server.ts) are
 * TypeScript: bundle them into one CommonJS file under .cache/start/ (esbuild, a few hundred ms) and load it.
 */
async function loadHelpers() {
  const esbuild = await import('esbuild');
  const outfile = path.join(repo, '.cache', 'start', 'helpers.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { startDemoServers, DemoServerError, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT } from './src/core/demo';",
        "export { pointExamplesAt } from './src/core/demo/examplesSettings';",
        "export { ensureVSCodeServer, startVSCodeServer, devPayload, cacheDir, VSCODE_VERSION, CODE_SERVER_VERSION } from './test/harness/vscode-server';",
      ].join('\n'),
      resolveDir: repo,
      sourcefile: 'start-helpers.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  await esbuild.stop(); // its helper process is not needed any more
  return createRequire(import.meta.url)(outfile);
}

/** Whether something already listens on host:port (so we can name the port and the option before starting). */
function portBusy(host, p) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'));
    s.listen({ host, port: p, exclusive: true }, () => s.close(() => resolve(false)));
  });
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Direct child processes of this one (Linux /proc), e.g. npm installs or a VS Code Server still starting
 * when Ctrl+C came: [pid, leads its own process group].
 */
function children() {
  const out = [];
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      if (ppid === process.pid) out.push([Number(e), pgrp === Number(e)]);
    } catch {
      // it ended meanwhile
    }
  }
  return out;
}

/** Signals our child processes (and the groups of those that lead one, like the VS Code Server). */
function signalChildren(signal) {
  for (const [pid, leader] of children()) {
    try {
      process.kill(leader ? -pid : pid, signal);
    } catch {
      // gone already
    }
  }
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    fail(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }

  // What to stop, last started first. Ctrl+C once: stop politely; twice: at once.
  const stops = [];
  /** Synchronous leftovers to remove when stopping at once (the VS Code Server's temporary folders). */
  const forceCleanup = [];
  let vscodePid;
  let stopping = false;
  let stopped;
  const stopAll = async (why) => {
    if (stopping) return stopped;
    stopping = true;
    stopped = (async () => {
      if (why) say(`${why}: stopping everything npm start started… (Ctrl+C again to stop at once)`);
      while (stops.length) {
        const [what, fn] = stops.pop();
        try {
          await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('took more than 15 s')), 15_000).unref())]);
        } catch (e) {
          fail(`could not stop ${what}: ${e.message}`);
        }
      }
      signalChildren('SIGTERM');
    })();
    return stopped;
  };
  let interrupted = false;
  const onSignal = (signal) => {
    if (stopping || interrupted) {
      // Second signal: end the VS Code Server's process group and our children now.
      if (vscodePid) {
        try {
          process.kill(-vscodePid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      signalChildren('SIGKILL');
      for (const dir of forceCleanup) fs.rmSync(dir, { recursive: true, force: true });
      fail(`${signal} again: stopped at once`);
      process.exit(130);
    }
    interrupted = true;
    void stopAll(signal).then(() => {
      say('stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // `npm start` runs this under npm and sh, and a signal sent to npm alone does not reach us: when our
  // parent goes away (npm killed, terminal closed), stop as if Ctrl+C had been pressed.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopping && !interrupted) onSignal('parent process exited');
  }, 500).unref();

  // 1. Build.
  const tb = Date.now();
  if (opts.build) {
    say('building the extension and the CLI (node esbuild.mjs)…');
    const built = await runShown(process.execPath, ['esbuild.mjs'], 5 * 60_000);
    if (interrupted) return new Promise(() => undefined);
    if (built !== 0) {
      fail(`the build failed (exit ${built}); see the errors above. After fixing them, run npm start again.`);
      return 1;
    }
  } else if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) {
    fail('--no-build, but dist/extension.js is not there: run npm run build first');
    return 1;
  }
  let helpers;
  try {
    helpers = await loadHelpers();
  } catch (e) {
    fail(`cannot load the demo servers or the VS Code harness: ${String(e.message).split('\n')[0]}`);
    return 1;
  }
  if (opts.build) say(`built in ${secs(Date.now() - tb)}`);
  if (interrupted) return new Promise(() => undefined);

  // 2. Demo servers.
  say(`starting the demo servers on 127.0.0.1 (HTTP ${opts.httpPort}, HTTPS ${opts.httpsPort})…`);
  let demo;
  try {
    const { httpPort, httpsPort, qotdPort, daytimePort, echoPort, wsPort, certDir } = opts;
    demo = await helpers.startDemoServers({ httpPort, httpsPort, qotdPort, daytimePort, echoPort, wsPort, certDir, log: (l) => say(l) });
  } catch (e) {
    if (!(e instanceof helpers.DemoServerError)) throw e;
    fail(`${e.message}.`);
    fail(`With npm start: npm start -- --http-port P (and --https-port, --qotd-port, --daytime-port, --echo-port, --ws-port; or NETREQ_HTTP_PORT …).`);
    return 1;
  }
  stops.push(['the demo servers', () => demo.stop()]);
  say('demo servers up:');
  for (const s of demo.servers) say(`  ${s.name.padEnd(6)} ${s.url}${s.certFile ? `   (self-signed; trust ${s.certFile} or use # @insecure)` : ''}`);
  // The examples follow the ports actually used: their $shared environment gets them (only the port lines change).
  const examples = opts.examples;
  const settingsFile = path.join(examples, '.vscode', 'settings.json');
  const shownFile = path.relative(repo, settingsFile).startsWith('..') ? settingsFile : path.relative(repo, settingsFile);
  try {
    const update = helpers.pointExamplesAt(fs.readFileSync(settingsFile, 'utf8'), demo.servers);
    if (update.changed.length > 0) {
      fs.writeFileSync(settingsFile, update.text);
      say(`${shownFile} now points at these servers ($shared: ${update.changed.join(', ')})`);
    }
  } catch (e) {
    fail(`cannot point ${shownFile} at these servers (${e.message}); pass the ports as variables instead`);
  }
  if (interrupted) return new Promise(() => undefined);

  // 3. VS Code.
  if (!opts.vscode) {
    say(`--no-vscode: the demo servers run until Ctrl+C (${secs(Date.now() - t0)} since start)`);
    return new Promise(() => undefined);
  }
  if (!opts.web && onPath('code')) {
    say(`opening desktop VS Code: code --extensionDevelopmentPath=${repo} ${examples}`);
    const code = await runShown('code', [`--extensionDevelopmentPath=${repo}`, examples], 60_000);
    if (code !== 0) {
      fail(`\`code\` exited with ${code}; try the web VS Code instead: NETREQ_WEB=1 npm start`);
      await stopAll();
      return 1;
    }
    say('VS Code opened examples/ with NetReq loaded (an Extension Development Host). Open http.netreq and click Send Request.');
    say('The demo servers run until Ctrl+C here.');
    return new Promise(() => undefined);
  }

  if (await portBusy('127.0.0.1', opts.vscodePort)) {
    fail(`cannot start the web VS Code: port ${opts.vscodePort} on 127.0.0.1 is already in use; choose another with npm start -- --vscode-port P (or NETREQ_VSCODE_PORT=P)`);
    await stopAll();
    return 1;
  }
  const cache = helpers.cacheDir();
  const installed = fs.existsSync(path.join(cache, '.netreq-installed.json'));
  if (!installed) {
    const where = cache.startsWith(repo + path.sep) ? path.relative(repo, cache) : cache;
    say(`first start: installing VS Code ${helpers.VSCODE_VERSION} (the npm package code-server ${helpers.CODE_SERVER_VERSION}) into ${where} — once; a few minutes, about 310 MB…`);
  }
  try {
    await helpers.ensureVSCodeServer({ log: (l) => say(`  ${l}`) });
  } catch (e) {
    if (interrupted) return new Promise(() => undefined);
    fail(`cannot install the web VS Code: ${e.message}`);
    await stopAll();
    return 1;
  }
  if (interrupted) return new Promise(() => undefined);

  say(`starting VS Code ${helpers.VSCODE_VERSION} (web) on 127.0.0.1:${opts.vscodePort}…`);
  const ts = Date.now();
  let server;
  try {
    server = await helpers.startVSCodeServer({
      port: opts.vscodePort,
      log: opts.verbose ? (l) => say(`  [vscode] ${l}`) : undefined,
    });
  } catch (e) {
    if (interrupted) return new Promise(() => undefined);
    fail(`the web VS Code did not start: ${e.message}`);
    await stopAll();
    return 1;
  }
  vscodePid = server.pid;
  forceCleanup.push(server.serverDataDir, server.userDataDir);
  stops.push(['the VS Code Server', () => server.stop()]);
  if (interrupted) return new Promise(() => undefined);
  const url = server.url(examples, helpers.devPayload(server, repo));
  say(`VS Code is up in ${secs(Date.now() - ts)} (its log: ${server.logFile})`);
  say('open this URL in a browser on this machine (Chrome, Chromium, Edge or Firefox):');
  process.stdout.write(`\n  ${url}\n\n`);
  say(`It opens examples/ with NetReq loaded from ${repo}. Open http.netreq and click Send Request.`);
  say(`Press Ctrl+C to stop the demo servers and VS Code. (ready ${secs(Date.now() - t0)} after npm start)`);
  // Watch the server: if it dies, say so and stop the rest.
  const watch = setInterval(() => {
    const why = server.exited();
    if (!why || stopping) return;
    clearInterval(watch);
    fail(`the VS Code Server stopped by itself (${why}); its log: ${server.logFile}`);
    void stopAll().then(() => process.exit(1));
  }, 1000);
  return new Promise(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    fail(`internal error: ${e?.message ?? e}`);
    process.exit(70);
  },
);
