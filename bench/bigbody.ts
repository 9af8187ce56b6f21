/** Child process for the big-body benchmark: fetch /big.bin once, report peak RSS growth over the baseline. */
import { HttpClient } from '../src/core/http/client';
import { ConnectionPool } from '../src/core/transport/pool';
import { httpSpec } from '../test/support/servers';

async function main(): Promise<void> {
  const [portText, mode] = process.argv.slice(2);
  const port = Number(portText);
  const undici = mode === 'undici' ? await import('undici') : undefined; // loaded before the baseline
  global.gc?.();
  const base = process.memoryUsage.rss();
  let bodyBytes: number;
  if (mode === 'netreq') {
    const pool = new ConnectionPool();
    const x = await new HttpClient({ pool }).send(httpSpec(port, { target: '/big.bin' }));
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
