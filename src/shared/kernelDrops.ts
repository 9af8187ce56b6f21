/**
 * The words for a listener's kernel drop count (datagrams the kernel discarded because the socket's receive
 * buffer was full), shared by the CLI, the task terminal and the traffic view. No Node, no DOM.
 */
import { formatBytes } from '../common/format';
import type { KernelDrops } from '../core/listener/types';

export type { KernelDrops };

export function kernelDropsText(drops: KernelDrops | undefined): string {
  if (typeof drops !== 'number' || !Number.isFinite(drops) || drops < 0) return 'kernel drops: unknown';
  if (drops === 0) return 'kernel drops: 0';
  return `kernel drops: ${drops.toLocaleString('en')} (the socket's receive buffer was full: datagrams came faster than the listener read them)`;
}

/** "3 datagrams, 2 KB, 0.6/s over the last 5 s; kernel drops: 0": the listener's totals, as the terminals print them. */
export function listenerStatsText(stats: { datagrams: number; bytes: number; kernelDrops?: KernelDrops }, rate: number): string {
  const n = stats.datagrams;
  return `${n} datagram${n === 1 ? '' : 's'}, ${formatBytes(stats.bytes)}, ${rate.toFixed(1)}/s over the last 5 s; ${kernelDropsText(stats.kernelDrops)}`;
}
