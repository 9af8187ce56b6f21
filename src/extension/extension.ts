/**
 * Composition root: builds the engine (pool + HTTP client) and the editor features over it, and hands
 * every registration to context.subscriptions. Nothing heavy runs at activation: parsing happens when
 * a .netreq document is looked at, sockets open when a request is sent.
 */
import * as vscode from 'vscode';
import type { HttpExchange } from '../core/exchange';
import { HttpClient } from '../core/http/client';
import { environmentVariables } from '../core/netreq';
import { ConnectionPool } from '../core/transport/pool';
import * as config from './config';
import { EnvironmentController } from './environments';
import { NetreqCodeLensProvider } from './language/codeLens';
import { DiagnosticsController } from './language/diagnostics';
import { NetreqFoldingProvider } from './language/folding';
import { DocumentCache, LANGUAGE_ID, NETREQ_SELECTOR } from './language/documentCache';
import { toDisposable } from './lifecycle';
import { openBodyInEditor, saveBody } from './panels/bodyActions';
import { ResponsePanelManager, type BlockTarget } from './panels/responsePanel';
import type { ExchangeMessage, SendingMessage } from '../shared/messages';
import { PoolCommands } from './pool/poolCommands';
import { RequestRunner } from './requests/runner';
import { SendController } from './requests/sendCommands';

/** What activate() returns: a handle for integration tests (and other extensions). */
export interface NetreqApi {
  readonly pool: ConnectionPool;
  /** Sends a block (index or @name) of a document; resolves with the exchange, undefined when nothing was sent. */
  sendRequest(uri: vscode.Uri | string, block: number | string): Promise<HttpExchange | undefined>;
  /** The last exchange of a block of a document (kept while the document is open). */
  lastExchange(uri: vscode.Uri | string, blockIndex: number): HttpExchange | undefined;
  isRunning(uri: vscode.Uri | string, blockIndex: number): boolean;
  activeEnvironment(): string | undefined;
  setEnvironment(name: string | undefined): Promise<void>;
  /** What the block's response panel shows (undefined when it has no panel). */
  responsePanelState(uri: vscode.Uri | string, blockIndex: number, blockName?: string): { sending?: SendingMessage; exchange?: ExchangeMessage } | undefined;
  /** How many times a document text was parsed (the cache parses each version once). */
  parseCount(): number;
}

let activePool: ConnectionPool | undefined;

export function activate(context: vscode.ExtensionContext): NetreqApi {
  const subs = context.subscriptions;
  const pool = new ConnectionPool(config.poolOptions());
  activePool = pool;
  subs.push(toDisposable(() => pool.dispose()));
  const client = new HttpClient({ pool });

  const cache = new DocumentCache(vscode.workspace);
  const runner = new RequestRunner();
  const environments = new EnvironmentController(context.workspaceState);
  const diagnostics = new DiagnosticsController(cache, (d) => environmentVariables(config.environments(d.uri), environments.active));
  subs.push(
    environments.onDidChange(() => diagnostics.refreshAll()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('netreq.environments') && diagnostics.refreshAll()),
  );
  subs.push(cache, runner, environments, diagnostics);

  const panels = new ResponsePanelManager(context.extensionUri, {
    resend: (t: BlockTarget) => void vscode.commands.executeCommand('netreq.sendRequest', t.uri, t.blockName ?? t.blockIndex),
    cancel: (t: BlockTarget) => runner.cancel(t.uri, t.blockIndex),
    openBody: openBodyInEditor,
    saveBody,
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
      return { ok: true, message: 'Copied to the clipboard.' };
    },
  });
  subs.push(panels);
  const send = new SendController({ cache, runner, diagnostics, environments, panels, engines: { http: client } });
  subs.push(send);

  const lenses = new NetreqCodeLensProvider(cache, runner);
  subs.push(lenses, vscode.languages.registerCodeLensProvider(NETREQ_SELECTOR, lenses));
  subs.push(vscode.languages.registerFoldingRangeProvider(NETREQ_SELECTOR, new NetreqFoldingProvider(cache)));
  subs.push(new PoolCommands(pool));

  const currentExchange = () => panels.current?.lastExchange ?? runner.mostRecent;
  const currentNear = () => panels.current?.target.uri ?? vscode.window.activeTextEditor?.document.uri;
  const report = (r: { ok: boolean; message: string }) =>
    void (r.ok ? vscode.window.setStatusBarMessage(`NetReq: ${r.message}`, 4000) : vscode.window.showInformationMessage(`NetReq: ${r.message}`));
  subs.push(
    vscode.commands.registerCommand('netreq.selectEnvironment', () => environments.pick()),
    vscode.commands.registerCommand('netreq.openBodyInEditor', async () => report(await openBodyInEditor(currentExchange()))),
    vscode.commands.registerCommand('netreq.saveBody', async () => report(await saveBody(currentExchange(), currentNear()))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('netreq.pool')) pool.setOptions(config.poolOptions());
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.languageId === LANGUAGE_ID) runner.forget(d.uri);
    }),
  );

  const asUri = (u: vscode.Uri | string) => (typeof u === 'string' ? vscode.Uri.parse(u) : u);
  return {
    pool,
    sendRequest: (uri, block) => send.sendRequest(asUri(uri), block),
    lastExchange: (uri, blockIndex) => runner.lastExchange(asUri(uri), blockIndex),
    isRunning: (uri, blockIndex) => runner.isRunning(asUri(uri), blockIndex),
    activeEnvironment: () => environments.active,
    setEnvironment: (name) => environments.set(name),
    responsePanelState: (uri, blockIndex, blockName) => panels.get({ uri: asUri(uri), blockIndex, blockName })?.state,
    parseCount: () => cache.parses,
  };
}

export function deactivate(): void {
  activePool?.dispose();
  activePool = undefined;
}
