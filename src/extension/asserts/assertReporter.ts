/**
 * Asserts in the editor: after a send, the block's `??` asserts are checked against the exchange; the results go
 * to the block's panel (Tests tab, "3/4 asserts") and each failed assert is a diagnostic at its `??` line (its own
 * collection "netreq-asserts", cleared when the block is edited or sent again). One-shot requests are checked when
 * they end; a WebSocket session when it closes (its close code, reason and every frame are known only then).
 * SendController calls `checked` from the one place its results reach the panels.
 */
import * as vscode from 'vscode';
import { evaluateAsserts, summarizeAsserts, type AssertCheck, type AssertOutcome } from '../../core/asserts';
import type { Exchange, WsExchange } from '../../core/exchange';
import { assertsFigure, assertsMessage, type AssertsMessage } from '../../shared/assertMessages';
import { Disposable } from '../lifecycle';
import type { BlockTarget } from '../panels/blockTarget';

/** The panels' side of it: the panel that shows `exchange` (if any) gets the message. */
export interface AssertPanels {
  showAsserts(target: BlockTarget, exchange: Exchange, msg: AssertsMessage): void;
}

/** What a send's asserts came to: now (one-shot), or when the session closes (WebSocket). */
export interface CheckedAsserts {
  checks: readonly AssertCheck[];
  /** The outcomes (a session's once it closed). */
  outcomes: Promise<AssertOutcome[]>;
}

interface Shown {
  startLine: number;
  endLine: number;
  diagnostics: vscode.Diagnostic[];
}

/** "2/3 asserts passed" or "status == 200: got 404" (the first failure) for a status bar or an output line. */
export function describeOutcomes(outcomes: readonly AssertOutcome[]): string {
  const s = summarizeAsserts(outcomes);
  const first = outcomes.find((o) => o.status !== 'passed');
  return first ? `${assertsFigure(s)} passed · ${first.message}` : `${assertsFigure(s)} passed`;
}

export function assertDiagnostic(o: AssertOutcome): vscode.Diagnostic {
  const { span } = o.check;
  const range = new vscode.Range(span.start.line, span.start.col, span.end.line, Math.max(span.end.col, span.start.col + 1));
  const d = new vscode.Diagnostic(range, o.status === 'error' ? `Assert could not be checked: ${o.message}` : `Assert failed: ${o.message}`, vscode.DiagnosticSeverity.Error);
  d.source = 'NetReq asserts';
  d.code = o.status === 'error' ? 'assert-error' : 'assert-failed';
  return d;
}

export class AssertReporter extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('netreq-asserts'));
  private readonly shown = new Map<string, Map<number, Shown>>();

  constructor(private readonly panels: AssertPanels) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
  }

  /**
   * The block was sent: check its asserts against `exchange` (a session: once it closes), show them in its panel
   * and as diagnostics. Undefined when the block has no asserts (its old diagnostics are cleared all the same).
   */
  checked(target: BlockTarget, block: { startLine: number; endLine: number }, checks: readonly AssertCheck[], exchange: Exchange, session?: { whenClosed(): Promise<void> }): CheckedAsserts | undefined {
    this.clearBlock(target.uri, target.blockIndex);
    if (checks.length === 0) return undefined;
    const finish = (): AssertOutcome[] => {
      const outcomes = evaluateAsserts(checks, exchange);
      this.panels.showAsserts(target, exchange, assertsMessage(outcomes, exchange.kind === 'ws' ? exchange.id : undefined));
      this.setBlock(target.uri, target.blockIndex, block, outcomes);
      return outcomes;
    };
    if (exchange.kind === 'ws' && session) {
      this.panels.showAsserts(target, exchange, waitingMessage(exchange, checks.length));
      return { checks, outcomes: session.whenClosed().then(finish) };
    }
    return { checks, outcomes: Promise.resolve(finish()) };
  }

  /** The failed asserts of a document's block (for tests through the extension API). */
  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  private setBlock(uri: vscode.Uri, blockIndex: number, block: { startLine: number; endLine: number }, outcomes: readonly AssertOutcome[]): void {
    const u = uri.toString();
    let m = this.shown.get(u);
    if (!m) this.shown.set(u, (m = new Map()));
    m.set(blockIndex, { startLine: block.startLine, endLine: block.endLine, diagnostics: outcomes.filter((o) => o.status !== 'passed').map(assertDiagnostic) });
    this.publish(uri);
  }

  clearBlock(uri: vscode.Uri, blockIndex: number): void {
    if (this.shown.get(uri.toString())?.delete(blockIndex)) this.publish(uri);
  }

  private forget(uri: vscode.Uri): void {
    if (this.shown.delete(uri.toString())) this.collection.delete(uri);
  }

  private publish(uri: vscode.Uri): void {
    const m = this.shown.get(uri.toString());
    const all = m ? [...m.values()].flatMap((s) => s.diagnostics) : [];
    if (all.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, all);
  }

  /** An edit inside a block clears its results; one that adds or removes lines clears the blocks below it too (their lines moved). */
  private edited(e: vscode.TextDocumentChangeEvent): void {
    const m = this.shown.get(e.document.uri.toString());
    if (!m || e.contentChanges.length === 0) return;
    let changed = false;
    for (const [index, s] of m) {
      const hit = e.contentChanges.some((c) => {
        const moved = c.text.includes('\n') || c.range.start.line !== c.range.end.line;
        return (c.range.start.line <= s.endLine && c.range.end.line >= s.startLine) || (moved && c.range.start.line < s.startLine);
      });
      if (hit) {
        m.delete(index);
        changed = true;
      }
    }
    if (changed) this.publish(e.document.uri);
  }
}

function waitingMessage(x: WsExchange, total: number): AssertsMessage {
  return { type: 'asserts', sessionId: x.id, results: [], passed: 0, total, note: `${total} assert${total === 1 ? '' : 's'} will be checked when the session closes (its close code, reason and every frame are known then).` };
}

interface PanelSet<P> {
  all(): P[];
}

/** Every panel that might show the exchange gets the message; each keeps it only when it shows that exchange. */
export function assertPanels(p: {
  panels: PanelSet<{ showAsserts(x: never, m: AssertsMessage): void }>;
  transcripts: PanelSet<{ showAsserts(x: never, m: AssertsMessage): void }>;
  sessions: PanelSet<{ showAsserts(m: AssertsMessage): void }>;
}): AssertPanels {
  return {
    showAsserts(_target, exchange, msg) {
      if (exchange.kind === 'ws') for (const s of p.sessions.all()) s.showAsserts(msg);
      else for (const panel of [...p.panels.all(), ...p.transcripts.all()]) panel.showAsserts(exchange as never, msg);
    },
  };
}
