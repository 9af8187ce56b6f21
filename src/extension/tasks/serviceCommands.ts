/**
 * NetReq: Start Proxy / Stop Proxy / Start Multicast Listener / Stop Multicast Listener / Show Traffic.
 * Starting runs a `netreq` task (vscode.tasks.executeTask), stopping terminates its TaskExecution, so a
 * service started here shows in the task list like one from tasks.json, and Terminate Task stops it too.
 */
import * as vscode from 'vscode';
import { hostPort } from '../../core/transport/address';
import { Disposable } from '../lifecycle';
import type { ServiceHost, ServiceSession } from './serviceTerminal';
import { checkInterface, parseGroupPort, serviceConfig, serviceKey, serviceLabel, TASK_TYPE, type ServiceKind } from './taskDefinition';
import { commandTask } from './taskProvider';

export interface ServiceRegistry extends ServiceHost {
  runningOf(kind: ServiceKind): ServiceSession[];
  endedKeys(kind: ServiceKind): Set<string>;
}

/** Optional arguments (keybindings, other extensions, tests); without them the commands ask. */
interface StartArgs {
  host?: string;
  port?: number;
  upstream?: string;
  group?: string;
  interface?: string;
}

const NAMES: Record<ServiceKind, string> = { proxy: 'proxy', multicastListener: 'multicast listener' };

function argsOf(a: unknown): StartArgs | undefined {
  return typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as StartArgs) : undefined;
}

export class ServiceCommands extends Disposable {
  private readonly terminated = new WeakSet<vscode.TaskExecution>();

  constructor(
    private readonly registry: ServiceRegistry,
    showTraffic: () => void,
  ) {
    super();
    this.register(vscode.commands.registerCommand('netreq.startProxy', (a?: unknown) => this.start('proxy', argsOf(a))));
    this.register(vscode.commands.registerCommand('netreq.stopProxy', (key?: unknown) => this.stop('proxy', typeof key === 'string' ? key : undefined)));
    this.register(vscode.commands.registerCommand('netreq.startMulticastListener', (a?: unknown) => this.start('multicastListener', argsOf(a))));
    this.register(vscode.commands.registerCommand('netreq.stopMulticastListener', (key?: unknown) => this.stop('multicastListener', typeof key === 'string' ? key : undefined)));
    this.register(vscode.commands.registerCommand('netreq.showTraffic', () => showTraffic()));
  }

  /** Starts a service; resolves with its key once the task runs (undefined when nothing was started). */
  async start(kind: ServiceKind, args: StartArgs | undefined): Promise<string | undefined> {
    const defaults = this.registry.defaults();
    let def: Record<string, unknown>;
    if (kind === 'proxy') {
      def = { ...defaults.proxy, ...(args ?? {}), service: 'proxy' };
    } else {
      const asked = args ?? (await this.askListener(defaults.listener));
      if (!asked) return undefined;
      def = { ...defaults.listener, ...asked, service: 'multicastListener' };
      if (asked.interface === '') delete def.interface;
    }
    const cfg = serviceConfig(def, defaults);
    if ('error' in cfg) {
      void vscode.window.showErrorMessage(`NetReq: cannot start the ${NAMES[kind]}: ${cfg.error}.`);
      return undefined;
    }
    const key = serviceKey(cfg);
    if (this.registry.runningOf(kind).some((s) => s.key === key)) {
      void vscode.window.showInformationMessage(`NetReq: the ${serviceLabel(cfg)} is already running.`);
      return key;
    }
    await vscode.tasks.executeTask(commandTask(cfg, this.registry));
    return key;
  }

  private async askListener(d: { group: string; port: number; interface?: string }): Promise<StartArgs | undefined> {
    const gp = await vscode.window.showInputBox({
      title: 'NetReq: Start Multicast Listener (1/2)',
      prompt: 'Multicast group and port to listen on',
      value: hostPort(d.group, d.port),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseGroupPort(v);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (gp === undefined) return undefined;
    const parsed = parseGroupPort(gp);
    if ('error' in parsed) return undefined;
    const iface = await vscode.window.showInputBox({
      title: 'NetReq: Start Multicast Listener (2/2)',
      prompt: 'Interface address to join the group on (empty: the system default; loopback keeps it on this machine)',
      value: d.interface ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => checkInterface(v),
    });
    if (iface === undefined) return undefined;
    return { group: parsed.group, port: parsed.port, interface: iface.trim() };
  }

  /** Terminates the task of a running service; asks which one when several run (or stops the one with `key`). */
  async stop(kind: ServiceKind, key?: string): Promise<number> {
    const defaults = this.registry.defaults();
    const ended = this.registry.endedKeys(kind);
    const items = vscode.tasks.taskExecutions
      .filter((e) => e.task.definition.type === TASK_TYPE && e.task.definition.service === kind)
      .map((execution) => {
        const cfg = serviceConfig(execution.task.definition as Record<string, unknown>, defaults);
        return { execution, key: 'error' in cfg ? '' : serviceKey(cfg), label: 'error' in cfg ? execution.task.name : serviceLabel(cfg) };
      })
      .filter((i) => key === undefined || i.key === key)
      // An execution this command already terminated can linger in taskExecutions for a moment after its
      // service stopped: it must not count (it would turn "the only one left" into a question nobody answers).
      .filter((i) => !this.terminated.has(i.execution) && !ended.has(i.key));
    if (items.length === 0) {
      // A session without a task execution (should not happen): stop it directly.
      const orphans = this.registry.runningOf(kind).filter((s) => key === undefined || s.key === key);
      for (const s of orphans) await s.stop('stopped by a NetReq command');
      if (orphans.length === 0) void vscode.window.showInformationMessage(`NetReq: no ${NAMES[kind]} is running.`);
      return orphans.length;
    }
    let chosen = items;
    if (items.length > 1 && key === undefined) {
      const picks: Array<vscode.QuickPickItem & { chosen: typeof items }> = [
        ...items.map((i) => ({ label: i.label, chosen: [i] })),
        { label: `$(debug-stop) All ${items.length} ${NAMES[kind]}s`, chosen: items },
      ];
      const pick = await vscode.window.showQuickPick(picks, {
        title: `NetReq: Stop ${kind === 'proxy' ? 'Proxy' : 'Multicast Listener'}`,
        placeHolder: `Which ${NAMES[kind]} to stop?`,
      });
      if (!pick) return 0;
      chosen = pick.chosen;
    }
    for (const i of chosen) {
      this.terminated.add(i.execution);
      i.execution.terminate();
    }
    return chosen.length;
  }
}
