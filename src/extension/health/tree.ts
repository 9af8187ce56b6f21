/**
 * The "Network Health" tree: a row per check (state icon, "12 ms · 5 s ago", a Markdown tooltip with the
 * target, the last error and the history), its recent results as children, and in Restricted Mode a row
 * that says why the workspace's checks are idle. Rows are rebuilt from the controller on each change.
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { HealthController } from './controller';
import { checkDescription, checkIcon, checkTooltip, resultRow, STATE_WORDS, type IconSpec } from './format';
import type { HealthEntry } from './settings';

/** How many recent results a check row shows when expanded (newest first). */
export const RECENT_RESULTS = 10;

export type HealthNode =
  | { kind: 'check'; name: string }
  | { kind: 'result'; name: string; at: number }
  | { kind: 'message'; id: 'restricted' };

/** contextValue of a check row: `check.setting`, `check.file` (menus match `^check\.`), or `check.problem.*`. */
export function contextValueOf(entry: HealthEntry): string {
  return `check.${entry.problem ? 'problem.' : ''}${entry.source.kind}`;
}

function icon(spec: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

export class HealthTreeProvider extends Disposable implements vscode.TreeDataProvider<HealthNode> {
  private readonly changed = this.register(new vscode.EventEmitter<HealthNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly now: () => number;

  constructor(private readonly controller: HealthController, now: () => number = Date.now) {
    super();
    this.now = now;
    this.register(controller.onDidChange(() => this.refresh()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: HealthNode): HealthNode[] {
    if (!node) {
      const entries = this.controller.entries();
      const checks = entries.map((e): HealthNode => ({ kind: 'check', name: e.name }));
      // Restricted Mode: say why workspace checks are idle. With nothing at all, the welcome text says it.
      const restricted = !vscode.workspace.isTrusted && (checks.length > 0 || entries.some((e) => e.idle));
      return restricted ? [{ kind: 'message', id: 'restricted' }, ...checks] : checks;
    }
    if (node.kind !== 'check') return [];
    const history = this.controller.status(node.name)?.history ?? [];
    return history
      .slice(-RECENT_RESULTS)
      .reverse()
      .map((r) => ({ kind: 'result', name: node.name, at: r.at }));
  }

  getParent(node: HealthNode): HealthNode | undefined {
    return node.kind === 'result' ? { kind: 'check', name: node.name } : undefined;
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    if (node.kind === 'message') return this.restrictedItem();
    const entry = this.controller.entries().find((e) => e.name === node.name);
    const status = this.controller.status(node.name);
    if (node.kind === 'result') {
      const r = status?.history.find((h) => h.at === node.at);
      const item = new vscode.TreeItem(r ? resultRow(r).label : '(gone)', vscode.TreeItemCollapsibleState.None);
      if (r) {
        const row = resultRow(r);
        item.description = row.description;
        item.iconPath = icon(row.icon);
        item.tooltip = `${STATE_WORDS[r.state]}: ${row.description}`;
      }
      item.id = `result:${node.name}:${node.at}`;
      item.contextValue = 'result';
      return item;
    }
    const hasHistory = (status?.history.length ?? 0) > 0;
    const item = new vscode.TreeItem(node.name, hasHistory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `check:${node.name}`;
    if (!entry) return item;
    const now = this.now();
    item.description = checkDescription(entry, status, now, this.controller.paused);
    item.iconPath = icon(checkIcon(entry, status));
    item.tooltip = markdown(checkTooltip(entry, status, now));
    item.contextValue = contextValueOf(entry);
    item.accessibilityInformation = { label: `${node.name}: ${entry.problem ? 'cannot run' : entry.idle ? 'idle' : STATE_WORDS[status?.state ?? 'unknown']}, ${item.description}` };
    return item;
  }

  private restrictedItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Restricted Mode: workspace checks are idle', vscode.TreeItemCollapsibleState.None);
    item.id = 'message:restricted';
    item.iconPath = new vscode.ThemeIcon('shield');
    item.description = 'trust the workspace to run them';
    item.tooltip = markdown(
      'Checks from this workspace (its settings and the `# @health` blocks of its .netreq files) connect to hosts the workspace names, so they run only in a trusted workspace. Checks in your user settings run anyway. Click to manage Workspace Trust.',
    );
    item.command = { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' };
    item.contextValue = 'message';
    return item;
  }
}
