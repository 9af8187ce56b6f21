/**
 * The History store: a small index (index.jsonl, one HistoryMeta per line, newest first) and one file per entry
 * (<id>.json: the stored exchange), in the extension's workspace storage. Adding is synchronous and in memory;
 * the files are written later, batched (one write at a time, FLUSH_DELAY_MS after the first change), so the UI
 * never waits on the disk. The oldest entries go first when there are more than maxEntries or more than maxBytes.
 * Everything read back is untrusted: the index is read with bounds (file size, line length, line count), each line
 * is checked and a bad one skipped and counted; an entry file is read with a bound and checked when it is opened.
 * The file system is injected (nodeHistoryFs in production, a temporary directory or a fake in the unit tests).
 */
import * as path from 'node:path';
import { ENTRY_VERSION, isEntryId, type BuiltEntry, type HistoryMeta, type HistoryPayload } from './entry';
import { readMeta } from './validate';

export interface HistoryFs {
  mkdir(dir: string): Promise<void>;
  /** At most `maxBytes` from the file's start and the file's whole size; undefined when there is no such file. */
  read(file: string, maxBytes: number): Promise<{ data: Buffer; size: number } | undefined>;
  write(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing one is not an error. */
  remove(file: string): Promise<void>;
  /** The names in a directory (none when it does not exist). */
  list(dir: string): Promise<string[]>;
}

export interface StoreLimits {
  maxEntries: number;
  maxBytes: number;
}

export interface LoadReport {
  entries: number;
  /** Index lines that were not entries (bad JSON, wrong shape, too long, duplicates, cut short). */
  skipped: number;
  /** Lines were left unread: past maxEntries entries (the index is newest first) or past MAX_INDEX_LINES. Their files are removed. */
  notRead: boolean;
  /** What went wrong, in words (at most a few). */
  problems: string[];
}

export type PayloadResult = { ok: true; payload: HistoryPayload } | { ok: false; message: string };

export const INDEX_FILE = 'index.jsonl';
/** The most of the index read (past it, the rest is skipped and counted). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
/** An index line longer than this is skipped. */
export const MAX_LINE_CHARS = 64 * 1024;
/** Index lines looked at. */
export const MAX_INDEX_LINES = 100_000;
/** The most of one entry file read, whatever its index line says. */
export const MAX_ENTRY_FILE_BYTES = 256 * 1024 * 1024;
/** Entry files left in the directory with no index line (a write cut short) are removed, this many at most per load. */
const MAX_ORPHANS = 10_000;
const FLUSH_DELAY_MS = 300;
/** Lines parsed between two yields to the event loop while loading. */
const LINES_PER_TURN = 2_000;

function lineBytes(meta: Omit<HistoryMeta, 'bytes'>, payload: string): number {
  // The index line holds `bytes` too: up to 20 more characters.
  return Buffer.byteLength(payload) + Buffer.byteLength(JSON.stringify(meta)) + 24;
}

export class HistoryStore {
  /** Newest first. */
  private entries: HistoryMeta[] = [];
  private readonly byId = new Map<string, HistoryMeta>();
  /** Entry files not written yet. */
  private readonly pending = new Map<string, string>();
  /** Entry files to remove. */
  private readonly doomed = new Set<string>();
  private totalBytes = 0;
  private dirty = false;
  private cleared = false;
  /** Nothing is written before the index was read (it would be overwritten). */
  private loaded = false;
  private timer?: ReturnType<typeof setTimeout>;
  private chain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private readonly flushDelayMs: number;
  private readonly maxIndexBytes: number;
  /** What the last load found. */
  lastLoad: LoadReport = { entries: 0, skipped: 0, notRead: false, problems: [] };
  /** Index writes so far (tests count batching with it). */
  indexWrites = 0;

  constructor(
    private readonly fsx: HistoryFs,
    private readonly dir: string,
    private readonly limits: () => StoreLimits,
    opts: { flushDelayMs?: number; onError?: (message: string) => void; maxIndexBytes?: number } = {},
  ) {
    this.flushDelayMs = opts.flushDelayMs ?? FLUSH_DELAY_MS;
    this.maxIndexBytes = opts.maxIndexBytes ?? MAX_INDEX_BYTES;
    this.onError = opts.onError ?? (() => undefined);
  }

  private readonly onError: (message: string) => void;

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** Reads the index; call it once, first: nothing is written before. Entries added before it ends stay, newest first. */
  load(): Promise<LoadReport> {
    const done = this.chain.then(() => this.readIndex());
    this.chain = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  private async readIndex(): Promise<LoadReport> {
    const report: LoadReport = { entries: 0, skipped: 0, notRead: false, problems: [] };
    const problem = (p: string) => report.problems.length < 5 && report.problems.push(p);
    let read: { data: Buffer; size: number } | undefined;
    try {
      read = await this.fsx.read(path.join(this.dir, INDEX_FILE), this.maxIndexBytes);
    } catch (err) {
      problem(`the history index could not be read (${err instanceof Error ? err.message : String(err)})`);
    }
    const loaded: HistoryMeta[] = [];
    if (read) {
      const data = read.data;
      const cutShort = read.size > data.length;
      const seen = new Set(this.byId.keys());
      // The index is written newest first: past maxEntries good lines, the rest would be dropped anyway.
      const want = Math.max(0, this.limits().maxEntries - this.entries.length);
      let pos = 0;
      for (let n = 0; pos < data.length; n++) {
        if (n > 0 && n % LINES_PER_TURN === 0) await new Promise((r) => setImmediate(r));
        const nl = data.indexOf(0x0a, pos);
        if (nl < 0 && cutShort) {
          // Cut in the middle of a line: that last part is not an entry.
          report.skipped++;
          problem(`the history index is larger than ${this.maxIndexBytes} bytes: only its first part was read`);
          break;
        }
        const end = nl < 0 ? data.length : nl;
        const start = pos;
        pos = end + 1;
        if (n >= MAX_INDEX_LINES || loaded.length >= want) {
          if (n >= MAX_INDEX_LINES) problem(`the history index has more than ${MAX_INDEX_LINES} lines: the rest was not read`);
          report.notRead = true;
          break;
        }
        if (end - start > MAX_LINE_CHARS * 4) {
          report.skipped++;
          continue;
        }
        const line = data.toString('utf8', start, end).trim();
        if (!line) continue;
        const meta = line.length > MAX_LINE_CHARS ? undefined : readMeta(line);
        if (!meta || seen.has(meta.id)) {
          report.skipped++;
          continue;
        }
        seen.add(meta.id);
        loaded.push(meta);
      }
      if (report.skipped > 0 && report.problems.length === 0) problem(`${report.skipped} line${report.skipped === 1 ? '' : 's'} of the history index could not be read and were skipped`);
    }
    for (const m of loaded) {
      this.byId.set(m.id, m);
      this.totalBytes += m.bytes;
    }
    this.entries = [...this.entries, ...loaded].sort((a, b) => b.at - a.at);
    report.entries = this.entries.length;
    const dropped = this.enforceLimits();
    if (report.skipped > 0 || report.notRead || dropped > 0 || loaded.length !== this.entries.length) this.dirty = true;
    await this.removeOrphans();
    this.lastLoad = report;
    this.loaded = true;
    if (this.dirty) this.schedule();
    this.fire();
    return report;
  }

  /** Entry files that no index line names (a write cut short by a crash) are removed. */
  private async removeOrphans(): Promise<void> {
    let names: string[];
    try {
      names = await this.fsx.list(this.dir);
    } catch {
      return;
    }
    let n = 0;
    for (const name of names) {
      if (n >= MAX_ORPHANS) break;
      const m = /^(.+)\.json$/.exec(name);
      const stale = name === `${INDEX_FILE}.tmp` || (m && isEntryId(m[1]) && !this.byId.has(m[1]));
      if (!stale) continue;
      n++;
      await this.fsx.remove(path.join(this.dir, name)).catch(() => undefined);
    }
  }

  /** Newest first. */
  list(): readonly HistoryMeta[] {
    return this.entries;
  }

  get(id: string): HistoryMeta | undefined {
    return this.byId.get(id);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The entry before this one of the same block (same file; same @name, or same index when unnamed). */
  previousOf(id: string): HistoryMeta | undefined {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return undefined;
    const e = this.entries[i];
    return this.entries.slice(i + 1).find((o) => o.uri === e.uri && (e.blockName || o.blockName ? o.blockName === e.blockName : o.blockIndex === e.blockIndex));
  }

  /** Adds an entry (in memory now, on disk with the next batch); the oldest go when over the limits. */
  add(built: BuiltEntry): HistoryMeta {
    const meta: HistoryMeta = { ...built.meta, bytes: lineBytes(built.meta, built.payload) };
    const old = this.byId.get(meta.id);
    if (old) this.drop(old);
    this.entries.unshift(meta);
    this.byId.set(meta.id, meta);
    this.pending.set(meta.id, built.payload);
    this.doomed.delete(meta.id);
    this.totalBytes += meta.bytes;
    this.enforceLimits();
    this.dirty = true;
    this.schedule();
    this.fire();
    return meta;
  }

  /** Applies the limits again (they changed): the oldest entries go. */
  trim(): number {
    const n = this.enforceLimits();
    if (n > 0) {
      this.dirty = true;
      this.schedule();
      this.fire();
    }
    return n;
  }

  private enforceLimits(): number {
    const { maxEntries, maxBytes } = this.limits();
    let n = 0;
    while (this.entries.length > 0 && (this.entries.length > maxEntries || this.totalBytes > maxBytes)) {
      this.forget(this.entries.pop()!);
      n++;
    }
    return n;
  }

  private drop(meta: HistoryMeta): void {
    const i = this.entries.indexOf(meta);
    if (i >= 0) this.entries.splice(i, 1);
    this.forget(meta);
  }

  /** The entry is out of the list: its id, its bytes and its file go too. */
  private forget(meta: HistoryMeta): void {
    this.byId.delete(meta.id);
    this.totalBytes -= meta.bytes;
    if (!this.pending.delete(meta.id)) this.doomed.add(meta.id);
  }

  /** The stored exchange of an entry, read with a bound and checked; a problem in words. */
  async payload(id: string): Promise<PayloadResult> {
    const meta = this.byId.get(id);
    if (!meta) return { ok: false, message: 'This history entry is no longer kept.' };
    let text = this.pending.get(id);
    if (text === undefined) {
      await this.chain;
      text = this.pending.get(id);
    }
    if (text === undefined) {
      let read: { data: Buffer; size: number } | undefined;
      try {
        read = await this.fsx.read(this.file(id), Math.min(meta.bytes + 1024, MAX_ENTRY_FILE_BYTES));
      } catch (err) {
        return { ok: false, message: `The history entry could not be read (${err instanceof Error ? err.message : String(err)}).` };
      }
      if (!read) return { ok: false, message: 'The history entry’s file is missing.' };
      if (read.size > read.data.length) return { ok: false, message: 'The history entry’s file is larger than its index says: it was not read.' };
      text = read.data.toString('utf8');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, message: 'The history entry’s file is damaged (not JSON).' };
    }
    const p = parsed as Partial<HistoryPayload> | null;
    if (!p || typeof p !== 'object' || p.v !== ENTRY_VERSION || p.id !== id || !p.exchange || typeof p.exchange !== 'object' || p.exchange.kind !== meta.kind) {
      return { ok: false, message: 'The history entry’s file is damaged (not the entry the index names).' };
    }
    return { ok: true, payload: p as HistoryPayload };
  }

  /** Forgets every entry and removes their files. */
  clear(): Promise<void> {
    for (const e of this.entries) if (!this.pending.has(e.id)) this.doomed.add(e.id);
    this.entries = [];
    this.byId.clear();
    this.pending.clear();
    this.totalBytes = 0;
    this.cleared = true;
    this.dirty = true;
    this.fire();
    return this.flush();
  }

  /** Writes what changed now (instead of after the batch delay). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(
      () => this.write(),
      () => this.write(),
    );
    return this.chain;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the timer and writes what is left (best effort). */
  dispose(): Promise<void> {
    this.listeners.clear();
    return this.flush();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushDelayMs);
  }

  private async write(): Promise<void> {
    if (!this.dirty || !this.loaded) return;
    this.dirty = false;
    try {
      await this.fsx.mkdir(this.dir);
      for (const [id, text] of [...this.pending]) {
        await this.fsx.write(this.file(id), text);
        if (this.pending.get(id) === text) this.pending.delete(id);
      }
      if (this.cleared) {
        this.cleared = false;
        await this.removeOrphans();
      }
      for (const id of [...this.doomed]) {
        this.doomed.delete(id);
        if (!this.byId.has(id)) await this.fsx.remove(this.file(id));
      }
      const index = path.join(this.dir, INDEX_FILE);
      const text = this.entries.map((e) => JSON.stringify(e)).join('\n');
      await this.fsx.write(`${index}.tmp`, text ? `${text}\n` : '');
      await this.fsx.rename(`${index}.tmp`, index);
      this.indexWrites++;
    } catch (err) {
      this.dirty = true;
      this.onError(`History could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
