/** The WebSocket health probe: the handshake as written (headers, `# @proxy`, CA files) must be answered with 101. */
import { formatMs } from '../../../common/format';
import { probeOptions, slowOr, type ProbeOptions, type ProbeResult } from '../../health/probe';
import type { WsRequestSpec } from './spec';
import { WsClient } from '../../sockets/ws';
import type { Clients } from '../module';

/** Sends the block's messages too, then closes at once (no `# @wait`); latency is the handshake's. */
export async function probeWs(spec: WsRequestSpec, clients: Pick<Clients, 'ws'>, o: ProbeOptions): Promise<ProbeResult> {
  const ws = clients.ws ?? new WsClient({ lookup: o.lookup });
  const x = await ws.send({ ...spec, waitMs: 0, options: probeOptions(spec.options, o) }, { signal: o.signal });
  const t = x.timings;
  if (x.error) return { state: 'unhealthy', latencyMs: t.total, summary: x.handshake.status === 101 ? 'failed after the handshake' : 'handshake failed', error: x.error.message };
  const latency = (t.dnsLookup ?? 0) + (t.tcpConnect ?? 0) + (t.proxyTunnel ?? 0) + (t.tlsHandshake ?? 0) + (t.requestSent ?? 0) + (t.firstByte ?? 0);
  return slowOr(o, latency, `handshake in ${formatMs(latency)}`);
}
