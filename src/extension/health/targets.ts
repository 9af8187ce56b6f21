/**
 * `.netreq` blocks ↔ health-check targets, in plain Node (unit-tested without VS Code): which blocks are
 * pinned (`# @health`, optionally `# @health every 30s`), the check a resolved block becomes, and the
 * request text "Open as Request" writes for a check.
 */
import { createHash } from 'node:crypto';
import { parseTarget, type HealthCheckConfig } from '../../core/health/checks';
import { parseDuration } from '../../core/netreq/values';
import type { Block, Directive } from '../../core/netreq/types';
import { describeSpec, moduleForSpec } from '../../core/protocols/registry';
import type { RequestSpec } from '../../core/request';
import { hostPort } from '../../core/transport/address';

export const HEALTH_DIRECTIVE = 'health';

export type BlockCheck = { ok: true; config: HealthCheckConfig } | { ok: false; reason: string };

/** The block's `# @health` line, if it is pinned. */
export function healthDirective(block: Block): Directive | undefined {
  return block.directives.find((d) => d.key === HEALTH_DIRECTIVE);
}

/**
 * The value of `# @health`: nothing (the default interval), `every 30s`, or just `30s`.
 * A bare number means seconds here (an interval in milliseconds would be a typo).
 */
export function parseHealthValue(value: string): { intervalSeconds?: number; error?: string } {
  const text = value.trim().replace(/^every\s+/i, '');
  if (!text) return {};
  const d = parseDuration(/^\d+(\.\d+)?$/.test(text) ? `${text}s` : text);
  if (!d.ok) return { error: `# @health ${value.trim()}: ${d.message}; write e.g. "# @health every 30s"` };
  return { intervalSeconds: Math.max(1, Math.round(d.value / 1000)) };
}

/** The name a pinned block's check gets: its @name, else its ### title, else file:line. */
export function blockCheckName(block: Block, fileLabel: string): string {
  return block.name || block.title || `${fileLabel}:${(block.requestLine?.line ?? block.startLine) + 1}`;
}

/** Text that survives a round trip through UTF-8 and has no control characters but tab. */
function plainText(payload: Buffer): string | undefined {
  const text = payload.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(payload)) return undefined;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? undefined : text;
}

/**
 * Where a resolved request goes, as a check target is written: HTTP and WS → their URL, TCP/QOTD/DAYTIME/ECHO →
 * tcp://host:port, TLS → tls://, UDP → udp://, DNS → dns://name TYPE @server. Shown in the view; the check itself
 * sends the request.
 */
export function checkTarget(spec: RequestSpec): string {
  const { url } = describeSpec(spec);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `${spec.kind}://${url}`;
}

/**
 * The check for a resolved block: the request itself, as written (method, headers, body, `# @proxy`, CA files,
 * `# @insecure`), run through its protocol module's probe. `# @timeout` becomes the check's timeout; without it
 * the check keeps its own (5 s), not the request's 30 s. A kind without a probe (and MULTICAST) cannot be a check.
 */
export function checkForSpec(name: string, spec: RequestSpec, opts: { intervalSeconds?: number; timeoutMs?: number } = {}): BlockCheck {
  const base = { name, ...(opts.intervalSeconds ? { intervalSeconds: opts.intervalSeconds } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) };
  const m = moduleForSpec(spec);
  const refused = m.probe ? m.notACheck?.(spec) : `${describeSpec(spec).method} requests cannot be health checks`;
  if (refused) return { ok: false, reason: refused };
  // Shown with the check: the trust of a request that may use TLS (the probe takes it from the spec).
  const secure = spec.kind === 'tls' || 'tls' in spec;
  const trust = secure ? { ...(spec.options.insecure ? { insecure: true } : {}), ...(spec.options.ca?.length ? { ca: spec.options.ca } : {}) } : {};
  return { ok: true, config: { ...base, target: checkTarget(spec), ...trust, spec } };
}

/**
 * A key that changes when checks change, for "did anything change?": JSON, with each byte buffer (a pinned
 * request's body, payload, CA files) as its length and SHA-256 rather than a list of numbers.
 */
export function checksKey(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return Buffer.isBuffer(raw) ? `bytes:${raw.length}:${createHash('sha256').update(raw).digest('hex')}` : v;
  });
}

/** One line of text, for titles and comments in generated .netreq text. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** A `.netreq` block that sends what the check checks ("Open as Request"), or why there is none. */
export function requestTextFor(cfg: HealthCheckConfig): { ok: true; text: string } | { ok: false; reason: string } {
  let t: ReturnType<typeof parseTarget>;
  try {
    t = parseTarget(cfg.target);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const lines = [`### ${oneLine(cfg.name) || 'Health check'}`, `# Health check target: ${oneLine(cfg.target)}`];
  if (cfg.timeoutMs) lines.push(`# @timeout ${Math.round(cfg.timeoutMs)}ms`);
  const secure = (t.kind === 'http' || t.kind === 'ws') && /^(https|wss):$/.test(t.url.protocol);
  if (cfg.insecure && (secure || t.kind === 'tls')) lines.push('# @insecure');
  switch (t.kind) {
    case 'http':
      lines.push(`GET ${t.url.href}`);
      break;
    case 'ws':
      lines.push(`WS ${t.url.href}`);
      break;
    case 'tcp':
      lines.push(`TCP ${hostPort(t.host, t.port)}`);
      break;
    case 'tls':
      lines.push(`TLS ${hostPort(t.host, t.port)}`);
      break;
    case 'dns':
      lines.push(`DNS ${t.name}`);
      break;
    case 'udp': {
      const payload = cfg.expect?.payload ?? 'ping';
      const plain = !/[\r\n]/.test(payload) && plainText(Buffer.from(payload)) !== undefined && payload.trim() === payload && payload !== '';
      if (!plain) lines.push('# @hex');
      lines.push(`UDP ${hostPort(t.host, t.port)}`);
      lines.push(plain ? payload : Buffer.from(payload).toString('hex').replace(/(..)(?!$)/g, '$1 '));
      break;
    }
  }
  return { ok: true, text: `${lines.join('\n')}\n` };
}

/**
 * Where `# @health` goes to pin a block: the line above its request line (directives come before it).
 * An error in words when the block has no request line or is pinned already.
 */
export function pinLine(block: Block): { line: number } | { error: string } {
  if (!block.requestLine) return { error: 'this block has no request line to check' };
  if (healthDirective(block)) return { error: `"${blockCheckName(block, 'this block')}" is pinned already (it has # @health)` };
  return { line: block.requestLine.line };
}
