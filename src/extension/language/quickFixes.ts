/**
 * Quick fixes for the diagnostics that have one ("did you mean @timeout?", an unknown request word, a missing
 * port, a missing Host header, an HTTP head over TCP/TLS without `# @eol crlf`). The fixes are written by the
 * parser next to each diagnostic (`Diagnostic.fixes`); this adapter matches them to the diagnostics VS Code
 * asks about (same code, same start) and turns their edits into WorkspaceEdits.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic } from '../../core/netreq/types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { DocumentCache } from './documentCache';

export class NetreqQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly cache: DocumentCache) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const withFixes = this.cache.get(document).diagnostics.filter((d) => d.fixes?.length);
    const actions: vscode.CodeAction[] = [];
    for (const shown of ours) {
      const core = withFixes.find((d) => d.code === shown.code && d.span.start.line === shown.range.start.line && d.span.start.col === shown.range.start.character);
      if (!core) continue;
      core.fixes!.forEach((fix, i) => actions.push(this.action(document, shown, core, i)));
    }
    return actions;
  }

  private action(document: vscode.TextDocument, shown: vscode.Diagnostic, core: CoreDiagnostic, i: number): vscode.CodeAction {
    const fix = core.fixes![i];
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [shown];
    action.isPreferred = i === 0;
    action.edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) {
      // An insertion on the line after the last one (a Host header after a request line that ends the file)
      // goes at the end of the file, on a line of its own.
      if (e.span.start.line >= document.lineCount) {
        const end = document.lineAt(document.lineCount - 1).range.end;
        action.edit.insert(document.uri, end, `\n${e.text.replace(/\n$/, '')}`);
        continue;
      }
      action.edit.replace(document.uri, new vscode.Range(e.span.start.line, e.span.start.col, e.span.end.line, e.span.end.col), e.text);
    }
    return action;
  }
}
