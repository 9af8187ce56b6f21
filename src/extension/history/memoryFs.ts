/**
 * A HistoryFs in memory: History without a workspace (there is no workspace storage: kept until the window
 * closes), and the unit tests' fake disk (it can be told to fail).
 */
import * as path from 'node:path';
import type { HistoryFs } from './store';

export interface MemoryHistoryFs extends HistoryFs {
  readonly files: Map<string, Buffer>;
  /** Calls of each operation so far. */
  readonly calls: Record<'mkdir' | 'read' | 'write' | 'rename' | 'remove' | 'list', number>;
  /** When set, every write and rename fails with this message. */
  failWrites?: string;
}

export function memoryHistoryFs(): MemoryHistoryFs {
  const files = new Map<string, Buffer>();
  const calls = { mkdir: 0, read: 0, write: 0, rename: 0, remove: 0, list: 0 };
  const mfs: MemoryHistoryFs = {
    files,
    calls,
    mkdir: () => {
      calls.mkdir++;
      return Promise.resolve();
    },
    read: (file, maxBytes) => {
      calls.read++;
      const b = files.get(path.normalize(file));
      return Promise.resolve(b && { data: b.subarray(0, maxBytes), size: b.length });
    },
    write: (file, data) => {
      calls.write++;
      if (mfs.failWrites) return Promise.reject(new Error(mfs.failWrites));
      files.set(path.normalize(file), Buffer.from(data, 'utf8'));
      return Promise.resolve();
    },
    rename: (from, to) => {
      calls.rename++;
      if (mfs.failWrites) return Promise.reject(new Error(mfs.failWrites));
      const b = files.get(path.normalize(from));
      if (!b) return Promise.reject(new Error(`ENOENT: ${from}`));
      files.delete(path.normalize(from));
      files.set(path.normalize(to), b);
      return Promise.resolve();
    },
    remove: (file) => {
      calls.remove++;
      files.delete(path.normalize(file));
      return Promise.resolve();
    },
    list: (dir) => {
      calls.list++;
      const d = path.normalize(dir);
      return Promise.resolve([...files.keys()].filter((f) => path.dirname(f) === d).map((f) => path.basename(f)));
    },
  };
  return mfs;
}
