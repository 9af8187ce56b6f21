/**
 * `netreq` — the headless face of NetReq: the same parser, resolver and engine as the extension,
 * so the same .netreq files run in a terminal or in CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dialectForPath, parseNetreq, readLocalFile, resolveBlock, blockAtLine, findBlockByName, diagnosticsWithKnown, environmentVariables, SentStore } from '../core/netreq';
import type { Block, Diagnostic, ResolveContext } from '../core/netreq/types';
import { withPrerequisites } from './chain';
import { DEFAULT_OPTIONS, type RequestOptions } from '../core/request';
import { exchangeToJson } from '../core/protocols/registry';
import { createEngines } from '../core/engines';
import { ConnectionPool } from '../core/transport/pool';
import { readCaFiles, USAGE, UsageError, parseArgs, type DemoArgs, type RunArgs } from './args';
import { COLOR, PLAIN, asText, formatAnyExchange, formatAsserts } from './format';
import { evaluateAsserts } from '../core/asserts';
import { jsonLine, safeLine, safeText, stripBom } from '../core/text';
import { loadEnvironments } from './settings';
import { envsCommand, NO_ENVIRONMENTS } from './envs';
import { gateBlock, refusals } from './gate';
import type { ServiceIo } from './services';

declare const NETREQ_VERSION: string | undefined;

export interface Io {
  /** Standard output. `main` wraps `out` and `err` (`terminalIo`), so every string that reaches them is terminal-safe. */
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  env: Record<string, string | undefined>;
  /** demo-servers: resolves (with what stopped it) when the servers should stop. Default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<string>;
  /** Where `health` looks for .vscode/settings.json (default process.cwd()). */
  cwd?: string;
}

export function version(): string {
  if (typeof NETREQ_VERSION === 'string') return NETREQ_VERSION;
  // Unbundled (tests): the nearest package.json above this file.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')).version ?? 'unknown';
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return safeLine(`${file}:${d.span.start.line + 1}:${d.span.start.col + 1}: ${d.severity}: ${d.message}`);
}

/**
 * The CLI's only way to the terminal: every string written to `out` or `err` is made terminal-safe
 * (`safeText`: no control, C1, bidi or invisible character raw; with colour on, only the CLI's own colour codes
 * survive). Text from outside that belongs on one line is escaped where it is put in the line (`safeLine`), so
 * a line break in it cannot forge a line; escaping twice changes nothing.
 */
export function terminalIo(io: Io): Io {
  const opts = { keepColors: io.color };
  return { ...io, out: (s) => io.out(safeText(s, opts)), err: (s) => io.err(safeText(s, opts)) };
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  const io = terminalIo(rawIo);
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netreq: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (args.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (args.command === 'version') {
    io.out(version());
    return 0;
  }
  if (args.command === 'demo-servers') return demoServers(args, io);
  if (args.command === 'run') return run(args, io);
  if (args.command === 'envs') return envsCommand(args, io);
  if (args.command === 'test') {
    const { testCommand } = await import('./test/command');
    return testCommand(args.rest, { ...io, cwd: io.cwd ?? process.cwd() });
  }
  const sio: ServiceIo = { out: io.out, err: io.err, untilStopped: io.untilStopped ?? untilSignal, cwd: io.cwd ?? process.cwd() };
  // Each command loads only what it uses (the demo servers, proxy and health checks are not needed to send a request).
  const { healthCommand, listenCommand, proxyCommand } = await import('./services');
  const command = { proxy: proxyCommand, listen: listenCommand, health: healthCommand }[args.command as 'proxy' | 'listen' | 'health'];
  try {
    return await command(args.rest, sio);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netreq: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM; a second one while stopping ends the process at once. It keeps the
 * process alive until then (a referenced timer): `health --watch` schedules its checks on unreferenced timers, and
 * without it Node exited after the first round with code 0.
 */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const alive = setInterval(() => undefined, 1 << 30);
    const first = (signal: NodeJS.Signals) => {
      clearInterval(alive);
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const force = () => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

async function demoServers(args: DemoArgs, io: Io): Promise<number> {
  const { DemoServerError, startDemoServers } = await import('../core/demo');
  const { exampleVarFlags } = await import('../core/demo/examplesSettings');
  let demo;
  try {
    demo = await startDemoServers({ ...args, log: (line) => io.err(`netreq: ${line}`) });
  } catch (e) {
    if (e instanceof DemoServerError) {
      io.err(`netreq: ${e.message}`);
      return 1;
    }
    throw e;
  }
  io.out('NetReq demo servers:');
  for (const s of demo.servers) io.out(`  ${s.name.padEnd(6)} ${s.url}`);
  const cert = demo.servers.find((s) => s.certFile)?.certFile;
  if (cert) io.out(`The HTTPS certificate is self-signed: trust it with --cacert ${cert} (or netreq.tls.caFiles), or use # @insecure.`);
  const flags = exampleVarFlags(demo.servers);
  if (flags) io.out(`Not on the examples' default ports: run them with ${flags}`);
  io.out('Routes: / lists them. Press Ctrl+C to stop.');
  const why = await (io.untilStopped ?? untilSignal)();
  await demo.stop();
  io.out(`Demo servers stopped (${why}).`);
  return 0;
}

async function run(args: RunArgs, io: Io): Promise<number> {
  const file = args.file;
  let text: string;
  try {
    text = stripBom(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    io.err(`netreq: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : safeLine((e as Error).message)}`);
    return 2;
  }
  let envs;
  let caCerts: Buffer[];
  try {
    envs = loadEnvironments(file, args.envFile);
    caCerts = readCaFiles(args.cacert);
  } catch (e) {
    io.err(`netreq: ${(e as Error).message}`);
    return 2;
  }
  // Without --env: the settings file's netreq.defaultEnvironment, as the editor uses before any pick.
  const envName = args.env ?? envs.defaultEnvironment;
  for (const w of envs.warnings) io.err(`netreq: ${w}`);
  if (envName && !Object.prototype.hasOwnProperty.call(envs.environments, envName)) {
    const names = Object.keys(envs.environments).filter((n) => n !== '$shared');
    const named = args.env ? `'${envName}'` : `'${envName}' (netreq.defaultEnvironment)`;
    io.err(`netreq: no environment ${named} for ${file}; ${names.length ? `known: ${names.join(', ')} (see 'netreq envs ${file}')` : NO_ENVIRONMENTS}`);
    return 2;
  }

  const doc = parseNetreq(text, { dialect: dialectForPath(file) });
  const known = { ...environmentVariables(envs.environments, envName), ...args.vars };
  const diagnostics = diagnosticsWithKnown(doc, (name) => Object.prototype.hasOwnProperty.call(known, name));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) if (d.severity !== 'info') io.err(formatDiagnostic(file, d));
  if (errors.length > 0) return 2;

  let blocks: Block[] = doc.blocks.filter((b) => b.requestLine);
  if (args.name !== undefined) {
    const b = findBlockByName(doc, args.name);
    if (!b) {
      const names = doc.blocks.map((x) => x.name).filter(Boolean);
      io.err(`netreq: no block named '${args.name}' in ${file}${names.length ? `; named blocks: ${names.join(', ')}` : ' (name one with # @name)'}`);
      return 2;
    }
    blocks = [b];
  } else if (args.line !== undefined) {
    const b = blockAtLine(doc, args.line - 1);
    if (!b || !b.requestLine) {
      io.err(`netreq: line ${args.line} of ${file} is not inside a request block`);
      return 2;
    }
    blocks = [b];
  }
  if (blocks.length === 0) {
    io.err(`netreq: ${file} has no requests`);
    return 2;
  }

  const refused = refusals(blocks, file, args.vars, args.yes === true);
  for (const m of refused) io.err(m);
  if (refused.length > 0) return 2;

  const defaults: RequestOptions = {
    ...DEFAULT_OPTIONS,
    insecure: args.insecure,
    noPool: args.noPool,
    timeoutMs: args.timeoutMs ?? DEFAULT_OPTIONS.timeoutMs,
    ca: caCerts.length ? caCerts : undefined,
  };
  // Request variables read what this run sent (file order); one block picked by --name / --line gets the
  // requests it refers to sent first.
  const sent = new SentStore('run');
  const ctx: ResolveContext = {
    environmentName: envName,
    environments: envs.environments,
    overrides: args.vars,
    baseDir: path.dirname(path.resolve(file)),
    processEnv: io.env,
    readFile: (p) => readLocalFile(p),
    defaults,
    sent,
  };
  if (blocks.length === 1 && (args.name !== undefined || args.line !== undefined)) {
    const chained = withPrerequisites(doc, blocks[0], ctx, file, io.err);
    if (!chained) return 2;
    blocks = chained;
  }
  const pool = new ConnectionPool();
  const engines = createEngines({ pool });
  const style = io.color ? COLOR : PLAIN;
  let failures = 0;
  try {
    for (const block of blocks) {
      const where = `${file}:${(block.requestLine?.line ?? block.startLine) + 1}`;
      const gate = gateBlock(block, where, args.vars, args.yes === true);
      if (gate.action === 'refuse') {
        io.err(gate.message);
        return 2;
      }
      if (gate.action === 'skip') {
        if (args.json) io.out(JSON.stringify({ file, line: (block.requestLine?.line ?? block.startLine) + 1, name: block.name, skipped: true, reason: '# @disabled' }));
        else io.out(`### ${safeLine(gate.message)}\n`);
        continue;
      }
      if (gate.note) io.err(gate.note);
      const resolved = await resolveBlock(doc, block, { ...ctx, promptValues: gate.promptValues });
      for (const d of resolved.diagnostics) if (d.severity !== 'info' || !resolved.ok) io.err(formatDiagnostic(file, d));
      if (!resolved.ok) return 2;
      const x = await engines.send(resolved.request);
      sent.record(block, resolved.request, x);
      const outcomes = evaluateAsserts(resolved.asserts, x);
      if (x.error || outcomes.some((o) => o.status !== 'passed')) failures++;
      const line = (block.requestLine?.line ?? block.startLine) + 1;
      if (args.json) {
        const bodyText = x.kind === 'http' && x.response ? asText(x.response.body) : undefined;
        const asserts = outcomes.length ? outcomes.map((o) => ({ line: o.check.line + 1, text: o.check.text, status: o.status, expected: o.expected, actual: o.actual, message: o.message })) : undefined;
        io.out(jsonLine({ file, line, title: block.title || undefined, name: block.name, bodyText, exchange: exchangeToJson(x), asserts }));
      } else {
        const title = block.title || block.name || '';
        const header = `### ${title ? `${safeLine(title)}  ` : ''}${style.dim(safeLine(where))}`;
        io.out(formatAnyExchange(x, header, style, args.verbose) + (outcomes.length ? `\n${formatAsserts(outcomes, style)}` : '') + '\n');
      }
    }
  } finally {
    pool.dispose();
  }
  return failures > 0 ? 1 : 0;
}

/**
 * Lines gathered and written once per turn of the event loop (or every 512 lines): a proxy or listener logging
 * thousands of lines a second makes one write per batch instead of one per line (stdout to a pipe or file is
 * synchronous on Linux).
 */
export function batchedLines(write: (s: string) => void): (line: string) => void {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  process.once('exit', flush);
  return (line) => {
    pending.push(line + '\n');
    if (pending.length >= 512) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/**
 * A reader that goes away (`netreq run f | head -3`) ends the CLI quietly, as SIGPIPE ends other tools: no
 * "Unhandled 'error' event" and stack trace. Any other failure to write is one line on stderr, then exit 1.
 */
export function endOnClosedOutput(stream: NodeJS.WritableStream, name: string, exit: (code: number) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && name !== 'stderr') {
      try {
        process.stderr.write(`netreq: cannot write to ${name}: ${safeLine(e.message)}\n`);
      } catch {
        // stderr is gone too: nothing more to say
      }
    }
    exit(e.code === 'EPIPE' ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : 1);
  });
}

/** Runs the CLI on this process's arguments and streams (dist/cli.js calls it; so does `node out/src/cli/main.js`). */
export function start(): void {
  endOnClosedOutput(process.stdout, 'stdout', (code) => process.exit(code));
  endOnClosedOutput(process.stderr, 'stderr', (code) => process.exit(code));
  const io: Io = {
    out: batchedLines((s) => process.stdout.write(s)),
    err: (s) => process.stderr.write(s + '\n'),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`netreq: internal error: ${safeLine((e as Error).message)}\n`);
      process.exitCode = 70;
    },
  );
}

if (require.main === module) start();
