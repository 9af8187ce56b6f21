/** The connection pool's rows in the Connection Pool view: pure text from a snapshot (tested without VS Code). */
import { formatMs } from '../../common/format';
import { hostPort } from '../../core/transport/address';
import type { PoolConnectionSnapshot, PoolHostSnapshot, PoolOptions } from '../../core/transport/pool';

export interface RowText {
  label: string;
  description: string;
  tooltip: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A host row: its origin, how many connections (busy / idle) and waiting requests. */
export function hostRow(h: PoolHostSnapshot): RowText {
  const busy = h.connections.filter((c) => c.state === 'busy').length;
  const parts = [plural(h.connections.length, 'connection'), `${busy} busy`, `${h.connections.length - busy} idle`];
  if (h.waiting) parts.push(`${h.waiting} waiting`);
  return {
    label: h.origin,
    description: parts.join(' · '),
    tooltip: `${h.origin}${h.insecure ? ' (certificate checks off)' : ''}\n${parts.join(', ')}${h.waiting ? ' for a free slot' : ''}\npool key: ${h.key}`,
  };
}

/** A connection row: `#3 idle`, its age, idle time, requests served and addresses. */
export function connectionRow(c: PoolConnectionSnapshot): RowText {
  const remote = c.remoteAddress ? hostPort(c.remoteAddress, c.remotePort ?? '') : '';
  const parts = [`age ${formatMs(c.ageMs)}`];
  if (c.idleMs !== undefined) parts.push(`idle ${formatMs(c.idleMs)}`);
  parts.push(plural(c.requestsServed, 'request'));
  return {
    label: `#${c.id} ${c.state}`,
    description: parts.join(' · '),
    tooltip: `connection #${c.id}, ${c.state}\n${parts.join(', ')}${c.localPort ? `\nlocal port ${c.localPort}` : ''}${remote ? ` → ${remote}` : ''}`,
  };
}

/** The view's message line: whether pooling is on and its limits. */
export function poolMessage(o: PoolOptions, open: number): string {
  if (!o.enabled) return 'Pooling is off (netreq.pool.enabled): every request opens and closes its own connection.';
  return `${plural(open, 'open connection')} · at most ${o.maxSocketsPerHost} per host · idle timeout ${formatMs(o.idleTimeoutMs)} · max age ${formatMs(o.maxAgeMs)}`;
}
