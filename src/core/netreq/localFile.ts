/**
 * Reading the files a `.netreq` file names (`< path`, `<@ path`, `.env`) with a bound. A regular file is read
 * whole (its size is known; Node refuses one over 2 GiB in words). Anything else (a device, a FIFO, a socket)
 * may never end: `< /dev/zero` took the process past 3.7 GB in 8 s. Those are read in pieces and refused once
 * they give more than MAX_STREAMED_FILE_BYTES.
 */
import { promises as fsp } from 'node:fs';

/** The most a file that is not a regular file (a device, a FIFO) may give before it is refused: 64 MB. */
export const MAX_STREAMED_FILE_BYTES = 64 * 1024 * 1024;

const PIECE = 64 * 1024;

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : `${n} bytes`);

/** A ResolveContext.readFile for local files: whole for a regular file, at most `max` bytes for anything else. */
export async function readLocalFile(p: string, max = MAX_STREAMED_FILE_BYTES): Promise<Buffer> {
  const st = await fsp.stat(p);
  if (st.isFile() || st.isDirectory()) return fsp.readFile(p); // a folder fails with EISDIR, said in words by the caller
  const fh = await fsp.open(p, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE);
      const { bytesRead } = await fh.read(piece, 0, PIECE, null);
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
