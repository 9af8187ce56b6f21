/**
 * `netreq proxy`, `netreq listen` and `netreq health`: the background services and the health checks,
 * headless, printing the same log lines as the VS Code tasks and views.
 */
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import type { HealthCheckConfig } from '../core/health/checks';
import { cycleBoundMs, DEFAULT_CONCURRENCY, HealthScheduler, type CheckStatus } from '../core/health/scheduler';
import { concurrencyProblem, formatIssue, MAX_CONCURRENCY, validateChecks } from '../core/health/validate';
import { isMulticast, MulticastListener } from '../core/listener/multicast';
import { flowLine, refusalLine } from '../core/proxy/log';
import { hostPort, unbracket } from '../core/transport/address';
import { ProxyServer } from '../core/proxy/server';
import { parseProxy } from '../core/transport/connect';
import { ConnectionPool } from '../core/transport/pool';
import { OptionReader, UsageError } from './args';
import { listenerStatsText } from '../shared/kernelDrops';
import { chunkText } from './format';
import { clockText, formatMs } from '../common/format';
import { jsonLine, safeLine, stripBom } from '../core/text';
import { stripJsonc } from './settings';

type Spec = Record<string, 'flag' | 'value'>;

/** Parses `--name value` / `--flag` options of one command; the rest are positional. */
export function parseOptions(command: string, rest: string[], spec: Spec): { opts: Record<string, string | true>; positional: string[] } {
  const opts: Record<string, string | true> = {};
  const positional: string[] = [];
  const r = new OptionReader(rest);
  while (r.next()) {
    const a = r.arg;
    if (!a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const kind = spec[a];
    if (!kind) throw new UsageError(`unknown option '${a}' for ${command} (see 'netreq --help')`);
    opts[a] = kind === 'flag' ? true : r.value();
  }
  return { opts, positional };
}

function port(option: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`${option} takes a port 0–65535 (0: any free port), not '${v}'`);
  return n;
}

export interface ServiceIo {
  out: (s: string) => void;
  err: (s: string) => void;
  untilStopped: () => Promise<string>;
  /** For `health --config` discovery. */
  cwd: string;
}

function whole(option: string, v: string | true | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${option} takes a whole number ${min}–${max}, not '${v}'`);
  return n;
}

function list<T>(option: string, v: string | true | undefined, item: (s: string) => T | undefined, example: string): T[] | undefined {
  if (v === undefined) return undefined;
  const items = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out = items.map(item);
  if (items.length === 0 || out.some((x) => x === undefined)) throw new UsageError(`${option} takes a comma-separated list, e.g. ${option} ${example}, not '${v}'`);
  return out as T[];
}

export async function proxyCommand(rest: string[], io: ServiceIo): Promise<number> {
  const { opts, positional } = parseOptions('proxy', rest, {
    '--host': 'value',
    '--port': 'value',
    '--upstream': 'value',
    '--max-header-bytes': 'value',
    '--client-idle-timeout': 'value',
    '--upstream-timeout': 'value',
    '--max-connections': 'value',
    '--request-head-timeout': 'value',
    '--tunnel-idle-timeout': 'value',
    '--allow-clients': 'value',
    '--allow-connect-ports': 'value',
  });
  if (positional.length) throw new UsageError(`proxy takes no arguments ('${positional[0]}')`);
  if (opts['--upstream'] !== undefined) {
    try {
      parseProxy(opts['--upstream'] as string);
    } catch (e) {
      throw new UsageError(`--upstream: ${(e as Error).message}`);
    }
  }
  const proxy = new ProxyServer({
    host: unbracket((opts['--host'] as string) ?? '127.0.0.1'), // --host [::1], as in a URL
    port: opts['--port'] ? port('--port', opts['--port'] as string) : 8888,
    upstream: opts['--upstream'] as string | undefined,
    maxHeaderBytes: whole('--max-header-bytes', opts['--max-header-bytes'], 1024, 16 * 1024 * 1024),
    clientIdleTimeoutMs: whole('--client-idle-timeout', opts['--client-idle-timeout'], 100, 86_400_000),
    upstreamTimeoutMs: whole('--upstream-timeout', opts['--upstream-timeout'], 100, 86_400_000),
    maxConnections: whole('--max-connections', opts['--max-connections'], 1, 1_000_000),
    requestHeadTimeoutMs: whole('--request-head-timeout', opts['--request-head-timeout'], 100, 86_400_000),
    tunnelIdleTimeoutMs: whole('--tunnel-idle-timeout', opts['--tunnel-idle-timeout'], 100, 86_400_000),
    allowClients: list('--allow-clients', opts['--allow-clients'], (s) => (isIP(s) ? s : undefined), '127.0.0.1,::1'),
    allowConnectPorts: list('--allow-connect-ports', opts['--allow-connect-ports'], (s) => (/^\d{1,5}$/.test(s) && +s >= 1 && +s <= 65535 ? +s : undefined), '443,8443'),
  });
  proxy.on('warning', (w) => io.err(`netreq: warning: ${w}`));
  proxy.on('flow-end', (f) => io.out(flowLine(f)));
  proxy.on('refused', (r) => io.out(refusalLine(r)));
  try {
    const at = await proxy.listen();
    io.out(`NetReq proxy on http://${hostPort(at.host, at.port)}${proxy.options.upstream ? ` (upstream ${proxy.options.upstream})` : ''} — Ctrl+C to stop`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.err(`netreq: cannot start the proxy: ${err.code === 'EADDRINUSE' ? `port ${proxy.options.port} on ${proxy.options.host} is already in use (choose another with --port)` : err.message}`);
    return 1;
  }
  const why = await io.untilStopped();
  await proxy.close();
  io.out(`Proxy stopped (${why}).`);
  return 0;
}

export async function listenCommand(rest: string[], io: ServiceIo): Promise<number> {
  const { opts, positional } = parseOptions('listen', rest, { '--interface': 'value' });
  if (positional.length !== 1) throw new UsageError('listen takes GROUP:PORT, e.g. netreq listen 239.255.0.1:5000 --interface 127.0.0.1');
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(positional[0]);
  if (!m) throw new UsageError(`'${positional[0]}' is not GROUP:PORT (IPv6: [ff01::1234]:5000)`);
  const groupPort = Number(m[2]);
  if (groupPort < 1 || groupPort > 65535) throw new UsageError(`the port in '${positional[0]}' must be 1–65535`);
  if (!isMulticast(m[1])) throw new UsageError(`'${m[1]}' is not a multicast group (IPv4 224.0.0.0–239.255.255.255, IPv6 ff00::/8)`);
  const listener = new MulticastListener({ group: m[1], port: groupPort, interface: opts['--interface'] as string | undefined, statsIntervalMs: 5000 });
  listener.on('datagram', (d) => io.out(`${clockText(d.at)}  ${d.from.padEnd(21)} ${String(d.size).padStart(6)} B  ${chunkText(d.data.subarray(0, 512), { oneLine: true })}`));
  listener.on('error', (e) => io.err(`netreq: ${e.message}`));
  try {
    await listener.start();
  } catch (e) {
    io.err(`netreq: ${(e as Error).message}`);
    return 1;
  }
  io.out(`Listening on ${listener.label} — Ctrl+C to stop`);
  // Every 5 s, once the kernel's drop count is read: the totals, when anything changed.
  let printed = { datagrams: 0, drops: listener.stats.kernelDrops };
  listener.on('stats', (st) => {
    if (st.datagrams === printed.datagrams && st.kernelDrops === printed.drops) return;
    printed = { datagrams: st.datagrams, drops: st.kernelDrops };
    io.out(`— ${listenerStatsText(st, st.rate)}`);
  });
  const why = await io.untilStopped();
  const rate = listener.rate();
  await listener.stop();
  io.out(`Stopped (${why}): ${listenerStatsText(listener.stats, rate)}; left the group.`);
  return 0;
}

export interface LoadedHealthConfig {
  checks: HealthCheckConfig[];
  source: string;
  /** `netreq.health.concurrency` when the file is a settings file that sets it. */
  concurrency?: number;
  /** Problems that stop the run (exit 2), each naming the check and the field. */
  errors: string[];
  /** Unknown fields (ignored). */
  warnings: string[];
}

/**
 * Checks from --config (JSON: an array, {checks: [...]}, or a settings file with netreq.health.checks), else the
 * nearest .vscode/settings.json; every check validated (types, ranges, schemes, unique names). Throws only when
 * there is no usable file.
 */
export function loadHealthChecks(configPath: string | undefined, cwd: string): LoadedHealthConfig {
  const read = (p: string) => {
    try {
      return JSON.parse(stripJsonc(stripBom(fs.readFileSync(p, 'utf8')))) as unknown;
    } catch (e) {
      throw new Error(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${safeLine((e as Error).message)})`}`, { cause: e });
    }
  };
  const pick = (v: unknown, p: string): LoadedHealthConfig => {
    const obj = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    const list = Array.isArray(v) ? v : (obj?.['netreq.health.checks'] ?? obj?.checks);
    if (!Array.isArray(list)) throw new Error(`${p} has no checks: write an array of { "name", "target", ... }, or "netreq.health.checks" in settings`);
    const checked = validateChecks(list);
    const errors = checked.errors.map((i) => `health config: ${formatIssue(i)}`);
    const c = obj?.['netreq.health.concurrency'];
    const cp = c === undefined ? undefined : concurrencyProblem(c);
    if (cp) errors.push(`health config: "netreq.health.concurrency" ${cp}`);
    return { checks: checked.configs, source: p, errors, warnings: checked.warnings.map((i) => `health config: ${formatIssue(i)}`), ...(c !== undefined && !cp ? { concurrency: c as number } : {}) };
  };
  if (configPath) return pick(read(configPath), configPath);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const p = path.join(dir, '.vscode', 'settings.json');
    if (fs.existsSync(p)) {
      const v = read(p) as Record<string, unknown>;
      if (v?.['netreq.health.checks']) return pick(v, p);
    }
    if (path.dirname(dir) === dir) throw new Error('no health checks: pass --config FILE, or define "netreq.health.checks" in .vscode/settings.json');
  }
}

export function healthTable(statuses: CheckStatus[]): string {
  const rows = statuses.map((s) => [s.config.name, s.config.target, s.state, s.last ? formatMs(s.last.latencyMs) : '—', s.last?.error ?? ''].map(safeLine));
  const head = ['NAME', 'TARGET', 'STATE', 'LATENCY', 'ERROR'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const healthy = statuses.filter((s) => s.state === 'healthy').length;
  const pct = statuses.length ? Math.round((healthy / statuses.length) * 1000) / 10 : 0;
  return [line(head), ...rows.map(line), '', `${healthy}/${statuses.length} healthy (${pct}%)`].join('\n');
}

export async function healthCommand(rest: string[], io: ServiceIo): Promise<number> {
  const { opts, positional } = parseOptions('health', rest, { '--config': 'value', '--watch': 'flag', '--json': 'flag', '--concurrency': 'value' });
  if (positional.length) throw new UsageError(`health takes no arguments ('${positional[0]}'); use --config FILE`);
  const concurrency = whole('--concurrency', opts['--concurrency'], 1, MAX_CONCURRENCY);
  let loaded: LoadedHealthConfig;
  try {
    loaded = loadHealthChecks(opts['--config'] as string | undefined, io.cwd);
  } catch (e) {
    io.err(`netreq: ${(e as Error).message}`);
    return 2;
  }
  const SHOWN = 50;
  for (const w of loaded.warnings.slice(0, SHOWN)) io.err(`netreq: warning: ${w}`);
  if (loaded.warnings.length > SHOWN) io.err(`netreq: warning: … and ${loaded.warnings.length - SHOWN} more unknown fields`);
  if (loaded.errors.length) {
    for (const e of loaded.errors.slice(0, SHOWN)) io.err(`netreq: ${e}`);
    if (loaded.errors.length > SHOWN) io.err(`netreq: … and ${loaded.errors.length - SHOWN} more problems`);
    io.err(`netreq: ${loaded.errors.length === 1 ? '1 problem' : `${loaded.errors.length} problems`} in ${loaded.source}; nothing was checked`);
    return 2;
  }
  const limit = concurrency ?? loaded.concurrency ?? DEFAULT_CONCURRENCY;
  const bound = cycleBoundMs(loaded.checks, limit);
  if (bound > 60_000) {
    const hint = limit < MAX_CONCURRENCY ? `; --concurrency ${MAX_CONCURRENCY} would make it ${formatMs(cycleBoundMs(loaded.checks, MAX_CONCURRENCY))}` : '';
    io.err(`netreq: note: ${loaded.checks.length} checks, ${limit} at a time: a round can take up to ${formatMs(bound)} when none answer${hint}`);
  }
  const pool = new ConnectionPool();
  const scheduler = new HealthScheduler({ pool, concurrency: limit });
  scheduler.setChecks(loaded.checks);
  const allHealthy = () => scheduler.statuses().every((s) => s.state === 'healthy');
  const report = () => {
    const statuses = scheduler.statuses();
    if (opts['--json']) io.out(jsonLine({ at: new Date().toISOString(), summary: scheduler.summary(), checks: statuses.map((s) => ({ name: s.config.name, target: s.config.target, state: s.state, latencyMs: s.last?.latencyMs, error: s.last?.error, details: s.last?.details })) }));
    else io.out(healthTable(statuses));
  };
  try {
    await scheduler.runAll();
    report();
    if (!opts['--watch']) return allHealthy() ? 0 : 1;
    scheduler.on('state-change', (c, before) => {
      if (!opts['--json']) io.out(safeLine(`${clockText(Date.now())}  ${c.config.name}: ${before} → ${c.state}${c.last?.error ? `  (${c.last.error})` : ''}`));
      else report();
    });
    scheduler.start();
    await io.untilStopped();
    return allHealthy() ? 0 : 1;
  } finally {
    scheduler.dispose();
    pool.dispose();
  }
}
