/**
 * Completion and hover in .netreq (and .http / .rest) editors: thin adapters over src/core/netreq/assist.ts (which decides what to
 * offer and say), mapping its plain items to VS Code's types. The active environment and the workspace's
 * `netreq.environments` are read at each request, so a switch of environment shows at once.
 */
import * as vscode from 'vscode';
import { completionsAt, hoverAt, type AssistInput, type CompletionKind } from '../../core/netreq/assist';
import type { Environments } from '../../core/netreq/types';
import { isNetreq, type DocumentCache } from './documentCache';

const KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  directive: vscode.CompletionItemKind.Keyword,
  value: vscode.CompletionItemKind.Value,
  protocol: vscode.CompletionItemKind.Keyword,
  method: vscode.CompletionItemKind.Method,
  header: vscode.CompletionItemKind.Field,
  variable: vscode.CompletionItemKind.Variable,
  system: vscode.CompletionItemKind.Function,
  field: vscode.CompletionItemKind.Field,
  operator: vscode.CompletionItemKind.Operator,
};

/** Characters after which suggestions open by themselves: `# @`, `{{`, `{{$`, `{{%`, `Name: `, `@eol `. */
export const TRIGGER_CHARACTERS = ['@', '{', '$', '%', ':', ' '];

export interface AssistEnvironment {
  environments(uri: vscode.Uri): Environments;
  active(): string | undefined;
}

function input(cache: DocumentCache, env: AssistEnvironment, document: vscode.TextDocument, position: vscode.Position): AssistInput {
  return {
    doc: cache.get(document),
    line: position.line,
    col: position.character,
    lineAt: (l) => (l >= 0 && l < document.lineCount ? document.lineAt(l).text : ''),
    environments: env.environments(document.uri),
    environmentName: env.active(),
  };
}

export class NetreqCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly cache: DocumentCache,
    private readonly env: AssistEnvironment,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (!isNetreq(document)) return [];
    const rest = document.lineAt(position.line).text.slice(position.character);
    return completionsAt(input(this.cache, this.env, document, position)).map((c) => {
      const item = new vscode.CompletionItem(c.label, KIND[c.kind]);
      // A variable closes its `}}` unless the line already does.
      const close = (c.kind === 'variable' || c.kind === 'system') && !rest.startsWith('}}') ? '}}' : '';
      item.insertText = c.insert + close;
      item.range = new vscode.Range(position.line, c.from, position.line, position.character);
      item.sortText = `${c.rank ?? 0}_${c.label}`;
      if (c.detail) item.detail = c.detail;
      if (c.doc) item.documentation = new vscode.MarkdownString(c.doc);
      return item;
    });
  }
}

export class NetreqHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly cache: DocumentCache,
    private readonly env: AssistEnvironment,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!isNetreq(document)) return undefined;
    const h = hoverAt(input(this.cache, this.env, document, position));
    if (!h) return undefined;
    // Text from the file and the settings is only ever inside code spans; no command links, no HTML.
    const md = new vscode.MarkdownString(h.markdown);
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(position.line, h.from, position.line, h.to));
  }
}
