/**
 * Which blocks have a request in flight (each with its AbortController), and the last exchange of
 * every block. No UI here: the send commands and the CodeLens read it, and listen to onDidChange.
 */
import * as vscode from 'vscode';
import type { Exchange, HttpExchange } from '../../core/exchange';
import { Disposable } from '../lifecycle';

export interface Run {
  readonly signal: AbortSignal;
  readonly startedAt: number;
  cancel(): void;
  /** Marks the run finished (idempotent). */
  end(): void;
}

export interface BlockRef {
  uri: string;
  blockIndex: number;
}

function key(uri: string, blockIndex: number): string {
  return `${uri}#${blockIndex}`;
}

export class RequestRunner extends Disposable {
  private readonly running = new Map<string, { controller: AbortController; startedAt: number }>();
  private readonly last = new Map<string, Map<number, Exchange>>();
  private lastOverall?: Exchange;
  private lastHttp?: HttpExchange;
  private readonly changed = this.register(new vscode.EventEmitter<BlockRef>());
  /** A block started or stopped running. */
  readonly onDidChange = this.changed.event;

  /** Starts a run for a block, or returns undefined when that block is already running. */
  begin(uri: vscode.Uri, blockIndex: number): Run | undefined {
    const u = uri.toString();
    const k = key(u, blockIndex);
    if (this.running.has(k)) return undefined;
    const entry = { controller: new AbortController(), startedAt: Date.now() };
    this.running.set(k, entry);
    this.changed.fire({ uri: u, blockIndex });
    let ended = false;
    return {
      signal: entry.controller.signal,
      startedAt: entry.startedAt,
      cancel: () => entry.controller.abort(),
      end: () => {
        if (ended) return;
        ended = true;
        if (this.running.get(k) === entry) this.running.delete(k);
        this.changed.fire({ uri: u, blockIndex });
      },
    };
  }

  isRunning(uri: vscode.Uri | string, blockIndex: number): boolean {
    return this.running.has(key(uri.toString(), blockIndex));
  }

  /** Running block indexes of a document. */
  runningIn(uri: vscode.Uri | string): number[] {
    const prefix = `${uri.toString()}#`;
    return [...this.running.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
  }

  /** Aborts the block's request; true when one was running. */
  cancel(uri: vscode.Uri | string, blockIndex: number): boolean {
    const entry = this.running.get(key(uri.toString(), blockIndex));
    entry?.controller.abort();
    return !!entry;
  }

  cancelAll(): number {
    for (const e of this.running.values()) e.controller.abort();
    return this.running.size;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Keeps the block's last exchange (a WebSocket session's exchange is recorded live, when it starts). */
  record(uri: vscode.Uri, blockIndex: number, exchange: Exchange): void {
    const u = uri.toString();
    let m = this.last.get(u);
    if (!m) this.last.set(u, (m = new Map()));
    m.set(blockIndex, exchange);
    this.lastOverall = exchange;
    if (exchange.kind === 'http') this.lastHttp = exchange;
  }

  lastExchange(uri: vscode.Uri | string, blockIndex: number): Exchange | undefined {
    return this.last.get(uri.toString())?.get(blockIndex);
  }

  /** The last exchange of any block, any kind. */
  get mostRecent(): Exchange | undefined {
    return this.lastOverall;
  }

  /** The last HTTP exchange (for the body commands). */
  get mostRecentHttp(): HttpExchange | undefined {
    return this.lastHttp;
  }

  forget(uri: vscode.Uri): void {
    this.last.delete(uri.toString());
  }

  override dispose(): void {
    this.cancelAll();
    super.dispose();
  }
}
