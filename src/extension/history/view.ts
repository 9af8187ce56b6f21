/**
 * The History view in the NetReq container (days, then their exchanges, newest first) and the read-only
 * `netreq-history:` documents "Compare with previous" puts in the diff editor. Thin: rows come from rows.ts,
 * the text from compare.ts.
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { HistoryMeta } from './entry';
import { entryRow, groupByDay } from './rows';
import type { HistoryStore } from './store';

export const HISTORY_VIEW_ID = 'netreq.history';
export const HISTORY_SCHEME = 'netreq-history';

export type HistoryNode = { kind: 'day'; key: string } | { kind: 'entry'; id: string };

const TONE_ICON = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

export class HistoryTree extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = this.register(new vscode.EventEmitter<HistoryNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<HistoryNode>;
  private pending?: ReturnType<typeof setTimeout>;

  constructor(private readonly store: () => HistoryStore) {
    super();
    this.view = this.register(vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register({ dispose: () => clearTimeout(this.pending) });
  }

  /** Redraws soon (many adds in a row, e.g. Send All, redraw once). */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
      this.updateMessage();
    }, 100);
  }

  updateMessage(): void {
    const r = this.store().lastLoad;
    this.view.message = r.skipped > 0 ? `${r.skipped} damaged history record${r.skipped === 1 ? ' was' : 's were'} skipped: ${r.problems[0] ?? ''}` : undefined;
  }

  /** The rows as the view shows them (tests). */
  rows(): Array<{ day: string; entries: HistoryMeta[] }> {
    return groupByDay(this.store().list(), Date.now()).map((g) => ({ day: g.label, entries: g.entries }));
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    const groups = groupByDay(this.store().list(), Date.now());
    if (!node) return groups.map((g) => ({ kind: 'day', key: g.key }));
    if (node.kind !== 'day') return [];
    return (groups.find((g) => g.key === node.key)?.entries ?? []).map((e) => ({ kind: 'entry', id: e.id }));
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'day') {
      const g = groupByDay(this.store().list(), Date.now()).find((x) => x.key === node.key);
      const item = new vscode.TreeItem(g?.label ?? node.key, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `day:${node.key}`;
      item.description = g ? `${g.entries.length}` : '';
      item.contextValue = 'history.day';
      return item;
    }
    const m = this.store().get(node.id);
    if (!m) return new vscode.TreeItem('(no longer kept)');
    const row = entryRow(m);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `entry:${m.id}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = TONE_ICON[row.tone];
    item.contextValue = this.store().previousOf(m.id) ? 'history.entry.comparable' : 'history.entry';
    item.command = { command: 'netreq.history.open', title: 'Open', arguments: [node] };
    return item;
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    if (node.kind === 'day') return undefined;
    const m = this.store().get(node.id);
    return m ? { kind: 'day', key: groupByDay([m], Date.now())[0].key } : undefined;
  }
}

/** The read-only documents of the diff editor: their text is kept while open (at most MAX_DOCS), else rebuilt. */
export class ComparisonDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private static readonly MAX_DOCS = 32;
  private readonly texts = new Map<string, string>();

  constructor(private readonly rebuild: (id: string) => Promise<string>) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, this));
  }

  uriFor(m: HistoryMeta, text: string): vscode.Uri {
    const name = m.title.replace(/[^\w.@-]+/g, '_').slice(0, 60) || 'exchange';
    const uri = vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${m.id}/${name}.txt` });
    this.texts.delete(uri.toString());
    this.texts.set(uri.toString(), text);
    while (this.texts.size > ComparisonDocuments.MAX_DOCS) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string | Thenable<string> {
    const kept = this.texts.get(uri.toString());
    if (kept !== undefined) return kept;
    const id = uri.path.split('/')[1] ?? '';
    return this.rebuild(id);
  }
}
