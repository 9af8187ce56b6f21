/**
 * Where health checks come from: the setting `netreq.health.checks` (user and workspace levels) and the
 * `.netreq` files of the workspace whose blocks carry `# @health`. Files are found lazily (only once
 * `watchFiles()` is called: the view was shown or there are checks), bounded in number and size, kept up
 * to date by a file watcher and by edits to open documents, and read only in a trusted workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseNetreq, resolveBlock } from '../../core/netreq';
import type { ResolveContext } from '../../core/netreq/types';
import * as config from '../config';
import { resolveContextFor } from '../requests/resolveContext';
import { Disposable, toDisposable } from '../lifecycle';
import { settingEntries, uniqueNames, type HealthEntry } from './settings';
import { blockCheckName, checkForSpec, checksKey, healthDirective, parseHealthValue } from './targets';

export const CHECKS_KEY = 'health.checks';
const GLOB = '**/*.{netreq,http,rest}';
const EXCLUDE = '{**/node_modules/**,**/.git/**}';
/** At most this many .netreq files are read, each at most this large. */
export const MAX_FILES = 500;
export const MAX_FILE_BYTES = 1024 * 1024;
const DEBOUNCE_MS = 400;
const READ_BATCH = 16;

export interface SourceDeps {
  /** The active environment's name, for {{variables}} in pinned blocks. */
  environment: () => string | undefined;
  onDidChangeEnvironment: vscode.Event<unknown>;
}

export class HealthSources extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private settings: HealthEntry[] = [];
  private readonly files = new Map<string, HealthEntry[]>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Bumped per file on each read, so a slow read never overwrites a newer one. */
  private readonly generation = new Map<string, number>();
  private watching = false;
  private scanned?: Promise<void>;

  constructor(private readonly deps: SourceDeps) {
    super();
    this.readSettings();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${config.SECTION}.${CHECKS_KEY}`)) this.readSettings(true);
        // Pinned blocks resolve with these (../requests/resolveContext.ts): read them again when they change.
        if (['environments', 'tls.caFiles', 'timeout', 'insecure'].some((k) => e.affectsConfiguration(`${config.SECTION}.${k}`))) void this.rescanFiles();
      }),
    );
    this.register(deps.onDidChangeEnvironment(() => this.rescanFiles()));
    this.register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.readSettings(true);
        if (this.watching) this.rescanFiles();
      }),
    );
    this.register(toDisposable(() => this.pending.forEach((t) => clearTimeout(t))));
  }

  /** Every check, setting ones first, with unique names. */
  entries(): HealthEntry[] {
    return uniqueNames([...this.settings, ...[...this.files.values()].flat()]);
  }

  /** The setting's checks as they are now (user and workspace levels). */
  hasSettingChecks(): boolean {
    return this.settings.length > 0;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Re-reads the setting; with `fire`, tells listeners. */
  readSettings(fire = false): void {
    const v = vscode.workspace.getConfiguration(config.SECTION).inspect<unknown>(CHECKS_KEY);
    this.settings = settingEntries({ user: v?.globalValue, workspace: v?.workspaceValue }, this.trusted);
    if (fire) this.changed.fire();
  }

  /** Starts finding pinned blocks in the workspace's .netreq files (once); resolves when the first scan is done. */
  watchFiles(): Promise<void> {
    if (this.watching) return this.scanned ?? Promise.resolve();
    this.watching = true;
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(GLOB));
    this.register(watcher.onDidCreate((u) => this.schedule(u)));
    this.register(watcher.onDidChange((u) => this.schedule(u)));
    this.register(watcher.onDidDelete((u) => this.forget(u)));
    const isFile = (d: vscode.TextDocument) => d.uri.scheme === 'file' && /\.(netreq|http|rest)$/.test(d.uri.path);
    this.register(vscode.workspace.onDidChangeTextDocument((e) => isFile(e.document) && e.contentChanges.length > 0 && this.schedule(e.document.uri)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => isFile(d) && this.schedule(d.uri, 0)));
    // Closing a document drops its unsaved text: read the file as it is on disk again.
    this.register(vscode.workspace.onDidCloseTextDocument((d) => isFile(d) && this.schedule(d.uri)));
    this.scanned = this.rescanFiles();
    return this.scanned;
  }

  /** Reads every .netreq file of the workspace again (nothing in Restricted Mode: the files are not read). */
  async rescanFiles(): Promise<void> {
    if (!this.watching || this.isDisposed) return;
    if (!this.trusted) {
      if (this.files.size > 0) {
        this.files.clear();
        this.changed.fire();
      }
      return;
    }
    const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, MAX_FILES);
    const keep = new Set(uris.map((u) => u.toString()));
    for (const key of [...this.files.keys()]) if (!keep.has(key)) this.files.delete(key);
    // A few at a time: a big workspace should not open hundreds of files at once.
    for (let i = 0; i < uris.length && !this.isDisposed; i += READ_BATCH) await Promise.all(uris.slice(i, i + READ_BATCH).map((u) => this.readFile(u)));
    this.changed.fire();
  }

  /** Reads one file now (for tests and commands that just changed it). */
  async refreshFile(uri: vscode.Uri): Promise<void> {
    if (await this.readFile(uri)) this.changed.fire();
  }

  private schedule(uri: vscode.Uri, delay = DEBOUNCE_MS): void {
    if (this.isDisposed || !this.trusted || !vscode.workspace.getWorkspaceFolder(uri)) return;
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    const t = setTimeout(() => {
      this.pending.delete(key);
      void this.refreshFile(uri);
    }, delay);
    this.pending.set(key, t);
  }

  private forget(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.changed.fire();
  }

  /** Reads a file's pinned blocks; true when its entries changed. */
  private async readFile(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    let entries: HealthEntry[];
    try {
      entries = await this.entriesOf(uri);
    } catch (e) {
      const label = vscode.workspace.asRelativePath(uri, false);
      entries = [];
      // A file that cannot be read is not a check; say so once, where a person looks for it.
      console.warn(`NetReq health: cannot read ${label}: ${(e as Error).message}`);
    }
    if (this.generation.get(key) !== gen || this.isDisposed) return false;
    const before = checksKey(this.files.get(key) ?? []);
    if (entries.length) this.files.set(key, entries);
    else this.files.delete(key);
    return before !== checksKey(entries);
  }

  private async entriesOf(uri: vscode.Uri): Promise<HealthEntry[]> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    if (open) text = open.getText();
    else {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) return [];
      text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    }
    if (!text.includes('@health')) return [];
    const doc = parseNetreq(text, { dialect: /\.(http|rest)$/i.test(uri.path) ? 'http' : 'netreq' });
    const pinned = doc.blocks.filter((b) => healthDirective(b));
    if (pinned.length === 0) return [];
    const rel = vscode.workspace.asRelativePath(uri, false);
    // The same context as Send (environment, settings, netreq.tls.caFiles). Checks of an untrusted
    // workspace do not run at all; its Restricted Mode rules hold if one ever resolves anyway.
    let ctx: ResolveContext | undefined;
    let unprepared: string | undefined;
    try {
      ctx = await resolveContextFor(uri, this.deps.environment());
    } catch (e) {
      unprepared = `the request cannot be prepared: ${(e as Error).message}`;
    }
    const out: HealthEntry[] = [];
    for (const block of pinned) {
      const directive = healthDirective(block)!;
      const line = block.requestLine?.line ?? directive.line;
      const source = { kind: 'file' as const, uri: uri.toString(), label: `${rel}:${line + 1}`, directiveLine: directive.line };
      const name = blockCheckName(block, path.basename(uri.path));
      const value = parseHealthValue(directive.value);
      if (value.error) {
        out.push({ name, source, problem: value.error });
        continue;
      }
      if (!ctx) {
        out.push({ name, source, problem: unprepared });
        continue;
      }
      const resolved = await resolveBlock(doc, block, ctx);
      if (!resolved.ok) {
        const first = resolved.diagnostics.find((d) => d.severity === 'error') ?? resolved.diagnostics[0];
        const where = first ? `line ${first.span.start.line + 1}: ` : '';
        out.push({ name, source, problem: `the request does not resolve (${where}${first?.message ?? 'unknown problem'})` });
        continue;
      }
      const timed = block.directives.some((d) => d.key === 'timeout');
      const check = checkForSpec(name, resolved.request, { intervalSeconds: value.intervalSeconds, timeoutMs: timed ? resolved.request.options.timeoutMs : undefined });
      if (check.ok) out.push({ name, source, config: check.config, target: check.config.target });
      else out.push({ name, source, problem: check.reason });
    }
    return out;
  }
}
