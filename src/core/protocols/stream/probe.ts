/**
 * The TCP/TLS health probe. A block that sends nothing and waits for nothing (`TCP host:port`, `TLS host:port`)
 * is checked by connecting (and the TLS handshake), through its `# @proxy`, with its CA files; one that sends
 * a payload, waits for `# @read-until`, or is a classic service (QOTD, DAYTIME, ECHO) is sent by the TCP engine
 * and must get an answer. TLS: the certificate's expiry and trust, as for any TLS check.
 */
import { formatMs } from '../../../common/format';
import type { SocketExchange } from '../../exchange';
import { certificateVerdict, probeOptions, slowOr, type ProbeOptions, type ProbeResult } from '../../health/probe';
import type { TcpRequestSpec } from './spec';
import { hostPort } from '../../transport/address';
import { openConnection, systemLookup, targetOf } from '../../transport/connect';
import { armDeadline } from '../../transport/deadline';
import { describeError, PHASE_WORDS } from '../../transport/errors';
import { Operation } from '../../transport/operation';
import type { Clients } from '../module';
import { monoMs } from '../../clock';

export async function probeStream(spec: TcpRequestSpec, clients: Pick<Clients, 'tcp'>, o: ProbeOptions): Promise<ProbeResult> {
  const probe = { ...spec, options: probeOptions(spec.options, o) };
  if (spec.payload.length === 0 && !spec.readUntil?.length && !spec.service) return connectOnly(probe, o);
  return judge(probe, await clients.tcp.send(probe, { signal: o.signal }), o);
}

/** Connects (TCP, the proxy's CONNECT, the TLS handshake) and closes again. */
async function connectOnly(spec: TcpRequestSpec, o: ProbeOptions): Promise<ProbeResult> {
  const t0 = monoMs();
  const tls = spec.kind === 'tls';
  const op = new Operation();
  const release = armDeadline(op, o.timeoutMs, o.signal);
  try {
    // Verification is judged below (expiry first, then trust), so an expired and untrusted certificate says "expired".
    const target = { ...targetOf(spec, tls, []), insecure: true };
    const c = await openConnection(target, o.lookup ?? systemLookup, op);
    c.socket.destroy();
    const latency = monoMs() - t0;
    if (!tls) return slowOr(o, latency, `connected in ${formatMs(latency)}`);
    return certificateVerdict(c.tls, spec.options.insecure, latency, o, (days) => `certificate valid ${days} more days`);
  } catch (err) {
    const message = op.aborted ? `no answer within ${formatMs(o.timeoutMs)} (${PHASE_WORDS[op.phase]})` : describeError(err, op.phase, hostPort(spec.host, spec.port)).message;
    return { state: 'unhealthy', latencyMs: monoMs() - t0, summary: 'down', error: message };
  } finally {
    release();
  }
}

/** Healthy when an answer came (the `# @read-until` text when there is one, the same bytes for ECHO). */
function judge(spec: TcpRequestSpec, x: SocketExchange, o: ProbeOptions): ProbeResult {
  const t = x.timings;
  const connected = (t.dnsLookup ?? 0) + (t.tcpConnect ?? 0) + (t.proxyTunnel ?? 0) + (t.tlsHandshake ?? 0);
  const latency = t.firstByte !== undefined ? connected + (t.requestSent ?? 0) + t.firstByte : t.total;
  const down = (summary: string, error: string): ProbeResult => ({ state: 'unhealthy', latencyMs: t.total, summary, error });
  if (x.error) {
    // A certificate that did not verify: say "expired" or "not trusted" as a TLS check does.
    const cert = x.tls && x.error.phase === 'tls' ? certificateVerdict(x.tls, spec.options.insecure, t.total, o, () => '') : undefined;
    if (cert?.state === 'unhealthy') return cert;
    return down(['dns', 'connect', 'proxy', 'tls'].includes(x.error.phase) ? 'down' : 'no answer', x.error.message);
  }
  if (x.receivedBytes === 0) return down('no answer', `no answer: ${x.stopDetail}`);
  if (spec.readUntil?.length && x.stop !== 'read-until') return down('text missing', `the # @read-until text did not come (${x.stopDetail})`);
  if (x.echoMatches === false) return down('echo differs', `what came back differs from the ${spec.payload.length} bytes sent`);
  const summary = `answer in ${formatMs(latency)}`;
  if (spec.kind !== 'tls') return slowOr(o, latency, summary);
  return certificateVerdict(x.tls, spec.options.insecure, latency, o, (days) => `${summary}, certificate valid ${days} more days`);
}
