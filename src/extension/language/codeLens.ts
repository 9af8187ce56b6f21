/**
 * "▶ Send Request" above every request line, "Send All Requests" at the top, and while a block's
 * request runs, "Sending… (click to cancel)" in its place.
 */
import * as vscode from 'vscode';
import { isDisabled } from '../../core/netreq';
import { Disposable } from '../lifecycle';
import type { RequestRunner } from '../requests/runner';
import type { DocumentCache } from './documentCache';

export class NetreqCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly cache: DocumentCache,
    private readonly runner: RequestRunner,
  ) {
    super();
    this.register(runner.onDidChange(() => this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.cache.get(document);
    const lenses: vscode.CodeLens[] = [];
    const requests = parsed.blocks.filter((b) => b.requestLine);
    if (requests.length > 1) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: 'Send All Requests',
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
            ? { title: '$(sync~spin) Sending… (click to cancel)', command: 'netreq.cancelRequest', arguments: [document.uri, block.index] }
            : isDisabled(block)
              ? { title: '⊘ Skipped: # @disabled', tooltip: 'httpyac’s # @disabled: this request is never sent (remove the line to send it)', command: 'netreq.sendRequest', arguments: [document.uri, block.index] }
              : { title: '▶ Send Request', tooltip: 'Send this request (Ctrl+Alt+R)', command: 'netreq.sendRequest', arguments: [document.uri, block.index] },
        ),
      );
    }
    return lenses;
  }
}
