/**
 * The Connection Pool view in the NetReq container: a live tree of the pool (hosts, then their connections with
 * state, age, idle time and requests served), refreshed when the pool changes and every second while visible
 * (ages move); Close on a connection, Close Pooled Connections on the view. "Show Connection Pool" reveals it.
 */
import * as vscode from 'vscode';
import type { ConnectionPool } from '../../core/transport/pool';
import { Disposable, toDisposable } from '../lifecycle';
import { connectionRow, hostRow, poolMessage } from './poolFormat';

export const POOL_VIEW_ID = 'netreq.pool';

export type PoolNode = { kind: 'host'; key: string } | { kind: 'connection'; key: string; id: number };

const TICK_MS = 1_000;
const THROTTLE_MS = 250;

export class PoolCommands extends Disposable implements vscode.TreeDataProvider<PoolNode> {
  private readonly changed = this.register(new vscode.EventEmitter<PoolNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<PoolNode>;
  private pending?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;

  constructor(private readonly pool: ConnectionPool) {
    super();
    this.view = this.register(vscode.window.createTreeView(POOL_VIEW_ID, { treeDataProvider: this, showCollapseAll: false }));
    this.register(vscode.commands.registerCommand('netreq.showConnectionPool', () => this.show()));
    this.register(vscode.commands.registerCommand('netreq.closePooledConnections', () => this.closeAll()));
    this.register(vscode.commands.registerCommand('netreq.pool.closeConnection', (n?: PoolNode) => this.closeOne(n)));
    const onChange = () => this.scheduleRefresh();
    pool.on('change', onChange);
    this.register(toDisposable(() => pool.off('change', onChange)));
    this.register(this.view.onDidChangeVisibility((e) => this.tick(e.visible)));
    this.register(toDisposable(() => (clearTimeout(this.pending), clearInterval(this.ticker))));
    this.updateMessage();
  }

  getChildren(node?: PoolNode): PoolNode[] {
    const snap = this.pool.snapshot();
    if (!node) return snap.hosts.map((h) => ({ kind: 'host', key: h.key }));
    if (node.kind !== 'host') return [];
    const h = snap.hosts.find((x) => x.key === node.key);
    return (h?.connections ?? []).map((c) => ({ kind: 'connection', key: node.key, id: c.id }));
  }

  getTreeItem(node: PoolNode): vscode.TreeItem {
    const h = this.pool.snapshot().hosts.find((x) => x.key === node.key);
    if (node.kind === 'host') {
      const row = h ? hostRow(h) : { label: node.key, description: 'closed', tooltip: '' };
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `host:${node.key}`;
      item.iconPath = new vscode.ThemeIcon(h?.tls ? 'lock' : 'globe');
      Object.assign(item, { description: row.description, tooltip: row.tooltip, contextValue: 'pool.host' });
      return item;
    }
    const c = h?.connections.find((x) => x.id === node.id);
    const row = c ? connectionRow(c) : { label: `#${node.id} closed`, description: '', tooltip: '' };
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `conn:${node.id}`;
    item.iconPath = new vscode.ThemeIcon(c?.state === 'busy' ? 'sync' : 'plug');
    Object.assign(item, { description: row.description, tooltip: row.tooltip, contextValue: 'pool.connection' });
    return item;
  }

  getParent(node: PoolNode): PoolNode | undefined {
    return node.kind === 'connection' ? { kind: 'host', key: node.key } : undefined;
  }

  async show(): Promise<void> {
    await vscode.commands.executeCommand(`${POOL_VIEW_ID}.focus`);
    this.refresh();
  }

  closeAll(): number {
    const n = this.pool.closeAll();
    void vscode.window.showInformationMessage(
      n === 0 ? 'NetReq: no pooled connections were open.' : `NetReq: closed ${n} pooled connection${n === 1 ? '' : 's'} (busy ones close when their response ends).`,
    );
    this.refresh();
    return n;
  }

  /** Closes the connection of a row (a busy one when its response ends). */
  closeOne(node?: PoolNode): boolean {
    if (node?.kind !== 'connection') return false;
    const done = this.pool.closeConnection(node.id);
    this.refresh();
    return done;
  }

  refresh(): void {
    this.updateMessage();
    this.changed.fire(undefined);
  }

  private updateMessage(): void {
    const snap = this.pool.snapshot();
    this.view.message = snap.hosts.length === 0 ? undefined : poolMessage(snap.options, snap.totalOpen);
  }

  private scheduleRefresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.refresh();
    }, THROTTLE_MS);
  }

  /** Ages and idle times move: redraw every second while the view is visible and holds connections. */
  private tick(visible: boolean): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (!visible) return;
    this.ticker = setInterval(() => this.pool.snapshot().totalOpen > 0 && this.refresh(), TICK_MS);
  }
}
