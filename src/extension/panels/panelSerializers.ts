/**
 * Panels survive a window reload: VS Code keeps each open panel's webview state and, after the reload, hands
 * the panel back to the serializer of its view type. Each block panel's page keeps its block and the last
 * thing it showed (bounded, see shared/restore); here the block is read back from that state (checked: it
 * comes from the webview), and the panel rejoins its registry. The page shows its saved copy, a WebSocket
 * session closed; Send again / Connect again send the block if it can still be found.
 */
import * as vscode from 'vscode';
import { readSavedPanel, type SavedKind } from '../../shared/restore';
import type { BlockTarget } from './blockTarget';

/** The block a restored panel belongs to, from its saved state; undefined when the state has none or a bad one. */
export function restoredTarget(state: unknown, kind: SavedKind): BlockTarget | undefined {
  const t = readSavedPanel(state, kind).target;
  if (!t) return undefined;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(t.uri, true);
  } catch {
    return undefined;
  }
  return t.blockName === undefined ? { uri, blockIndex: t.blockIndex } : { uri, blockIndex: t.blockIndex, blockName: t.blockName };
}

/**
 * The serializer of a block panel type: the panel rejoins its registry under the block its state names. A
 * state without a valid block (an old or damaged one) cannot be tied to a block: that panel closes.
 */
export function blockPanelSerializer(kind: SavedKind, adopt: (target: BlockTarget, panel: vscode.WebviewPanel) => unknown): vscode.WebviewPanelSerializer {
  return {
    deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const target = restoredTarget(state, kind);
      if (target) adopt(target, panel);
      else panel.dispose();
      return Promise.resolve();
    },
  };
}
