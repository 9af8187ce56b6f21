// `# @read-until` is found in a stream read in pieces with linear work: before, every piece copied the last
// pattern-length bytes (a 1 MB pattern and a peer trickling single bytes after a long read cost 1 MB per byte).
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { StreamMatcher } from '../../../src/core/sockets/streamMatch';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { tcpSpec } from '../../support/sockets';
import { prng } from '../netreq/helpers';

/** Index of the piece in which `pattern` first ends, or -1. */
function reference(pieces: Buffer[], pattern: Buffer): number {
  const all = Buffer.concat(pieces);
  const at = all.indexOf(pattern);
  if (at < 0) return -1;
  const end = at + pattern.length;
  for (let i = 0, seen = 0; i < pieces.length; i++) if ((seen += pieces[i].length) >= end) return i;
  return -1;
}

function firstMatch(pieces: Buffer[], pattern: Buffer): { at: number; m: StreamMatcher } {
  const m = new StreamMatcher(pattern);
  for (let i = 0; i < pieces.length; i++) if (m.push(pieces[i])) return { at: i, m };
  return { at: -1, m };
}

describe('# @read-until in a stream (StreamMatcher)', () => {
  it('finds the pattern in the same piece as a search of everything read, for 3,000 seeded streams and splits', () => {
    const rnd = prng(9);
    for (let run = 0; run < 3000; run++) {
      const alphabet = 1 + Math.floor(rnd() * 3); // few letters: many partial matches and overlaps
      const letter = () => 97 + Math.floor(rnd() * alphabet);
      const pattern = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 12) }, letter));
      const pieces: Buffer[] = [];
      for (let n = Math.floor(rnd() * 12); n > 0; n--) pieces.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, letter)));
      assert.equal(firstMatch(pieces, pattern).at, reference(pieces, pattern), `run ${run}: ${pattern} in ${pieces.join('|')}`);
    }
  });

  it('does linear work when single bytes trickle in after a long read, whatever the pattern length', () => {
    const pattern = Buffer.alloc(1 << 20, 0x79); // 1 MB of "y"
    // A long read that ends one byte short of a match, then single bytes that are not the pattern's.
    const pieces = [Buffer.concat([Buffer.alloc(1 << 20, 0x78), Buffer.alloc((1 << 20) - 1, 0x79)]), ...Array.from({ length: 20_000 }, () => Buffer.from('z'))];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    const { at, m } = firstMatch(pieces, pattern);
    assert.equal(at, -1);
    // Before: 20,000 pieces × 1 MB copied ≈ 2e10 bytes; now each byte is stepped a bounded number of times.
    assert.ok(m.stepped <= 3 * total, `stepped ${m.stepped} for ${total} bytes`);
    assert.equal(firstMatch([...pieces, Buffer.alloc(1 << 20, 0x79)], pattern).at, pieces.length);
  });

  it('a TCP read stops at the pattern when a real peer sends it split across writes', async () => {
    const srv = net.createServer((s) => {
      s.setNoDelay(true);
      const parts = ['head ', 'EN', 'D', '\r', '\n', 'not read'];
      const next = () => (parts.length ? s.write(parts.shift()!, () => setTimeout(next, 5)) : undefined);
      next();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as net.AddressInfo).port;
      const x = await new TcpClient().send(tcpSpec(port, { readUntil: Buffer.from('END\r\n') }));
      assert.equal(x.stop, 'read-until', x.stopDetail);
      assert.equal(Buffer.concat(x.transcript.filter((c) => c.dir === 'received').map((c) => c.data)).toString(), 'head END\r\n');
    } finally {
      srv.close();
    }
  });
});
