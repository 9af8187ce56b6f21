/** `TCP host:port`, `TLS host:port` and the classic services (`QOTD host[:17]`, …) → TcpRequestSpec. */
import { isIpLiteral } from '../../netreq/hostport';
import { hostPortTarget, type ResolveEnv } from '../../netreq/resolveCommon';
import type { TcpRequestSpec, TcpService } from './spec';

/** Default silence after the first byte that ends a TCP read. */
export const TCP_IDLE_MS = 1000;

export async function resolveStream(env: ResolveEnv): Promise<TcpRequestSpec | undefined> {
  const rl = env.block.requestLine!;
  const t = await hostPortTarget(env);
  if (!t) return undefined;
  const { eff, options } = env;
  const tls = rl.protocol === 'tls';
  const spec: TcpRequestSpec = {
    kind: tls ? 'tls' : 'tcp',
    host: t.host,
    port: t.port,
    payload: t.payload,
    idleMs: eff.idleMs ?? TCP_IDLE_MS,
    maxBytes: eff.maxBytes ?? options.maxResponseBytes,
    halfClose: eff.halfClose ?? false,
    hex: eff.hex === true,
    options,
  };
  if (t.defaultPort !== undefined) spec.service = rl.protocol as TcpService; // a classic service: TCP with a default port
  if (tls && !isIpLiteral(t.host)) spec.servername = t.host;
  if (eff.readUntil !== undefined) spec.readUntil = eff.readUntil;
  if (eff.eol !== undefined) spec.eol = eff.eol;
  return spec;
}
