/** `UDP host:port` → UdpRequestSpec; `MULTICAST group:port` → MulticastRequestSpec. */
import { isIPv6 } from 'node:net';
import { Codes } from '../../netreq/diag';
import { multicastProblem } from '../../netreq/hostport';
import { hostPortTarget, reportProblems, type ResolveEnv } from '../../netreq/resolveCommon';
import type { MulticastRequestSpec, UdpRequestSpec } from './spec';

/** Default reply-collection window for UDP and MULTICAST without `# @timeout`. */
export const DATAGRAM_WAIT_MS = 2000;

export async function resolveDatagram(env: ResolveEnv): Promise<UdpRequestSpec | MulticastRequestSpec | undefined> {
  const rl = env.block.requestLine!;
  const t = await hostPortTarget(env);
  if (!t) return undefined;
  const { eff, options } = env;
  const { host, port, payload } = t;
  const hex = eff.hex === true;
  if (rl.protocol === 'udp') {
    const spec: UdpRequestSpec = { kind: 'udp', host, port, payload, waitMs: eff.timeoutMs ?? DATAGRAM_WAIT_MS, hex, options };
    if (eff.replies !== undefined) spec.replies = eff.replies;
    if (eff.eol !== undefined) spec.eol = eff.eol;
    return spec;
  }
  const m = multicastProblem(host);
  if (m) {
    reportProblems(env, [{ start: 0, end: 0, code: Codes.notMulticast, message: m }], rl.targetSpan, rl.target, t.text);
    return undefined;
  }
  const spec: MulticastRequestSpec = {
    kind: 'multicast',
    group: host,
    port,
    family: isIPv6(host) ? 6 : 4,
    payload,
    ttl: eff.ttl ?? 1,
    loopback: eff.loopback ?? true,
    repeat: eff.repeat?.count ?? 1,
    everyMs: eff.repeat?.everyMs ?? 1000,
    waitMs: eff.timeoutMs ?? DATAGRAM_WAIT_MS,
    hex,
    options,
  };
  if (eff.interface !== undefined) spec.interface = eff.interface;
  if (eff.replies !== undefined) spec.replies = eff.replies;
  if (eff.eol !== undefined) spec.eol = eff.eol;
  return spec;
}
