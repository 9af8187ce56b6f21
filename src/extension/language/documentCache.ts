/**
 * Parses each version of a .netreq / .http / .rest document once; everything in the editor reads through here.
 * `.http` / `.rest` files have the language id `http` (shared with REST Client and httpyac, which contribute it
 * too) and parse with the 'http' dialect (what REST Client / httpyac do with them).
 */
import * as vscode from 'vscode';
import { parseNetreq } from '../../core/netreq';
import type { Dialect, NetreqDocument } from '../../core/netreq/types';
import { Disposable } from '../lifecycle';

export const LANGUAGE_ID = 'netreq';
/** The language id of .http / .rest files (REST Client's and httpyac's; NetReq contributes it too). */
export const HTTP_LANGUAGE_ID = 'http';
/**
 * Saved files, untitled editors, and the traffic view's read-only "Open as .netreq" documents (Send works from
 * them); .http / .rest files and untitled `http` editors (providers check `netreq.httpFiles.enabled`).
 */
export const NETREQ_SELECTOR: vscode.DocumentSelector = [
  { language: LANGUAGE_ID, scheme: 'file' },
  { language: LANGUAGE_ID, scheme: 'untitled' },
  { language: LANGUAGE_ID, scheme: 'netreq-replay' },
  { language: HTTP_LANGUAGE_ID, scheme: 'file' },
  { language: HTTP_LANGUAGE_ID, scheme: 'untitled' },
];

/** `netreq.httpFiles.enabled` (default true): NetReq's features on .http / .rest files. */
export function httpFilesEnabled(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('netreq', scope ?? null).get<unknown>('httpFiles.enabled', true) !== false;
}

/** Whether NetReq serves documents of this language id: `netreq` always, `http` unless netreq.httpFiles.enabled is false. */
export function isNetreqLanguage(languageId: string | undefined, scope?: vscode.Uri): boolean {
  return languageId === LANGUAGE_ID || (languageId === HTTP_LANGUAGE_ID && httpFilesEnabled(scope));
}

/** The parser dialect of a document: 'http' for the `http` language (.http / .rest), else 'netreq'. */
export function dialectFor(document: Pick<vscode.TextDocument, 'languageId'>): Dialect {
  return document.languageId === HTTP_LANGUAGE_ID ? 'http' : 'netreq';
}

interface Entry {
  version: number;
  parsed: NetreqDocument;
}

export class DocumentCache extends Disposable {
  private readonly entries = new Map<string, Entry>();
  /** For tests and the API: how many parses happened. */
  parses = 0;

  constructor(workspace: Pick<typeof vscode.workspace, 'onDidCloseTextDocument'>) {
    super();
    this.register(workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())));
  }

  get(document: vscode.TextDocument): NetreqDocument {
    const key = document.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === document.version) return hit.parsed;
    const parsed = parseNetreq(document.getText(), { dialect: dialectFor(document) });
    this.parses++;
    this.entries.set(key, { version: document.version, parsed });
    return parsed;
  }

  override dispose(): void {
    super.dispose();
    this.entries.clear();
  }
}

/** A document NetReq serves (see isNetreqLanguage). */
export function isNetreq(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return !!document && isNetreqLanguage(document.languageId, document.uri);
}

/** Why Send does nothing in this editor, in words (an .http file with netreq.httpFiles.enabled off, or another language). */
export function notServedMessage(document: vscode.TextDocument | undefined, what: string): string {
  if (document?.languageId === HTTP_LANGUAGE_ID) return `NetReq is turned off for .http / .rest files (the setting netreq.httpFiles.enabled).`;
  return `Open a .netreq, .http or .rest file ${what}.`;
}
