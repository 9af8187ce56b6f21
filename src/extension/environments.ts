/**
 * The active environment: a status-bar item while a .netreq (or .http / .rest) editor is active, a quick pick to
 * change it, and the choice remembered per workspace. The pick lists the environments of every source the active
 * document sees (netreq.environments, rest-client.environmentVariables, http-client*.env.json, .env files), each
 * with where it comes from.
 */
import * as vscode from 'vscode';
import { listEnvironments, originLabel, SHARED } from '../core/netreq';
import * as config from './config';
import { environmentSources } from './envSources';
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
        if (e.affectsConfiguration('netreq.environments') || e.affectsConfiguration('netreq.defaultEnvironment') || e.affectsConfiguration('rest-client.environmentVariables')) this.refresh();
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

  /** The document environments are listed for: the active NetReq editor's, else none (settings only). */
  private scope(): vscode.Uri | undefined {
    const d = vscode.window.activeTextEditor?.document;
    return isNetreq(d) ? d.uri : undefined;
  }

  /** Names a user can pick: every environment but $shared, from every source the active document sees. */
  names(): string[] {
    return listEnvironments(environmentSources(this.scope()).environments);
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
    const active = this.active;
    const items = this.items();
    const choice = await vscode.window.showQuickPick(items, { title: 'NetReq: Select Environment', placeHolder: `Active: ${active ?? 'none'}` });
    if (!choice) return active;
    await this.set(choice.env);
    return choice.env;
  }

  /** What the pick offers: "No environment", then each environment with its variable count and sources. */
  items(): Array<vscode.QuickPickItem & { env: string | undefined }> {
    const sources = environmentSources(this.scope());
    const envs = sources.environments;
    const active = this.active;
    const from = (name: string) => {
      const labels = [...new Set((sources.origins[name] ?? []).map((o) => originLabel(o)))];
      return labels.length ? ` · ${labels.join(', ')}` : '';
    };
    type Item = vscode.QuickPickItem & { env: string | undefined };
    const items: Item[] = [
      { label: 'No environment', description: envs[SHARED] ? `only $shared variables${from(SHARED)}` : undefined, env: undefined, picked: !active },
      ...listEnvironments(envs).map<Item>((name) => ({
        label: name,
        description: `${Object.keys(envs[name] ?? {}).length} variables${from(name)}${name === active ? ' · active' : ''}`,
        env: name,
        picked: name === active,
      })),
    ];
    if (items.length === 1) items[0].detail = 'Define environments in the setting netreq.environments (or rest-client.environmentVariables, http-client.env.json)';
    if (sources.error) items[0].detail = `Not read: ${sources.error}`;
    return items;
  }

  /** Shows the status-bar item again (the active editor, the settings or an environment file changed). */
  refresh(): void {
    if (!isNetreq(vscode.window.activeTextEditor?.document)) {
      this.item.hide();
      return;
    }
    const active = this.active;
    const missing = active !== undefined && !this.names().includes(active);
    this.item.text = `$(globe) env: ${active ?? 'none'}${missing ? ' (missing)' : ''}`;
    this.item.tooltip = missing
      ? `Environment '${active}' is not defined for this file (netreq.environments, rest-client.environmentVariables, http-client.env.json, .env files). Click to choose another.`
      : 'NetReq environment for variables: click to change';
    this.item.show();
  }
}
