/** Which block of which document a panel shows, and the key its panel is found by. */
import type * as vscode from 'vscode';

/** Which block a panel belongs to. */
export interface BlockTarget {
  uri: vscode.Uri;
  blockIndex: number;
  blockName?: string;
}

/** One panel per block: keyed by document + block @name, else block index (a named block keeps its panel when lines move). */
export function panelKey(t: BlockTarget): string {
  return `${t.uri.toString()}#${t.blockName ? `@${t.blockName}` : t.blockIndex}`;
}
