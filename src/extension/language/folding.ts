/** Folding for `###` blocks: a fold from each separator to the line before the next (language configuration markers cannot express this). */
import * as vscode from 'vscode';
import { foldingRanges } from '../../core/netreq';
import { isNetreq, type DocumentCache } from './documentCache';

export class NetreqFoldingProvider implements vscode.FoldingRangeProvider {
  constructor(private readonly cache: DocumentCache) {}

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    if (!isNetreq(document)) return [];
    return foldingRanges(this.cache.get(document)).map((r) => new vscode.FoldingRange(r.start, r.end, vscode.FoldingRangeKind.Region));
  }
}
