/** Helpers for tests that run inside the real extension host: loopback servers, bounded waits, settings. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../src/core/exchange';
import type { NetreqApi, NetreqTestingApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'netreq.netreq';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function extension(): vscode.Extension<NetreqApi> {
  const ext = vscode.extensions.getExtension<NetreqApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this VS Code (is extensionDevelopmentPath the repository?)`);
  return ext;
}

/** Polls `probe` until it returns something other than undefined/false; bounded in time, fails with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; ; i++) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (${i + 1} tries) waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

/** The API with its test probes: `testing` is there because the tests run the extension in ExtensionMode.Test. */
export type TestedApi = NetreqApi & { readonly testing: NetreqTestingApi };

/** The extension's API, after it activated by itself (the activation test checks that it does). */
export async function netreqApi(): Promise<TestedApi> {
  const ext = extension();
  if (!ext.isActive) {
    const doc = await vscode.workspace.openTextDocument(workspaceUri('requests.netreq'));
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('the extension to activate', () => ext.isActive, 20_000);
  }
  const api = ext.exports;
  assert.ok(api.testing, 'NetreqApi.testing is missing: the extension does not run in ExtensionMode.Test (is extensionTestsPath set?)');
  return api as TestedApi;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test VS Code has no workspace folder open');
  return folder.uri.fsPath;
}

export function workspaceUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

/** Writes a .netreq file into the workspace, opens it in an editor, and returns its document. */
export async function openNetreq(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(name);
  fs.writeFileSync(uri.fsPath, text);
  const doc = await vscode.workspace.openTextDocument(uri);
  assert.equal(doc.languageId, 'netreq', `${name} did not open as a netreq document`);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export function sendCommand(uri: vscode.Uri, block: number | string): Thenable<HttpExchange | undefined> {
  return vscode.commands.executeCommand<HttpExchange | undefined>('netreq.sendRequest', uri, block);
}

export function bodyText(x: HttpExchange | undefined): string {
  const body = x?.response?.body as unknown;
  if (!body) return '';
  // Buffers cross no process boundary here; accept a serialized one too, to report clearly.
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const data = (body as { data?: number[] }).data;
  return Array.isArray(data) ? Buffer.from(data).toString('utf8') : String(body);
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Which connection (1, 2, …, in order of arrival) carried it. */
  connection: number;
}

export interface LoopbackHttp {
  port: number;
  requests: SeenRequest[];
  /** Connections accepted so far. */
  connections: number;
  /** Connections open right now. */
  openSockets(): number;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const defaultHandler: Handler = (req, res) => {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`you asked for ${req.method} ${req.url}`);
};

/** A real node:http server on 127.0.0.1 (keep-alive on) that records what it was sent, connection by connection. */
export async function startHttpServer(handler: Handler = defaultHandler): Promise<LoopbackHttp> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  const ids = new WeakMap<net.Socket, number>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, connection: ids.get(req.socket) ?? 0 });
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: net.Socket) => {
    ids.set(s, ++connections);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    get connections() {
      return connections;
    },
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server on 127.0.0.1 that accepts connections, reads, and never answers. */
export async function startSilentServer(): Promise<{ port: number; connections: number; bytes: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, bytes: 0 };
  const server = net.createServer((s) => {
    state.connections++;
    sockets.add(s);
    s.on('data', (d) => (state.bytes += d.length));
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    get bytes() {
      return state.bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sets a `netreq.*` setting in the workspace (the test folder's .vscode/settings.json) and waits until
 * the extension host reads it back. Returns a function that puts the previous workspace value back.
 */
export async function setWorkspaceSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const before = vscode.workspace.getConfiguration('netreq', null).inspect(key)?.workspaceValue;
  await vscode.workspace.getConfiguration('netreq', null).update(key, value, vscode.ConfigurationTarget.Workspace);
  await waitFor(`netreq.${key} to read back as ${JSON.stringify(value)}`, () =>
    JSON.stringify(vscode.workspace.getConfiguration('netreq', null).inspect(key)?.workspaceValue) === JSON.stringify(value),
  );
  return async () => {
    await vscode.workspace.getConfiguration('netreq', null).update(key, before, vscode.ConfigurationTarget.Workspace);
    await waitFor(`netreq.${key} to be restored`, () => JSON.stringify(vscode.workspace.getConfiguration('netreq', null).inspect(key)?.workspaceValue) === JSON.stringify(before));
  };
}

/** Line numbers (0-based) of the request lines of a document (lines starting with an HTTP method). */
export function requestLines(doc: vscode.TextDocument): number[] {
  const out: number[] = [];
  for (let i = 0; i < doc.lineCount; i++) if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S/.test(doc.lineAt(i).text)) out.push(i);
  return out;
}

export async function codeLenses(uri: vscode.Uri, expectAtLeast: number): Promise<vscode.CodeLens[]> {
  return waitFor(`${expectAtLeast} CodeLenses in ${path.basename(uri.fsPath)}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return lenses && lenses.length >= expectAtLeast ? lenses : undefined;
  });
}

/** The response panel tabs (webview tabs titled "↩ …") currently open. */
export function responseTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('↩'));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
