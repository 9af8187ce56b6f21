/**
 * One log line per proxy flow, shared by `netreq proxy` and the proxy task's terminal. Terminal-safe and one line
 * whatever the client or the upstream sent (a target like `http://x/\e]0;owned\a` is printed as `\x1b]0;owned\x07`).
 */
import { clockText, formatBytes, formatMs } from '../../common/format';
import { safeLine } from '../text';
import type { Flow, Refusal } from './server';

export function flowLine(f: Flow): string {
  const what = f.kind === 'tunnel' ? `CONNECT ${f.target} (tunnel)` : `${f.method} ${f.target}`;
  const status = f.status !== undefined ? String(f.status) : '—';
  return safeLine(`${clockText(f.startedAt)}  ${f.client.padEnd(21)} ${what} → ${status}  ↑${formatBytes(f.bytesUp)} ↓${formatBytes(f.bytesDown)}  ${formatMs(f.durationMs)}${f.error ? `  ✗ ${f.error}` : ''}`);
}

/** The line for a request the proxy refused before a flow began (the client's bytes stay escaped, on one line). */
export function refusalLine(r: Refusal): string {
  return safeLine(`${clockText(r.at)}  ${r.client.padEnd(21)} ${r.status}  ✗ ${r.reason}`);
}
