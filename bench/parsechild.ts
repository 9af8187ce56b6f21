/**
 * Child process for the parse row: `node parsechild.js RUNS [OUT]` parses the 5,000-block file RUNS times (after a
 * warm-up) with this build's parser, or the one in OUT (a build's `out/`, e.g. the baseline), and sends back the
 * times. Each build is measured in a fresh process of its own: two builds' parsers in one process slowed the one
 * measured second by up to 1.4× (their garbage and JIT state share one heap), which no build shows alone. Each
 * child also loads its build's engines (src/core/engines.js), as the CLI and the extension have them: the parser's
 * garbage collections cost more with more code and data on the heap, and since the protocol registry the netreq
 * module alone loads the engines (the resolvers live with them), so loading only it measured the two builds with
 * different heaps (about 15 % more GC time for this one).
 */
import * as path from 'node:path';
import type * as netreqMod from '../src/core/netreq';

export const PARSE_BLOCKS = 5000;

/** The file the row parses: 5,000 POST blocks with a name, headers, variables and a JSON body. */
export function parseText(): string {
  const parts: string[] = ['@host = 127.0.0.1', '@port = 8080', ''];
  for (let i = 0; i < PARSE_BLOCKS; i++) {
    parts.push(`### request ${i}`, `# @name r${i}`, `POST http://{{host}}:{{port}}/items/${i}?q=${i} HTTP/1.1`, 'Content-Type: application/json', `X-Index: ${i}`, '', `{"id": ${i}, "name": "item {{host}}"}`, '');
  }
  return parts.join('\n');
}

function main(): void {
  const [runsText, from] = process.argv.slice(2);
  const out = from ?? path.join(__dirname, '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseNetreq } = require(path.join(out, 'src/core/netreq/index.js')) as typeof netreqMod;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(out, 'src/core/engines.js'));
  const text = parseText();
  let blocks = 0;
  for (let i = 0; i < 40; i++) blocks = parseNetreq(text).blocks.length; // warm-up: until the JIT has settled (10 was not enough for either build)
  const ms: number[] = [];
  for (let i = 0; i < Number(runsText); i++) {
    const t0 = performance.now();
    blocks = parseNetreq(text).blocks.length;
    ms.push(performance.now() - t0);
  }
  process.send!({ ms, blocks }, () => process.exit(0));
}

if (require.main === module) main();
