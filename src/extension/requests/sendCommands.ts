/**
 * Send Request / Send All Requests / Cancel Request: find the block, resolve it with the settings and
 * the active environment, refuse (with the diagnostics) when it does not resolve, then send it (progress and
 * Cancel in the panel, a notification only past ~1 s) and show it in the block's panel: the response panel (HTTP), the transcript
 * panel (TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST) or the WebSocket session panel (WS, which stays
 * open after the block's messages went out).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exchange, HttpExchange, SocketExchange, WsExchange } from '../../core/exchange';
import { blockAtLine, findBlockByName, resolveBlock } from '../../core/netreq';
import { isRestrictedDiagnostic } from '../../core/netreq/restricted';
import { viewForProtocol } from '../../core/protocols/registry';
import type { Block, NetreqDocument, ResolveResult } from '../../core/netreq/types';
import type { HttpRequestSpec, RequestSpec, WsRequestSpec } from '../../core/request';
import { formatBytes, formatMs } from '../../common/format';
import type { SendingMessage } from '../../shared/messages';
import { protocolLabel } from '../../shared/transcript';
import * as config from '../config';
import type { EnvironmentController } from '../environments';
import { describeDiagnostic, type DiagnosticsController } from '../language/diagnostics';
import { isNetreq, notServedMessage, type DocumentCache } from '../language/documentCache';
import { Disposable } from '../lifecycle';
import type { BlockTarget } from '../panels/blockTarget';
import type { ResponsePanelManager } from '../panels/responsePanel';
import { MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL } from '../trust';
import type { TranscriptPanelManager } from '../panels/transcriptPanel';
import type { WsSessionPanelManager } from '../panels/wsSessionPanel';
import { commandResult, describeSpec, dispatch, route, type DispatchDeps, type OneShotSpec } from './dispatch';
import { withDelayedProgress } from './delayedProgress';
import { AssertReporter, assertPanels, type CheckedAsserts } from '../asserts/assertReporter';
import { resolveContextFor } from './resolveContext';
import { summarizeSendAll, type SendAllItem } from './sendAllSummary';
import { preSend, type PreSendUi } from './preSend';
import { throttled } from './throttle';
import type { RequestRunner, Run } from './runner';
import { addChainNotes, NOTHING_FIRST, SessionStores, sendPrerequisites, stepOutcome } from './chainSend';

/** What a one-shot request needs of its panel while it runs. */
interface SendingPanel {
  showSending(msg: SendingMessage): void;
  clearSending(): void;
}

export interface SendDeps {
  cache: DocumentCache;
  runner: RequestRunner;
  diagnostics: DiagnosticsController;
  environments: EnvironmentController;
  panels: ResponsePanelManager;
  transcripts: TranscriptPanelManager;
  sessions: WsSessionPanelManager;
  engines: DispatchDeps;
  /** An exchange sent from the editor ended (a WebSocket session: when it closed); History keeps it. */
  onExchange?: (target: BlockTarget, title: string, exchange: Exchange) => void;
}

/** VS Code's input box and a modal warning (REST Client shows its note as a warning with Yes / No). */
export const windowPreSendUi: PreSendUi = {
  showInputBox: (o) => vscode.window.showInputBox(o),
  confirm: (message, yes, no) => vscode.window.showWarningMessage(message, { modal: true }, yes, no),
};

export type SendOutcome =
  /** `asserts`: the block's `??` asserts, checked (a WebSocket session's when it closes); absent without asserts. */
  | { status: 'sent'; exchange: Exchange; asserts?: CheckedAsserts }
  /** `restricted`: Restricted Mode refused something the block would read (shown in the block's panel too). */
  | { status: 'busy' | 'no-request' | 'invalid'; message: string; restricted?: boolean }
  /** `# @disabled` (skipped), or a `# @prompt` / `# @note` answered with Cancel (preSend.ts): nothing was sent. */
  | { status: 'skipped' | 'cancelled'; message: string };

/** What the per-view send steps share. */
interface Sending {
  document: vscode.TextDocument;
  run: Run;
  title: string;
  target: BlockTarget;
  progress: boolean;
  /** Said in the block's panel: the requests sent first for its request variables. */
  notes: string[];
}

interface Located {
  document: vscode.TextDocument;
  parsed: NetreqDocument;
  block: Block;
}

export function blockTitle(block: Block, spec?: RequestSpec): string {
  if (block.title) return block.title;
  if (spec) {
    const d = describeSpec(spec);
    return `${d.method} ${d.path}`;
  }
  const rl = block.requestLine;
  return rl ? `${rl.method} ${rl.target}` : `Block ${block.index + 1}`;
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return /^[a-z][a-z0-9+.-]+:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return undefined;
}

export class SendController extends Disposable {
  /** The NetReq output channel (Send All's summary, one line per request). */
  private readonly output = this.register(vscode.window.createOutputChannel('NetReq'));
  /** Progress notifications shown (requests still running after ~1 s), for the tests. */
  toasts = 0;
  /** Send All's last summary line, for the tests. */
  lastSummary?: string;
  /** Request variables: the exchanges sent from the editor, per document, newest per @name. */
  readonly sessions = this.register(new SessionStores());
  /** The # @prompt input boxes and the # @note confirmation (the tests put answers here). */
  preSendUi: PreSendUi = windowPreSendUi;

  /** The block's asserts after each send: its panel's Tests tab and diagnostics at the failed `??` lines. */
  readonly asserts: AssertReporter;

  constructor(private readonly deps: SendDeps) {
    super();
    this.asserts = this.register(new AssertReporter(assertPanels(deps)));
    this.register(vscode.commands.registerCommand('netreq.sendRequest', (uri?: unknown, block?: unknown) => this.sendRequest(uri, block)));
    this.register(vscode.commands.registerCommand('netreq.sendAllRequests', (uri?: unknown) => this.sendAll(uri)));
    this.register(vscode.commands.registerCommand('netreq.cancelRequest', (uri?: unknown, block?: unknown) => this.cancel(uri, block)));
  }

  /** The command: returns the exchange (for tests and other callers), or undefined when nothing was sent. */
  async sendRequest(uriArg?: unknown, blockArg?: unknown): Promise<Exchange | undefined> {
    const found = await this.locate(uriArg, blockArg);
    if (!found) return undefined;
    const outcome = await this.sendBlock(found.document, found.block, { progress: true });
    if (outcome.status === 'sent') return commandResult(outcome.exchange);
    if (outcome.status === 'invalid' && outcome.restricted) {
      void vscode.window.showErrorMessage(outcome.message, MANAGE_TRUST_LABEL).then((pick) => pick && vscode.commands.executeCommand(MANAGE_TRUST_COMMAND));
    } else if (outcome.status === 'invalid') void vscode.window.showErrorMessage(outcome.message);
    else void vscode.window.showInformationMessage(outcome.message);
    return undefined;
  }

  async sendAll(uriArg?: unknown): Promise<Exchange[]> {
    const uri = toUri(uriArg);
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!isNetreq(document)) {
      void vscode.window.showInformationMessage(notServedMessage(document, 'to send its requests'));
      return [];
    }
    const blocks = this.deps.cache.get(document).blocks.filter((b) => b.requestLine);
    const exchanges: Exchange[] = [];
    const items: SendAllItem[] = [];
    let stopped = false;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NetReq: sending ${blocks.length} requests`, cancellable: true },
      async (progress, token) => {
        const batch = new AbortController();
        token.onCancellationRequested(() => batch.abort());
        for (const [i, block] of blocks.entries()) {
          if (batch.signal.aborted) {
            stopped = true;
            break;
          }
          progress.report({ message: `${i + 1}/${blocks.length}: ${blockTitle(block)}`, increment: 100 / blocks.length });
          const outcome = await this.sendBlock(document, block, { progress: false, outer: batch.signal });
          if (outcome.status === 'sent') exchanges.push(outcome.exchange);
          items.push(
            outcome.status === 'sent'
              ? { title: blockTitle(block), exchange: outcome.exchange }
              : { title: blockTitle(block), problem: outcome.message.replace(/^NetReq: /, ''), skipped: outcome.status === 'skipped' },
          );
        }
      },
    );
    const s = summarizeSendAll(items, blocks.length, stopped);
    this.lastSummary = s.message;
    this.output.appendLine(`${new Date().toISOString()} Send All ${path.basename(document.uri.path)}: ${s.message.replace(/^NetReq: /, '')}`);
    for (const line of s.lines) this.output.appendLine(line);
    const show = s.failures > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(s.message, 'Show Output').then((pick) => pick && this.output.show(true));
    return exchanges;
  }

  cancel(uriArg?: unknown, blockArg?: unknown): boolean {
    const { runner } = this.deps;
    const uri = toUri(uriArg) ?? vscode.window.activeTextEditor?.document.uri;
    let cancelled = false;
    if (uri && typeof blockArg === 'number') cancelled = runner.cancel(uri, blockArg);
    else if (uri) {
      const editor = vscode.window.activeTextEditor;
      const doc = editor && editor.document.uri.toString() === uri.toString() ? editor.document : undefined;
      const here = doc && isNetreq(doc) ? blockAtLine(this.deps.cache.get(doc), editor!.selection.active.line) : undefined;
      if (here && runner.isRunning(uri, here.index)) cancelled = runner.cancel(uri, here.index);
      else for (const i of runner.runningIn(uri)) cancelled = runner.cancel(uri, i) || cancelled;
    }
    if (!cancelled && runner.runningCount > 0 && !uri) cancelled = runner.cancelAll() > 0;
    if (!cancelled) void vscode.window.setStatusBarMessage('NetReq: no request is running', 3000);
    return cancelled;
  }

  private async locate(uriArg: unknown, blockArg: unknown): Promise<Located | undefined> {
    const uri = toUri(uriArg);
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!isNetreq(document)) {
      void vscode.window.showInformationMessage(notServedMessage(document, 'and put the cursor in a request to send it'));
      return undefined;
    }
    const parsed = this.deps.cache.get(document);
    let block: Block | undefined;
    if (typeof blockArg === 'number') block = parsed.blocks.find((b) => b.index === blockArg) ?? parsed.blocks[blockArg];
    else if (typeof blockArg === 'string' && blockArg) block = findBlockByName(parsed, blockArg.replace(/^@/, ''));
    else if (editor && editor.document === document) block = blockAtLine(parsed, editor.selection.active.line);
    if (!block) {
      void vscode.window.showInformationMessage(
        blockArg !== undefined ? `NetReq: no request ${String(blockArg)} in ${path.basename(document.uri.path)}.` : 'NetReq: put the cursor in a request to send it.',
      );
      return undefined;
    }
    return { document, parsed, block };
  }

  private async resolve(document: vscode.TextDocument, parsed: NetreqDocument, block: Block, promptValues?: Record<string, string>): Promise<ResolveResult> {
    try {
      const ctx = await resolveContextFor(document.uri, this.deps.environments.active);
      return await resolveBlock(parsed, block, { ...ctx, sent: this.sessions.storeFor(document.uri), promptValues });
    } catch (err) {
      const line = block.requestLine?.line ?? block.startLine;
      const message = `could not prepare the request: ${err instanceof Error ? err.message : String(err)}`;
      return { ok: false, diagnostics: [{ span: { start: { line, col: 0 }, end: { line, col: 1 } }, severity: 'error', message, code: 'resolve-failed' }] };
    }
  }

  /** The Test Explorer's send: the block as Send sends it (same panels, history, asserts), cancelled by `signal`. */
  sendForTest(document: vscode.TextDocument, block: Block, signal: AbortSignal): Promise<SendOutcome> {
    return this.sendBlock(document, block, { progress: false, outer: signal });
  }

  /** One block, start to end. With `outer` (Send All), that signal cancels it and no own progress is shown. */
  private async sendBlock(document: vscode.TextDocument, block: Block, opts: { progress: boolean; outer?: AbortSignal; chained?: boolean }): Promise<SendOutcome> {
    const { runner, diagnostics } = this.deps;
    if (!block.requestLine) return { status: 'no-request', message: 'This block has no request line.' };
    // # @disabled, # @note and # @prompt first: nothing (not even a referenced request) is sent before they allow it.
    const pre = await preSend(block, this.preSendUi);
    if (!pre.go) return { status: pre.status, message: `NetReq: ${pre.message}` };
    // Request variables: the named requests this block needs that the session has not sent yet go first.
    const chain = opts.chained
      ? NOTHING_FIRST
      : await sendPrerequisites(this.deps.cache.get(document), block, this.sessions.storeFor(document.uri), () => resolveContextFor(document.uri, this.deps.environments.active), async (b) =>
          stepOutcome(await this.sendBlock(document, b, { ...opts, chained: true })),
        );
    if (!chain.ok) return { status: 'invalid', message: `NetReq: did not send "${blockTitle(block)}" (line ${block.requestLine.line + 1}): ${chain.message}` };
    const run = runner.begin(document.uri, block.index);
    if (!run) return { status: 'busy', message: `NetReq: "${blockTitle(block)}" is already running (click its "Sending…" lens to cancel).` };
    const onOuter = () => run.cancel();
    if (opts.outer?.aborted) run.cancel();
    opts.outer?.addEventListener('abort', onOuter, { once: true });
    this.asserts.clearBlock(document.uri, block.index);
    try {
      const parsed = this.deps.cache.get(document);
      const resolved = await this.resolve(document, parsed, block, pre.promptValues);
      diagnostics.setResolveDiagnostics(document, block.index, resolved.diagnostics);
      if (!resolved.ok) {
        const errors = resolved.diagnostics.filter((d) => d.severity === 'error');
        const first = errors[0] ?? resolved.diagnostics[0];
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
        const where = path.basename(document.uri.path);
        const restricted = resolved.diagnostics.some(isRestrictedDiagnostic);
        if (restricted) this.showRefused(document, block, errors.map((d) => `${where}:${describeDiagnostic(d)}`));
        return {
          status: 'invalid',
          restricted,
          message: `NetReq: cannot send "${blockTitle(block)}": ${first ? `${where}:${describeDiagnostic(first)}` : 'it does not resolve'}${more}`,
        };
      }
      const spec = resolved.request;
      const sending: Sending = {
        document,
        run,
        title: blockTitle(block, spec),
        target: { uri: document.uri, blockIndex: block.index, blockName: block.name },
        progress: opts.progress,
        notes: chain.notes,
      };
      const routed = route(spec);
      const exchange =
        routed.view === 'response'
          ? await this.sendHttp(routed.spec, sending)
          : routed.view === 'transcript'
            ? await this.sendSocket(routed.spec, sending)
            : await this.openSession(routed.spec, sending);
      this.sessions.storeFor(document.uri).record(block, spec, exchange);
      const session = routed.view === 'session' ? this.deps.sessions.find(document.uri, block.index)?.current?.session : undefined;
      const asserts = this.asserts.checked(sending.target, block, resolved.asserts, exchange, session);
      const firstNote = chain.notes.length > 0 ? ` (${chain.notes.join('; ')})` : '';
      vscode.window.setStatusBarMessage(`NetReq: ${summary(exchange)}${firstNote}`, 5000);
      return { status: 'sent', exchange, asserts };
    } finally {
      opts.outer?.removeEventListener('abort', onOuter);
      run.end();
    }
  }

  /**
   * Restricted Mode refused the block: say so in its panel, with Manage Workspace Trust (the transcript panel
   * for socket blocks; the response panel for HTTP and WS, whose session panel needs a session).
   */
  private showRefused(document: vscode.TextDocument, block: Block, problems: string[]): void {
    const target: BlockTarget = { uri: document.uri, blockIndex: block.index, blockName: block.name };
    const msg = { type: 'refused', title: blockTitle(block), problems, restricted: true } as const;
    const protocol = block.requestLine?.protocol;
    if (protocol === undefined || viewForProtocol(protocol) !== 'transcript') this.deps.panels.show(target).showRefused(msg);
    else this.deps.transcripts.show(target).showRefused(msg);
  }

  /**
   * The panel shows the progress; a cancellable notification too only for a request still running after ~1 s
   * (none under Send All, which shows one for the batch).
   */
  private withProgress<T>(s: Sending, spec: RequestSpec, work: () => Promise<T>): Promise<T> {
    if (!s.progress) return work();
    const { method, url } = describeSpec(spec);
    return withDelayedProgress(`NetReq: ${method} ${url}`, work, () => s.run.cancel(), () => this.toasts++);
  }

  private async sendHttp(spec: HttpRequestSpec, s: Sending): Promise<HttpExchange> {
    // The bytes received so far go to the block's panel a few times a second.
    const received = throttled((n) => this.deps.panels.get(s.target)?.showReceived(n));
    const x = await this.sendOneShot(
      spec,
      s,
      this.deps.panels,
      () => dispatch(spec, this.deps.engines, s.run.signal, (n) => received.push(n)).finally(() => received.stop()),
      (panel, exchange) => panel.showExchange(exchange, s.title, config.previewBytes(s.document.uri), spec.options.maxResponseBytes),
    );
    void vscode.commands.executeCommand('setContext', 'netreq.hasResponse', true);
    return x;
  }

  private sendSocket(spec: Exclude<OneShotSpec, HttpRequestSpec>, s: Sending): Promise<SocketExchange> {
    return this.sendOneShot(spec, s, this.deps.transcripts, () => dispatch(spec, this.deps.engines, s.run.signal), (panel, exchange) =>
      panel.showExchange(exchange, s.title, config.previewBytes(s.document.uri)),
    );
  }

  /** A request that runs to its end: "sending" in the block's panel, the engine, then the exchange in the panel. */
  private async sendOneShot<X extends Exchange, P extends SendingPanel>(
    spec: OneShotSpec,
    s: Sending,
    panels: { show(t: BlockTarget): P; get(t: BlockTarget): P | undefined; following(): P | undefined },
    send: () => Promise<X>,
    present: (panel: P, exchange: X) => void,
  ): Promise<X> {
    const { method, url } = describeSpec(spec);
    const panel = panels.show(s.target);
    panel.showSending({ type: 'sending', title: s.title, method, url, startedAt: s.run.startedAt });
    let exchange: X;
    try {
      exchange = await this.withProgress(s, spec, send);
    } catch (err) {
      panel.clearSending();
      throw err;
    }
    this.deps.runner.record(s.document.uri, s.target.blockIndex, exchange);
    addChainNotes(exchange, s.notes);
    const own = panels.get(s.target);
    // Single mode: when the one panel moved on to a block sent since, it stays there (this result is recorded
    // and shown by its CodeLens, and Send again brings it back); a closed panel opens again.
    if (own) present(own, exchange);
    else if (!panels.following()) present(panels.show(s.target), exchange);
    this.deps.onExchange?.(s.target, s.title, exchange);
    return exchange;
  }

  /** Starts an interactive session in the block's session panel; resolves once the block's messages went out (it stays open). */
  private async openSession(spec: WsRequestSpec, s: Sending): Promise<WsExchange> {
    const { sessions, runner, engines } = this.deps;
    const session = engines.wsSession(spec);
    const panel = sessions.show(s.target);
    runner.record(s.document.uri, s.target.blockIndex, session.exchange);
    void session.whenClosed().then(() => this.deps.onExchange?.(s.target, s.title, session.exchange));
    return this.withProgress(s, spec, () => panel.start(session, spec, s.title, s.run.signal));
  }
}

export function summary(x: Exchange): string {
  const time = formatMs(x.timings.total);
  switch (x.kind) {
    case 'http': {
      if (x.error) return `${x.error.phase === 'cancelled' ? 'cancelled' : `failed (${x.error.message})`} after ${time}`;
      const r = x.response;
      return r ? `${r.status} ${r.reason} · ${time} · ${formatBytes(r.body.length)}` : `done in ${time}`;
    }
    case 'socket': {
      const what = `${protocolLabel(x.request.protocol)} ${x.request.target}`;
      if (x.error) return `${what} ${x.error.phase === 'cancelled' ? 'cancelled' : `failed (${x.error.message})`} after ${time}`;
      const echo = x.echoMatches === undefined ? '' : x.echoMatches ? ' · echo ✓' : ' · echo ✗';
      return `${what} · sent ${formatBytes(x.sentBytes)} · received ${formatBytes(x.receivedBytes)}${echo} · ${time} · ${x.stopDetail}`;
    }
    case 'ws': {
      if (x.error) return `WebSocket ${x.error.phase === 'cancelled' ? 'cancelled' : `failed (${x.error.message})`}`;
      const h = x.handshake;
      return `WebSocket ${x.state}${h.status ? ` · ${h.status} ${h.reason ?? ''}`.trimEnd() : ''}${h.protocol ? ` · subprotocol ${h.protocol}` : ''}`;
    }
  }
}
