/**
 * Health check kinds. Each runs once against its target, bounded by its timeout, and returns a result:
 * healthy, degraded (slow, certificate near expiry) or unhealthy (with the error in words). The engines
 * are the same as for requests (HTTP client, TCP/TLS connect, UDP, WebSocket), so a check reports what a
 * request would.
 */
import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import { HttpClient } from '../http/client';
import { DEFAULT_OPTIONS, type RequestOptions } from '../request';
import { UdpClient } from '../sockets/udp';
import { WsClient } from '../sockets/ws';
import { hostPort } from '../transport/address';
import { openConnection, systemLookup, type LookupFn } from '../transport/connect';
import { formatMs } from '../../common/format';
import { describeError } from '../transport/errors';
import { armDeadline } from '../transport/deadline';
import { Operation } from '../transport/operation';
import type { ConnectionPool } from '../transport/pool';

export type HealthState = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface HealthExpect {
  /** HTTP: acceptable statuses, e.g. [200, 204] or "2xx"; default 2xx and 3xx. */
  status?: Array<number | string>;
  /** HTTP: the body must contain this text. */
  bodyContains?: string;
  /** DNS: this address must be among the answers. */
  address?: string;
  /** UDP: payload to send (text) and the reply expected (substring). */
  payload?: string;
  reply?: string;
}

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
}

export interface HealthResult {
  state: Exclude<HealthState, 'unknown'>;
  /** Epoch ms when the check finished. */
  at: number;
  latencyMs: number;
  /** One line for the tree's description / the CLI table. */
  summary: string;
  /** Why it is degraded or unhealthy, in words. */
  error?: string;
  /** DNS answers, certificate expiry, status code… */
  details?: Record<string, string | number | string[]>;
}

export interface CheckDeps {
  pool: ConnectionPool;
  lookup?: LookupFn;
  now?: () => number;
}

const DAY = 86_400_000;
/** The largest delay a Node timer honours (a larger one fires after 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;
export const DEFAULT_TIMEOUT_MS = 5000;

/** The check's timeout, kept within what a timer can wait (validation refuses others; this is the last guard). */
export function checkTimeoutMs(cfg: HealthCheckConfig): number {
  const t = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return Number.isFinite(t) && t >= 1 ? Math.min(MAX_TIMER_MS, Math.round(t)) : DEFAULT_TIMEOUT_MS;
}

function options(cfg: HealthCheckConfig): RequestOptions {
  return { ...DEFAULT_OPTIONS, timeoutMs: checkTimeoutMs(cfg), insecure: cfg.insecure ?? false, ca: cfg.ca, noPool: true, maxResponseBytes: 1024 * 1024 };
}

function statusOk(status: number, expect: HealthExpect['status']): boolean {
  if (!expect || expect.length === 0) return status >= 200 && status < 400;
  return expect.some((e) => (typeof e === 'number' ? e === status : new RegExp(`^${String(e).replace(/x/gi, '\\d')}$`).test(String(status))));
}

function slowOr(cfg: HealthCheckConfig, latency: number, summary: string, details?: HealthResult['details']): Omit<HealthResult, 'at'> {
  const slow = cfg.slowMs ?? 1000;
  if (latency > slow) return { state: 'degraded', latencyMs: latency, summary, error: `slow: ${formatMs(latency)} (over ${formatMs(slow)})`, details };
  return { state: 'healthy', latencyMs: latency, summary, details };
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
  const t0 = performance.now();
  let r: Omit<HealthResult, 'at'>;
  try {
    r = await runKind(cfg, deps, t0, signal);
  } catch (err) {
    r = { state: 'unhealthy', latencyMs: performance.now() - t0, summary: 'error', error: (err as Error).message };
  }
  return { ...r, at: now() };
}

async function runKind(cfg: HealthCheckConfig, deps: CheckDeps, t0: number, signal?: AbortSignal): Promise<Omit<HealthResult, 'at'>> {
  const t = parseTarget(cfg.target);
  const opts = options(cfg);
  const elapsed = () => performance.now() - t0;
  switch (t.kind) {
    case 'tcp':
    case 'tls': {
      const op = new Operation();
      const release = armDeadline(op, opts.timeoutMs, signal);
      try {
        const c = await openConnection({ host: t.host, port: t.port, tls: t.kind === 'tls', servername: t.host, insecure: true, ca: opts.ca, alpn: [] }, deps.lookup ?? systemLookup, op);
        c.socket.destroy();
        const latency = elapsed();
        if (t.kind === 'tcp') return slowOr(cfg, latency, `connected in ${formatMs(latency)}`);
        const leaf = c.tls?.chain[0];
        if (!leaf) return { state: 'unhealthy', latencyMs: latency, summary: 'no certificate', error: 'the server sent no certificate' };
        const validTo = new Date(leaf.validTo).getTime();
        const daysLeft = Math.floor((validTo - Date.now()) / DAY);
        const details = { subject: leaf.subject, validTo: leaf.validTo, daysLeft, issuer: leaf.issuer };
        if (validTo < Date.now()) return { state: 'unhealthy', latencyMs: latency, summary: 'certificate expired', error: `certificate expired on ${leaf.validTo.slice(0, 10)}`, details };
        if (!cfg.insecure && c.tls && !c.tls.authorized) {
          return { state: 'unhealthy', latencyMs: latency, summary: 'certificate not trusted', error: `certificate not trusted: ${c.tls.authorizationError}`, details };
        }
        const warn = cfg.warnDays ?? 14;
        if (daysLeft < warn) return { state: 'degraded', latencyMs: latency, summary: `expires in ${daysLeft} days`, error: `certificate expires in ${daysLeft} days (on ${leaf.validTo.slice(0, 10)}; warning at ${warn})`, details };
        return slowOr(cfg, latency, `certificate valid ${daysLeft} more days`, details);
      } catch (err) {
        const ne = op.aborted ? { message: `no answer within ${formatMs(opts.timeoutMs)} (${op.phase === 'tls' ? 'TLS handshake' : 'TCP connect'})` } : describeError(err, op.phase, hostPort(t.host, t.port));
        return { state: 'unhealthy', latencyMs: elapsed(), summary: 'down', error: ne.message };
      } finally {
        release();
      }
    }
    case 'http': {
      const u = t.url;
      const tls = u.protocol === 'https:';
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const port = Number(u.port || (tls ? 443 : 80));
      const x = await new HttpClient({ pool: deps.pool }).send({
        kind: 'http',
        method: 'GET',
        url: u.href,
        tls,
        host,
        port,
        servername: net.isIP(host) ? undefined : host,
        target: `${u.pathname || '/'}${u.search}`,
        version: 'HTTP/1.1',
        headers: [['User-Agent', 'NetReq-health'], ['Connection', 'close']],
        options: opts,
      }, { signal });
      const latency = x.timings.total;
      if (x.error) return { state: 'unhealthy', latencyMs: latency, summary: 'down', error: x.error.message };
      const status = x.response!.status;
      const details = { status };
      if (!statusOk(status, cfg.expect?.status)) {
        return { state: 'unhealthy', latencyMs: latency, summary: `HTTP ${status}`, error: `status ${status} ${x.response!.reason} (expected ${cfg.expect?.status?.join(', ') ?? '2xx or 3xx'})`, details };
      }
      if (cfg.expect?.bodyContains && !x.response!.body.toString('utf8').includes(cfg.expect.bodyContains)) {
        return { state: 'unhealthy', latencyMs: latency, summary: `HTTP ${status}, text missing`, error: `the body does not contain "${cfg.expect.bodyContains}"`, details };
      }
      return slowOr(cfg, latency, `HTTP ${status} in ${formatMs(latency)}`, details);
    }
    case 'dns': {
      const lookup = deps.lookup ?? ((h: string) => dns.lookup(h, { all: true, verbatim: true }));
      const op = new Operation();
      const release = armDeadline(op, opts.timeoutMs, signal);
      try {
        const found = await op.race(lookup(t.name));
        const addresses = found.map((a) => a.address);
        const latency = elapsed();
        const details = { addresses };
        if (addresses.length === 0) return { state: 'unhealthy', latencyMs: latency, summary: 'no addresses', error: `${t.name} resolved to no addresses`, details };
        if (cfg.expect?.address && !addresses.includes(cfg.expect.address)) {
          return { state: 'unhealthy', latencyMs: latency, summary: 'unexpected address', error: `${t.name} resolved to ${addresses.join(', ')}, not ${cfg.expect.address}`, details };
        }
        return slowOr(cfg, latency, addresses.join(', '), details);
      } catch (err) {
        const message = op.aborted ? `no DNS answer within ${formatMs(opts.timeoutMs)}` : describeError(err, 'dns', t.name).message;
        return { state: 'unhealthy', latencyMs: elapsed(), summary: 'not resolved', error: message };
      } finally {
        release();
      }
    }
    case 'udp': {
      const x = await new UdpClient({ lookup: deps.lookup }).send({
        kind: 'udp',
        host: t.host,
        port: t.port,
        payload: Buffer.from(cfg.expect?.payload ?? 'ping'),
        replies: 1,
        waitMs: opts.timeoutMs,
        hex: false,
        options: opts,
      }, { signal });
      const latency = x.timings.firstByte ?? x.timings.total;
      if (x.error) return { state: 'unhealthy', latencyMs: x.timings.total, summary: 'down', error: x.error.message };
      const reply = x.transcript.find((e) => e.dir === 'received');
      if (!reply) return { state: 'unhealthy', latencyMs: x.timings.total, summary: 'no reply', error: `no reply within ${formatMs(opts.timeoutMs)}` };
      if (cfg.expect?.reply && !reply.data.toString('utf8').includes(cfg.expect.reply)) {
        return { state: 'unhealthy', latencyMs: latency, summary: 'unexpected reply', error: `the reply does not contain "${cfg.expect.reply}"` };
      }
      return slowOr(cfg, latency, `reply in ${formatMs(latency)}`);
    }
    case 'ws': {
      const u = t.url;
      const tls = u.protocol === 'wss:';
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const x = await new WsClient({ lookup: deps.lookup }).send({
        kind: 'ws',
        url: u.href,
        tls,
        host,
        port: Number(u.port || (tls ? 443 : 80)),
        servername: net.isIP(host) ? undefined : host,
        target: `${u.pathname || '/'}${u.search}`,
        headers: [],
        messages: [],
        waitMs: 0,
        options: opts,
      }, { signal });
      if (x.error) return { state: 'unhealthy', latencyMs: x.timings.total, summary: 'handshake failed', error: x.error.message };
      const latency = (x.timings.dnsLookup ?? 0) + (x.timings.tcpConnect ?? 0) + (x.timings.tlsHandshake ?? 0) + (x.timings.requestSent ?? 0) + (x.timings.firstByte ?? 0);
      return slowOr(cfg, latency, `handshake in ${formatMs(latency)}`);
    }
  }
}
