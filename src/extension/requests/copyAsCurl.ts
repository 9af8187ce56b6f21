/**
 * `netreq.copyAsCurl` (palette and editor context menu): the HTTP block at the cursor, resolved with the active
 * environment as Send resolves it, copied as a curl command that sends the same bytes (core: specToCurl).
 */
import * as vscode from 'vscode';
import { blockAtLine, resolveBlock } from '../../core/netreq';
import { specToCurl } from '../../core/protocols/http';
import type { DocumentCache } from '../language/documentCache';
import { isNetreq } from '../language/documentCache';
import { resolveContextFor } from './resolveContext';

export interface CopyAsCurlDeps {
  cache: DocumentCache;
  environments: { readonly active: string | undefined };
}

export type CopyAsCurlResult = { ok: true; command: string; notes: string[]; message: string } | { ok: false; message: string };

export function registerCopyAsCurl(deps: CopyAsCurlDeps): vscode.Disposable {
  return vscode.commands.registerCommand('netreq.copyAsCurl', async (uriArg?: unknown, blockArg?: unknown) => {
    const r = await copyAsCurl(deps, uriArg, blockArg);
    if (r.ok) void vscode.window.showInformationMessage(r.message);
    else void vscode.window.showWarningMessage(`NetReq: ${r.message}`);
    return r;
  });
}

async function copyAsCurl(deps: CopyAsCurlDeps, uriArg: unknown, blockArg: unknown): Promise<CopyAsCurlResult> {
  const editor = vscode.window.activeTextEditor;
  const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' && uriArg ? vscode.Uri.parse(uriArg) : undefined;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
  if (!isNetreq(document)) return { ok: false, message: 'Open a .netreq or .http file and put the cursor in an HTTP request to copy it as curl.' };
  const parsed = deps.cache.get(document);
  const block =
    typeof blockArg === 'number'
      ? parsed.blocks.find((b) => b.index === blockArg)
      : editor && editor.document === document
        ? blockAtLine(parsed, editor.selection.active.line)
        : undefined;
  if (!block?.requestLine) return { ok: false, message: 'Put the cursor in an HTTP request to copy it as curl.' };
  let resolved;
  try {
    resolved = await resolveBlock(parsed, block, await resolveContextFor(document.uri, deps.environments.active));
  } catch (e) {
    return { ok: false, message: `Could not prepare the request: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!resolved.ok) {
    const first = resolved.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, message: `Not copied: line ${(first?.span.start.line ?? block.startLine) + 1}: ${first?.message ?? 'the request could not be prepared'}` };
  }
  const spec = resolved.request;
  if (spec.kind !== 'http') return { ok: false, message: `Copy as curl works on HTTP requests; this block is a ${block.requestLine.method} request.` };
  const copy = specToCurl(spec);
  if (!copy.ok) return { ok: false, message: `Not copied: ${copy.message}` };
  await vscode.env.clipboard.writeText(copy.command);
  const size = Buffer.byteLength(copy.command, 'utf8');
  const message = `Copied as curl (${size} bytes)${copy.notes.length > 0 ? `. ${copy.notes.join('. ')}.` : ''}`;
  return { ok: true, command: copy.command, notes: copy.notes, message };
}
