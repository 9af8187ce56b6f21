/**
 * What a protocol module is: one object per request kind family (http, stream, datagram, ws, dns) that says
 * how it is written (its kinds' syntax), how a block becomes a spec, which engine sends it, which view shows
 * it, its JSON form, its terminal form, its one-line summary, its health probe and how what was captured is
 * written back as `.netreq` text. registry.ts lists the modules; everything that used to list protocols
 * looks them up there.
 */
import type { ProtocolAsserts } from '../asserts/fields';
import type { Exchange } from '../exchange';
import type { ProbeOptions, ProbeResult } from '../health/probe';
import type { HttpClient } from '../http/client';
import type { ResolveEnv } from '../netreq/resolveCommon';
import type { RequestSpec } from '../request';
import type { ExchangeJson } from '../serialize';
import type { TcpClient } from '../sockets/tcp';
import type { MulticastClient, UdpClient } from '../sockets/udp';
import type { WsClient } from '../sockets/ws';
import type { Kind } from './kinds';
import type { RenderOptions, Style } from './render';

/** Which panel shows a request: the response panel, the socket transcript, or the interactive WebSocket session. */
export type View = 'response' | 'transcript' | 'session';

/**
 * The engines a composition root (the extension, the CLI, a test) builds once; a module sends through the one
 * it needs. `ws` may be absent where WS blocks open a session instead (the extension): then a WsClient is made.
 */
export interface Clients {
  http: Pick<HttpClient, 'send'>;
  tcp: Pick<TcpClient, 'send'>;
  udp: Pick<UdpClient, 'send'>;
  multicast: Pick<MulticastClient, 'send'>;
  ws?: Pick<WsClient, 'send'>;
}

/** "METHOD url" of a resolved request, for titles and progress; `path` is the short form. */
export interface Summary {
  method: string;
  url: string;
  path: string;
}

/**
 * S: the spec its resolver produces; X: the exchange its engine returns; C: what `replay` writes back as
 * `.netreq` text (a proxy flow, a captured datagram), for modules that have it.
 */
/** How a send is run: its cancel signal, and who hears of the bytes received so far. */
export interface SendOpts {
  signal?: AbortSignal;
  onProgress?: (receivedBytes: number) => void;
}

export interface ProtocolModule<S extends RequestSpec = RequestSpec, X extends Exchange = Exchange, C = never> {
  /** The folder under src/core/protocols. */
  readonly id: string;
  /** How its request kinds are written (request-line words, examples, body syntax, directives). */
  readonly kinds: readonly Kind[];
  /** The `RequestSpec.kind` values its resolver produces. */
  readonly specKinds: readonly S['kind'][];
  /** The `Exchange.kind` its engine returns (its JSON form and its CLI rendering are keyed by it). */
  readonly exchangeKind: X['kind'];
  readonly view: View;
  /** Block → spec; problems go to env.diags as diagnostics (undefined when it cannot be built). */
  resolve(env: ResolveEnv): Promise<S | undefined>;
  /**
   * Runs the request to its end; never rejects (failures are in the exchange, tagged by phase). `onProgress`
   * is told the bytes received so far by the engines that can say it cheaply (HTTP); others never call it.
   */
  send(spec: S, clients: Clients, opts: SendOpts): Promise<X>;
  summary(spec: S): Summary;
  /** A JSON-safe exchange (buffers as base64); `dataLimit` caps each body, chunk or frame carried. */
  json(x: X, dataLimit: number): ExchangeJson;
  /**
   * The exchange for a terminal (the CLI's human output), coloured by `style`; text from the network is
   * escaped before it is styled. The CLI's sink escapes again and keeps only its own colour codes.
   */
  render(x: X, style: Style, opts: RenderOptions): string;
  /** `.netreq` text that sends what was captured (`C`) again; absent: nothing of this kind is captured. */
  replay?(captured: C): string;
  /**
   * A health check of the request as resolved (`# @health`, and the targets in settings): sends it with the
   * module's engine, bounded by `opts.timeoutMs` and stopped by `opts.signal`, and says healthy, degraded or
   * unhealthy with the reason in words. Never rejects. Absent: this kind cannot be a health check.
   */
  probe?(spec: S, clients: Clients, opts: ProbeOptions): Promise<ProbeResult>;
  /** Its `??` assert fields (each kind's list is its syntax's `asserts`) and how they are read from its exchanges. */
  readonly asserts: ProtocolAsserts<X>;
  /** Why this request cannot be a health check although its kind has a probe (MULTICAST: no one peer answers). */
  notACheck?(spec: S): string | undefined;
}
