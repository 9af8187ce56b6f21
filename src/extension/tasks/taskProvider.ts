/**
 * The `netreq` task provider: the proxy and a multicast listener with the settings' defaults in
 * "Tasks: Run Task", and tasks.json's `netreq` tasks resolved to the same CustomExecution. Each task is a
 * background task with no problem matcher, running in a ServiceTerminal.
 */
import * as vscode from 'vscode';
import { ServiceTerminal, type ServiceHost, type TaskOrigin } from './serviceTerminal';
import { serviceConfig, serviceLabel, taskDefinition, TASK_SOURCE, TASK_TYPE, type ServiceConfig } from './taskDefinition';

/** A `netreq` task for a definition; `origin` decides what Workspace Trust allows it. */
export function createServiceTask(
  definition: vscode.TaskDefinition,
  origin: TaskOrigin,
  host: ServiceHost,
  scope: vscode.WorkspaceFolder | vscode.TaskScope.Global | vscode.TaskScope.Workspace = vscode.TaskScope.Workspace,
  name?: string,
): vscode.Task {
  const cfg = serviceConfig(definition as Record<string, unknown>, host.defaults());
  const label = name ?? ('error' in cfg ? `${String(definition.service ?? 'service')} (invalid)` : serviceLabel(cfg));
  const execution = new vscode.CustomExecution(async (resolved) => new ServiceTerminal({ ...resolved }, origin, host));
  // An explicit empty matcher list: VS Code then does not ask which problems to scan the log for.
  const task = new vscode.Task(definition, scope, label, TASK_SOURCE, execution, []);
  task.isBackground = true;
  task.detail = 'NetReq background service: stops on Terminate Task or when its terminal closes';
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: false, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false, showReuseMessage: false };
  return task;
}

/** A task for a configuration a NetReq command built (from an input box or the settings). */
export function commandTask(cfg: ServiceConfig, host: ServiceHost): vscode.Task {
  return createServiceTask(taskDefinition(cfg) as vscode.TaskDefinition, 'command', host);
}

export class NetreqTaskProvider implements vscode.TaskProvider {
  constructor(private readonly host: ServiceHost) {}

  provideTasks(): vscode.Task[] {
    const { proxy, listener } = this.host.defaults();
    return [createServiceTask(taskDefinition(proxy) as vscode.TaskDefinition, 'provided', this.host), createServiceTask(taskDefinition(listener) as vscode.TaskDefinition, 'provided', this.host)];
  }

  /** A tasks.json task: the same definition object back, with the execution filled in. */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== TASK_TYPE) return undefined;
    const scope = (task.scope ?? vscode.TaskScope.Workspace) as vscode.WorkspaceFolder | vscode.TaskScope.Global | vscode.TaskScope.Workspace;
    return createServiceTask(task.definition, 'workspace', this.host, scope, task.name);
  }
}
