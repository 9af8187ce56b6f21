/**
 * Composition root: builds the engines (pool + HTTP client, socket clients, WebSocket sessions) and the
 * editor features over them, and hands every registration to context.subscriptions. Nothing heavy runs at
 * activation: parsing happens when a .netreq document is looked at, sockets open when a request is sent.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exchange, HttpExchange, WsExchange, WsState } from '../core/exchange';
import { HttpClient } from '../core/http/client';
import { environmentVariables } from '../core/netreq';
import { wsModule } from '../core/protocols/registry';
import { TcpClient } from '../core/sockets/tcp';
import { MulticastClient, UdpClient } from '../core/sockets/udp';
import { ConnectionPool } from '../core/transport/pool';
import * as config from './config';
import { EnvironmentController } from './environments';
import { NetreqCompletionProvider, NetreqHoverProvider, TRIGGER_CHARACTERS } from './language/assist';
import { NetreqCodeLensProvider } from './language/codeLens';
import { NetreqQuickFixProvider } from './language/quickFixes';
import { DiagnosticsController } from './language/diagnostics';
import { NetreqFoldingProvider } from './language/folding';
import { DocumentCache, isNetreqLanguage, NETREQ_SELECTOR } from './language/documentCache';
import { environmentsFor, watchEnvFiles } from './envSources';
import { registerHealth, type HealthApi } from './health';
import { HistoryController, type HistoryApi } from './history';
import { toDisposable } from './lifecycle';
import { registerServices, type ServicesApi } from './tasks/services';
import { ReplayDocuments } from './traffic/replayDocuments';
import { TRAFFIC_VIEW_TYPE } from './traffic/trafficContent';
import { copyBody, openBodyInEditor, saveBody } from './panels/bodyActions';
import { BodyDocuments } from './panels/bodyDocuments';
import type { BlockTarget } from './panels/blockTarget';
import { blockPanelSerializer } from './panels/panelSerializers';
import { PinCommands } from './panels/pinCommands';
import { RESPONSE_VIEW_TYPE, ResponsePanelManager, type ResponsePanel } from './panels/responsePanel';
import { TRANSCRIPT_VIEW_TYPE, TranscriptPanelManager, type TranscriptPanel } from './panels/transcriptPanel';
import { DEFAULT_LOG_CAP } from './panels/wsFrameLog';
import { WS_SESSION_VIEW_TYPE, WsSessionPanelManager } from './panels/wsSessionPanel';
import type { AssertsMessage, ExchangeMessage, RefusedMessage, SendingMessage, TranscriptMessage, WsInputFormat } from '../shared/messages';
import { PoolCommands } from './pool/poolCommands';
import { RequestRunner } from './requests/runner';
import { SendController, windowPreSendUi } from './requests/sendCommands';
import type { PreSendUi } from './requests/preSend';
import { registerTestExplorer } from './testing';
import { registerCopyAsCurl } from './requests/copyAsCurl';
import { restriction } from './trust';
import { LOOP_FILE_VAR, startLoopProbe } from './loopProbe';

/** A block's live WebSocket session, as the API shows it. */
export interface WsSessionState {
  state: WsState;
  /** The live exchange (its `frames` keep the same window as the panel's log). */
  exchange: WsExchange;
  /** Frames in the session so far, kept in the log, and dropped (older than the log's window). */
  total: number;
  kept: number;
  dropped: number;
  /** The block's scripted messages are still going out. */
  scriptRunning: boolean;
  /** Messages posted to the panel's webview: full states, updates, frame batches and the frames in them. */
  posted: { snapshots: number; updates: number; batches: number; frames: number };
  /** The session's asserts as its Tests tab shows them ("pending" until it closes). */
  asserts?: AssertsMessage;
}

/** What activate() returns: what other extensions may use. */
export interface NetreqApi {
  /**
   * Sends a block (index or @name) of a document; resolves with the exchange, undefined when nothing was
   * sent. The exchange's `kind` says what it is ('http', 'socket', 'ws'); the type parameter only names the
   * kind the caller expects (HTTP by default). A WS block resolves once its messages went out, with the live
   * exchange of the session that stays open in its panel.
   */
  sendRequest<X extends Exchange = HttpExchange>(uri: vscode.Uri | string, block: number | string): Promise<X | undefined>;
  /** The last exchange of a block of a document, any kind (kept while the document is open). */
  lastExchange(uri: vscode.Uri | string, blockIndex: number): Exchange | undefined;
  isRunning(uri: vscode.Uri | string, blockIndex: number): boolean;
  activeEnvironment(): string | undefined;
  setEnvironment(name: string | undefined): Promise<void>;
  /**
   * Probes for NetReq's own integration tests (what the panels show, the pool, the health and services
   * internals). Present only when the extension runs under a test runner (ExtensionMode.Test); undefined
   * in production, so no other extension comes to depend on them.
   */
  readonly testing?: NetreqTestingApi;
}

/** `NetreqApi.testing`: what the integration tests look at. Not an API: it changes with the code. */
export interface PanelInfo {
  uri: string;
  blockIndex: number;
  pinned: boolean;
  visible: boolean;
}

export interface PanelsInfo {
  response: PanelInfo[];
  transcript: PanelInfo[];
  /** Progress notifications shown so far (requests still running after ~1 s). */
  toasts: number;
  lastSendAllSummary?: string;
}

export interface NetreqTestingApi {
  /** The Test Explorer's controller and items; the failed asserts' diagnostics of a file. */
  readonly testExplorer: import('./testing/testExplorer').TestExplorer;
  assertDiagnostics(uri: vscode.Uri | string): readonly vscode.Diagnostic[];
  readonly pool: ConnectionPool;
  /** The Connection Pool view's tree (rows as the view shows them, and its Close). */
  readonly poolView: PoolCommands;
  /** What the block's response panel shows (undefined when it has no panel). */
  responsePanelState(
    uri: vscode.Uri | string,
    blockIndex: number,
    blockName?: string,
  ): { sending?: SendingMessage; exchange?: ExchangeMessage; refused?: RefusedMessage; asserts?: AssertsMessage } | undefined;
  /** What the block's transcript panel shows (undefined when it has no transcript panel). */
  transcriptPanelState(uri: vscode.Uri | string, blockIndex: number): { sending?: SendingMessage; transcript?: TranscriptMessage; refused?: RefusedMessage; asserts?: AssertsMessage } | undefined;
  /** The block's WebSocket session (undefined when it has no session panel or never connected). */
  wsSession(uri: vscode.Uri | string, blockIndex: number): WsSessionState | undefined;
  /** Sends a message on the block's session, as the panel's message box does ('hex': hex bytes). */
  sendWsMessage(uri: vscode.Uri | string, blockIndex: number, data: string, format?: WsInputFormat): Promise<{ ok: boolean; message: string }>;
  /** Closes the block's session as the panel's Close button does; resolves once it is closed (or refused). */
  closeWsSession(uri: vscode.Uri | string, blockIndex: number, code?: number, reason?: string): Promise<{ ok: boolean; message: string }>;
  /**
   * What the window does with a panel after a reload: hands it and its saved webview state to the view
   * type's serializer (tests; false for a view type without one here).
   */
  restorePanel(viewType: string, panel: vscode.WebviewPanel, state: unknown): Promise<boolean>;
  /** How many times a document text was parsed (the cache parses each version once). */
  parseCount(): number;
  /** Forgets the environment picked in this workspace (netreq.defaultEnvironment then applies). */
  forgetEnvironmentPick(): Promise<void>;
  /** What Select Environment offers for the active editor (label, description: variable count and sources). */
  environmentItems(): Array<{ label: string; description?: string; detail?: string }>;
  /** The response and transcript panels open (block, pinned, visible), progress notifications shown, Send All's last summary. */
  panels(): PanelsInfo;
  /** Pins / unpins the focused NetReq panel as its title-bar button does (false when there is none). */
  pinPanel(on: boolean): boolean;
  /** Answers the # @prompt input boxes and the # @note confirmation instead of VS Code's dialogs (undefined: the real ones). */
  setPreSendUi(ui: PreSendUi | undefined): void;
  /** The Network Health view, status bar and checks (issue 6). */
  readonly health: HealthApi;
  /** The proxy and multicast listener tasks and the traffic view (issue 5). */
  readonly services: ServicesApi;
  /** The History view and its store (issue 11 §3). */
  readonly history: HistoryApi;
}

let activePool: ConnectionPool | undefined;
let activeHistory: HistoryController | undefined;

export function activate(context: vscode.ExtensionContext): NetreqApi {
  const subs = context.subscriptions;
  // e2e only: the extension host's event-loop delay and memory, sampled to a file the tests read.
  if (process.env[LOOP_FILE_VAR]) subs.push(startLoopProbe(process.env[LOOP_FILE_VAR]));
  const pool = new ConnectionPool(config.poolOptions());
  activePool = pool;
  subs.push(toDisposable(() => pool.dispose()));
  const client = new HttpClient({ pool });
  const engines = {
    http: client,
    tcp: new TcpClient(),
    udp: new UdpClient(),
    multicast: new MulticastClient(),
    // The session keeps as many frames as its panel's log shows.
    wsSession: (spec: Parameters<typeof wsModule.open>[0]) => wsModule.open(spec, { keepFrames: DEFAULT_LOG_CAP }),
  };

  const cache = new DocumentCache(vscode.workspace);
  const runner = new RequestRunner();
  const environments = new EnvironmentController(context.workspaceState);
  const diagnostics = new DiagnosticsController(
    cache,
    (d) => environmentVariables(environmentsFor(d.uri), environments.active),
    (d) => {
      const r = restriction();
      return r && { folders: r.folders, baseDir: d.uri.scheme === 'file' ? path.dirname(d.uri.fsPath) : undefined };
    },
  );
  subs.push(
    environments.onDidChange(() => diagnostics.refreshAll()),
    // Restricted Mode refusals shown after a Send no longer hold once the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => diagnostics.refreshAll()),
    vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('netreq.environments') || e.affectsConfiguration('netreq.defaultEnvironment') || e.affectsConfiguration('netreq.httpFiles')) && diagnostics.refreshAll()),
  );
  subs.push(cache, runner, environments, diagnostics, watchEnvFiles(() => (diagnostics.refreshAll(), environments.refresh())));

  // A panel restored after a reload may name a file that is gone: say so instead of failing quietly.
  const resend = (t: BlockTarget) =>
    void vscode.commands.executeCommand('netreq.sendRequest', t.uri, t.blockName ?? t.blockIndex).then(undefined, (err: unknown) => {
      void vscode.window.showWarningMessage(`NetReq: cannot send the block again: ${t.uri.scheme === 'file' ? t.uri.fsPath : t.uri.toString()} cannot be opened (${err instanceof Error ? err.message : String(err)}).`);
    });
  const cancel = (t: BlockTarget) => runner.cancel(t.uri, t.blockIndex);
  const copy = async (text: string) => {
    await vscode.env.clipboard.writeText(text);
    return { ok: true, message: 'Copied to the clipboard.' };
  };
  const openText = async (content: string, language: string) => {
    const doc = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
    return { ok: true, message: 'Opened in an editor.' };
  };
  const bodies = new BodyDocuments();
  subs.push(bodies);
  const openBody = (x: HttpExchange | undefined) => openBodyInEditor(bodies, x);
  const panels = new ResponsePanelManager(context.extensionUri, { resend, cancel, openBody, saveBody, copyBody, copy }, config.panelMode);
  const transcripts = new TranscriptPanelManager(context.extensionUri, { resend, cancel, copy }, config.panelMode);
  const pins = new PinCommands([panels, transcripts]);
  subs.push(pins);
  const sessions = new WsSessionPanelManager(context.extensionUri, { resend, cancel, copy, openText });
  subs.push(panels, transcripts, sessions);
  // Panels survive a window reload: each comes back to its registry (its page shows what it saved).
  const serializers: Record<string, vscode.WebviewPanelSerializer> = {
    [RESPONSE_VIEW_TYPE]: blockPanelSerializer('response', (t, p) => panels.adopt(t, p)),
    [TRANSCRIPT_VIEW_TYPE]: blockPanelSerializer('transcript', (t, p) => transcripts.adopt(t, p)),
    [WS_SESSION_VIEW_TYPE]: blockPanelSerializer('session', (t, p) => sessions.adopt(t, p)),
  };
  for (const [viewType, s] of Object.entries(serializers)) subs.push(vscode.window.registerWebviewPanelSerializer(viewType, s));
  const history = new HistoryController(context, { cache, runner, panels, transcripts, sessions });
  activeHistory = history;
  const onExchange = (t: BlockTarget, title: string, x: Exchange) => history.record(t, title, x);
  const send = new SendController({ cache, runner, diagnostics, environments, panels, transcripts, sessions, engines, onExchange });
  subs.push(registerCopyAsCurl({ cache, environments }));
  subs.push(history, send);
  const testExplorer = registerTestExplorer({ cache, send, panels, transcripts, sessions });
  subs.push(testExplorer);

  const lenses = new NetreqCodeLensProvider(cache, runner);
  subs.push(lenses, vscode.languages.registerCodeLensProvider(NETREQ_SELECTOR, lenses));
  subs.push(vscode.languages.registerFoldingRangeProvider(NETREQ_SELECTOR, new NetreqFoldingProvider(cache)));
  const assistEnv = { environments: (uri: vscode.Uri) => environmentsFor(uri), active: () => environments.active };
  subs.push(
    vscode.languages.registerCompletionItemProvider(NETREQ_SELECTOR, new NetreqCompletionProvider(cache, assistEnv), ...TRIGGER_CHARACTERS),
    vscode.languages.registerHoverProvider(NETREQ_SELECTOR, new NetreqHoverProvider(cache, assistEnv)),
    vscode.languages.registerCodeActionsProvider(NETREQ_SELECTOR, new NetreqQuickFixProvider(cache), NetreqQuickFixProvider.metadata),
  );
  const poolView = new PoolCommands(pool);
  subs.push(poolView);

  // The focused response panel's exchange; from elsewhere (the palette, a keybinding) the last one received.
  const currentExchange = () => {
    const p = panels.current;
    return (p?.active ? p.lastExchange : undefined) ?? runner.mostRecentHttp ?? p?.lastExchange;
  };
  const currentNear = () => panels.current?.target.uri ?? vscode.window.activeTextEditor?.document.uri;
  const report = (r: { ok: boolean; message: string }) =>
    void (r.ok ? vscode.window.setStatusBarMessage(`NetReq: ${r.message}`, 4000) : vscode.window.showInformationMessage(`NetReq: ${r.message}`));
  subs.push(
    vscode.commands.registerCommand('netreq.selectEnvironment', () => environments.pick()),
    vscode.commands.registerCommand('netreq.openBodyInEditor', async () => {
      const r = await openBody(currentExchange());
      report(r);
      return r;
    }),
    // An optional target Uri saves there without the dialog (keybindings, tasks, tests); the result goes back to the caller.
    vscode.commands.registerCommand('netreq.saveBody', async (target?: unknown) => {
      const r = await saveBody(currentExchange(), currentNear(), target instanceof vscode.Uri ? target : undefined);
      if (!r.ok) report(r);
      return r;
    }),
    vscode.commands.registerCommand('netreq.copyBody', async () => {
      const r = await copyBody(currentExchange());
      report(r);
      return r;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('netreq.pool')) pool.setOptions(config.poolOptions());
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (isNetreqLanguage(d.languageId)) runner.forget(d.uri);
    }),
  );

  const replays = new ReplayDocuments(); // read-only .netreq documents: the traffic view's and the Health view's "Open as…"
  context.subscriptions.push(replays);
  const health = registerHealth(context, { pool, environments, replays });
  const { api: services, trafficSerializer } = registerServices(context, replays);
  serializers[TRAFFIC_VIEW_TYPE] = trafficSerializer;

  const asUri = (u: vscode.Uri | string) => (typeof u === 'string' ? vscode.Uri.parse(u) : u);
  const sessionOf = (uri: vscode.Uri | string, blockIndex: number) => sessions.find(asUri(uri), blockIndex);
  let apiRequests = 0;
  const api: NetreqApi = {
    sendRequest: <X extends Exchange = HttpExchange>(uri: vscode.Uri | string, block: number | string) => send.sendRequest(asUri(uri), block) as Promise<X | undefined>,
    lastExchange: (uri, blockIndex) => runner.lastExchange(asUri(uri), blockIndex),
    isRunning: (uri, blockIndex) => runner.isRunning(asUri(uri), blockIndex),
    activeEnvironment: () => environments.active,
    setEnvironment: (name) => environments.set(name),
  };
  if (context.extensionMode !== vscode.ExtensionMode.Test) return api;
  const testing: NetreqTestingApi = {
    pool,
    poolView,
    responsePanelState: (uri, blockIndex, blockName) => panels.get({ uri: asUri(uri), blockIndex, blockName })?.state,
    transcriptPanelState: (uri, blockIndex) => transcripts.find(asUri(uri), blockIndex)?.state,
    wsSession: (uri, blockIndex) => {
      const c = sessionOf(uri, blockIndex)?.current;
      if (!c) return undefined;
      const asserts = sessionOf(uri, blockIndex)?.assertsShown;
      return { state: c.state, exchange: c.exchange, total: c.log.total, kept: c.log.size, dropped: c.log.dropped, scriptRunning: c.scriptRunning, posted: { ...c.posted }, asserts };
    },
    sendWsMessage: async (uri, blockIndex, data, format = 'text') => {
      const panel = sessionOf(uri, blockIndex);
      if (!panel) return { ok: false, message: 'This block has no WebSocket session.' };
      return panel.answer({ type: 'wsSend', id: -++apiRequests, format, data });
    },
    closeWsSession: async (uri, blockIndex, code = 1000, reason = '') => {
      const panel = sessionOf(uri, blockIndex);
      if (!panel?.current) return { ok: false, message: 'This block has no WebSocket session.' };
      const result = await panel.answer({ type: 'wsClose', id: -++apiRequests, code, reason });
      if (result.ok) await panel.current.session.whenClosed();
      return result;
    },
    parseCount: () => cache.parses,
    panels: () => {
      const info = (p: ResponsePanel | TranscriptPanel): PanelInfo => ({ uri: p.target.uri.toString(), blockIndex: p.target.blockIndex, pinned: p.pinned, visible: p.visible });
      return { response: panels.all().map(info), transcript: transcripts.all().map(info), toasts: send.toasts, lastSendAllSummary: send.lastSummary };
    },
    pinPanel: (on) => pins.set(on),
    setPreSendUi: (ui) => void (send.preSendUi = ui ?? windowPreSendUi),
    forgetEnvironmentPick: () => environments.forgetPick(),
    environmentItems: () => environments.items().map(({ label, description, detail }) => ({ label, description, detail })),
    restorePanel: async (viewType, panel, state) => {
      const s = serializers[viewType];
      if (!s) return false;
      await s.deserializeWebviewPanel(panel, state);
      return true;
    },
    health,
    services,
    history: history.api,
    testExplorer,
    assertDiagnostics: (uri) => send.asserts.diagnosticsOf(asUri(uri)),
  };
  return { ...api, testing };
}

/** History's last batch is written before the window goes (VS Code waits for the promise). */
export function deactivate(): Promise<void> {
  activePool?.dispose();
  activePool = undefined;
  const h = activeHistory;
  activeHistory = undefined;
  return h ? h.api.flush() : Promise.resolve();
}
