/**
 * The active environment: a status-bar item while a .netreq editor is active, a quick pick to change
 * it, and the choice remembered per workspace.
 */
import * as vscode from 'vscode';
import { listEnvironments, SHARED } from '../core/netreq';
import * as config from './config';
import { isNetreq } from './language/documentCache';
import { Disposable } from './lifecycle';

const STATE_KEY = 'netreq.activeEnvironment';

export class EnvironmentController extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = this.register(new vscode.EventEmitter<string | undefined>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('netreq.environment', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'NetReq Environment';
    this.item.command = 'netreq.selectEnvironment';
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('netreq.environments') || e.affectsConfiguration('netreq.defaultEnvironment')) this.refresh();
      }),
    );
    this.refresh();
  }

  /**
   * The environment picked in this workspace; before any pick, `netreq.defaultEnvironment` (the examples set
   * `local`). Picking "No environment" is remembered as '' and means none.
   */
  get active(): string | undefined {
    const picked = this.state.get<string>(STATE_KEY);
    if (picked === undefined) return config.defaultEnvironment();
    return picked || undefined;
  }

  /** Names a user can pick (every key of netreq.environments but $shared). */
  names(): string[] {
    return listEnvironments(config.environments());
  }

  /** Forgets the pick, as in a workspace opened for the first time (tests). */
  async forgetPick(): Promise<void> {
    await this.state.update(STATE_KEY, undefined);
    this.refresh();
    this.changed.fire(this.active);
  }

  async set(name: string | undefined): Promise<void> {
    await this.state.update(STATE_KEY, name ?? '');
    this.refresh();
    this.changed.fire(name);
  }

  async pick(): Promise<string | undefined> {
    const envs = config.environments();
    const active = this.active;
    type Item = vscode.QuickPickItem & { env: string | undefined };
    const items: Item[] = [
      { label: 'No environment', description: envs[SHARED] ? 'only $shared variables' : undefined, env: undefined, picked: !active },
      ...this.names().map<Item>((name) => ({
        label: name,
        description: `${Object.keys(envs[name] ?? {}).length} variables${name === active ? ' · active' : ''}`,
        env: name,
        picked: name === active,
      })),
    ];
    if (items.length === 1) items[0].detail = 'Define environments in the setting netreq.environments';
    const choice = await vscode.window.showQuickPick(items, { title: 'NetReq: Select Environment', placeHolder: `Active: ${active ?? 'none'}` });
    if (!choice) return active;
    await this.set(choice.env);
    return choice.env;
  }

  private refresh(): void {
    if (!isNetreq(vscode.window.activeTextEditor?.document)) {
      this.item.hide();
      return;
    }
    const active = this.active;
    const missing = active !== undefined && !this.names().includes(active);
    this.item.text = `$(globe) env: ${active ?? 'none'}${missing ? ' (missing)' : ''}`;
    this.item.tooltip = missing
      ? `Environment '${active}' is not in netreq.environments. Click to choose another.`
      : 'NetReq environment for variables: click to change';
    this.item.show();
  }
}
