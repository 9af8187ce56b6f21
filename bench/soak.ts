/**
 * The soak of `npm run bench`: 100,000 GETs through a running `netreq proxy` from 200 concurrent keep-alive clients
 * (a bench child), the proxy's RSS sampled, its descriptors compared with those it had before any traffic.
 */
import { envCount } from './deadline';
import { child, procStatus, type CliService } from './services';

/** NETREQ_BENCH_SOAK_REQUESTS for a short check of the row. */
export const SOAK_REQUESTS = envCount('NETREQ_BENCH_SOAK_REQUESTS', 100_000);
export const SOAK_CLIENTS = 200;
/** Deadline of the soak child. */
const SOAK_MS = 300_000;

export interface Soaked {
  /** The figures in words, for the table. */
  text: string;
  rps: number;
  errors: number;
  peakRss: number;
  /** The descriptors came back to where they were before any traffic. */
  fdsBack: boolean;
}

type Soak = { done: number; ms: number; statuses: Record<string, number>; errors: Record<string, number>; p50: number; p99: number };

/** One soak through `proxy`; `idle` is its status before any traffic (the baseline the fds must come back to). */
export async function soakOnce(proxy: CliService, idle: { rssMb: number; fds: number }, nginxPort: number): Promise<Soaked> {
  const base = idle;
  let peakRss = procStatus(proxy.pid).rssMb;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStatus(proxy.pid).rssMb)), 100);
  let soak: Soak;
  try {
    soak = await child<Soak>(['soak', `http://127.0.0.1:${nginxPort}/small.txt`, String(proxy.port), String(SOAK_REQUESTS), String(SOAK_CLIENTS)], undefined, SOAK_MS).done;
  } finally {
    clearInterval(sampler);
  }
  // Idle upstream connections close after the proxy's idle timeout; wait (bounded) for the fds to come back.
  const t0 = Date.now();
  let after = procStatus(proxy.pid);
  while (after.fds > base.fds && Date.now() - t0 < 30_000) {
    await new Promise((r) => setTimeout(r, 250));
    after = procStatus(proxy.pid);
  }
  const backIn = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = soak.statuses['200'] ?? 0;
  const errors = soak.done - ok;
  const rps = (soak.done / soak.ms) * 1000;
  console.log(`soak: ${JSON.stringify(soak)}; rss peak ${peakRss.toFixed(0)} MB; fds ${base.fds} → ${after.fds}`);
  return {
    text: `${ok.toLocaleString('en')} × 200 in ${(soak.ms / 1000).toFixed(1)} s (${rps.toFixed(0)} req/s, p50 ${soak.p50.toFixed(1)} ms, p99 ${soak.p99.toFixed(1)} ms); ${errors} errors${errors ? ` ${JSON.stringify({ ...soak.statuses, ...soak.errors })}` : ''}; peak RSS ${peakRss.toFixed(0)} MB (${base.rssMb.toFixed(0)} MB at start); fds ${base.fds} at start, ${after.fds} after (back in ${backIn} s: idle upstream connections close after 15 s)`,
    rps,
    errors,
    peakRss,
    fdsBack: after.fds <= base.fds,
  };
}
