/**
 * One log line per proxy flow, shared by `netreq proxy` and the proxy task's terminal. Terminal-safe and one line
 * whatever the client or the upstream sent (a target like `http://x/\e]0;owned\a` is printed as `\x1b]0;owned\x07`).
 */
import { formatBytes } from '../../common/format';
import { ms, safeLine } from '../text';
import type { Flow, Refusal } from './server';

export const clock = (t: number) => new Date(t).toISOString().slice(11, 23);

export function flowLine(f: Flow): string {
  const what = f.kind === 'tunnel' ? `CONNECT ${f.target} (tunnel)` : `${f.method} ${f.target}`;
  const status = f.status !== undefined ? String(f.status) : '—';
  return safeLine(`${clock(f.startedAt)}  ${f.client.padEnd(21)} ${what} → ${status}  ↑${formatBytes(f.bytesUp)} ↓${formatBytes(f.bytesDown)}  ${ms(f.durationMs)}${f.error ? `  ✗ ${f.error}` : ''}`);
}

/** The line for a request the proxy refused before a flow began (the client's bytes stay escaped, on one line). */
export function refusalLine(r: Refusal): string {
  return safeLine(`${clock(r.at)}  ${r.client.padEnd(21)} ${r.status}  ✗ ${r.reason}`);
}
