// Files a .netreq file names are read with a bound: `< /dev/zero` (or a .env linked to it) never ends, and took
// the CLI past 3.7 GB in 8 s. A regular file is read whole; a device or FIFO gives at most MAX_STREAMED_FILE_BYTES.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Codes, MAX_STREAMED_FILE_BYTES, readLocalFile } from '../../../src/core/netreq';
import { tempDir } from '../../support/peers';
import { expectDiag, FIXTURES, resolveFail, resolveOk } from './helpers';

// /dev/zero is the endless file of every Linux and macOS machine the tests run on (CI is Debian).
const ZERO = '/dev/zero';

describe('.netreq body files and .env are read with a bound', function () {
  this.timeout(20_000);

  it('a regular file is read whole', async () => {
    assert.deepEqual(await readLocalFile(path.join(FIXTURES, 'binary.bin')), fs.readFileSync(path.join(FIXTURES, 'binary.bin')));
    const s = await resolveOk('POST http://h/\n\n< ./binary.bin', { readFile: (p) => readLocalFile(p) });
    assert.deepEqual(s.kind === 'http' ? s.body : undefined, fs.readFileSync(path.join(FIXTURES, 'binary.bin')));
  });

  it('a device that never ends is refused past the limit, in words', async () => {
    await assert.rejects(readLocalFile(ZERO, 200_000), (e: Error) => {
      assert.match(e.message, /^it is not a regular file \(a device or a FIFO\) and gave more than 200000 bytes, the limit for one, so NetReq stopped reading it/);
      return true;
    });
    assert.equal(MAX_STREAMED_FILE_BYTES, 64 * 1024 * 1024);
    const d = await resolveFail(`POST http://h/\n\n< ${ZERO}`, { readFile: (p) => readLocalFile(p) });
    expectDiag(d, Codes.bodyFileUnreadable, 2, 2, 'error', /^Cannot read body file \/dev\/zero: it is not a regular file \(a device or a FIFO\) and gave more than 64 MB, the limit for one/);
  });

  it('a .env linked to an endless device is an error, not a hang; a folder is said to be one', async () => {
    const dir = tempDir('localfile');
    try {
      fs.symlinkSync(ZERO, path.join(dir, '.env'));
      const d = await resolveFail('GET http://h/{{$dotenv X}}', { baseDir: dir, readFile: (p) => readLocalFile(p, 100_000) });
      assert.equal(d.length, 1, JSON.stringify(d));
      assert.match(d[0].message, /Cannot read .*\.env: it is not a regular file/);
      // A folder named as a body file is said as such.
      fs.mkdirSync(path.join(dir, 'sub'));
      const f = await resolveFail('POST http://h/\n\n< ./sub', { baseDir: dir, readFile: (p) => readLocalFile(p) });
      expectDiag(f, Codes.bodyFileUnreadable, 2, 2, 'error', /it is a folder, not a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a FIFO is read without blocking the process', function () {
    let dir = '';
    let fifo = '';
    beforeEach(function () {
      if (process.platform === 'win32') this.skip(); // Windows has no FIFOs in the file system (no mkfifo)
      dir = tempDir('fifo');
      fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Opens the FIFO for writing from this process (a reader end must exist for a non-blocking writer open). */
    function writer(): { w: number; close(): void } {
      const r = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const w = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      return { w, close: () => { fs.closeSync(w); fs.closeSync(r); } };
    }

    it('a FIFO nobody writes to reads as empty at once (open used to wait forever)', async () => {
      // With the default 5 s idle limit: a blocking open would hang here until mocha's timeout.
      assert.equal((await readLocalFile(fifo)).length, 0);
    });

    it('a FIFO whose writer stays silent is refused after the idle limit, in words', async () => {
      const wr = writer();
      try {
        await assert.rejects(readLocalFile(fifo, MAX_STREAMED_FILE_BYTES, 300), (e: Error) => {
          assert.match(e.message, /^it is not a regular file \(a device or a FIFO\) and gave nothing for 0\.3 s, so NetReq stopped waiting for it$/);
          return true;
        });
        fs.writeSync(wr.w, 'abc');
        await assert.rejects(readLocalFile(fifo, MAX_STREAMED_FILE_BYTES, 300), /gave nothing for 0\.3 s after 3 bytes/);
      } finally {
        wr.close();
      }
    });

    it('what a FIFO writer writes before closing is the body', async () => {
      const wr = writer();
      fs.writeSync(wr.w, 'hello ');
      const reading = readLocalFile(fifo, MAX_STREAMED_FILE_BYTES, 3_000);
      setTimeout(() => { fs.writeSync(wr.w, 'fifo'); wr.close(); }, 100);
      assert.equal((await reading).toString(), 'hello fifo');
    });
  });
});
