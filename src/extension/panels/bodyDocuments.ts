/**
 * The body editor: response bodies as read-only files of the `netreq-response:` scheme, so "Open body" shows
 * the whole body (up to netreq.maxResponseBytes) in a VS Code editor with folding, search, minimap and its
 * virtualised rendering, JSON pretty-printed, the language from the content type, and nothing to save on
 * close. A read-only file system rather than a TextDocumentContentProvider: the content goes to the editor as
 * bytes (formatted in slices, see bodyText.ts), never as one huge string serialised on the extension host, and
 * bodies over 50 MB (which VS Code does not sync to extensions) still open.
 */
import * as vscode from 'vscode';
import type { HttpExchange } from '../../core/exchange';
import { classifyBody, headerValue, parseContentType } from '../../common/format';
import { bodyDocument, extensionForLanguage, languageForMime, type BodyDocument } from './bodyText';

export const BODY_SCHEME = 'netreq-response';

/** How many bodies stay openable (each keeps its exchange's body alive); older ones say they are gone. */
export const KEPT_BODIES = 8;

interface Entry {
  exchange: HttpExchange;
  contentType?: string;
  /** The formatted body while VS Code has not read it yet (dropped after the read). */
  pending?: Promise<BodyDocument>;
  size?: number;
  ctime: number;
}

const readOnly = () => vscode.FileSystemError.NoPermissions('A response body is read-only: use Save body… to keep a copy.');

export class BodyDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly uris = new WeakMap<HttpExchange, vscode.Uri>();
  private next = 1;
  private nextFd = 1;
  /** Bodies VS Code is reading (open → read … → close). */
  private readonly reading = new Map<number, Uint8Array>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerFileSystemProvider(BODY_SCHEME, this, { isCaseSensitive: true, isReadonly: true });
  }

  /** The language the body is shown in (JSON for a JSON body whatever its type says; plaintext for other text). */
  static languageOf(x: HttpExchange): string {
    const res = x.response;
    const { mime, charset } = parseContentType(headerValue(res?.headers ?? [], 'content-type'));
    const kind = classifyBody(mime, res?.body ?? new Uint8Array(0), charset);
    return kind === 'json' ? 'json' : languageForMime(mime);
  }

  /** This exchange's body as a document (the same exchange keeps its URI, so opening twice shows one tab). */
  uriFor(x: HttpExchange, fileName: string): vscode.Uri {
    const known = this.uris.get(x);
    if (known && this.entries.has(known.path)) return known;
    const ext = extensionForLanguage(BodyDocuments.languageOf(x));
    const base = fileName.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'response';
    const uri = vscode.Uri.from({ scheme: BODY_SCHEME, path: `/${this.next++}/${base}${ext}` });
    this.entries.set(uri.path, { exchange: x, contentType: headerValue(x.response?.headers ?? [], 'content-type'), ctime: Date.now() });
    this.uris.set(x, uri);
    while (this.entries.size > KEPT_BODIES) this.entries.delete(this.entries.keys().next().value as string);
    return uri;
  }

  private entry(uri: vscode.Uri): Entry {
    const e = this.entries.get(uri.path);
    if (!e) throw vscode.FileSystemError.FileNotFound(`This response body is no longer kept (NetReq keeps the last ${KEPT_BODIES} opened): send the request again.`);
    return e;
  }

  private formatted(e: Entry): Promise<BodyDocument> {
    e.pending ??= bodyDocument(e.exchange.response?.body ?? new Uint8Array(0), e.contentType);
    return e.pending;
  }

  /** How the body will be shown (formats it, once, if VS Code has not read it yet). */
  async describe(uri: vscode.Uri): Promise<BodyDocument> {
    return this.formatted(this.entry(uri));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (/^\/\d+\/?$/.test(uri.path) || uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const e = this.entry(uri);
    if (e.size === undefined) {
      const d = await this.formatted(e);
      e.size = d.kind === 'text' ? d.bytes.length : (e.exchange.response?.body.length ?? 0);
    }
    return { type: vscode.FileType.File, ctime: e.ctime, mtime: e.ctime, size: e.size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const e = this.entry(uri);
    const d = await this.formatted(e);
    // VS Code keeps the text now; a later read (revert, reopen) formats again rather than holding a second copy.
    e.pending = undefined;
    return d.kind === 'text' ? d.bytes : (e.exchange.response?.body ?? new Uint8Array(0));
  }

  // open / read / close: VS Code then reads the text in 256 KB pieces, so no single message carries 75 MB
  // (one readFile reply of that size blocked the extension host ~150 ms while it was serialised).

  open(uri: vscode.Uri): Promise<number> {
    return this.opening(uri);
  }

  private async opening(uri: vscode.Uri): Promise<number> {
    const e = this.entry(uri);
    const d = await this.formatted(e);
    e.pending = undefined;
    const fd = this.nextFd++;
    this.reading.set(fd, d.kind === 'text' ? d.bytes : (e.exchange.response?.body ?? new Uint8Array(0)));
    return fd;
  }

  read(fd: number, pos: number, data: Uint8Array, offset: number, length: number): number {
    const bytes = this.reading.get(fd);
    if (!bytes) throw vscode.FileSystemError.Unavailable('This body was closed.');
    const piece = bytes.subarray(pos, Math.min(bytes.length, pos + length));
    data.set(piece, offset);
    return piece.length;
  }

  close(fd: number): void {
    this.reading.delete(fd);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw readOnly();
  }

  writeFile(): void {
    throw readOnly();
  }

  delete(): void {
    throw readOnly();
  }

  rename(): void {
    throw readOnly();
  }

  dispose(): void {
    this.registration.dispose();
    this.changes.dispose();
    this.entries.clear();
    this.reading.clear();
  }
}
