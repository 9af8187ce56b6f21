/**
 * The one place that maps a resolved request's kind to the engine that sends it. This issue sends
 * HTTP only; the socket kinds (TCP, TLS, UDP, MULTICAST, WS) arrive in a later version: replace
 * `unsupportedMessage` and add their cases to `dispatch` then.
 */
import type { HttpExchange } from '../../core/exchange';
import type { HttpClient } from '../../core/http/client';
import type { RequestSpec } from '../../core/request';

export interface DispatchDeps {
  http: Pick<HttpClient, 'send'>;
}

const LATER: Record<Exclude<RequestSpec['kind'], 'http'>, string> = {
  tcp: 'TCP',
  tls: 'TLS',
  udp: 'UDP',
  multicast: 'MULTICAST',
  ws: 'WebSocket',
};

/** Why this request cannot be sent by this version, or undefined when it can. */
export function unsupportedMessage(spec: RequestSpec): string | undefined {
  if (spec.kind === 'http') return undefined;
  const word = spec.kind === 'tcp' && 'service' in spec && spec.service ? spec.service.toUpperCase() : (LATER[spec.kind] ?? String(spec.kind).toUpperCase());
  return `${word} requests arrive in a later version of NetReq; this version sends HTTP.`;
}

/** Sends a supported request; never rejects (the engine reports failures inside the exchange). */
export async function dispatch(spec: RequestSpec, deps: DispatchDeps, signal: AbortSignal): Promise<HttpExchange> {
  switch (spec.kind) {
    case 'http':
      return deps.http.send(spec, { signal });
    default:
      throw new Error(unsupportedMessage(spec));
  }
}

/** "METHOD url" of a resolved request, for titles and progress. */
export function describeSpec(spec: RequestSpec): { method: string; url: string; path: string } {
  switch (spec.kind) {
    case 'http':
      return { method: spec.method, url: spec.url, path: spec.target };
    case 'ws':
      return { method: 'WS', url: spec.url, path: spec.target };
    case 'multicast':
      return { method: 'MULTICAST', url: `${spec.group}:${spec.port}`, path: `${spec.group}:${spec.port}` };
    default: {
      const word = spec.kind === 'tcp' && spec.service ? spec.service.toUpperCase() : spec.kind.toUpperCase();
      return { method: word, url: `${spec.host}:${spec.port}`, path: `${spec.host}:${spec.port}` };
    }
  }
}
