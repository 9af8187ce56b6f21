/**
 * Child process for the big-body benchmark: fetch /big.bin once, report peak RSS growth over the baseline.
 * `node bigbody.js PORT netreq|undici [OUT]`: with OUT (a build's `out/`, e.g. the baseline of NETREQ_BENCH_BASELINE)
 * NetReq's engine is loaded from there instead of this build.
 */
import * as path from 'node:path';
import type * as clientMod from '../src/core/http/client';
import type * as poolMod from '../src/core/transport/pool';
import type * as serversMod from '../test/support/servers';

async function main(): Promise<void> {
  const [portText, mode, from] = process.argv.slice(2);
  const port = Number(portText);
  const out = from ?? path.join(__dirname, '..');
  // Loaded before the RSS baseline is taken, as static imports would be.
  const engine =
    mode === 'netreq'
      ? {
          /* eslint-disable @typescript-eslint/no-require-imports */
          HttpClient: (require(path.join(out, 'src/core/http/client.js')) as typeof clientMod).HttpClient,
          ConnectionPool: (require(path.join(out, 'src/core/transport/pool.js')) as typeof poolMod).ConnectionPool,
          httpSpec: (require(path.join(out, 'test/support/servers.js')) as typeof serversMod).httpSpec,
          /* eslint-enable @typescript-eslint/no-require-imports */
        }
      : undefined;
  const undici = mode === 'undici' ? await import('undici') : undefined;
  global.gc?.();
  const base = process.memoryUsage.rss();
  let bodyBytes: number;
  if (engine) {
    const pool = new engine.ConnectionPool();
    const x = await new engine.HttpClient({ pool }).send(engine.httpSpec(port, { target: '/big.bin' }));
    if (x.error) throw new Error(x.error.message);
    bodyBytes = x.response!.body.length;
    pool.dispose();
  } else {
    const r = await undici!.request(`http://127.0.0.1:${port}/big.bin`);
    bodyBytes = (await r.body.arrayBuffer()).byteLength;
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  process.send!({ growthMb: (peak - base) / 2 ** 20, bodyMb: bodyBytes / 2 ** 20 });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
