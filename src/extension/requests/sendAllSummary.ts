/**
 * What Send All says when it ends: how many requests were sent, their statuses counted (200 ×3, 404 ×1), the
 * ones that failed or were not sent, each with its reason. Pure (no `vscode`): the unit tests call it.
 */
import type { Exchange } from '../../core/exchange';

export interface SendAllItem {
  title: string;
  /** The exchange, when the block was sent. */
  exchange?: Exchange;
  /** Why it was not sent (it did not resolve, it was running already…). */
  problem?: string;
  /** Not sent on purpose (`# @disabled`): counted as skipped, not as a failure. */
  skipped?: boolean;
}

/** The outcome of one exchange in a word or two: its status, or `failed` / `cancelled`. */
function outcome(x: Exchange): { label: string; failure?: string } {
  if (x.error) return x.error.phase === 'cancelled' ? { label: 'cancelled', failure: 'cancelled' } : { label: 'failed', failure: x.error.message };
  switch (x.kind) {
    case 'http':
      return { label: x.response ? String(x.response.status) : 'no response', failure: x.response ? undefined : 'no response' };
    case 'socket':
      return { label: 'done' };
    case 'ws':
      return { label: x.handshake.status ? String(x.handshake.status) : x.state };
  }
}

export interface SendAllSummary {
  /** One line for the notification. */
  message: string;
  /** One line per request, for the output channel. */
  lines: string[];
  failures: number;
}

export function summarizeSendAll(items: readonly SendAllItem[], total: number, stopped: boolean): SendAllSummary {
  const counts = new Map<string, number>();
  const lines: string[] = [];
  const failed: string[] = [];
  let sent = 0;
  let skipped = 0;
  for (const it of items) {
    if (it.skipped) {
      skipped++;
      lines.push(`  – ${it.title} — ${it.problem ?? 'skipped'}`);
      continue;
    }
    if (!it.exchange) {
      failed.push(`${it.title}: ${it.problem ?? 'not sent'}`);
      lines.push(`  ✗ ${it.title} — not sent: ${it.problem ?? 'no reason given'}`);
      continue;
    }
    sent++;
    const o = outcome(it.exchange);
    counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
    if (o.failure) failed.push(`${it.title}: ${o.failure}`);
    lines.push(`  ${o.failure ? '✗' : '✓'} ${it.title} — ${o.label}${o.failure && o.failure !== o.label ? ` (${o.failure})` : ''} · ${Math.round(it.exchange.timings.total)} ms`);
  }
  const statuses = [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ');
  const head = `NetReq: sent ${sent} of ${total} requests${statuses ? ` — ${statuses}` : ''}${skipped > 0 ? `; ${skipped} skipped (# @disabled)` : ''}`;
  const tail = failed.length === 0 ? '' : `; ${failed.length} failed: ${failed.slice(0, 3).join(' · ')}${failed.length > 3 ? ` · and ${failed.length - 3} more (see the NetReq output)` : ''}`;
  const stop = stopped ? ` (stopped after ${items.length}: cancelled)` : '';
  return { message: `${head}${stop}${tail}.`, lines, failures: failed.length };
}
