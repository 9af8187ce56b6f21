/**
 * The Test Explorer's wiring: the controller (./testExplorer.ts) runs blocks through Send's own path, and the
 * command that shows a tested block's exchange (its panel), from a test message's link or an item's context menu.
 */
import * as vscode from 'vscode';
import type { DocumentCache } from '../language/documentCache';
import type { SendController } from '../requests/sendCommands';
import type { WsSessionPanelManager } from '../panels/wsSessionPanel';
import { parseItemId, TestExplorer } from './testExplorer';
import { SHOW_EXCHANGE_COMMAND } from './testRun';

interface Finder {
  find(uri: vscode.Uri | string, blockIndex: number): { reveal(takeFocus?: boolean): void } | undefined;
}

export interface TestExplorerDeps {
  cache: DocumentCache;
  send: SendController;
  panels: Finder;
  transcripts: Finder;
  sessions: WsSessionPanelManager;
}

/** The item id a command was given: an id, a TestItem, or the `{ test, message }` of a test message's menu. */
function itemId(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const o = arg as { id?: unknown; test?: { id?: unknown } } | undefined;
  if (typeof o?.id === 'string') return o.id;
  if (typeof o?.test?.id === 'string') return o.test.id;
  return undefined;
}

export function registerTestExplorer(deps: TestExplorerDeps): TestExplorer {
  const explorer = new TestExplorer({
    blocks: (d) => deps.cache.get(d).blocks,
    send: (d, b, signal) => deps.send.sendForTest(d, b, signal),
    closeSession: (uri, i) => void deps.sessions.find(uri, i)?.current?.session.close(1000, 'NetReq test run: done'),
  });
  explorer.own(
    vscode.commands.registerCommand(SHOW_EXCHANGE_COMMAND, (arg: unknown) => {
      const id = itemId(arg);
      const ref = id ? parseItemId(id) : undefined;
      if (!ref || ref.kind === 'file') return false;
      const panel: { reveal(takeFocus?: boolean): void } | undefined =
        deps.panels.find(ref.uri, ref.blockIndex) ?? deps.transcripts.find(ref.uri, ref.blockIndex) ?? deps.sessions.find(ref.uri, ref.blockIndex);
      if (panel) {
        panel.reveal(true);
        return true;
      }
      void vscode.window.showInformationMessage('NetReq: this block\'s panel was closed. Run the test or send the block again to see its exchange (History keeps it too).');
      return false;
    }),
  );
  return explorer;
}
