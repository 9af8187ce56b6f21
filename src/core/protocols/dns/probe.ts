/**
 * The DNS health probe: the question as written, to its `# @server` (else the first resolver in /etc/resolv.conf),
 * over UDP or `# @tcp`. Healthy when the server answers NOERROR with at least one record of the asked type (with
 * `expect.address`, that address among them); unhealthy with the response code in words, on no answer, or on a
 * truncated UDP answer.
 */
import { formatMs } from '../../../common/format';
import { slowOr, type ProbeOptions, type ProbeResult } from '../../health/probe';
import { sendDns, type DnsDeps } from './engine';
import { rcodeText } from './records';
import type { DnsRequestSpec } from './types';

/** At most this many records are named in a one-line summary or message (the rest are counted). */
const NAMED = 5;

function listed(data: string[]): string {
  const more = data.length - NAMED;
  return data.slice(0, NAMED).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

export async function probeDns(spec: DnsRequestSpec, o: ProbeOptions, deps: DnsDeps = {}): Promise<ProbeResult> {
  // The check's timeout bounds the exchange, not the request's own.
  const x = await sendDns({ ...spec, timeoutMs: o.timeoutMs }, { signal: o.signal }, deps);
  const d = x.dns;
  const asked = `${spec.name} ${spec.type}`;
  if (x.error) {
    const summary = x.stop === 'timeout' ? 'no answer' : x.stop === 'cancelled' ? 'cancelled' : 'down';
    return { state: 'unhealthy', latencyMs: x.timings.total, summary, error: x.error.message };
  }
  const latency = x.timings.firstByte ?? x.timings.total;
  const h = d?.header;
  const server = d ? ` from ${d.server}` : '';
  if (!d || !h) return { state: 'unhealthy', latencyMs: latency, summary: 'no answer', error: `no answer to ${asked}${server} within ${formatMs(o.timeoutMs)}` };
  const matching = d.answers.filter((r) => spec.type === 'ANY' || r.type === spec.type).map((r) => r.data);
  const details = { server: d.server, transport: d.transport, rcode: h.rcode, answers: matching.slice(0, 50) };
  if (h.tc && !spec.tcp) {
    return { state: 'unhealthy', latencyMs: latency, summary: 'truncated', error: `the answer to ${asked}${server} was truncated (TC): add # @tcp to ask over TCP`, details };
  }
  if (h.rcode !== 'NOERROR') return { state: 'unhealthy', latencyMs: latency, summary: h.rcode, error: `${asked}${server}: ${rcodeText(h.rcode)}`, details };
  if (matching.length === 0) {
    return { state: 'unhealthy', latencyMs: latency, summary: `no ${spec.type} records`, error: `${asked}${server}: NOERROR but no ${spec.type} record in the answer`, details };
  }
  const want = o.expect?.address;
  if (want && !matching.includes(want)) {
    return { state: 'unhealthy', latencyMs: latency, summary: 'unexpected address', error: `${asked}${server}: ${listed(matching)}, not ${want}`, details };
  }
  return slowOr(o, latency, listed(matching), details);
}
