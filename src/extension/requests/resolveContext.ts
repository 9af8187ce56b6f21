/**
 * The one ResolveContext of the extension: Send and the health checks pinned with `# @health` resolve a
 * block of a document with the same environment, settings, CA files (`netreq.tls.caFiles`) and Restricted
 * Mode rules (../trust.ts), so a pinned block is checked with what Send would send.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readLocalFile } from '../../core/netreq/localFile';
import type { ResolveContext } from '../../core/netreq/types';
import * as config from '../config';
import { environmentsFor } from '../envSources';
import { restriction } from '../trust';

/**
 * What a block of `uri` resolves with. Relative paths (`< ./file`, `.env`) start at the file's folder;
 * relative CA files at its workspace folder. Rejects, with the setting and the path in words, when a CA
 * file cannot be read (it is never skipped silently): the caller says so where the request is.
 */
export async function resolveContextFor(uri: vscode.Uri, environmentName: string | undefined): Promise<ResolveContext> {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const baseDir = uri.scheme === 'file' ? path.dirname(uri.fsPath) : folder?.scheme === 'file' ? folder.fsPath : undefined;
  const readFile = (p: string) => readLocalFile(p);
  const ca = await config.caCertificates(uri, folder?.scheme === 'file' ? folder.fsPath : baseDir, readFile);
  return {
    environmentName,
    environments: environmentsFor(uri),
    baseDir,
    processEnv: process.env,
    readFile,
    defaults: { ...config.requestDefaults(uri), ca: ca.length > 0 ? ca : undefined },
    restricted: restriction(),
  };
}
