/**
 * Squiggles: the parser's diagnostics for every open .netreq document (on open, on change debounced,
 * removed on close), plus the resolver's diagnostics for a block that was sent, until the next edit; in
 * Restricted Mode also what a Send would refuse.
 */
import * as vscode from 'vscode';
import { diagnosticsWithKnown } from '../../core/netreq';
import { restrictedProblems } from '../../core/netreq/restricted';
import type { Diagnostic as CoreDiagnostic, Severity } from '../../core/netreq/types';
import { Disposable, toDisposable } from '../lifecycle';
import { DocumentCache, HTTP_LANGUAGE_ID, isNetreq, isNetreqLanguage } from './documentCache';

export const DIAGNOSTIC_SOURCE = 'netreq';
const DEBOUNCE_MS = 200;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeDiagnostic(d: CoreDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.span.start.line, d.span.start.col, d.span.end.line, d.span.end.col);
  const out = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  return out;
}

/** "3:5: message" with 1-based line:col, as the CLI prints it. */
export function describeDiagnostic(d: CoreDiagnostic): string {
  return `${d.span.start.line + 1}:${d.span.start.col + 1}: ${d.message}`;
}

/** Same problem at the same place (the resolver's wording replaces the parser's). */
function samePlace(a: CoreDiagnostic, b: CoreDiagnostic): boolean {
  return a.code === b.code && a.span.start.line === b.span.start.line && a.span.start.col === b.span.start.col;
}

export class DiagnosticsController extends Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Resolver diagnostics per document, per block index; cleared when the document changes. */
  private readonly resolved = new Map<string, Map<number, CoreDiagnostic[]>>();

  /**
   * @param definedVariables variables the active environment (with $shared) defines for a document: the
   *   parser cannot know them, so its "not defined in this file" warnings for those names are dropped.
   */
  /**
   * @param restricted Restricted Mode for a document (undefined when the workspace is trusted): what it will
   *   refuse ($processEnv, $dotenv, body files outside the folders) is flagged as you type, before a Send.
   */
  constructor(
    private readonly cache: DocumentCache,
    private readonly definedVariables: (document: vscode.TextDocument) => Record<string, string> = () => ({}),
    private readonly restricted: (document: vscode.TextDocument) => { baseDir?: string; folders: readonly string[] } | undefined = () => undefined,
  ) {
    super();
    this.collection = this.register(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.update(d)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isNetreq(e.document) || e.contentChanges.length === 0) return;
        this.resolved.delete(e.document.uri.toString());
        this.schedule(e.document);
      }),
    );
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)));
    this.register(toDisposable(() => this.timers.forEach((t) => clearTimeout(t))));
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  /** Shows what the resolver found for one block (undefined variables, unreadable files…). */
  setResolveDiagnostics(document: vscode.TextDocument, blockIndex: number, diagnostics: CoreDiagnostic[]): void {
    const key = document.uri.toString();
    let perBlock = this.resolved.get(key);
    if (!perBlock) this.resolved.set(key, (perBlock = new Map()));
    perBlock.set(blockIndex, diagnostics);
    this.update(document);
  }

  update(document: vscode.TextDocument): void {
    if (!isNetreqLanguage(document.languageId, document.uri)) {
      // An .http file after netreq.httpFiles.enabled was turned off: nothing of NetReq's stays on it.
      if (document.languageId === HTTP_LANGUAGE_ID) this.clear(document.uri);
      return;
    }
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    const fromResolver = [...(this.resolved.get(key)?.values() ?? [])].flat();
    const defined = this.definedVariables(document);
    const parsed = this.cache.get(document);
    const restricted = this.restricted(document);
    const fromParser = [
      ...diagnosticsWithKnown(parsed, (name) => Object.prototype.hasOwnProperty.call(defined, name)),
      ...(restricted ? restrictedProblems(document.getText(), parsed, restricted) : []),
    ].filter((d) => !fromResolver.some((r) => samePlace(r, d)));
    this.collection.set(document.uri, [...fromParser, ...fromResolver].map(toVscodeDiagnostic));
  }

  /** Recomputes every open .netreq document (the active environment or its variables changed). */
  refreshAll(): void {
    this.resolved.clear();
    for (const d of vscode.workspace.textDocuments) if (d.languageId === HTTP_LANGUAGE_ID || isNetreq(d)) this.update(d);
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.update(document);
      }, DEBOUNCE_MS),
    );
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.resolved.delete(key);
    this.collection.delete(uri);
  }
}
