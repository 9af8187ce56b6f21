/**
 * WebSocket: the handshake, the `>` messages, replies until the wait ends. The CLI sends it to its end; the
 * extension opens an interactive session (`open`) shown in the session panel.
 */
import { wsAsserts } from './asserts';
import type { WsExchange } from '../../exchange';
import { resolveWs } from './resolve';
import type { WsRequestSpec } from './spec';
import { wsExchangeToJson } from '../../serialize';
import { WsClient, WsSession } from '../../sockets/ws';
import type { LookupFn } from '../../transport/connect';
import type { ProtocolModule } from '../module';
import { probeWs } from './probe';
import { wsText } from './text';
import { wsKinds } from './syntax';

export interface WsModule extends ProtocolModule<WsRequestSpec, WsExchange> {
  /** A session not yet connected, for the interactive panel; `keepFrames` bounds its frame log. */
  open(spec: WsRequestSpec, deps?: { lookup?: LookupFn; keepFrames?: number }): WsSession;
}

export const wsModule = Object.freeze<WsModule>({
  id: 'ws',
  kinds: wsKinds,
  specKinds: ['ws'] as const,
  exchangeKind: 'ws',
  view: 'session',
  asserts: wsAsserts,
  resolve: resolveWs,
  send: (spec, clients, opts) => (clients.ws ?? new WsClient()).send(spec, opts),
  open: (spec, deps) => new WsSession(spec, deps),
  summary: (spec) => ({ method: 'WS', url: spec.url, path: spec.target }),
  json: wsExchangeToJson,
  render: wsText,
  probe: probeWs,
});
