/**
 * The one place that maps a resolved request's kind to the engine that sends it, and to the view that
 * shows it: HTTP → the HTTP client and the response panel; TCP / TLS (and QOTD / DAYTIME / ECHO), UDP and
 * MULTICAST → their socket clients and the transcript panel; WS → an interactive WsSession in the session
 * panel (it stays open, so it is not dispatched as a one-shot exchange).
 */
import type { HttpExchange, SocketExchange } from '../../core/exchange';
import type { HttpClient } from '../../core/http/client';
import type { HttpRequestSpec, RequestSpec, WsRequestSpec } from '../../core/request';
import type { TcpClient } from '../../core/sockets/tcp';
import { hostPort } from '../../core/transport/address';
import type { MulticastClient, UdpClient } from '../../core/sockets/udp';
import type { WsSessionLike } from '../panels/wsSessionController';

export interface DispatchDeps {
  http: Pick<HttpClient, 'send'>;
  tcp: Pick<TcpClient, 'send'>;
  udp: Pick<UdpClient, 'send'>;
  multicast: Pick<MulticastClient, 'send'>;
  /** A new (not yet connected) WebSocket session for a WS block. */
  wsSession(spec: WsRequestSpec): WsSessionLike;
}

/** The requests that run start to end and give one exchange. */
export type OneShotSpec = Exclude<RequestSpec, WsRequestSpec>;

/** Which panel shows a request: the response panel, the socket transcript, or the WebSocket session. */
export type Routed =
  | { view: 'response'; spec: HttpRequestSpec }
  | { view: 'transcript'; spec: Exclude<OneShotSpec, HttpRequestSpec> }
  | { view: 'session'; spec: WsRequestSpec };

export function route(spec: RequestSpec): Routed {
  switch (spec.kind) {
    case 'http':
      return { view: 'response', spec };
    case 'ws':
      return { view: 'session', spec };
    default:
      return { view: 'transcript', spec };
  }
}

/** Sends a one-shot request; never rejects (the engine reports failures inside the exchange). */
export function dispatch(spec: HttpRequestSpec, deps: DispatchDeps, signal: AbortSignal): Promise<HttpExchange>;
export function dispatch(spec: Exclude<OneShotSpec, HttpRequestSpec>, deps: DispatchDeps, signal: AbortSignal): Promise<SocketExchange>;
export function dispatch(spec: OneShotSpec, deps: DispatchDeps, signal: AbortSignal): Promise<HttpExchange | SocketExchange>;
export function dispatch(spec: OneShotSpec, deps: DispatchDeps, signal: AbortSignal): Promise<HttpExchange | SocketExchange> {
  switch (spec.kind) {
    case 'http':
      return deps.http.send(spec, { signal });
    case 'tcp':
    case 'tls':
      return deps.tcp.send(spec, { signal });
    case 'udp':
      return deps.udp.send(spec, { signal });
    case 'multicast':
      return deps.multicast.send(spec, { signal });
  }
}

/** "METHOD url" of a resolved request, for titles and progress. */
export function describeSpec(spec: RequestSpec): { method: string; url: string; path: string } {
  switch (spec.kind) {
    case 'http':
      return { method: spec.method, url: spec.url, path: spec.target };
    case 'ws':
      return { method: 'WS', url: spec.url, path: spec.target };
    case 'multicast': {
      const where = hostPort(spec.group, spec.port);
      return { method: 'MULTICAST', url: where, path: where };
    }
    default: {
      const word = spec.kind === 'tcp' && spec.service ? spec.service.toUpperCase() : spec.kind.toUpperCase();
      const where = hostPort(spec.host, spec.port);
      return { method: word, url: where, path: where };
    }
  }
}
