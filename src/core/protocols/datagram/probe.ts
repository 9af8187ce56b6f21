/** The UDP health probe: the block's datagram as written (text or `# @hex` bytes); healthy when a reply arrives. */
import { formatMs } from '../../../common/format';
import { probeOptions, slowOr, type ProbeOptions, type ProbeResult } from '../../health/probe';
import type { MulticastRequestSpec, UdpRequestSpec } from './spec';
import type { Clients } from '../module';

export const MULTICAST_NOT_A_CHECK = 'MULTICAST requests cannot be health checks (there is no one peer to answer); use a UDP or TCP request';

/** Why this request cannot be a check (MULTICAST), or undefined. */
export function datagramNotACheck(spec: UdpRequestSpec | MulticastRequestSpec): string | undefined {
  return spec.kind === 'multicast' ? MULTICAST_NOT_A_CHECK : undefined;
}

export async function probeDatagram(spec: UdpRequestSpec | MulticastRequestSpec, clients: Pick<Clients, 'udp'>, o: ProbeOptions): Promise<ProbeResult> {
  if (spec.kind === 'multicast') return { state: 'unhealthy', latencyMs: 0, summary: 'not a check', error: MULTICAST_NOT_A_CHECK };
  // One reply is enough, and it may take the whole timeout.
  const x = await clients.udp.send({ ...spec, replies: 1, waitMs: o.timeoutMs, options: probeOptions(spec.options, o) }, { signal: o.signal });
  const latency = x.timings.firstByte ?? x.timings.total;
  if (x.error) return { state: 'unhealthy', latencyMs: x.timings.total, summary: 'down', error: x.error.message };
  const reply = x.transcript.find((e) => e.dir === 'received');
  if (!reply) return { state: 'unhealthy', latencyMs: x.timings.total, summary: 'no reply', error: `no reply within ${formatMs(o.timeoutMs)}` };
  if (o.expect?.reply && !reply.data.toString('utf8').includes(o.expect.reply)) {
    return { state: 'unhealthy', latencyMs: latency, summary: 'unexpected reply', error: `the reply does not contain "${o.expect.reply}"` };
  }
  return slowOr(o, latency, `reply in ${formatMs(latency)}`);
}
