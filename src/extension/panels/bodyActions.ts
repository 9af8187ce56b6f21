/** "Open body in editor", "Save body…" and "Copy": they work on the full body the host kept, not the preview. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../core/exchange';
import { decodeText, formatBytes, headerValue, looksLikeText, parseContentType } from '../../common/format';
import type { BodyDocuments } from './bodyDocuments';

export { languageForMime } from './bodyText';

export interface ActionResult {
  ok: boolean;
  message: string;
}

const EXT_BY_MIME: Record<string, string> = {
  'application/json': '.json',
  'text/html': '.html',
  'application/xml': '.xml',
  'text/xml': '.xml',
  'text/plain': '.txt',
  'text/css': '.css',
  'text/javascript': '.js',
  'application/javascript': '.js',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/gzip': '.gz',
};

/** A safe file name for the body: Content-Disposition's filename, else the URL's last segment, else response.<ext>. */
export function suggestedFileName(x: HttpExchange): string {
  const headers = x.response?.headers ?? [];
  const { mime } = parseContentType(headerValue(headers, 'content-type'));
  const disposition = headerValue(headers, 'content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  let name = m ? safeDecode(m[1]) : '';
  if (!name) {
    const last = x.request.target.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? '';
    if (/\.[A-Za-z0-9]{1,8}$/.test(last)) name = safeDecode(last);
  }
  name = [...path.basename(name.replace(/\\/g, '/'))].map((c) => (c.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(c) ? '_' : c)).join('').replace(/^\.+/, '');
  return name || `response${EXT_BY_MIME[mime] ?? (mime.startsWith('text/') ? '.txt' : '.bin')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function cutNote(x: HttpExchange): string {
  return x.response?.truncated ? ' (cut at netreq.maxResponseBytes; the rest was not read)' : '';
}

const binaryRefusal = (mime: string, size: number, what: string): ActionResult => ({
  ok: false,
  message: `The body is binary (${mime || 'no content-type'}, ${formatBytes(size)}), so it cannot be ${what}; use Save body… instead.`,
});

/** The whole body in a read-only editor (netreq-response:), JSON pretty-printed; nothing to save on close. */
export async function openBodyInEditor(docs: BodyDocuments, x: HttpExchange | undefined): Promise<ActionResult> {
  const res = x?.response;
  if (!x || !res) return { ok: false, message: 'There is no response body.' };
  const { mime, charset } = parseContentType(headerValue(res.headers, 'content-type'));
  if (!looksLikeText(res.body, charset)) return binaryRefusal(mime, res.body.length, 'shown as text');
  const uri = docs.uriFor(x, suggestedFileName(x));
  const shown = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `NetReq: preparing the body (${formatBytes(res.body.length)})` }, async () => {
    const d = await docs.describe(uri);
    // vscode.open, not openTextDocument: a document over 50 MB is not synced to extensions, but it opens.
    await vscode.commands.executeCommand('vscode.open', uri, { preview: false, viewColumn: vscode.ViewColumn.Active });
    return d;
  });
  const how = shown.kind === 'text' && shown.pretty ? 'pretty JSON' : shown.kind === 'text' ? shown.language : mime;
  const note = shown.kind === 'text' && shown.note ? `; ${shown.note}` : '';
  return { ok: true, message: `Opened the body (${formatBytes(res.body.length)}${cutNote(x)}, ${how}${note}) in a read-only editor.` };
}

/** The whole body on the clipboard as text, saying how much that was. */
export async function copyBody(x: HttpExchange | undefined): Promise<ActionResult> {
  const res = x?.response;
  if (!x || !res) return { ok: false, message: 'There is no response body.' };
  const { mime, charset } = parseContentType(headerValue(res.headers, 'content-type'));
  if (!looksLikeText(res.body, charset)) return binaryRefusal(mime, res.body.length, 'copied as text');
  await vscode.env.clipboard.writeText(decodeText(res.body, charset));
  return { ok: true, message: `Copied ${formatBytes(res.body.length)}${cutNote(x)}.` };
}

/**
 * The whole body to a file: the save dialog (next to the .netreq file), or `target` when given (the
 * command's argument). Says where it went, in the panel and in a notification that can open or reveal it.
 */
export async function saveBody(x: HttpExchange | undefined, near?: vscode.Uri, target?: vscode.Uri): Promise<ActionResult> {
  const res = x?.response;
  if (!x || !res) return { ok: false, message: 'There is no response body.' };
  if (!target) {
    const folder = near && near.scheme === 'file' ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = suggestedFileName(x);
    target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      saveLabel: 'Save body',
      title: 'Save response body',
    });
  }
  if (!target) return { ok: false, message: 'Not saved.' };
  try {
    await vscode.workspace.fs.writeFile(target, res.body);
  } catch (err) {
    return { ok: false, message: `Could not save the body to ${where(target)}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const message = `Saved ${formatBytes(res.body.length)}${cutNote(x)} to ${where(target)}.`;
  const saved = target;
  void vscode.window.showInformationMessage(`NetReq: ${message}`, 'Open', 'Show in Folder').then((pick) => {
    if (pick === 'Open') void vscode.commands.executeCommand('vscode.open', saved);
    else if (pick === 'Show in Folder') void vscode.commands.executeCommand('revealFileInOS', saved);
  });
  return { ok: true, message };
}

const where = (u: vscode.Uri) => (u.scheme === 'file' ? u.fsPath : u.toString());
