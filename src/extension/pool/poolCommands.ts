/**
 * "Show Connection Pool": a read-only Markdown document (scheme netreq-pool) that refreshes when the
 * pool changes; "Close Pooled Connections": closes them all and says how many.
 */
import * as vscode from 'vscode';
import type { ConnectionPool } from '../../core/transport/pool';
import { Disposable, toDisposable } from '../lifecycle';
import { poolMarkdown } from './poolFormat';

export const POOL_SCHEME = 'netreq-pool';
export const POOL_URI = vscode.Uri.from({ scheme: POOL_SCHEME, path: '/Connection Pool.md' });

export class PoolCommands extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pool: ConnectionPool) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(POOL_SCHEME, this));
    this.register(vscode.commands.registerCommand('netreq.showConnectionPool', () => this.show()));
    this.register(vscode.commands.registerCommand('netreq.closePooledConnections', () => this.closeAll()));
    const onChange = () => this.scheduleRefresh();
    pool.on('change', onChange);
    this.register(toDisposable(() => pool.off('change', onChange)));
    this.register(toDisposable(() => clearTimeout(this.timer)));
  }

  provideTextDocumentContent(): string {
    return poolMarkdown(this.pool.snapshot());
  }

  async show(): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(POOL_URI);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
    this.changed.fire(POOL_URI);
    return doc;
  }

  closeAll(): number {
    const n = this.pool.closeAll();
    void vscode.window.showInformationMessage(
      n === 0 ? 'NetReq: no pooled connections were open.' : `NetReq: closed ${n} pooled connection${n === 1 ? '' : 's'} (busy ones close when their response ends).`,
    );
    this.changed.fire(POOL_URI);
    return n;
  }

  private scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (vscode.workspace.textDocuments.some((d) => d.uri.scheme === POOL_SCHEME)) this.changed.fire(POOL_URI);
    }, 250);
  }
}
