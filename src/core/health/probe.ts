/**
 * What a health probe is given and what it says, and the verdicts the protocol modules' probes share
 * (slow → degraded, the HTTP status rule, a TLS certificate's expiry and trust). A probe sends a resolved
 * request with its module's engine, bounded by the check's timeout, and maps the exchange to a result.
 * Types and pure functions only: the probes themselves live in src/core/protocols/<id>/probe.ts.
 */
import { formatMs } from '../../common/format';
import type { TlsInfo } from '../exchange';
import type { RequestOptions } from '../request';
import type { LookupFn } from '../transport/connect';

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

/** A probe's verdict: healthy, degraded (slow, certificate near expiry) or unhealthy, with the reason in words. */
export interface ProbeResult {
  state: Exclude<HealthState, 'unknown'>;
  latencyMs: number;
  /** One line for the tree's description / the CLI table. */
  summary: string;
  /** Why it is degraded or unhealthy, in words. */
  error?: string;
  /** DNS answers, certificate expiry, status code… */
  details?: Record<string, string | number | string[]>;
}

export interface HealthResult extends ProbeResult {
  /** Epoch ms when the check finished. */
  at: number;
}

/** What a check asks of a probe besides the request itself. */
export interface ProbeOptions {
  /** Bounds the whole exchange (the request's own `# @timeout` only when the check took it). */
  timeoutMs: number;
  /** Latency over this is "degraded" (default 1000 ms). */
  slowMs?: number;
  /** TLS: degraded when the certificate expires within this many days (default 14). */
  warnDays?: number;
  expect?: HealthExpect;
  lookup?: LookupFn;
  /** Stops the probe (its sockets are closed). */
  signal?: AbortSignal;
}

/** A probe keeps at most this much of a response body (enough for `bodyContains`; the rest is counted). */
export const PROBE_MAX_BODY_BYTES = 1024 * 1024;
const DAY = 86_400_000;

/**
 * The request's own options (proxy, CA files, insecure) with the check's bounds: its timeout, a fresh
 * connection, and at most 1 MB of body kept.
 */
export function probeOptions(options: RequestOptions, o: ProbeOptions): RequestOptions {
  return { ...options, timeoutMs: o.timeoutMs, noPool: true, maxResponseBytes: Math.min(options.maxResponseBytes, PROBE_MAX_BODY_BYTES) };
}

/** Healthy, or degraded when slower than `slowMs`. */
export function slowOr(o: ProbeOptions, latency: number, summary: string, details?: ProbeResult['details']): ProbeResult {
  const slow = o.slowMs ?? 1000;
  if (latency > slow) return { state: 'degraded', latencyMs: latency, summary, error: `slow: ${formatMs(latency)} (over ${formatMs(slow)})`, details };
  return { state: 'healthy', latencyMs: latency, summary, details };
}

/** Whether an HTTP status is acceptable: `expect` as 200 or "2xx", by default 2xx and 3xx. */
export function statusOk(status: number, expect: HealthExpect['status']): boolean {
  if (!expect || expect.length === 0) return status >= 200 && status < 400;
  return expect.some((e) => (typeof e === 'number' ? e === status : new RegExp(`^${String(e).replace(/x/gi, '\\d')}$`).test(String(status))));
}

/**
 * A TLS server's certificate: expired or (unless `insecure`) not trusted → unhealthy, expiring within
 * `warnDays` → degraded, else healthy (`healthy(daysLeft)` says so) unless slow.
 */
export function certificateVerdict(tls: TlsInfo | undefined, insecure: boolean, latency: number, o: ProbeOptions, healthy: (daysLeft: number) => string): ProbeResult {
  const leaf = tls?.chain[0];
  if (!leaf) return { state: 'unhealthy', latencyMs: latency, summary: 'no certificate', error: 'the server sent no certificate' };
  const validTo = new Date(leaf.validTo).getTime();
  const daysLeft = Math.floor((validTo - Date.now()) / DAY);
  const details = { subject: leaf.subject, validTo: leaf.validTo, daysLeft, issuer: leaf.issuer };
  if (validTo < Date.now()) return { state: 'unhealthy', latencyMs: latency, summary: 'certificate expired', error: `certificate expired on ${leaf.validTo.slice(0, 10)}`, details };
  if (!insecure && tls && !tls.authorized) {
    return { state: 'unhealthy', latencyMs: latency, summary: 'certificate not trusted', error: `certificate not trusted: ${tls.authorizationError}`, details };
  }
  const warn = o.warnDays ?? 14;
  if (daysLeft < warn) return { state: 'degraded', latencyMs: latency, summary: `expires in ${daysLeft} days`, error: `certificate expires in ${daysLeft} days (on ${leaf.validTo.slice(0, 10)}; warning at ${warn})`, details };
  return slowOr(o, latency, healthy(daysLeft), details);
}
