/**
 * Health checks. Each runs once, bounded by its timeout, and returns a result: healthy, degraded (slow,
 * certificate near expiry) or unhealthy (with the error in words). A check is a request sent through its
 * protocol module's probe (src/core/protocols/<id>/probe.ts) with the same engines as Send, so a check
 * reports what a request would: a block pinned with `# @health` carries its resolved request (`spec`), a
 * target from settings (`tcp://…`, `https://…`) is made into one here. `dns://` targets use the system
 * resolver.
 */
import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import { createClients } from '../engines';
import { describeSpec, moduleForSpec } from '../protocols/registry';
import { DEFAULT_OPTIONS, type RequestOptions, type RequestSpec } from '../request';
import { type LookupFn } from '../transport/connect';
import { formatMs } from '../../common/format';
import { describeError } from '../transport/errors';
import { armDeadline } from '../transport/deadline';
import { Operation } from '../transport/operation';
import type { ConnectionPool } from '../transport/pool';
import { PROBE_MAX_BODY_BYTES, slowOr, type HealthExpect, type HealthResult, type ProbeOptions, type ProbeResult } from './probe';
import { monoMs } from '../clock';

export type { HealthExpect, HealthResult, HealthState } from './probe';

export interface HealthCheckConfig {
  name: string;
  /** tcp://host:port, http(s)://…, tls://host:port, dns://name, udp://host:port, ws(s)://… */
  target: string;
  intervalSeconds?: number;
  timeoutMs?: number;
  /** Latency over this is "degraded" (default 1000 ms). */
  slowMs?: number;
  /** TLS: degraded when the certificate expires within this many days (default 14). */
  warnDays?: number;
  insecure?: boolean;
  /**
   * Extra trusted CA certificates (PEM) for https, wss and tls targets. A block pinned with `# @health`
   * carries the ones its request would use (`netreq.tls.caFiles`); checks from settings have none.
   */
  ca?: Array<string | Buffer>;
  expect?: HealthExpect;
  /**
   * A block pinned with `# @health`: the request as resolved (method, headers, body, `# @proxy`, CA files,
   * `# @insecure`), sent as written through its module's probe. `target` then only names where it goes.
   * Checks from settings have none (their target is made into a request).
   */
  spec?: RequestSpec;
}

export interface CheckDeps {
  pool: ConnectionPool;
  lookup?: LookupFn;
  now?: () => number;
}

/** The largest delay a Node timer honours (a larger one fires after 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;
export const DEFAULT_TIMEOUT_MS = 5000;

/** The check's timeout, kept within what a timer can wait (validation refuses others; this is the last guard). */
export function checkTimeoutMs(cfg: HealthCheckConfig): number {
  const t = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return Number.isFinite(t) && t >= 1 ? Math.min(MAX_TIMER_MS, Math.round(t)) : DEFAULT_TIMEOUT_MS;
}

function options(cfg: HealthCheckConfig): RequestOptions {
  return { ...DEFAULT_OPTIONS, timeoutMs: checkTimeoutMs(cfg), insecure: cfg.insecure ?? false, ca: cfg.ca, noPool: true, maxResponseBytes: PROBE_MAX_BODY_BYTES };
}

/** Parses the target into its kind, or explains what is wrong with it. */
export function parseTarget(target: string): { kind: 'tcp' | 'tls' | 'udp'; host: string; port: number } | { kind: 'http' | 'ws'; url: URL } | { kind: 'dns'; name: string } {
  const m = /^([a-z]+):\/\/(.*)$/i.exec(target.trim());
  if (!m) throw new Error(`"${target}" has no scheme: write tcp://host:port, http(s)://…, tls://host:port, dns://name, udp://host:port or ws(s)://…`);
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  switch (scheme) {
    case 'tcp':
    case 'tls':
    case 'udp': {
      const hp = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(rest);
      if (!hp) throw new Error(`"${target}" needs host:port, e.g. ${scheme}://127.0.0.1:${scheme === 'tls' ? 443 : 8080}`);
      const port = Number(hp[2]);
      if (port < 1 || port > 65535) throw new Error(`Port ${port} in "${target}" is out of range: valid ports are 1–65535`);
      return { kind: scheme, host: hp[1].replace(/^\[|\]$/g, ''), port };
    }
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      try {
        return { kind: scheme.startsWith('ws') ? 'ws' : 'http', url: new URL(target.trim()) };
      } catch {
        throw new Error(`"${target}" is not a valid URL`);
      }
    case 'dns':
      if (!rest || /[\s/]/.test(rest.replace(/\/$/, ''))) throw new Error(`"${target}" needs a name, e.g. dns://example.com`);
      return { kind: 'dns', name: rest.replace(/\/$/, '') };
    default:
      throw new Error(`Unknown check kind "${scheme}://": use tcp, http, https, tls, dns, udp, ws or wss`);
  }
}

/** Runs one check once; `signal` stops it (its sockets are closed). Never rejects. */
export async function runCheck(cfg: HealthCheckConfig, deps: CheckDeps, signal?: AbortSignal): Promise<HealthResult> {
  const now = deps.now ?? Date.now;
  const t0 = monoMs();
  let r: ProbeResult;
  try {
    r = await probe(cfg, deps, signal);
  } catch (err) {
    r = { state: 'unhealthy', latencyMs: monoMs() - t0, summary: 'error', error: (err as Error).message };
  }
  return { ...r, at: now() };
}

async function probe(cfg: HealthCheckConfig, deps: CheckDeps, signal?: AbortSignal): Promise<ProbeResult> {
  const o: ProbeOptions = { timeoutMs: checkTimeoutMs(cfg), slowMs: cfg.slowMs, warnDays: cfg.warnDays, expect: cfg.expect, lookup: deps.lookup, signal };
  const spec = cfg.spec ?? specForTarget(cfg);
  if (spec === 'dns') return dnsCheck(cfg, deps, o);
  const m = moduleForSpec(spec);
  const refused = m.probe ? m.notACheck?.(spec) : `${describeSpec(spec).method} requests cannot be health checks`;
  if (refused || !m.probe) return { state: 'unhealthy', latencyMs: 0, summary: 'not a check', error: refused };
  return m.probe(spec, createClients(deps), o);
}

/**
 * The request a target from settings stands for: `http(s)://` → GET it, `tcp://` / `tls://` → connect (and
 * the handshake), `udp://` → a datagram (`expect.payload`, else "ping"), `ws(s)://` → the handshake.
 */
export function specForTarget(cfg: HealthCheckConfig): RequestSpec | 'dns' {
  const t = parseTarget(cfg.target);
  const opts = options(cfg);
  const web = (u: URL, secure: string) => {
    const tls = u.protocol === secure;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { url: u.href, tls, host, port: Number(u.port || (tls ? 443 : 80)), servername: net.isIP(host) ? undefined : host, target: `${u.pathname || '/'}${u.search}`, options: opts };
  };
  switch (t.kind) {
    case 'http':
      return { kind: 'http', method: 'GET', ...web(t.url, 'https:'), version: 'HTTP/1.1', headers: [['User-Agent', 'NetReq-health'], ['Connection', 'close']] };
    case 'ws':
      return { kind: 'ws', ...web(t.url, 'wss:'), headers: [], messages: [], waitMs: 0 };
    case 'tcp':
    case 'tls':
      return { kind: t.kind, host: t.host, port: t.port, servername: t.host, payload: Buffer.alloc(0), idleMs: 1000, maxBytes: PROBE_MAX_BODY_BYTES, halfClose: false, hex: false, options: opts };
    case 'udp':
      return { kind: 'udp', host: t.host, port: t.port, payload: Buffer.from(cfg.expect?.payload ?? 'ping'), replies: 1, waitMs: opts.timeoutMs, hex: false, options: opts };
    case 'dns':
      return 'dns';
  }
}

/** `dns://name`: the system resolver answers with at least one address (`expect.address` among them). */
async function dnsCheck(cfg: HealthCheckConfig, deps: CheckDeps, o: ProbeOptions): Promise<ProbeResult> {
  const name = (parseTarget(cfg.target) as { name: string }).name;
  const t0 = monoMs();
  const elapsed = () => monoMs() - t0;
  const lookup = deps.lookup ?? ((h: string) => dns.lookup(h, { all: true, verbatim: true }));
  const op = new Operation();
  const release = armDeadline(op, o.timeoutMs, o.signal);
  try {
    const found = await op.race(lookup(name));
    const addresses = found.map((a) => a.address);
    const latency = elapsed();
    const details = { addresses };
    if (addresses.length === 0) return { state: 'unhealthy', latencyMs: latency, summary: 'no addresses', error: `${name} resolved to no addresses`, details };
    if (o.expect?.address && !addresses.includes(o.expect.address)) {
      return { state: 'unhealthy', latencyMs: latency, summary: 'unexpected address', error: `${name} resolved to ${addresses.join(', ')}, not ${o.expect.address}`, details };
    }
    return slowOr(o, latency, addresses.join(', '), details);
  } catch (err) {
    const message = op.aborted ? `no DNS answer within ${formatMs(o.timeoutMs)}` : describeError(err, 'dns', name).message;
    return { state: 'unhealthy', latencyMs: elapsed(), summary: 'not resolved', error: message };
  } finally {
    release();
  }
}
