/**
 * The health feature's state: the checks from HealthSources fed into the core HealthScheduler, pause and
 * resume (remembered per workspace, shown through the `netreq.health.paused` context key), the optional
 * notification when a check turns unhealthy, and one throttled change event the tree and the status bar
 * render from. Nothing runs until start(): when there are checks in settings, the view is shown, or a
 * health command is used.
 */
import * as vscode from 'vscode';
import type { HealthState } from '../../core/health/checks';
import { HealthScheduler, type CheckStatus, type HealthSummary } from '../../core/health/scheduler';
import type { ConnectionPool } from '../../core/transport/pool';
import * as config from '../config';
import { Disposable, toDisposable } from '../lifecycle';
import { statusBarView, unhealthyNotice, type StatusBarView } from './format';
import { concurrencyFrom, runnableConfigs, type HealthEntry } from './settings';
import { HealthSources, type SourceDeps } from './sources';
import { checksKey } from './targets';

export const PAUSED_KEY = 'netreq.health.paused';
export const VIEW_ID = 'netreq.health';
const RENDER_MS = 150;
const NOTIFY_MS = 500;

export interface HealthDeps extends SourceDeps {
  pool: ConnectionPool;
  /** Workspace state: remembers Pause across reloads. */
  state: vscode.Memento;
}

function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(config.SECTION).get<T>(key, fallback) ?? fallback;
}

export function concurrencySetting(): number {
  return concurrencyFrom(setting<unknown>('health.concurrency', undefined));
}

export class HealthController extends Disposable {
  readonly sources: HealthSources;
  readonly scheduler: HealthScheduler;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) after any result, state, check list, pause or setting change. */
  readonly onDidChange = this.changed.event;
  private started = false;
  private scheduled = '';
  private renderTimer?: NodeJS.Timeout;
  private notifyTimer?: NodeJS.Timeout;
  private notices: Array<{ name: string; error?: string }> = [];
  /** The last notifications shown (for the API and tests). */
  readonly notified: string[] = [];

  constructor(private readonly deps: HealthDeps) {
    super();
    this.sources = this.register(new HealthSources(deps));
    // The scheduler reads `concurrency` before each start of a check, so the setting applies at once.
    this.scheduler = new HealthScheduler({
      pool: deps.pool,
      get concurrency() {
        return concurrencySetting();
      },
    });
    this.register(toDisposable(() => this.scheduler.dispose()));
    this.register(
      toDisposable(() => {
        clearTimeout(this.renderTimer);
        clearTimeout(this.notifyTimer);
      }),
    );
    this.scheduler.on('change', () => this.render());
    this.scheduler.on('state-change', (s, before) => this.stateChanged(s, before));
    if (deps.state.get<boolean>(PAUSED_KEY, false)) this.scheduler.pause();
    void vscode.commands.executeCommand('setContext', PAUSED_KEY, this.scheduler.paused);
    this.register(this.sources.onDidChange(() => this.sync()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${config.SECTION}.health.statusBar`)) this.render();
      }),
    );
    this.sync();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get paused(): boolean {
    return this.scheduler.paused;
  }

  /** Starts the checks and the workspace scan (once); resolves when the first scan of the files is done. */
  start(): Promise<void> {
    if (this.isDisposed) return Promise.resolve();
    const scan = this.sources.watchFiles();
    if (!this.started) {
      this.started = true;
      this.scheduler.start();
    }
    return scan;
  }

  entries(): HealthEntry[] {
    return this.sources.entries();
  }

  status(name: string): CheckStatus | undefined {
    return this.scheduler.get(name);
  }

  summary(): HealthSummary {
    return this.scheduler.summary();
  }

  async pause(): Promise<void> {
    this.scheduler.pause();
    await this.savePaused();
  }

  async resume(): Promise<void> {
    this.scheduler.resume();
    await this.savePaused();
    void this.start();
  }

  statusBar(): StatusBarView {
    const entries = this.entries();
    const failing = this.scheduler.statuses().map((s) => ({ name: s.config.name, state: s.state, error: s.last?.error }));
    const mode = setting<string>('health.statusBar', 'auto') === 'always' ? 'always' : 'auto';
    return statusBarView({
      summary: this.summary(),
      failing,
      paused: this.paused,
      mode,
      idle: entries.filter((e) => e.idle && !e.problem).length,
      problems: entries.filter((e) => e.problem).length,
    });
  }

  private async savePaused(): Promise<void> {
    await this.deps.state.update(PAUSED_KEY, this.paused);
    await vscode.commands.executeCommand('setContext', PAUSED_KEY, this.paused);
    this.render();
  }

  /** Hands the runnable checks to the scheduler when they changed (an unchanged list keeps the timers). */
  private sync(): void {
    if (this.isDisposed) return;
    const configs = runnableConfigs(this.entries());
    const key = checksKey(configs);
    if (key !== this.scheduled) {
      this.scheduled = key;
      this.scheduler.setChecks(configs);
    }
    if (!this.started && this.sources.hasSettingChecks()) void this.start();
    this.render();
  }

  private render(): void {
    if (this.renderTimer || this.isDisposed) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      if (!this.isDisposed) this.changed.fire();
    }, RENDER_MS);
  }

  private stateChanged(s: CheckStatus, before: HealthState): void {
    if (s.state !== 'unhealthy' || before === 'unhealthy') return;
    if (!setting<boolean>('health.notifyOnUnhealthy', false)) return;
    this.notices.push({ name: s.config.name, error: s.last?.error });
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      const changed = this.notices.splice(0);
      // Only those still unhealthy: a flap that already recovered is not worth a message.
      const still = changed.filter((c) => this.scheduler.get(c.name)?.state === 'unhealthy');
      if (still.length === 0 || this.isDisposed) return;
      const text = unhealthyNotice(still);
      this.notified.push(text);
      if (this.notified.length > 20) this.notified.shift();
      void vscode.window.showWarningMessage(text, 'Show Network Health').then((pick) => {
        if (pick) void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      });
    }, NOTIFY_MS);
  }
}
