/** Command-line parsing for `netreq`: small, strict, and with messages that say what to type instead. */
import * as fs from 'node:fs';
import { MAX_MS } from '../core/netreq/values';
import { pemProblem } from '../core/transport/tlsinfo';

/** `--env`, `--var`, `--insecure`, `--cacert`, `--timeout`, `--no-pool`, `--yes` come from RequestOptionArgs (shared with test). */
export interface RunArgs extends RequestOptionArgs {
  command: 'run';
  file: string;
  name?: string;
  line?: number;
  json: boolean;
  verbose: boolean;
}

export interface DemoArgs {
  command: 'demo-servers';
  host?: string;
  httpPort?: number;
  httpsPort?: number;
  certDir?: string;
  qotdPort?: number;
  daytimePort?: number;
  echoPort?: number;
  wsPort?: number;
}

/** proxy / listen / health parse their own options (src/cli/services.ts); test its own (src/cli/test/args.ts). */
export interface ServiceArgs {
  command: 'proxy' | 'listen' | 'health' | 'test';
  rest: string[];
}

/** `netreq envs FILE [--env-file F]`: the environments FILE sees and where each comes from. */
export interface EnvsArgs {
  command: 'envs';
  file: string;
  envFile?: string;
}

export type CliArgs = RunArgs | EnvsArgs | DemoArgs | ServiceArgs | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

/** Walks a command's arguments: `arg` is the current one, `value()` takes the next as its value. */
export class OptionReader {
  private i = -1;
  constructor(private readonly args: string[]) {}

  get arg(): string {
    return this.args[this.i];
  }

  next(): boolean {
    return ++this.i < this.args.length;
  }

  value(): string {
    const option = this.arg;
    const v = this.args[++this.i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${option} needs a value`);
    return v;
  }
}

export const USAGE = `netreq — send the requests in a .netreq file (the same engine as the NetReq VS Code extension)

Usage:
  netreq run FILE [options]     send the file's requests in order (or the one chosen), with their ?? asserts' results
  netreq test FILE|DIR|GLOB... [options]
                                run the blocks that have ?? asserts, files in parallel; report, JUnit XML for CI
  netreq envs FILE [--env-file F]
                               list the environments FILE sees (--env NAME), their variables and where each
                               comes from (secret values are not shown)
  netreq demo-servers [options] run the local demo servers the examples use, until Ctrl+C
  netreq proxy [--host H] [--port P] [--upstream URL] [--max-header-bytes N] [--max-connections N]
               [--client-idle-timeout MS] [--upstream-timeout MS] [--request-head-timeout MS]
               [--tunnel-idle-timeout MS] [--allow-clients IP,..] [--allow-connect-ports P,..]
                               an HTTP forward proxy (CONNECT tunnels too), one log line per flow, until Ctrl+C
  netreq listen GROUP:PORT [--interface ADDR]
                               join a multicast group and print every datagram, until Ctrl+C
  netreq health [--config FILE] [--watch] [--json] [--concurrency N]
                               run the health checks once (or continuously), print a table; exit 0 when all healthy;
                               N checks at once (1–256, default 16 or netreq.health.concurrency); a check with no
                               result by its timeoutMs (default 5000) + 1 s is stopped and shown as timed out
  netreq --help | --version

Options for run:
  --name N          only the block named N (# @name N)
  --line L          only the block that contains line L (1-based)
  --env E           use environment E: from netreq.environments or rest-client.environmentVariables in the
                    nearest .vscode/settings.json above FILE, http-client.env.json / http-client.private.env.json
                    from the project root down to FILE's folder, and for .http / .rest files .env / .env.E / E.env
                    (later wins: rest-client < .env < http-client.env.json < private < netreq.environments < --var)
  --env-file F      read NetReq's environments from JSON file F ({"dev": {"host": "..."}, "$shared": {...}})
                    instead of the settings file's netreq.environments
  --var k=v         set variable k (highest precedence); repeatable
  --json            one JSON object per request (request bytes, status, headers, body, timings, TLS, connection)
  --insecure        accept any TLS certificate
  --cacert F        also trust the CA certificate(s) in PEM file F; repeatable
  --timeout MS      per-request timeout in milliseconds (default 30000)
  --no-pool         a fresh connection for every request
  -v, --verbose     also print the exact request bytes and the TLS certificate chain
  --yes             send blocks marked # @note (REST Client asks "Are you sure…?" first; without --yes they are refused)

Options for test (FILE, DIR or GLOB: .netreq, .http and .rest files; a DIR is searched recursively, skipping
node_modules, .git and dot-folders; a GLOB takes *, ** and ?, quote it so the shell leaves it alone):
  --all               run every block, not only those with ?? asserts
  --name N            only blocks named N (# @name N)
  --grep RE           only blocks whose title or name matches the regular expression RE
  --parallel N        run N files at once (1–64, default 4); the blocks of one file always run in file order
  --bail              stop after the first failed block (files already running finish their current block)
  --retry N           send a failed block again up to N times (0–10, default 0), after
  --retry-delay MS    MS milliseconds (0–60000, default 1000)
  --fail-on-status L  a block without asserts fails when its status is in L, e.g. 4xx,5xx or 404,500-599;
                      a file without any asserts then runs every block
  --junit FILE        also write JUnit XML to FILE (one testsuite per file, one testcase per assert)
  --tap               TAP version 13 instead of the summary
  --json              one JSON object per block, then one with the totals, instead of the summary
  --redact H,...      also mask these headers' values in asserts (always: Authorization, Cookie, Set-Cookie,
                      Proxy-Authorization)
  --env, --env-file, --var, --insecure, --cacert, --timeout, --no-pool, --yes: as for run
  Every report shows values of {{$processEnv}}, {{$dotenv}} and secret environment variables as ‹secret›.

Options for demo-servers (HTTP, HTTPS with a self-signed certificate (routes listed at /), QOTD, daytime, echo, WebSocket echo):
  --host H          address to listen on (default 127.0.0.1, loopback only)
  --http-port P     HTTP port (default 8080; 0: any free port)
  --https-port P    HTTPS port (default 8443; 0: any free port)
  --cert-dir D      where the HTTPS certificate is made and kept (default ~/.cache/netreq/demo)
  --qotd-port P     Quote of the Day, TCP (default 8017)      --daytime-port P  Daytime, TCP (default 8013)
  --echo-port P     Echo, TCP and UDP (default 8007)          --ws-port P       WebSocket echo (default 8081)

Options for proxy (defaults in brackets; times in milliseconds):
  --host H                    address to listen on, e.g. 127.0.0.1, ::1 or [::1] [127.0.0.1]
  --max-connections N         more simultaneous clients are answered 503 and closed [1024]
  --client-idle-timeout MS    close a client connection idle this long [60000]
  --request-head-timeout MS   a request head must arrive within this long of its first byte, or 408 [20000]
  --upstream-timeout MS       504 when an upstream does not answer in this long [30000]
  --tunnel-idle-timeout MS    close a CONNECT tunnel with no bytes either way for this long [300000]
  A request or CONNECT to the proxy's own address is refused (508 Loop Detected).

Exit codes: 0 every request got a response and every ?? assert passed, 1 a transport failure or a failed assert,
2 the file has errors (printed as file:line:col: message).
test: 0 every test passed, 1 an assert or a request failed, 2 file or usage errors (a file that does not parse, a
block that cannot be prepared, nothing to test).
demo-servers, proxy, listen: 0 stopped with Ctrl+C (SIGINT) or SIGTERM, 1 could not start (the message says why), 2 bad options.
health: 0 every check healthy, 1 otherwise, 2 no or bad configuration.`;

export function parseArgs(argv: string[]): CliArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-V')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'demo-servers') return parseDemoArgs(rest);
  if (command === 'proxy' || command === 'listen' || command === 'health' || command === 'test') return { command, rest };
  if (command === 'envs') return parseEnvsArgs(rest);
  if (command !== 'run') throw new UsageError(`unknown command '${command}': try 'netreq run FILE', 'netreq demo-servers', 'netreq test FILE|DIR', 'netreq envs FILE', 'netreq proxy', 'netreq listen', 'netreq health' or 'netreq --help'`);
  const out: RunArgs = { command: 'run', file: '', vars: {}, json: false, insecure: false, noPool: false, verbose: false, cacert: [] };
  const r = new OptionReader(rest);
  const value = () => r.value();
  while (r.next()) {
    const a = r.arg;
    switch (a) {
      case '--name':
        out.name = value();
        break;
      case '--line': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--line takes a line number from 1 up, not '${v}'`);
        out.line = n;
        break;
      }
      case '--json':
        out.json = true;
        break;
      case '-v':
      case '--verbose':
        out.verbose = true;
        break;
      default:
        if (requestOption(r, out)) break;
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' (see 'netreq --help')`);
        if (out.file) throw new UsageError(`one file at a time: got '${out.file}' and '${a}'`);
        out.file = a;
    }
  }
  if (!out.file) throw new UsageError('which file? usage: netreq run FILE [options]');
  if (out.name !== undefined && out.line !== undefined) throw new UsageError('use --name or --line, not both');
  return out;
}

/** The options `run` and `test` share: where variables come from, TLS, the timeout, the pool, `# @note`. */
export interface RequestOptionArgs {
  env?: string;
  envFile?: string;
  vars: Record<string, string>;
  insecure: boolean;
  cacert: string[];
  timeoutMs?: number;
  noPool: boolean;
  yes?: boolean;
}

/** Reads one of the shared options at the reader's current argument into `out`; false when it is not one. */
export function requestOption(r: OptionReader, out: RequestOptionArgs): boolean {
  switch (r.arg) {
    case '--env':
      out.env = r.value();
      return true;
    case '--env-file':
      out.envFile = r.value();
      return true;
    case '--var': {
      const v = r.value();
      const eq = v.indexOf('=');
      if (eq <= 0) throw new UsageError(`--var takes name=value, not '${v}'`);
      out.vars[v.slice(0, eq)] = v.slice(eq + 1);
      return true;
    }
    case '--insecure':
    case '-k':
      out.insecure = true;
      return true;
    case '--cacert':
      out.cacert.push(r.value());
      return true;
    case '--timeout': {
      const v = r.value();
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout takes milliseconds, not '${v}'`);
      if (n > MAX_MS) throw new UsageError(`--timeout ${v} is too long: the longest is ${MAX_MS} ms (24 days)`);
      out.timeoutMs = n;
      return true;
    }
    case '--no-pool':
      out.noPool = true;
      return true;
    case '--yes':
      out.yes = true;
      return true;
    default:
      return false;
  }
}

function parseEnvsArgs(rest: string[]): EnvsArgs {
  const out: EnvsArgs = { command: 'envs', file: '' };
  const r = new OptionReader(rest);
  while (r.next()) {
    const a = r.arg;
    if (a === '--env-file') out.envFile = r.value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' for envs (see 'netreq --help')`);
    else if (out.file) throw new UsageError(`one file at a time: got '${out.file}' and '${a}'`);
    else out.file = a;
  }
  if (!out.file) throw new UsageError('which file? usage: netreq envs FILE [--env-file F]');
  return out;
}

function portValue(option: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`${option} takes a port number 0–65535 (0: any free port), not '${v}'`);
  return n;
}

const DEMO_OPTIONS: Record<string, { key: Exclude<keyof DemoArgs, 'command'>; port: boolean }> = {
  '--host': { key: 'host', port: false },
  '--cert-dir': { key: 'certDir', port: false },
  '--http-port': { key: 'httpPort', port: true },
  '--https-port': { key: 'httpsPort', port: true },
  '--qotd-port': { key: 'qotdPort', port: true },
  '--daytime-port': { key: 'daytimePort', port: true },
  '--echo-port': { key: 'echoPort', port: true },
  '--ws-port': { key: 'wsPort', port: true },
};

function parseDemoArgs(rest: string[]): DemoArgs {
  const out: DemoArgs = { command: 'demo-servers' };
  const r = new OptionReader(rest);
  while (r.next()) {
    const a = r.arg;
    const option = DEMO_OPTIONS[a];
    if (!option) throw new UsageError(a.startsWith('-') ? `unknown option '${a}' for demo-servers (see 'netreq --help')` : `demo-servers takes no file ('${a}')`);
    const v = r.value();
    (out as unknown as Record<string, string | number>)[option.key] = option.port ? portValue(a, v) : v;
  }
  return out;
}

/**
 * The files of `--cacert`, read: each must be a readable file with at least one PEM certificate (Node ignores
 * anything else without a word, and the refusal that follows would then say "trust its CA with --cacert").
 */
export function readCaFiles(files: readonly string[]): Buffer[] {
  return files.map((file) => {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`--cacert ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a PEM file' : (e as Error).message}`);
    }
    const problem = pemProblem(data);
    if (problem) throw new UsageError(`--cacert ${file}: ${problem}`);
    return data;
  });
}
