/** Parses each version of a .netreq document once; everything in the editor reads through here. */
import type * as vscode from 'vscode';
import { dialectForPath, parseNetreq } from '../../core/netreq';
import type { NetreqDocument } from '../../core/netreq/types';
import { Disposable } from '../lifecycle';

export const LANGUAGE_ID = 'netreq';
/** Saved files, untitled editors, and the traffic view's read-only "Open as .netreq" documents (Send works from them). */
export const NETREQ_SELECTOR: vscode.DocumentSelector = [
  { language: LANGUAGE_ID, scheme: 'file' },
  { language: LANGUAGE_ID, scheme: 'untitled' },
  { language: LANGUAGE_ID, scheme: 'netreq-replay' },
];

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
    const parsed = parseNetreq(document.getText(), { dialect: dialectForPath(document.uri.path) });
    this.parses++;
    this.entries.set(key, { version: document.version, parsed });
    return parsed;
  }

  override dispose(): void {
    super.dispose();
    this.entries.clear();
  }
}

export function isNetreq(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document?.languageId === LANGUAGE_ID;
}
