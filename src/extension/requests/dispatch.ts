/**
 * Maps a resolved request to the engine that sends it and the view that shows it, by one lookup in the protocol
 * registry (src/core/protocols/registry.ts): HTTP → the HTTP client and the response panel; TCP / TLS (and QOTD /
 * DAYTIME / ECHO), UDP and MULTICAST → their socket clients and the transcript panel; WS → an interactive
 * WsSession in the session panel (it stays open, so it is not dispatched as a one-shot exchange).
 */
import type { HttpExchange, SocketExchange } from '../../core/exchange';
import { describeSpec, sendSpec, viewFor, type Clients } from '../../core/protocols/registry';
import type { HttpRequestSpec, RequestSpec, WsRequestSpec } from '../../core/request';
import type { WsSessionLike } from '../panels/wsSessionController';

export { describeSpec };

export interface DispatchDeps extends Omit<Clients, 'ws'> {
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
  return { view: viewFor(spec), spec } as Routed;
}

/** Sends a one-shot request; never rejects (the engine reports failures inside the exchange). */
/** `onProgress` hears the bytes received so far (HTTP only: the socket engines do not report it). */
export function dispatch(spec: HttpRequestSpec, deps: DispatchDeps, signal: AbortSignal, onProgress?: (receivedBytes: number) => void): Promise<HttpExchange>;
export function dispatch(spec: Exclude<OneShotSpec, HttpRequestSpec>, deps: DispatchDeps, signal: AbortSignal): Promise<SocketExchange>;
export function dispatch(spec: OneShotSpec, deps: DispatchDeps, signal: AbortSignal, onProgress?: (receivedBytes: number) => void): Promise<HttpExchange | SocketExchange>;
export function dispatch(spec: OneShotSpec, deps: DispatchDeps, signal: AbortSignal, onProgress?: (receivedBytes: number) => void): Promise<HttpExchange | SocketExchange> {
  return sendSpec(spec, deps, { signal, onProgress }) as Promise<HttpExchange | SocketExchange>;
}

/**
 * The exchange as the Send Request command returns it. When the workbench runs the command (a CodeLens, a key,
 * the palette), VS Code sends the result back to it through JSON.stringify: a 47 MB body as a Buffer's JSON (an
 * array of numbers) blocked the extension host for 24 s and took 2 GB. A non-enumerable toJSON makes that a
 * summary; callers inside the extension host (the API, the integration tests) still get the exchange itself.
 */
export function commandResult<X extends object>(x: X): X {
  const o = x as { kind?: unknown; id?: unknown; response?: { status?: unknown }; error?: { message?: unknown } };
  const summary = () => ({ kind: o.kind, id: o.id, status: o.response?.status, error: o.error?.message });
  Object.defineProperty(x, 'toJSON', { value: summary, enumerable: false, configurable: true });
  return x;
}
