// The .http corpus (test/fixtures/http): every block's ### title names the diagnostic it must get, or "sent".
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { ctx, ROOT } from './helpers';

const DIR = path.join(ROOT, 'test', 'fixtures', 'http');

describe('.http corpus: refusals and directives', () => {
  for (const name of fs.readdirSync(DIR).filter((f) => f.endsWith('.http'))) {
    const doc = parseNetreq(fs.readFileSync(path.join(DIR, name), 'utf8'), { dialect: 'http' });
    for (const block of doc.blocks) {
      const m = /^([a-z-]+): (.*)$/.exec(block.title);
      if (!m) continue;
      const [, expected, what] = m;
      it(`${name}: ${what} → ${expected}`, async () => {
        const inBlock = doc.diagnostics.filter((d) => d.span.start.line >= block.startLine && d.span.start.line <= block.endLine);
        const r = await resolveBlock(doc, block, ctx({ baseDir: DIR }));
        if (expected === 'sent') {
          assert.deepEqual(inBlock.filter((d) => d.severity === 'error'), []);
          assert.ok(r.ok, JSON.stringify(r.diagnostics));
          return;
        }
        const all = [...inBlock, ...r.diagnostics];
        assert.ok(all.some((d) => d.code === expected), `expected ${expected}, got ${all.map((d) => d.code).join(', ')}`);
        // Notes and warnings: the block is sent (a pasted response is cut off first); everything else is refused.
        if (!['ignored-directive', 'headerless-graphql', 'pasted-response', 'body-comment-removed'].includes(expected)) assert.equal(r.ok, false, 'the block must not be sent');
      });
    }
  }

  it('the overridden @host (last definition wins) gets the warning, the last one does not', () => {
    const text = fs.readFileSync(path.join(DIR, 'refusals-and-directives.http'), 'utf8');
    const doc = parseNetreq(text, { dialect: 'http' });
    const dup = doc.diagnostics.filter((d) => d.code === 'duplicate-variable');
    assert.equal(dup.length, 1);
    assert.equal(dup[0].span.start.line, 3);
    assert.match(dup[0].message, /overridden by line 5/);
  });
});
