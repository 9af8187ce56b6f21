/**
 * The environments a document sees in the editor: netreq.environments, rest-client.environmentVariables (VS Code
 * settings), and the files next to it (http-client.env.json, http-client.private.env.json, .env files for
 * .http / .rest) through the one core loader (core/netreq/envSources.ts). The files are read once per folder and
 * read again when one of them changes (a file watcher) or a setting changes. In Restricted Mode the secret files
 * (.env, http-client.private.env.json) are not read, as {{$dotenv}} is refused there.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileLayers, combineLayers, nodeEnvReader, restClientLayer, secretVariables, type CombinedEnvironments, type EnvLayer } from '../core/netreq/envSources';
import type { Environments } from '../core/netreq/types';
import * as config from './config';
import { dialectFor } from './language/documentCache';

const told = new Set<string>();
const cache = new Map<string, { layers: EnvLayer[]; error?: string }>();

/** Forgets the files read (a watched file changed, trust was granted). */
export function forgetEnvFiles(): void {
  cache.clear();
}

/** Watches the environment files of the workspace; returns what to dispose. */
export function watchEnvFiles(onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/{http-client.env.json,http-client.private.env.json,.env,.env.*,*.env}');
  const changed = () => {
    forgetEnvFiles();
    onChange();
  };
  const subs = [
    watcher,
    watcher.onDidChange(changed),
    watcher.onDidCreate(changed),
    watcher.onDidDelete(changed),
    vscode.workspace.onDidGrantWorkspaceTrust(changed),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('rest-client.environmentVariables') && onChange()),
  ];
  return vscode.Disposable.from(...subs);
}

function isHttpUri(uri: vscode.Uri): boolean {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return doc ? dialectFor(doc) === 'http' : /\.(http|rest)$/i.test(uri.path);
}

/** Every environment source for a document (or the workspace when there is none), merged in the documented order. */
export function environmentSources(uri?: vscode.Uri): CombinedEnvironments & { error?: string } {
  const restClient = restClientLayer(vscode.workspace.getConfiguration('rest-client', uri ?? null).get<unknown>('environmentVariables'), 'rest-client.environmentVariables');
  const own: EnvLayer = { kind: 'netreq', file: 'netreq.environments', environments: config.environments(uri), secret: false };
  const files = uri?.scheme === 'file' ? filesFor(uri) : { layers: [] };
  const combined = combineLayers([restClient, ...files.layers, own]);
  return files.error ? { ...combined, error: files.error } : combined;
}

/** The merged environments of a document (what Send, diagnostics and completion use). */
export function environmentsFor(uri?: vscode.Uri): Environments {
  return environmentSources(uri).environments;
}

/** The variables whose values are secrets (http-client.private.env.json, .env files) with `envName` active: reports hide them. */
export function secretVariablesFor(uri: vscode.Uri | undefined, envName: string | undefined): Set<string> {
  return secretVariables(environmentSources(uri), envName);
}

function filesFor(uri: vscode.Uri): { layers: EnvLayer[]; error?: string } {
  const http = isHttpUri(uri);
  const trusted = vscode.workspace.isTrusted;
  const key = `${trusted ? 't' : 'r'}${http ? 'h' : 'n'}:${path.dirname(uri.fsPath)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const limit = vscode.workspace.getWorkspaceFolder(uri)?.uri;
  let entry: { layers: EnvLayer[]; error?: string };
  try {
    const layers = fileLayers(uri.fsPath, nodeEnvReader, { dotenv: http && trusted, limit: limit?.scheme === 'file' ? limit.fsPath : undefined });
    entry = { layers: layers.filter((l) => trusted || !l.secret) };
  } catch (e) {
    entry = { layers: [], error: (e as Error).message };
    // Said once per distinct problem (the file:line:col of a bad file), not at every keystroke.
    if (!told.has(entry.error!)) {
      told.add(entry.error!);
      void vscode.window.showWarningMessage(`NetReq: environments: ${entry.error}`);
    }
  }
  if (cache.size > 256) cache.clear();
  cache.set(key, entry);
  return entry;
}
