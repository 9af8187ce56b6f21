/** The HTTP health probe: the request as resolved (method, headers, body, proxy, CA files) and its status. */
import { formatMs } from '../../../common/format';
import { probeOptions, slowOr, statusOk, type ProbeOptions, type ProbeResult } from '../../health/probe';
import type { HttpRequestSpec } from './spec';
import type { Clients } from '../module';
import { sendWithDigest } from '../../http/digest';

/** Healthy when the status is expected (2xx or 3xx unless `expect.status` says) and the body has `expect.bodyContains`. */
export async function probeHttp(spec: HttpRequestSpec, clients: Pick<Clients, 'http'>, o: ProbeOptions): Promise<ProbeResult> {
  // Authorization: Digest is answered as in a send (one retry); the latency is the answered request's.
  const x = await sendWithDigest({ ...spec, options: probeOptions(spec.options, o) }, (s) => clients.http.send(s, { signal: o.signal }));
  const latency = x.timings.total;
  if (x.error || !x.response) return { state: 'unhealthy', latencyMs: latency, summary: 'down', error: x.error?.message ?? 'no response' };
  const { status, reason, body } = x.response;
  const details = { status };
  if (!statusOk(status, o.expect?.status)) {
    return { state: 'unhealthy', latencyMs: latency, summary: `HTTP ${status}`, error: `status ${status} ${reason} (expected ${o.expect?.status?.join(', ') ?? '2xx or 3xx'})`, details };
  }
  if (o.expect?.bodyContains && !body.toString('utf8').includes(o.expect.bodyContains)) {
    return { state: 'unhealthy', latencyMs: latency, summary: `HTTP ${status}, text missing`, error: `the body does not contain "${o.expect.bodyContains}"`, details };
  }
  return slowOr(o, latency, `HTTP ${status} in ${formatMs(latency)}`, details);
}
