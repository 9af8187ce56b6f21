/**
 * Issue 6 in the editor: the "Network Health" view in the NetReq activity-bar container, the status-bar
 * indicator, the health commands, over the core HealthScheduler. `registerHealth` builds it all, hands
 * every registration to context.subscriptions and returns the API the integration tests read.
 *
 * Activation stays cheap: the setting is read, nothing else. The checks start (and the workspace's
 * .netreq files are scanned for `# @health`) when the setting has checks, the view is shown, or a health
 * command is used.
 */
import * as vscode from 'vscode';
import type { CheckStatus } from '../../core/health/scheduler';
import type { ConnectionPool } from '../../core/transport/pool';
import { toDisposable } from '../lifecycle';
import { HealthCommands, type AddCheckArgs, type Outcome, type ReplayOpener } from './commands';
import { HealthController, VIEW_ID } from './controller';
import type { StatusBarView } from './format';
import { sourceLabel } from './settings';
import { HealthStatusBar } from './statusBar';
import { HealthTreeProvider, type HealthNode } from './tree';

/** While the view is visible, its "5 s ago" texts are refreshed this often. */
const AGE_REFRESH_MS = 5000;

/** A row of the tree as rendered, for tests. */
export interface HealthRow {
  label: string;
  description?: string;
  /** Codicon id and theme colour id of the icon. */
  icon?: string;
  color?: string;
  contextValue?: string;
  /** The tooltip's Markdown source. */
  tooltip?: string;
  children: Array<{ label: string; description?: string; icon?: string }>;
}

export interface HealthApi {
  /** The scheduler's view of every running check. */
  statuses(): CheckStatus[];
  /** Every check the view shows, where it came from, and why it does not run (problem / idle). */
  entries(): Array<{ name: string; target?: string; source: string; state: string; problem?: string; idle?: boolean }>;
  /** The tree's rows as VS Code gets them (check rows with their recent results). */
  rows(): Promise<HealthRow[]>;
  /** The status-bar item's text, or undefined while it is hidden. */
  statusBarText(): string | undefined;
  statusBar(): StatusBarView | undefined;
  /** The "check turned unhealthy" notifications shown so far (`netreq.health.notifyOnUnhealthy`), last 20. */
  notifications(): string[];
  readonly paused: boolean;
  readonly started: boolean;
  /** Reads the setting and the workspace's .netreq files again; resolves when done. */
  refresh(): Promise<void>;
  addCheck(args: AddCheckArgs): Promise<Outcome>;
}

export interface HealthRegistration {
  pool: ConnectionPool;
  /** The environment controller: its active environment resolves {{variables}} in pinned blocks. */
  environments: { readonly active: string | undefined; onDidChange: vscode.Event<unknown> };
  /** Read-only documents for "Open as Request" (closing one never asks to save). */
  replays: ReplayOpener;
}

function describeIcon(p: vscode.TreeItem['iconPath']): { icon?: string; color?: string } {
  // ThemeColor keeps its id at run time; @types/vscode 1.90 does not declare it.
  return p instanceof vscode.ThemeIcon ? { icon: p.id, color: (p.color as { id?: string } | undefined)?.id } : {};
}

function text(v: string | vscode.MarkdownString | vscode.TreeItemLabel | boolean | undefined): string | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  return typeof v === 'string' ? v : 'value' in v ? v.value : v.label;
}

export function registerHealth(context: vscode.ExtensionContext, deps: HealthRegistration): HealthApi {
  const controller = new HealthController({
    pool: deps.pool,
    state: context.workspaceState,
    environment: () => deps.environments.active,
    onDidChangeEnvironment: deps.environments.onDidChange,
  });
  const tree = new HealthTreeProvider(controller);
  const view = vscode.window.createTreeView<HealthNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new HealthStatusBar(controller);
  const commands = new HealthCommands(controller, deps.replays);
  let ticker: NodeJS.Timeout | undefined;
  const onVisible = () => {
    clearInterval(ticker);
    ticker = undefined;
    if (!view.visible) return;
    void controller.start();
    tree.refresh();
    ticker = setInterval(() => tree.refresh(), AGE_REFRESH_MS);
  };
  const subs = [controller, tree, view, statusBar, commands, view.onDidChangeVisibility(onVisible), toDisposable(() => clearInterval(ticker))];
  // Disposed in reverse: the ticker and the view go before the controller stops the scheduler.
  context.subscriptions.push(toDisposable(() => subs.reverse().forEach((d) => d.dispose())));
  onVisible();

  const rows = async (): Promise<HealthRow[]> => {
    const out: HealthRow[] = [];
    for (const node of tree.getChildren()) {
      const item = tree.getTreeItem(node);
      const children = tree.getChildren(node).map((c) => {
        const ci = tree.getTreeItem(c);
        return { label: text(ci.label) ?? '', description: text(ci.description), icon: describeIcon(ci.iconPath).icon };
      });
      out.push({ label: text(item.label) ?? '', description: text(item.description), ...describeIcon(item.iconPath), contextValue: item.contextValue, tooltip: text(item.tooltip), children });
    }
    return out;
  };

  return {
    statuses: () => controller.scheduler.statuses(),
    entries: () =>
      controller.entries().map((e) => ({
        name: e.name,
        target: e.target,
        source: sourceLabel(e.source),
        state: controller.status(e.name)?.state ?? 'unknown',
        ...(e.problem ? { problem: e.problem } : {}),
        ...(e.idle ? { idle: true } : {}),
      })),
    rows,
    statusBarText: () => (statusBar.current?.visible ? statusBar.current.text : undefined),
    statusBar: () => statusBar.current,
    notifications: () => [...controller.notified],
    get paused() {
      return controller.paused;
    },
    get started() {
      return controller.isStarted;
    },
    refresh: async () => {
      controller.sources.readSettings(true);
      await controller.start();
      await controller.sources.rescanFiles();
    },
    addCheck: (args) => commands.addCheck(args),
  };
}
