/** The connection pool as a Markdown report (pure; the pool view shows it read-only). */
import { hostPort } from '../../core/transport/address';
import type { PoolSnapshot } from '../../core/transport/pool';
import { formatMs } from '../../common/format';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function poolMarkdown(s: PoolSnapshot, at: Date = new Date()): string {
  const o = s.options;
  const lines: string[] = [
    '# NetReq connection pool',
    '',
    `Snapshot at ${at.toISOString()} · pooling **${o.enabled ? 'on' : 'off'}** · at most ${o.maxSocketsPerHost} connections per host · idle timeout ${formatMs(o.idleTimeoutMs)} · max age ${formatMs(o.maxAgeMs)}`,
    '',
    `Open connections: **${s.totalOpen}** · opened since start: ${s.totalCreated}`,
    '',
  ];
  if (s.hosts.length === 0) {
    lines.push('_No pooled connections._', '');
    return lines.join('\n');
  }
  for (const h of s.hosts) {
    const busy = h.connections.filter((c) => c.state === 'busy').length;
    lines.push(
      `## ${cell(h.origin)}${h.insecure ? ' (certificate checks off)' : ''}`,
      '',
      `${h.connections.length} connection${h.connections.length === 1 ? '' : 's'}: ${busy} busy, ${h.connections.length - busy} idle${h.waiting ? ` · ${h.waiting} request${h.waiting === 1 ? '' : 's'} waiting for a slot` : ''}`,
      '',
      '| # | state | age | idle for | requests served | local port | remote |',
      '|---|---|---|---|---|---|---|',
    );
    for (const c of h.connections) {
      const remote = c.remoteAddress ? hostPort(c.remoteAddress, c.remotePort ?? '') : '';
      lines.push(
        `| ${c.id} | ${c.state} | ${formatMs(c.ageMs)} | ${c.idleMs !== undefined ? formatMs(c.idleMs) : ''} | ${c.requestsServed} | ${c.localPort ?? ''} | ${cell(remote)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
