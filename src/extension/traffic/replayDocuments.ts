/**
 * "Open as .netreq" from the traffic view opens a read-only virtual document (scheme `netreq-replay`):
 * closing it never asks to save (an untitled document with text always would), Send works from it (the
 * NetReq language features take the scheme), and **Save As .netreq File…** in its title bar (command
 * netreq.saveReplayAs) writes it to a file the user can edit — and opens that file.
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { ActionResult } from '../panels/bodyActions';
import { GONE_TEXT, REPLAY_SCHEME, ReplayTexts } from './replayTexts';

export const SAVE_REPLAY_COMMAND = 'netreq.saveReplayAs';

export class ReplayDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new ReplayTexts();

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REPLAY_SCHEME, this));
    this.register(vscode.commands.registerCommand(SAVE_REPLAY_COMMAND, (uri?: unknown, target?: unknown) => this.saveAs(uri, target)));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? GONE_TEXT;
  }

  /** Opens `text` as a read-only .netreq document beside the active editor or view. */
  async open(name: string, text: string, what: string): Promise<ActionResult> {
    const uri = vscode.Uri.from({ scheme: REPLAY_SCHEME, path: this.texts.put(name, text) });
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'netreq') doc = await vscode.languages.setTextDocumentLanguage(doc, 'netreq');
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return { ok: true, message: `Opened ${what} as a read-only .netreq document: Send works from it; to edit it, Save As .netreq File… (its title bar) keeps a copy as a file.` };
  }

  /** Writes a replay document to a file (asking where unless a target is given) and opens that file. */
  async saveAs(uriArg?: unknown, targetArg?: unknown): Promise<ActionResult> {
    const uri = uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== REPLAY_SCHEME) return this.tell({ ok: false, message: 'Save As .netreq File… saves a document opened with Open as .netreq (traffic view) or Open as Request (Health view); this editor is not one.' });
    const doc = await vscode.workspace.openTextDocument(uri);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = ReplayTexts.fileName(uri.path);
    const target =
      targetArg instanceof vscode.Uri
        ? targetArg
        : await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { NetReq: ['netreq'] }, saveLabel: 'Save', title: 'Save as a .netreq file' });
    if (!target) return { ok: false, message: 'Not saved.' };
    await vscode.workspace.fs.writeFile(target, Buffer.from(doc.getText(), 'utf8'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false, viewColumn: vscode.window.activeTextEditor?.viewColumn });
    return this.tell({ ok: true, message: `Saved to ${target.scheme === 'file' ? target.fsPath : target.toString()}; that file is open to edit and send.` });
  }

  private tell(r: ActionResult): ActionResult {
    if (r.ok) void vscode.window.showInformationMessage(`NetReq: ${r.message}`);
    else void vscode.window.showWarningMessage(`NetReq: ${r.message}`);
    return r;
  }
}
