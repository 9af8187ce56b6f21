/**
 * History: every exchange sent from the editor, kept per workspace (HistoryStore under the extension's
 * workspace storage), listed in the History view; open one in its block's panel as it was, send its block
 * again, compare it with the block's previous one in the diff editor, clear. The send commands call `record`
 * when an exchange ends (a WebSocket session when it closes).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exchange } from '../../core/exchange';
import { findBlockByName } from '../../core/netreq';
import type { WsRequestSpec } from '../../core/request';
import * as config from '../config';
import type { DocumentCache } from '../language/documentCache';
import { Disposable, toDisposable } from '../lifecycle';
import type { BlockTarget } from '../panels/blockTarget';
import type { ResponsePanelManager } from '../panels/responsePanel';
import type { TranscriptPanelManager } from '../panels/transcriptPanel';
import type { WsSessionLike } from '../panels/wsSessionController';
import type { WsSessionPanelManager } from '../panels/wsSessionPanel';
import type { RequestRunner } from '../requests/runner';
import { comparisonText } from './compare';
import { buildEntry, type HistoryMeta } from './entry';
import { memoryHistoryFs } from './memoryFs';
import { nodeHistoryFs } from './nodeFs';
import { redactNames } from './redact';
import { reviveExchange } from './revive';
import { clock } from './rows';
import { HistoryStore, type LoadReport } from './store';
import { StoredWsSession } from './storedSession';
import { ComparisonDocuments, HistoryTree, type HistoryNode } from './view';

export const DEFAULT_REDACT = ['Authorization', 'Cookie', 'Set-Cookie', 'Proxy-Authorization'];

export interface HistorySettings {
  enabled: boolean;
  maxEntries: number;
  maxBytes: number;
  maxBodyBytes: number;
  redact: ReadonlySet<string>;
}

function whole(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : fallback;
}

export function historySettings(): HistorySettings {
  const c = vscode.workspace.getConfiguration('netreq.history');
  return {
    enabled: c.get<boolean>('enabled', true) !== false,
    maxEntries: whole(c.get('maxEntries'), 500, 1, 100_000),
    maxBytes: whole(c.get('maxBytes'), 50 * 1024 * 1024, 0, 16 * 1024 ** 3),
    maxBodyBytes: whole(c.get('maxBodyBytes'), 1024 * 1024, 0, 1024 ** 3),
    redact: redactNames(c.get('redact', DEFAULT_REDACT)),
  };
}

export interface HistoryDeps {
  cache: DocumentCache;
  runner: RequestRunner;
  panels: ResponsePanelManager;
  transcripts: TranscriptPanelManager;
  sessions: WsSessionPanelManager;
}

export interface ActionResult {
  ok: boolean;
  message: string;
}

/** History for the tests (NetreqTestingApi.history). */
export interface HistoryApi {
  entries(): readonly HistoryMeta[];
  rows(): Array<{ day: string; entries: HistoryMeta[] }>;
  /** The view's tree items, days then their entries, as VS Code gets them; and whether the view is visible. */
  items(): vscode.TreeItem[];
  visible(): boolean;
  /** Writes what is pending now. */
  flush(): Promise<void>;
  open(id: string): Promise<ActionResult>;
  resend(id: string): Promise<ActionResult & { exchange?: Exchange }>;
  compare(id: string): Promise<ActionResult & { left?: vscode.Uri; right?: vscode.Uri }>;
  clear(): Promise<void>;
  /** Reads the store again from disk as a new window would (after flushing). */
  reload(): Promise<LoadReport>;
  readonly directory: string | undefined;
}

const entryId = (n: unknown): string | undefined => {
  if (typeof n === 'string') return n;
  const o = n as Partial<Extract<HistoryNode, { kind: 'entry' }>> | undefined;
  return o && typeof o === 'object' && typeof o.id === 'string' ? o.id : undefined;
};

export class HistoryController extends Disposable {
  private store: HistoryStore;
  private readonly tree: HistoryTree;
  private readonly docs: ComparisonDocuments;
  private settings = historySettings();
  private reported = false;
  readonly directory: string | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly deps: HistoryDeps,
  ) {
    super();
    this.directory = context.storageUri?.scheme === 'file' ? path.join(context.storageUri.fsPath, 'history') : undefined;
    this.store = this.newStore();
    this.tree = this.register(new HistoryTree(() => this.store));
    this.docs = this.register(new ComparisonDocuments((id) => this.textOf(id).then((t) => t ?? 'This history entry is no longer kept.')));
    this.watch();
    void this.store.load();
    const cmd = (id: string, fn: (n?: unknown) => unknown) => this.register(vscode.commands.registerCommand(id, fn));
    cmd('netreq.history.open', (n) => this.report(this.open(entryId(n))));
    cmd('netreq.history.resend', (n) => this.report(this.resend(entryId(n))));
    cmd('netreq.history.compare', (n) => this.report(this.compare(entryId(n))));
    cmd('netreq.history.clear', () => this.confirmClear());
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('netreq.history')) return;
        this.settings = historySettings();
        this.store.trim();
        void vscode.commands.executeCommand('setContext', 'netreq.history.enabled', this.settings.enabled);
      }),
    );
    void vscode.commands.executeCommand('setContext', 'netreq.history.enabled', this.settings.enabled);
    this.register(toDisposable(() => void this.store.dispose()));
  }

  private newStore(): HistoryStore {
    const fsx = this.directory ? nodeHistoryFs() : memoryHistoryFs();
    return new HistoryStore(fsx, this.directory ?? '/history', () => this.settings, {
      onError: (message) => {
        // Said once per window: a full disk should not raise a toast per request.
        if (this.reported) return;
        this.reported = true;
        void vscode.window.showWarningMessage(`NetReq: ${message}`);
      },
    });
  }

  private unwatch?: () => void;
  private watch(): void {
    this.unwatch?.();
    this.unwatch = this.store.onDidChange(() => this.tree.refresh());
  }

  /**
   * An exchange sent from the editor ended: keep it (unless History is off). The entry is built on the next turn
   * of the event loop (redacting and encoding a large body takes milliseconds), after the panel got the exchange.
   */
  record(target: BlockTarget, title: string, exchange: Exchange): void {
    if (!this.settings.enabled) return;
    const ctx = { uri: target.uri.toString(), blockIndex: target.blockIndex, blockName: target.blockName, title };
    setImmediate(() => {
      try {
        const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
        this.store.add(buildEntry(exchange, ctx, this.settings, id));
      } catch (err) {
        // History must never break a send: what failed is said once, like a write error.
        if (!this.reported) {
          this.reported = true;
          void vscode.window.showWarningMessage(`NetReq: the exchange could not be kept in History (${err instanceof Error ? err.message : String(err)}).`);
        }
      }
    });
  }

  private async report(p: Promise<ActionResult>): Promise<ActionResult> {
    const r = await p;
    if (!r.ok) void vscode.window.showInformationMessage(`NetReq: ${r.message}`);
    return r;
  }

  private async exchangeOf(id: string | undefined): Promise<{ ok: true; meta: HistoryMeta; exchange: Exchange } | { ok: false; message: string }> {
    const meta = id ? this.store.get(id) : undefined;
    if (!meta) return { ok: false, message: 'Pick an exchange in the History view.' };
    const p = await this.store.payload(meta.id);
    if (!p.ok) return p;
    const r = reviveExchange(p.payload.exchange, meta);
    return r.ok ? { ok: true, meta, exchange: r.exchange } : r;
  }

  private async textOf(id: string): Promise<string | undefined> {
    const x = await this.exchangeOf(id);
    return x.ok ? comparisonText(x.exchange, x.meta) : undefined;
  }

  private targetOf(m: HistoryMeta): BlockTarget {
    const uri = vscode.Uri.parse(m.uri, true);
    return m.blockName ? { uri, blockIndex: m.blockIndex, blockName: m.blockName } : { uri, blockIndex: m.blockIndex };
  }

  /** Shows the exchange in its block's panel, as it was when it ended. */
  async open(id: string | undefined): Promise<ActionResult> {
    const x = await this.exchangeOf(id);
    if (!x.ok) return x;
    const { meta, exchange } = x;
    let target: BlockTarget;
    try {
      target = this.targetOf(meta);
    } catch {
      return { ok: false, message: 'This history entry names a file that is not a valid URI.' };
    }
    if (this.deps.runner.isRunning(target.uri, target.blockIndex)) return { ok: false, message: `“${meta.title}” is being sent: open it from History when it is done.` };
    const title = `${meta.title} · ${clock(meta.at)}`;
    if (exchange.kind === 'http') {
      this.deps.panels.show(target).showExchange(exchange, title, config.previewBytes(target.uri), config.requestDefaults(target.uri).maxResponseBytes);
    } else if (exchange.kind === 'socket') {
      this.deps.transcripts.show(target).showExchange(exchange, title, config.previewBytes(target.uri));
    } else {
      const live = this.deps.sessions.find(target.uri, target.blockIndex)?.current;
      if (live && live.state !== 'closed') {
        // Its panel holds a session that is still open: the stored one opens as text beside it.
        const uri = this.docs.uriFor(meta, comparisonText(exchange, meta));
        await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return { ok: true, message: 'The block’s WebSocket session is still open: the stored session opened as text.' };
      }
      // The stored session has no script to run: the panel only replays its frames.
      const spec = { messages: [] } as unknown as WsRequestSpec;
      // `on`/`off` return the emitter, not a WsSession: the controller never uses what they return.
      const stored = new StoredWsSession(exchange) as unknown as WsSessionLike;
      await this.deps.sessions.show(target).start(stored, spec, title, new AbortController().signal);
    }
    return { ok: true, message: 'Opened from History.' };
  }

  /** Sends the entry's block again, if its file still has it. */
  async resend(id: string | undefined): Promise<ActionResult & { exchange?: Exchange }> {
    const meta = id ? this.store.get(id) : undefined;
    if (!meta) return { ok: false, message: 'Pick an exchange in the History view.' };
    const where = `${meta.title} (${meta.blockName ? `@${meta.blockName}` : `block ${meta.blockIndex + 1}`})`;
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(this.targetOf(meta).uri);
    } catch {
      return { ok: false, message: `Cannot send “${where}” again: its file ${meta.uri} cannot be opened.` };
    }
    const parsed = this.deps.cache.get(doc);
    const block = meta.blockName ? findBlockByName(parsed, meta.blockName) : parsed.blocks.find((b) => b.index === meta.blockIndex);
    if (!block?.requestLine) return { ok: false, message: `Cannot send “${where}” again: ${path.basename(doc.uri.path)} no longer has that block.` };
    const exchange = await vscode.commands.executeCommand<Exchange | undefined>('netreq.sendRequest', doc.uri, block.index);
    return exchange ? { ok: true, message: 'Sent again.', exchange } : { ok: false, message: 'The block was not sent (see the message above).' };
  }

  /** The entry and the one before it of the same block, in the diff editor. */
  async compare(id: string | undefined): Promise<ActionResult & { left?: vscode.Uri; right?: vscode.Uri }> {
    const meta = id ? this.store.get(id) : undefined;
    if (!meta) return { ok: false, message: 'Pick an exchange in the History view.' };
    const prev = this.store.previousOf(meta.id);
    if (!prev) return { ok: false, message: `History has no earlier exchange of “${meta.title}” to compare with.` };
    const [a, b] = await Promise.all([this.exchangeOf(prev.id), this.exchangeOf(meta.id)]);
    if (!a.ok) return { ok: false, message: `The previous exchange cannot be read: ${a.message}` };
    if (!b.ok) return b;
    const left = this.docs.uriFor(prev, comparisonText(a.exchange, prev));
    const right = this.docs.uriFor(meta, comparisonText(b.exchange, meta));
    const day = (t: number) => new Date(t).toLocaleDateString();
    const when = (t: number) => (day(t) === day(Date.now()) ? clock(t) : `${day(t)} ${clock(t)}`);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${meta.title}: ${when(prev.at)} ↔ ${when(meta.at)}`, { preview: true });
    return { ok: true, message: 'Compared.', left, right };
  }

  private async confirmClear(): Promise<void> {
    const n = this.store.list().length;
    if (n === 0) return void vscode.window.showInformationMessage('NetReq: History is empty.');
    const pick = await vscode.window.showWarningMessage(`Clear History? ${n} exchange${n === 1 ? '' : 's'} will be deleted from this workspace.`, { modal: true }, 'Clear');
    if (pick === 'Clear') await this.store.clear();
  }

  get api(): HistoryApi {
    return {
    entries: () => this.store.list(),
    rows: () => this.tree.rows(),
    items: () => this.tree.getChildren().flatMap((d) => [this.tree.getTreeItem(d), ...this.tree.getChildren(d).map((n) => this.tree.getTreeItem(n))]),
    visible: () => this.tree.view.visible,
    flush: () => this.store.flush(),
    open: (id) => this.open(id),
    resend: (id) => this.resend(id),
    compare: (id) => this.compare(id),
    clear: () => this.store.clear(),
    reload: async () => {
      await this.store.dispose();
      this.store = this.newStore();
      this.watch();
      const r = await this.store.load();
      this.tree.refresh();
      return r;
    },
    directory: this.directory,
    };
  }
}
