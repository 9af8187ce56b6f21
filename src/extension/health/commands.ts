/**
 * The health commands: Check All / Pause / Resume / Add Check (view title), Check Now / Open as Request /
 * Remove (on a check row), and "Pin Request as Health Check" (editor). Each resolves with
 * `{ ok, message }` so tests and other extensions can drive them; people see the same words.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HealthCheckConfig } from '../../core/health/checks';
import type { CheckStatus } from '../../core/health/scheduler';
import { blockAtLine, parseNetreq } from '../../core/netreq';
import type { Block } from '../../core/netreq/types';
import * as config from '../config';
import { Disposable } from '../lifecycle';
import { VIEW_ID, type HealthController } from './controller';
import { dialectFor, isNetreq } from '../language/documentCache';
import { parseIntervalText, validateNewName, validateTargetText, withCheckAdded, withCheckRemoved, type HealthEntry, type SettingScope } from './settings';
import { CHECKS_KEY } from './sources';
import { blockCheckName, pinLine, requestTextFor } from './targets';

export interface Outcome {
  ok: boolean;
  message: string;
}

/** Arguments of `netreq.health.addCheck` that skip the prompts (scope: where the setting is written). */
export interface AddCheckArgs {
  name: string;
  target: string;
  intervalSeconds?: number;
  scope?: SettingScope;
}

const settings = () => vscode.workspace.getConfiguration(config.SECTION);
const targetOf = (scope: SettingScope) => (scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace);
const nameOf = (arg: unknown): string | undefined =>
  typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { name?: unknown }).name === 'string' ? (arg as { name: string }).name : undefined;

function tell(o: Outcome): Outcome {
  if (o.ok) vscode.window.setStatusBarMessage(`NetReq: ${o.message}`, 4000);
  else void vscode.window.showInformationMessage(`NetReq: ${o.message}`);
  return o;
}

/** Opens text as a read-only .netreq document (the traffic view's "Open as .netreq" documents). */
export interface ReplayOpener {
  open(name: string, text: string, what: string): Promise<{ ok: boolean; message: string }>;
}

export class HealthCommands extends Disposable {
  constructor(
    private readonly controller: HealthController,
    private readonly replays: ReplayOpener,
  ) {
    super();
    const reg = (id: string, fn: (...args: unknown[]) => unknown) => this.register(vscode.commands.registerCommand(id, fn));
    reg('netreq.health.checkAll', () => this.checkAll());
    reg('netreq.health.pause', () => this.controller.pause());
    reg('netreq.health.resume', () => this.controller.resume());
    reg('netreq.health.addCheck', (args) => this.addCheck(args as AddCheckArgs | undefined));
    reg('netreq.health.checkNow', (node) => this.checkNow(nameOf(node)));
    reg('netreq.health.openAsRequest', (node) => this.openAsRequest(nameOf(node)));
    reg('netreq.health.remove', (node) => this.remove(nameOf(node)));
    reg('netreq.health.pinRequest', (uri, block) => this.pin(uri, block));
  }

  async checkAll(): Promise<CheckStatus[]> {
    await this.controller.start();
    return vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Checking…' }, () => this.controller.scheduler.runAll());
  }

  private entry(name: string | undefined): HealthEntry | undefined {
    return name === undefined ? undefined : this.controller.entries().find((e) => e.name === name);
  }

  async checkNow(name: string | undefined): Promise<Outcome> {
    const e = this.entry(name);
    if (!e) return tell({ ok: false, message: `there is no health check named "${name ?? ''}".` });
    if (e.problem) return tell({ ok: false, message: `"${e.name}" cannot run: ${e.problem}` });
    if (e.idle) return tell({ ok: false, message: `"${e.name}" comes from this workspace, which is in Restricted Mode: trust the workspace to run it.` });
    await this.controller.start();
    const r = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => this.controller.scheduler.runNow(e.name));
    return r ? { ok: true, message: `${e.name}: ${r.state}${r.error ? ` (${r.error})` : ''}` } : { ok: false, message: `"${e.name}" did not run.` };
  }

  async addCheck(args?: AddCheckArgs): Promise<Outcome> {
    void this.controller.start();
    const taken = this.controller.entries().map((e) => e.name);
    const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
    let check: HealthCheckConfig;
    let scope: SettingScope;
    if (args && typeof args === 'object' && typeof args.name === 'string') {
      const problem = validateNewName(args.name, taken) ?? validateTargetText(String(args.target ?? ''));
      if (problem) return tell({ ok: false, message: problem });
      const interval = parseIntervalText(args.intervalSeconds === undefined ? '' : String(args.intervalSeconds));
      if ('error' in interval) return tell({ ok: false, message: interval.error });
      check = { name: args.name.trim(), target: args.target.trim(), intervalSeconds: interval.seconds };
      scope = args.scope ?? (hasWorkspace ? 'workspace' : 'user');
    } else {
      const asked = await this.askForCheck(taken, hasWorkspace);
      if (!asked) return { ok: false, message: 'Add Check was cancelled.' };
      ({ check, scope } = asked);
    }
    if (scope === 'workspace' && !hasWorkspace) return tell({ ok: false, message: 'no folder is open: add the check to your user settings instead.' });
    const current = settings().inspect<unknown>(CHECKS_KEY);
    const list = scope === 'user' ? current?.globalValue : current?.workspaceValue;
    await settings().update(CHECKS_KEY, withCheckAdded(list, check), targetOf(scope));
    this.controller.sources.readSettings(true);
    const idle = scope === 'workspace' && !vscode.workspace.isTrusted ? ' It runs once you trust this workspace.' : '';
    return tell({ ok: true, message: `added health check "${check.name}" (${check.target}) to ${scope} settings.${idle}` });
  }

  /** Name, target (checked as you type), interval, and where to save it; undefined when cancelled. */
  private async askForCheck(taken: string[], hasWorkspace: boolean): Promise<{ check: HealthCheckConfig; scope: SettingScope } | undefined> {
    const title = (n: number) => `Add Health Check (${n}/${hasWorkspace ? 4 : 3})`;
    const name = await vscode.window.showInputBox({
      title: title(1),
      prompt: 'A name for the check, shown in the Network Health view',
      placeHolder: 'api',
      ignoreFocusOut: true,
      validateInput: (v) => validateNewName(v, taken),
    });
    if (name === undefined) return undefined;
    const target = await vscode.window.showInputBox({
      title: title(2),
      prompt: 'What to check: tcp://host:port, http(s)://host/path, tls://host:port, dns://name, udp://host:port or ws(s)://host/path',
      placeHolder: 'https://127.0.0.1:8443/health',
      ignoreFocusOut: true,
      validateInput: validateTargetText,
    });
    if (target === undefined) return undefined;
    const every = await vscode.window.showInputBox({
      title: title(3),
      prompt: 'How often to check (seconds, or e.g. 30s, 2m)',
      value: '30',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseIntervalText(v);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (every === undefined) return undefined;
    const interval = parseIntervalText(every);
    const check = { name: name.trim(), target: target.trim(), intervalSeconds: 'seconds' in interval ? interval.seconds : 30 };
    if (!hasWorkspace) return { check, scope: 'user' };
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Workspace settings', description: '.vscode/settings.json: shared with this folder', scope: 'workspace' as const },
        { label: 'User settings', description: 'yours, in every window', scope: 'user' as const },
      ],
      { title: title(4), placeHolder: 'Where to save the check', ignoreFocusOut: true },
    );
    return picked ? { check, scope: picked.scope } : undefined;
  }

  async remove(name: string | undefined): Promise<Outcome> {
    const e = this.entry(name);
    if (!e) return tell({ ok: false, message: `there is no health check named "${name ?? ''}".` });
    if (e.source.kind === 'file') return this.unpin(e, e.source);
    const { scope } = e.source;
    const current = settings().inspect<unknown>(CHECKS_KEY);
    const r = withCheckRemoved(scope === 'user' ? current?.globalValue : current?.workspaceValue, e.source.name);
    if (!r.removed) return tell({ ok: false, message: `"${e.name}" is no longer in your ${scope} settings.` });
    await settings().update(CHECKS_KEY, r.list.length ? r.list : undefined, targetOf(scope));
    this.controller.sources.readSettings(true);
    return tell({ ok: true, message: `removed health check "${e.name}" from ${scope} settings.` });
  }

  /** Removes a pinned block's `# @health` line (and saves the file when it had no other unsaved changes). */
  private async unpin(e: HealthEntry, source: { uri: string; directiveLine: number }): Promise<Outcome> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.uri));
    const line = source.directiveLine;
    if (line >= doc.lineCount || !/^\s*#\s*@health\b/.test(doc.lineAt(line).text)) {
      return tell({ ok: false, message: `${path.basename(doc.uri.path)} changed: remove the "# @health" line of "${e.name}" by hand.` });
    }
    const wasDirty = doc.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.delete(doc.uri, new vscode.Range(line, 0, line + 1, 0));
    if (!(await vscode.workspace.applyEdit(edit))) return tell({ ok: false, message: `could not edit ${path.basename(doc.uri.path)}.` });
    if (!wasDirty) await doc.save();
    await this.controller.sources.refreshFile(doc.uri);
    return tell({ ok: true, message: `unpinned "${e.name}" (removed its # @health line).` });
  }

  async openAsRequest(name: string | undefined): Promise<Outcome> {
    const e = this.entry(name);
    if (!e) return tell({ ok: false, message: `there is no health check named "${name ?? ''}".` });
    if (e.source.kind === 'file') {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(e.source.uri));
      const at = new vscode.Position(Math.min(e.source.directiveLine, doc.lineCount - 1), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: false });
      return { ok: true, message: `opened ${e.source.label}.` };
    }
    const text = requestTextFor(e.config ?? { name: e.name, target: e.target ?? '' });
    if (!text.ok) return tell({ ok: false, message: text.reason });
    const opened = await this.replays.open(`health-${e.name}`, text.text, `health check "${e.name}"`);
    return { ok: opened.ok, message: opened.ok ? `opened "${e.name}" as a request (read-only: Save As .netreq File… in its title bar keeps a copy to edit).` : opened.message };
  }

  /** Adds `# @health` above the request line of the block under the cursor (or the given block). */
  async pin(uriArg?: unknown, blockArg?: unknown): Promise<Outcome> {
    const editor = vscode.window.activeTextEditor;
    const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : undefined;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!doc || !isNetreq(doc)) return tell({ ok: false, message: 'open a .netreq, .http or .rest file and put the cursor in the request to pin.' });
    const parsed = parseNetreq(doc.getText(), { dialect: dialectFor(doc) });
    let block: Block | undefined;
    if (typeof blockArg === 'number') block = parsed.blocks[blockArg];
    else if (typeof blockArg === 'string') block = parsed.blocks.find((b) => b.name === blockArg.replace(/^@/, ''));
    else if (editor?.document === doc) block = blockAtLine(parsed, editor.selection.active.line);
    if (!block) return tell({ ok: false, message: 'put the cursor in a request to pin it as a health check.' });
    const at = pinLine(block);
    if ('error' in at) return tell({ ok: false, message: at.error });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(at.line, 0), '# @health\n');
    if (!(await vscode.workspace.applyEdit(edit))) return tell({ ok: false, message: `could not edit ${path.basename(doc.uri.path)}.` });
    void this.controller.start();
    const name = blockCheckName(block, path.basename(doc.uri.path));
    const where = vscode.workspace.getWorkspaceFolder(doc.uri)
      ? vscode.workspace.isTrusted
        ? 'It shows in the Network Health view.'
        : 'It runs once you trust this workspace.'
      : 'Save the file in the workspace folder to run it.';
    return tell({ ok: true, message: `pinned "${name}" as a health check. ${where}` });
  }
}
