/** The History store's file system on node:fs (the extension's workspace storage is a local directory). */
import * as fs from 'node:fs/promises';
import type { HistoryFs } from './store';

export function nodeHistoryFs(): HistoryFs {
  return {
    mkdir: async (dir) => {
      await fs.mkdir(dir, { recursive: true });
    },
    read: async (file, maxBytes) => {
      let h: fs.FileHandle;
      try {
        // Non-blocking: a FIFO put where the index was must not hold the open.
        h = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      try {
        const st = await h.stat();
        if (!st.isFile()) throw new Error('not a regular file');
        const want = Math.min(st.size, maxBytes);
        const data = Buffer.alloc(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await h.read(data, got, want - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return { data: data.subarray(0, got), size: st.size };
      } finally {
        await h.close();
      }
    },
    write: (file, data) => fs.writeFile(file, data, 'utf8'),
    rename: (from, to) => fs.rename(from, to),
    remove: async (file) => {
      await fs.rm(file, { force: true });
    },
    list: async (dir) => {
      try {
        return await fs.readdir(dir);
      } catch {
        return [];
      }
    },
  };
}
