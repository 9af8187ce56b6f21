/**
 * Workspace Trust for requests: in Restricted Mode (an untrusted workspace) the resolver refuses
 * `{{$processEnv}}` and `{{$dotenv}}` and reads body files only inside the workspace folders (see
 * core/netreq/restricted.ts). Send and the health checks both build their ResolveContext with this.
 */
import * as vscode from 'vscode';
import type { ResolveContext } from '../core/netreq/types';

/** VS Code's Workspace Trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const MANAGE_TRUST_LABEL = 'Manage Workspace Trust';

/** `ResolveContext.restricted` for now: undefined when the workspace is trusted, else its local folders. */
export function restriction(): ResolveContext['restricted'] {
  if (vscode.workspace.isTrusted) return undefined;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return { folders };
}
