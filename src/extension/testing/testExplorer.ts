/**
 * The Test Explorer (VS Code's Testing API): a TestController "NetReq" whose items are the workspace's `.netreq`,
 * `.http` and `.rest` files with `??` asserts; under each file its blocks with asserts (label: the block's title,
 * else its @name, else its request line; range: the block), under each block its asserts (range: the `??` line).
 * Open documents are followed as they are edited (so the gutter's Run buttons come at once); the workspace's files
 * are found when the Test Explorer first asks (lazy), then kept up to date by a FileSystemWatcher. Workspace files
 * only in a trusted workspace (Restricted Mode: only untitled editors). Running is in ./testRun.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { dialectForPath, scanAsserts, type ScannedBlock } from './scan';
import { eachInSlices, Slicer } from './slices';
import { runTests, type RunDeps, type RunRecord } from './testRun';

export const CONTROLLER_ID = 'netreq';
export const FILE_GLOB = '**/*.{netreq,http,rest}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
/** Most files discovered in the workspace, and the biggest file read (a bound on what a workspace can make us do). */
export const MAX_FILES = 5000;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A line that starts with `??` (discovery's cheap test; the parser decides which are asserts). */
const ASSERT_LINE = /^[ \t]*\?\?/m;
/** Files read at the same time during discovery. */
const READERS = 4;
/** An edit is scanned after this quiet time (ms). */
const EDIT_DELAY_MS = 250;

/** What a test item stands for. */
export type ItemRef = { kind: 'file'; uri: vscode.Uri } | { kind: 'block'; uri: vscode.Uri; blockIndex: number } | { kind: 'assert'; uri: vscode.Uri; blockIndex: number; line: number };

export function parseItemId(id: string): ItemRef | undefined {
  const m = /^(.*?)(?:#(\d+)(?:\/(\d+))?)?$/s.exec(id);
  if (!m?.[1]) return undefined;
  const uri = vscode.Uri.parse(m[1]);
  if (m[2] === undefined) return { kind: 'file', uri };
  if (m[3] === undefined) return { kind: 'block', uri, blockIndex: Number(m[2]) };
  return { kind: 'assert', uri, blockIndex: Number(m[2]), line: Number(m[3]) };
}

/** A test item as the integration tests see it. */
export interface ItemInfo {
  id: string;
  label: string;
  range?: [number, number];
  /** A discovered file whose blocks come when it is expanded or run. */
  lazy: boolean;
  children: ItemInfo[];
}

export function isTestFile(uri: vscode.Uri): boolean {
  return /\.(netreq|http|rest)$/i.test(uri.path);
}

export class TestExplorer extends Disposable {
  readonly controller: vscode.TestController;
  private discovery?: Promise<void>;
  private watcher?: vscode.FileSystemWatcher;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** File items whose blocks are known (the others only know they have a `??` line). */
  private readonly resolved = new Set<string>();
  /** Each file's latest update: a sliced update that a newer one (or a drop) overtook stops at its next break. */
  private readonly generations = new Map<string, number>();
  /** The time slices shared by every expansion (Run All, Refresh, the explorer's own expansions). */
  private readonly slicer = new Slicer();
  /** Files read and scanned by the last workspace discovery, and how long it took (ms), for the tests and the bench. */
  lastDiscovery?: { files: number; items: number; ms: number; findFilesMs: number; updateMsTotal: number; updateMsMax: number };
  /** Time spent updating items (synchronous: scan + test items), total and the longest, since the last discovery began. */
  private updates = { total: 0, max: 0, maxParse: 0, maxAttach: 0 };
  /** What the last run said of each item (the Testing API does not read results back). */
  lastRun: RunRecord[] = [];
  private readonly runDeps: RunDeps;

  constructor(deps: RunDeps) {
    super();
    this.controller = this.register(vscode.tests.createTestController(CONTROLLER_ID, 'NetReq'));
    // Lazy: the workspace's files when the Test Explorer first asks; a file's blocks when it is expanded or run.
    this.controller.resolveHandler = (item) => (item ? this.resolve(item) : this.discover());
    this.controller.refreshHandler = () => this.discover(true);
    this.runDeps = deps;
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    for (const d of vscode.workspace.textDocuments) this.documentChanged(d, 0);
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.documentChanged(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.documentChanged(e.document, EDIT_DELAY_MS)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.documentClosed(d)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.trusted()));
  }

  /** Runs what `request` names (the Run profile, and the tests). */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    this.lastRun = [];
    // Files not expanded yet: their blocks first (Run All, or a file run from the explorer).
    // In time slices shared by all the files (no long stall of the extension host); Cancel stops there too.
    const files: vscode.TestItem[] = [];
    (request.include ?? [...collect(this.controller.items)]).forEach((i) => parseItemId(i.id)?.kind === 'file' && files.push(i));
    const slicer = this.slicer;
    for (const f of files) {
      if (token.isCancellationRequested) break;
      await this.resolve(f, slicer, token);
    }
    return runTests(this.controller, request, token, this.runDeps, this.lastRun);
  }

  /** Time spent updating items (synchronous), total and the longest, since the last call (for the measurement test). */
  takeUpdateStats(): { total: number; max: number; maxParse: number; maxAttach: number } {
    const u = this.updates;
    this.updates = { total: 0, max: 0, maxParse: 0, maxAttach: 0 };
    return u;
  }

  /** The item with this id (files at the top, blocks under them, asserts under those). */
  item(id: string): vscode.TestItem | undefined {
    const ref = parseItemId(id);
    if (!ref) return undefined;
    const file = this.controller.items.get(ref.uri.toString());
    if (ref.kind === 'file' || !file) return file;
    const block = file.children.get(`${ref.uri.toString()}#${ref.blockIndex}`);
    return ref.kind === 'block' ? block : block?.children.get(id);
  }

  /** Disposes `d` with the explorer. */
  own(d: vscode.Disposable): void {
    this.register(d);
  }

  /** Finds the workspace's files with asserts (once; again with `again`). Nothing in an untrusted workspace. */
  discover(again = false): Promise<void> {
    if (!this.discovery || again) this.discovery = this.scanWorkspace();
    return this.discovery;
  }

  /** The items as a tree (for the tests). */
  snapshot(): ItemInfo[] {
    const info = (i: vscode.TestItem): ItemInfo => ({
      id: i.id,
      label: i.label,
      range: i.range ? [i.range.start.line, i.range.end.line] : undefined,
      lazy: i.canResolveChildren,
      children: [...collect(i.children)].map(info),
    });
    return [...collect(this.controller.items)].map(info);
  }

  private allowed(uri: vscode.Uri): boolean {
    if (!isTestFile(uri) && uri.scheme !== 'untitled') return false;
    return vscode.workspace.isTrusted || uri.scheme === 'untitled';
  }

  private async scanWorkspace(): Promise<void> {
    if (!this.watcher && vscode.workspace.isTrusted) {
      const w = (this.watcher = this.register(vscode.workspace.createFileSystemWatcher(FILE_GLOB)));
      w.onDidCreate((u) => void this.readFile(u, !this.resolved.has(u.toString())));
      w.onDidChange((u) => void this.readFile(u, !this.resolved.has(u.toString())));
      w.onDidDelete((u) => this.drop(u.toString()));
    }
    if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return;
    const started = performance.now();
    const uris = await vscode.workspace.findFiles(FILE_GLOB, EXCLUDE_GLOB, MAX_FILES);
    const findFilesMs = performance.now() - started;
    this.updates = { total: 0, max: 0, maxParse: 0, maxAttach: 0 };
    let items = 0;
    // A few reads at a time; each file's scan is short and the loop yields between files (no long stall).
    let next = 0;
    const worker = async () => {
      while (next < uris.length) {
        const n = await this.readFile(uris[next++], true);
        items += n;
        await new Promise<void>((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: READERS }, worker));
    const r = (n: number) => Math.round(n * 10) / 10;
    this.lastDiscovery = { files: uris.length, items, ms: r(performance.now() - started), findFilesMs: r(findFilesMs), updateMsTotal: r(this.updates.total), updateMsMax: r(this.updates.max) };
  }

  /** A file item's blocks (VS Code asks when it is expanded; a run asks before it plans). */
  async resolve(item: vscode.TestItem, slicer = this.slicer, token?: vscode.CancellationToken): Promise<void> {
    const ref = parseItemId(item.id);
    if (ref?.kind === 'file' && !this.resolved.has(item.id)) await this.readFile(ref.uri, false, slicer, token);
  }

  /**
   * Reads a file from disk (an open editor's text wins) and updates its item; the number of items made. `lazy`: only
   * whether it has a `??` line (one file item to expand), not its blocks.
   */
  private async readFile(uri: vscode.Uri, lazy: boolean, slicer = this.slicer, token?: vscode.CancellationToken): Promise<number> {
    if (!this.allowed(uri)) return 0;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.updateSliced(uri, open.getText(), slicer, token);
    const take = (text: string) => (lazy ? this.mark(uri, text) : this.updateSliced(uri, text, slicer, token));
    try {
      // A local file is read here, in the extension host (no round trip per file); others through VS Code.
      if (uri.scheme === 'file') {
        if ((await stat(uri.fsPath)).size > MAX_FILE_BYTES) return this.update(uri, '');
        return take(await readFile(uri.fsPath, 'utf8'));
      }
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return this.update(uri, '');
      return take(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      this.drop(uri.toString());
      return 0;
    }
  }

  private documentChanged(d: vscode.TextDocument, delay: number): void {
    if (!this.allowed(d.uri) || (d.uri.scheme === 'untitled' && d.languageId !== 'netreq')) return;
    const key = d.uri.toString();
    clearTimeout(this.timers.get(key));
    if (delay === 0) {
      this.update(d.uri, d.getText());
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.update(d.uri, d.getText());
      }, delay),
    );
  }

  /** A closed editor: its unsaved edits are gone, so the file on disk counts again (an untitled one is gone). */
  private documentClosed(d: vscode.TextDocument): void {
    clearTimeout(this.timers.get(d.uri.toString()));
    if (d.uri.scheme === 'file' && this.discovery) void this.readFile(d.uri, !this.resolved.has(d.uri.toString()));
    else this.drop(d.uri.toString());
  }

  private trusted(): void {
    if (this.discovery) void this.discover(true);
    for (const d of vscode.workspace.textDocuments) this.documentChanged(d, 0);
  }

  /** Replaces the file's items with what `text` has; the number of block items. */
  update(uri: vscode.Uri, text: string): number {
    const t0 = performance.now();
    try {
      return this.apply(uri, text);
    } finally {
      const ms = performance.now() - t0;
      this.updates.total += ms;
      this.updates.max = Math.max(this.updates.max, ms);
    }
  }

  private apply(uri: vscode.Uri, text: string): number {
    const blocks = text.length > MAX_FILE_BYTES ? [] : scanAsserts(text, dialectForPath(uri.path));
    const id = uri.toString();
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    if (blocks.length === 0) {
      this.drop(id);
      return 0;
    }
    const file = this.fileItem(uri);
    file.canResolveChildren = false;
    this.resolved.add(id);
    file.children.replace(blocks.map((b) => this.blockItem(uri, b)));
    return blocks.length;
  }

  /**
   * `update`, in time slices: the file is parsed (one step), then its block items are made and attached a slice at a
   * time (the first slice replaces the file's old items, the next ones are added), with a break between slices. Stops
   * at a break when `token` is cancelled or a newer update of the file began (the file then stays to be resolved).
   */
  private async updateSliced(uri: vscode.Uri, text: string, slicer: Slicer, token?: vscode.CancellationToken): Promise<number> {
    const id = uri.toString();
    const gen = (this.generations.get(id) ?? 0) + 1;
    this.generations.set(id, gen);
    const t0 = performance.now();
    const blocks = text.length > MAX_FILE_BYTES ? [] : scanAsserts(text, dialectForPath(uri.path));
    this.timed(t0, 'maxParse');
    if (blocks.length === 0) {
      this.drop(id);
      return 0;
    }
    let pending: vscode.TestItem[] = [];
    let first = true;
    const attach = () => {
      const t = performance.now();
      const file = this.fileItem(uri);
      if (first) file.children.replace(pending);
      else for (const b of pending) file.children.add(b);
      first = false;
      pending = [];
      this.timed(t, 'maxAttach');
    };
    const stale = () => this.generations.get(id) !== gen || token?.isCancellationRequested === true;
    await slicer.maybePause();
    if (stale()) return 0;
    const done = await eachInSlices(blocks, (b) => {
      const t = performance.now();
      pending.push(this.blockItem(uri, b));
      this.timed(t);
    }, slicer, { cancelled: stale, beforePause: attach });
    if (done < blocks.length || stale()) return 0;
    attach();
    this.fileItem(uri).canResolveChildren = false;
    this.resolved.add(id);
    return blocks.length;
  }

  private timed(t0: number, also?: 'maxParse' | 'maxAttach'): void {
    const ms = performance.now() - t0;
    this.updates.total += ms;
    this.updates.max = Math.max(this.updates.max, ms);
    if (also) this.updates[also] = Math.max(this.updates[also], ms);
  }

  /** Discovery's cheap look: a file with a `??` line gets an item whose blocks come when it is expanded or run. */
  private mark(uri: vscode.Uri, text: string): number {
    const id = uri.toString();
    if (!ASSERT_LINE.test(text)) {
      this.drop(id);
      return 0;
    }
    if (this.resolved.has(id)) return this.update(uri, text);
    this.fileItem(uri).canResolveChildren = true;
    return 1;
  }

  private fileItem(uri: vscode.Uri): vscode.TestItem {
    const id = uri.toString();
    let file = this.controller.items.get(id);
    if (!file) {
      file = this.controller.createTestItem(id, uri.path.split('/').pop() ?? id, uri);
      this.controller.items.add(file);
    }
    return file;
  }

  private drop(id: string): void {
    this.resolved.delete(id);
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    this.controller.items.delete(id);
  }

  private blockItem(uri: vscode.Uri, b: ScannedBlock): vscode.TestItem {
    const id = `${uri.toString()}#${b.index}`;
    const item = this.controller.createTestItem(id, b.label, uri);
    item.range = new vscode.Range(b.startLine, 0, b.endLine, 0);
    item.sortText = String(b.startLine).padStart(8, '0');
    item.children.replace(
      b.asserts.map((a) => {
        const child = this.controller.createTestItem(`${id}/${a.line}`, a.text, uri);
        child.range = new vscode.Range(a.line, a.startCol, a.line, a.endCol);
        child.sortText = String(a.line).padStart(8, '0');
        return child;
      }),
    );
    return item;
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    super.dispose();
  }
}

export function* collect(c: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  c.forEach((i) => items.push(i));
  yield* items;
}
