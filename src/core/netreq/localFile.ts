/**
 * Reading the files a `.netreq` file names (`< path`, `<@ path`, `.env`) with a bound. A regular file is read
 * whole (its size is known; Node refuses one over 2 GiB in words). Anything else (a device, a FIFO, a socket)
 * may never end: `< /dev/zero` took the process past 3.7 GB in 8 s. Those are read in pieces and refused once
 * they give more than MAX_STREAMED_FILE_BYTES. They are opened without blocking: a FIFO nobody writes to made
 * `open` wait forever (and held one of libuv's four file threads while it did); now such a file that gives no
 * byte for STREAMED_FILE_IDLE_MS is refused in words, and a FIFO without a writer reads as empty.
 */
import { constants, promises as fsp } from 'node:fs';

/** The most a file that is not a regular file (a device, a FIFO) may give before it is refused: 64 MB. */
export const MAX_STREAMED_FILE_BYTES = 64 * 1024 * 1024;

/** How long a device or FIFO may give nothing (no writer writing yet) before it is refused: 5 s. */
export const STREAMED_FILE_IDLE_MS = 5_000;

const PIECE = 64 * 1024;
const POLL_MS = 10;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : `${n} bytes`);

/** A ResolveContext.readFile for local files: whole for a regular file, at most `max` bytes for anything else. */
export async function readLocalFile(p: string, max = MAX_STREAMED_FILE_BYTES, idleMs = STREAMED_FILE_IDLE_MS): Promise<Buffer> {
  const st = await fsp.stat(p);
  if (st.isFile() || st.isDirectory()) return fsp.readFile(p); // a folder fails with EISDIR, said in words by the caller
  // O_NONBLOCK where the platform has it (not Windows, which has no FIFOs in the file system).
  const fh = await fsp.open(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let idleSince = Date.now();
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE);
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(piece, 0, PIECE, null));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        if (Date.now() - idleSince >= idleMs) {
          throw new Error(`it is not a regular file (a device or a FIFO) and gave nothing for ${idleMs / 1000} s${total ? ` after ${sizeText(total)}` : ''}, so NetReq stopped waiting for it`, { cause: e });
        }
        await sleep(POLL_MS);
        continue;
      }
      idleSince = Date.now();
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > max) {
        throw new Error(`it is not a regular file (a device or a FIFO) and gave more than ${sizeText(max)}, the limit for one, so NetReq stopped reading it (such a file may never end, like /dev/zero)`);
      }
      chunks.push(bytesRead === PIECE ? piece : piece.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
}
