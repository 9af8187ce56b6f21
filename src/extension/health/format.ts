/**
 * The words and looks of the health view and the status-bar item, as plain data (unit-tested without
 * VS Code): state icons and colours, "12 ms · 5 s ago" descriptions, Markdown tooltips in which every
 * piece of text from the network or a settings file is escaped, and the status-bar text and colour.
 */
import type { HealthResult, HealthState } from '../../core/health/checks';
import { historyBars, type CheckStatus, type HealthSummary } from '../../core/health/scheduler';
import { describeSpec } from '../../core/protocols/registry';
import { formatMs } from '../../common/format';
import { sourceLabel, type HealthEntry } from './settings';

/** A codicon id and a theme colour id (the provider turns them into ThemeIcon / ThemeColor). */
export interface IconSpec {
  id: string;
  color?: string;
}

export const STATE_ICONS: Record<HealthState, IconSpec> = {
  healthy: { id: 'pass', color: 'testing.iconPassed' },
  degraded: { id: 'warning', color: 'editorWarning.foreground' },
  unhealthy: { id: 'error', color: 'testing.iconFailed' },
  unknown: { id: 'circle-outline', color: 'disabledForeground' },
};

export const STATE_WORDS: Record<HealthState, string> = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy', unknown: 'Not checked yet' };

/**
 * Markdown-escapes text from outside (error messages, server names, targets): every ASCII punctuation
 * character gets a backslash (so no link, image, HTML, emphasis or code can be formed), control
 * characters (C0, C1), bidi controls and line breaks become spaces, and very long text is cut.
 */
export function escapeMarkdown(text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  let t = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]+/g, ' ');
  if (t.length > max) t = `${t.slice(0, max)}…`;
  return t.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function formatAge(ms: number): string {
  if (ms < 1000) return 'just now';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function formatClock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The icon of a check row: its state, a spinner while its first run is under way, a slash when idle. */
export function checkIcon(entry: HealthEntry, status: CheckStatus | undefined): IconSpec {
  if (entry.problem) return { id: 'warning', color: 'editorWarning.foreground' };
  if (entry.idle) return { id: 'circle-slash', color: 'disabledForeground' };
  if (!status) return STATE_ICONS.unknown;
  if (status.state === 'unknown' && status.running) return { id: 'loading~spin' };
  return STATE_ICONS[status.state];
}

/** Text from outside on one short line: control, line-break and bidi characters become spaces, runs of space one, long text cut with "…". */
export function oneLine(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\s]+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/**
 * The grey text after a check's name: "12 ms · 5 s ago" when healthy, the error when not ("Connection
 * refused: nothing is listening on 127.0.0.1:1 · 5 s ago": how long a failure took says little),
 * "checking…", "paused", or why it does not run.
 */
export function checkDescription(entry: HealthEntry, status: CheckStatus | undefined, now: number, paused: boolean): string {
  if (entry.problem) return `cannot run: ${oneLine(entry.problem, 120)}`;
  if (entry.idle) return 'idle: Restricted Mode';
  const last = status?.last;
  const parts: string[] = [];
  if (last) parts.push(last.state !== 'healthy' && last.error ? oneLine(last.error) : formatMs(last.latencyMs), formatAge(Math.max(0, now - last.at)));
  else if (!status?.running) parts.push(paused ? 'not checked' : 'waiting for the first check');
  if (status?.running) parts.push('checking…');
  else if (paused) parts.push('paused');
  return parts.join(' · ');
}

/** A result row under a check: "12:03:05" with "HTTP 200 in 12 ms" (or the error). */
export function resultRow(r: HealthResult): { label: string; description: string; icon: IconSpec } {
  return { label: formatClock(r.at), description: oneLine(r.error ? `${r.summary}: ${r.error}` : r.summary, 160), icon: STATE_ICONS[r.state] };
}

function detailText(v: string | number | string[]): string {
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** The Markdown of a check row's tooltip: state, target, source, last result and error, history bars. */
export function checkTooltip(entry: HealthEntry, status: CheckStatus | undefined, now: number): string {
  const state = entry.problem ? 'Cannot run' : entry.idle ? 'Idle (Restricted Mode)' : STATE_WORDS[status?.state ?? 'unknown'];
  const out = [`**${escapeMarkdown(entry.name)}**: ${state}`, ''];
  if (entry.target) out.push(`Target: ${escapeMarkdown(entry.target)}`, '');
  const spec = entry.config?.spec;
  if (spec) {
    const s = describeSpec(spec);
    out.push(`Request: ${escapeMarkdown(`${s.method} ${s.url}`)}, sent as written`, '');
  }
  out.push(`Defined in: ${escapeMarkdown(sourceLabel(entry.source))}`, '');
  if (entry.problem) out.push(`Problem: ${escapeMarkdown(entry.problem)}`, '');
  if (entry.idle) out.push('Checks from this workspace run only once you trust it (Manage Workspace Trust).', '');
  const last = status?.last;
  if (last) {
    out.push(`Last check: ${escapeMarkdown(last.summary)}, ${formatMs(last.latencyMs)}, ${formatAge(Math.max(0, now - last.at))}`, '');
    if (last.error) out.push(`Error: ${escapeMarkdown(last.error)}`, '');
    for (const [k, v] of Object.entries(last.details ?? {})) out.push(`${escapeMarkdown(k)}: ${escapeMarkdown(detailText(v), 200)}`, '');
  }
  if (status && status.history.length > 0) {
    const { bars, uptimePct } = historyBars(status.history);
    out.push(`History: ${bars} (up ${uptimePct}% of the last ${status.history.length} checks)`, '');
  }
  return out.join('\n').trimEnd();
}

export interface StatusBarView {
  visible: boolean;
  text: string;
  /** The theme colour of the background: only these two are allowed for status-bar items. */
  background?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';
  /** Markdown. */
  tooltip: string;
}

export interface StatusBarInput {
  summary: HealthSummary;
  /** Checks with a state other than healthy, with their last error. */
  failing: Array<{ name: string; state: HealthState; error?: string }>;
  paused: boolean;
  /** `netreq.health.statusBar`: "auto" hides the item when there are no checks, "always" shows it. */
  mode: 'auto' | 'always';
  /** Checks shown but not run (Restricted Mode) or that cannot run (a problem in their definition). */
  idle: number;
  problems: number;
}

/** `$(pulse) 5/6`: healthy of all checks; red when one is unhealthy, yellow when one is degraded. */
export function statusBarView(i: StatusBarInput): StatusBarView {
  const { summary: s } = i;
  const shown = s.total + i.idle + i.problems;
  const text = `$(${i.paused ? 'debug-pause' : 'pulse'}) ${s.healthy}/${s.total}`;
  const background = s.unhealthy > 0 ? 'statusBarItem.errorBackground' : s.degraded > 0 ? 'statusBarItem.warningBackground' : undefined;
  const head =
    s.total === 0
      ? 'NetReq health: no checks run'
      : `NetReq health: ${s.healthy} of ${s.total} healthy${s.degraded ? `, ${s.degraded} degraded` : ''}${s.unhealthy ? `, ${s.unhealthy} unhealthy` : ''}${s.unknown ? `, ${s.unknown} not checked yet` : ''}`;
  const lines = [escapeMarkdown(head), ''];
  for (const f of i.failing.filter((x) => x.state === 'unhealthy' || x.state === 'degraded')) {
    lines.push(`- ${f.state === 'unhealthy' ? '✕' : '!'} **${escapeMarkdown(f.name)}** ${f.state}${f.error ? `: ${escapeMarkdown(f.error, 200)}` : ''}`);
  }
  if (lines.length > 2) lines.push('');
  if (i.paused) lines.push('Paused: checks do not run until you resume them.', '');
  if (i.idle) lines.push(`${i.idle} check${i.idle === 1 ? '' : 's'} from this workspace idle in Restricted Mode.`, '');
  if (i.problems) lines.push(`${i.problems} check${i.problems === 1 ? '' : 's'} cannot run (see the view).`, '');
  lines.push('Click to show the Network Health view.');
  return { visible: shown > 0 || i.mode === 'always', text, background, tooltip: lines.join('\n') };
}

/** The text of the optional notification when checks turn unhealthy (several at once make one message). */
export function unhealthyNotice(changed: Array<{ name: string; error?: string }>): string {
  if (changed.length === 1) return `NetReq: health check "${changed[0].name}" is unhealthy${changed[0].error ? `: ${changed[0].error}` : ''}`;
  const names = changed.slice(0, 5).map((c) => `"${c.name}"`);
  return `NetReq: ${changed.length} health checks are unhealthy: ${names.join(', ')}${changed.length > 5 ? ', …' : ''}`;
}
