/**
 * "▶ Send Request" above every request line, "Send All Requests" at the top, and while a block's
 * request runs, "Sending… (click to cancel)" in its place. In .http / .rest files the titles say
 * "NetReq: Send" / "NetReq: Send All" (REST Client and httpyac put their own lenses there), and
 * `netreq.httpFiles.codeLens` decides whether they show: `auto` (default) hides them while REST Client or
 * httpyac is installed, `always` / `never`.
 */
import * as vscode from 'vscode';
import { isDisabled } from '../../core/netreq';
import { Disposable } from '../lifecycle';
import type { RequestRunner } from '../requests/runner';
import { HTTP_LANGUAGE_ID, isNetreq, type DocumentCache } from './documentCache';

/** The extensions that also put CodeLenses on `http` documents. */
export const OTHER_HTTP_TOOLS = ['humao.rest-client', 'anweber.vscode-httpyac'];

/** The other .http tools installed (their display names), [] when none. */
export function otherHttpTools(): string[] {
  return OTHER_HTTP_TOOLS.map((id) => vscode.extensions.getExtension(id)).flatMap((e) => (e ? [String((e.packageJSON as { displayName?: unknown }).displayName ?? e.id)] : []));
}

/** Whether NetReq's lenses show on an `http` document (netreq.httpFiles.codeLens). */
export function httpLensesShown(scope?: vscode.Uri): boolean {
  const mode = vscode.workspace.getConfiguration('netreq', scope ?? null).get<unknown>('httpFiles.codeLens', 'auto');
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  return otherHttpTools().length === 0;
}

export class NetreqCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly cache: DocumentCache,
    private readonly runner: RequestRunner,
  ) {
    super();
    this.register(runner.onDidChange(() => this.changed.fire()));
    const context = () => void vscode.commands.executeCommand('setContext', 'netreq.otherHttpTool', otherHttpTools().length > 0);
    context();
    this.register(
      vscode.extensions.onDidChange(() => {
        context();
        this.changed.fire();
      }),
    );
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('netreq.httpFiles') && this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isNetreq(document)) return [];
    const http = document.languageId === HTTP_LANGUAGE_ID;
    if (http && !httpLensesShown(document.uri)) return [];
    const parsed = this.cache.get(document);
    const lenses: vscode.CodeLens[] = [];
    const requests = parsed.blocks.filter((b) => b.requestLine);
    if (requests.length > 1) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: http ? 'NetReq: Send All' : 'Send All Requests',
          tooltip: 'Send every request in this file, one after the other',
          command: 'netreq.sendAllRequests',
          arguments: [document.uri],
        }),
      );
    }
    for (const block of requests) {
      const line = block.requestLine!.line;
      const range = new vscode.Range(line, 0, line, 0);
      const running = this.runner.isRunning(document.uri, block.index);
      lenses.push(
        new vscode.CodeLens(
          range,
          running
            ? { title: `$(sync~spin) ${http ? 'NetReq: ' : ''}Sending… (click to cancel)`, command: 'netreq.cancelRequest', arguments: [document.uri, block.index] }
            : isDisabled(block)
              ? { title: `⊘ ${http ? 'NetReq: ' : ''}Skipped: # @disabled`, tooltip: 'httpyac’s # @disabled: this request is never sent (remove the line to send it)', command: 'netreq.sendRequest', arguments: [document.uri, block.index] }
              : http
                ? { title: 'NetReq: Send', tooltip: 'Send this request with NetReq', command: 'netreq.sendRequest', arguments: [document.uri, block.index] }
              : { title: '▶ Send Request', tooltip: 'Send this request (Ctrl+Alt+R)', command: 'netreq.sendRequest', arguments: [document.uri, block.index] },
        ),
      );
    }
    return lenses;
  }
}
