/**
 * Pin / Unpin a response or transcript panel (the pin in the panel's title bar, or the commands): a pinned
 * panel stays with its block, so in single mode the next send of another block opens or uses another panel.
 * The context key `netreq.panelPinned` says whether the focused NetReq panel is pinned (which of the two
 * title-bar buttons shows).
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { BlockPanel } from './panelRegistry';

export const PIN_COMMAND = 'netreq.pinPanel';
export const UNPIN_COMMAND = 'netreq.unpinPanel';
export const PINNED_CONTEXT = 'netreq.panelPinned';

/** A pinnable panel that can say whether it is the focused editor. */
export interface PinnablePanel extends BlockPanel {
  readonly active: boolean;
}

export class PinCommands extends Disposable {
  constructor(private readonly registries: ReadonlyArray<{ all(): PinnablePanel[] }>) {
    super();
    this.register(vscode.commands.registerCommand(PIN_COMMAND, () => this.set(true)));
    this.register(vscode.commands.registerCommand(UNPIN_COMMAND, () => this.set(false)));
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => this.refresh()));
    this.register(vscode.window.tabGroups.onDidChangeTabGroups(() => this.refresh()));
  }

  /** The focused NetReq panel, else the one panel there is (Pin from the palette with the editor focused). */
  private target(): PinnablePanel | undefined {
    const all = this.registries.flatMap((r) => r.all());
    return all.find((p) => p.active) ?? (all.length === 1 ? all[0] : undefined);
  }

  /** Pins (or unpins) the focused panel; false when there is no NetReq panel to pin. */
  set(on: boolean): boolean {
    const p = this.target();
    if (!p) {
      void vscode.window.showInformationMessage('NetReq: focus a response or transcript panel to pin it.');
      return false;
    }
    p.pinned = on;
    this.refresh();
    return true;
  }

  refresh(): void {
    void vscode.commands.executeCommand('setContext', PINNED_CONTEXT, this.target()?.pinned === true);
  }
}
