/** "Open body in editor" and "Save body…": they work on the full body the host kept, not the preview. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HttpExchange } from '../../core/exchange';
import { decodeText, formatBytes, headerValue, looksLikeText, parseContentType } from '../../common/format';

export interface ActionResult {
  ok: boolean;
  message: string;
}

const LANGUAGE_BY_MIME: Record<string, string> = {
  'application/json': 'json',
  'text/json': 'json',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'image/svg+xml': 'xml',
  'text/css': 'css',
  'text/javascript': 'javascript',
  'application/javascript': 'javascript',
  'text/markdown': 'markdown',
  'application/yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/csv': 'plaintext',
};

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

export function languageForMime(mime: string): string {
  if (LANGUAGE_BY_MIME[mime]) return LANGUAGE_BY_MIME[mime];
  if (mime.endsWith('+json')) return 'json';
  if (mime.endsWith('+xml')) return 'xml';
  return 'plaintext';
}

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
  return x.response?.truncated ? ' (cut at netreq.maxResponseBytes)' : '';
}

export async function openBodyInEditor(x: HttpExchange | undefined): Promise<ActionResult> {
  const res = x?.response;
  if (!x || !res) return { ok: false, message: 'There is no response body.' };
  const { mime, charset } = parseContentType(headerValue(res.headers, 'content-type'));
  if (!looksLikeText(res.body, charset)) {
    return { ok: false, message: `The body is binary (${mime || 'no content-type'}, ${formatBytes(res.body.length)}); use Save body… instead.` };
  }
  const doc = await vscode.workspace.openTextDocument({ content: decodeText(res.body, charset), language: languageForMime(mime) });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
  return { ok: true, message: `Opened the body (${formatBytes(res.body.length)}${cutNote(x)}) in an editor.` };
}

export async function saveBody(x: HttpExchange | undefined, near?: vscode.Uri): Promise<ActionResult> {
  const res = x?.response;
  if (!x || !res) return { ok: false, message: 'There is no response body.' };
  const folder = near && near.scheme === 'file' ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = suggestedFileName(x);
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    saveLabel: 'Save body',
    title: 'Save response body',
  });
  if (!target) return { ok: false, message: 'Not saved.' };
  await vscode.workspace.fs.writeFile(target, res.body);
  return { ok: true, message: `Saved ${formatBytes(res.body.length)}${cutNote(x)} to ${target.scheme === 'file' ? target.fsPath : target.toString()}.` };
}
