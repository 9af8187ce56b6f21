/**
 * The multicast listener row of `npm run bench`: `netreq listen` (the real CLI, pinned to loopback, a line per
 * datagram to a file) receiving 20,000 datagrams/s for 10 s from another process; then the same with the
 * baseline's CLI (NETREQ_BENCH_BASELINE) on a fresh port.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { freePort, tempDir } from '../test/support/peers';
import type { Baseline } from './baseline';
import { envCount, type Check, type Row } from './deadline';
import { baselineCli, child, CURRENT_CLI, procStatus, startNetreqListener } from './services';

const MCAST_RATE = 20_000;
/** NETREQ_BENCH_MCAST_SECONDS for a short check of the row. */
const MCAST_SECONDS = envCount('NETREQ_BENCH_MCAST_SECONDS', 10);
/** Deadline of the multicast sender. */
const MCAST_MS = (MCAST_SECONDS + 30) * 1000;

interface Heard {
  sent: number;
  received: number;
  lost: number;
  kernel: string;
  rate: number;
  peakRss: number;
}

async function listenOnce(cli: string): Promise<Heard> {
  const dir = tempDir('bench-listen');
  const group = '239.255.0.91';
  const port = await freePort();
  const listener = await startNetreqListener(cli, dir, group, port);
  let sent: { sent: number; ms: number };
  let stopped: { code: number | null; lastLine: string };
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStatus(listener.pid).rssMb)), 200);
  try {
    sent = await child<{ sent: number; ms: number }>(['mcast', group, String(port), String(MCAST_RATE), String(MCAST_SECONDS)], undefined, MCAST_MS).done;
    await new Promise((r) => setTimeout(r, 1000)); // let the last datagrams be read
  } finally {
    clearInterval(sampler);
    stopped = await listener.stop();
    const lines = fs.readFileSync(listener.logFile, 'utf8').split('\n').length;
    console.log(`listener${cli === CURRENT_CLI ? '' : ' (baseline)'}: ${stopped.lastLine} (${lines} log lines)`);
    spawnSync('rm', ['-rf', dir]);
  }
  const received = Number(/: (\d+) datagrams/.exec(stopped.lastLine)?.[1] ?? NaN);
  const kernel = /kernel drops: ([\d,]+|unknown)/.exec(stopped.lastLine)?.[1] ?? 'not printed';
  return { sent: sent.sent, received, lost: sent.sent - received, kernel, rate: sent.sent / (sent.ms / 1000), peakRss };
}

const heardText = (h: Heard) => `${h.received.toLocaleString('en')} of ${h.sent.toLocaleString('en')} received (${h.lost} lost; the listener's kernel drops: ${h.kernel}; sent at ${h.rate.toFixed(0)}/s); peak RSS ${h.peakRss.toFixed(0)} MB`;

/** The multicast listener (`netreq listen`, pinned to loopback) receiving 20,000 datagrams/s for 10 s from another process. */
export async function listenerRow(baseline?: Baseline): Promise<Row> {
  const h = await listenOnce(CURRENT_CLI);
  const b = baselineCli(baseline);
  let check: Check | undefined;
  if (b) {
    let why = b.why;
    let was: Heard | undefined;
    if (b.cli) {
      try {
        was = await listenOnce(b.cli);
      } catch (e) {
        why = `its run failed: ${(e as Error).message}`;
      }
    }
    const lostRate = (x: Heard) => x.lost / Math.max(1, x.sent);
    check = was
      ? { before: heardText(was), after: heardText(h), change: `lost ${was.lost} → ${h.lost}`, verdict: h.lost === was.lost ? 'unchanged' : lostRate(h) <= lostRate(was) ? 'better' : 'WORSE' }
      : { before: `not measured: ${why}`, after: heardText(h), change: '—', verdict: 'NO BASELINE' };
  }
  return {
    what: `Multicast listener (\`netreq listen\` on loopback, a line per datagram) at ${MCAST_RATE.toLocaleString('en')} datagrams/s for ${MCAST_SECONDS} s from another process`,
    netreq: heardText(h),
    peer: '—',
    ratio: '—',
    target: '0 lost',
    verdict: h.lost === 0 && h.rate >= MCAST_RATE * 0.98 ? 'met' : 'MISSED',
    check,
  };
}
