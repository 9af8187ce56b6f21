/**
 * What the service terminals print: the CLI's log lines (`netreq proxy`, `netreq listen`), and a writer that
 * batches them so a flood of traffic never floods the terminal and escapes every line it writes (`safeText`). Plain
 * TypeScript (no `vscode`), unit-tested.
 */
import type { Datagram, MulticastListener } from '../../core/listener/multicast';
import type { Flow } from '../../core/proxy/server';
import { flowLine } from '../../core/proxy/log';
import { chunkText, safeText } from '../../core/text';
import { clockText } from '../../common/format';
import { listenerStatsText } from '../../shared/kernelDrops';
import { REAL_TIMERS, type Timers } from '../traffic/trafficFeed';

/** The proxy's line per flow, as `netreq proxy` prints it (one line, terminal-safe). */
export function proxyFlowLine(f: Flow): string {
  return flowLine(f);
}

/** The listener's line per datagram, as `netreq listen` prints it (the first 512 bytes as text). */
export function datagramLine(d: Datagram): string {
  return `${clockText(d.at)}  ${d.from.padEnd(21)} ${String(d.size).padStart(6)} B  ${chunkText(d.data.subarray(0, 512), { oneLine: true })}`;
}

/** Counts and rate, printed every few seconds while datagrams come in. */
export function listenerStatsLine(l: Pick<MulticastListener, 'stats' | 'rate'>, now = Date.now()): string {
  return `— ${listenerStatsText(l.stats, l.rate(now))}`;
}

export const ANSI = {
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
};

export interface LogWriterOptions {
  intervalMs: number;
  /** Most lines written per interval; the rest are counted and summed up in one line. */
  maxLinesPerFlush: number;
  /** Lines kept for `recent` (the API shows them to tests). */
  keep: number;
  timers: Timers;
}

/**
 * Collects lines and writes them at most every `intervalMs`, `maxLinesPerFlush` at a time: past that,
 * "… N more lines" (the traffic view has them all). Messages of the service itself (`now`) go out at once.
 */
export class LogWriter {
  private queue: string[] = [];
  private skipped = 0;
  private timer: unknown;
  private closed = false;
  readonly recent: string[] = [];
  private readonly opts: LogWriterOptions;

  constructor(
    private readonly write: (data: string) => void,
    opts: Partial<LogWriterOptions> = {},
  ) {
    this.opts = { intervalMs: 100, maxLinesPerFlush: 200, keep: 200, timers: REAL_TIMERS, ...opts };
  }

  /** A traffic line: batched. */
  line(s: string): void {
    if (this.closed) return;
    if (this.queue.length >= this.opts.maxLinesPerFlush) this.skipped++;
    else this.queue.push(s);
    if (this.timer === undefined) this.timer = this.opts.timers.setTimeout(() => this.flush(), this.opts.intervalMs);
  }

  /** A line of the service's own (started, stopped, why it failed): written now, after what is queued. */
  now(s: string): void {
    if (this.closed) return;
    this.flush();
    this.emit([s]);
  }

  flush(): void {
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.queue;
    this.queue = [];
    if (this.skipped > 0) lines.push(ANSI.dim(`… ${this.skipped} more line${this.skipped === 1 ? '' : 's'} not printed here (NetReq: Show Traffic has them)`));
    this.skipped = 0;
    if (lines.length > 0) this.emit(lines);
  }

  /** Flushes and stops writing. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /**
   * The one place the terminal is written: every line is made terminal-safe here (one line each; only the
   * colour codes of ANSI above survive), so no caller can forget to.
   */
  private emit(lines: string[]): void {
    const safe = lines.map((l) => safeText(l, { oneLine: true, keepColors: true }));
    // eslint-disable-next-line no-control-regex
    for (const l of safe) this.recent.push(l.replace(/\x1b\[[0-9;]*m/g, ''));
    if (this.recent.length > this.opts.keep) this.recent.splice(0, this.recent.length - this.opts.keep);
    this.write(safe.map((l) => `${l}\r\n`).join(''));
  }
}
