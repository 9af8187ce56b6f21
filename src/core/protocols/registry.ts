/**
 * The protocol registry: the one list of protocol modules, and the lookups derived from it. A request's kind
 * picks its module here (to resolve, send, route to a view, summarize, serialize); nothing else switches over
 * the kinds. Frozen: no one registers at run time (a new kind is a new folder and one line below).
 */
import type { Exchange } from '../exchange';
import type { RequestSpec } from '../request';
import type { ExchangeJson } from '../serialize';
import type { AnySpec } from './specs';
import { datagramModule } from './datagram';
import { dnsModule } from './dns';
import { httpModule } from './http';
import type { Protocol } from './kinds';
import type { Clients, ProtocolModule, SendOpts, Summary, View } from './module';
import type { RenderOptions, Style } from './render';
import { streamModule } from './stream';
import { wsModule } from './ws';

export type { Clients, ProtocolModule, Summary, View };
export type { Protocol };
/** The module objects themselves, for what only one kind has (the WebSocket module's `open` for sessions). */
export { datagramModule, dnsModule, httpModule, streamModule, wsModule };

const MODULES = [httpModule, streamModule, datagramModule, wsModule, dnsModule] as const;

/** Every protocol module, in the order their kinds are listed (kinds.ts follows the same order). */
export const PROTOCOLS: readonly ProtocolModule[] = Object.freeze([...MODULES] as ProtocolModule[]);

// RequestSpec is the union of the spec types listed in specs.ts (a types-only list, see there why); this line
// does not compile unless that list and the modules above resolve exactly the same spec types.
type SpecOf<M> = M extends ProtocolModule<infer S, Exchange, unknown> ? S : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const specsAgree: Same<SpecOf<(typeof MODULES)[number]>, AnySpec> = true;
void specsAgree;

const byProtocol = new Map<string, ProtocolModule>();
const bySpecKind = new Map<string, ProtocolModule>();
const byExchangeKind = new Map<string, ProtocolModule>();
for (const m of PROTOCOLS) {
  for (const k of m.kinds) byProtocol.set(k.id, m);
  for (const k of m.specKinds) bySpecKind.set(k, m);
  if (!byExchangeKind.has(m.exchangeKind)) byExchangeKind.set(m.exchangeKind, m);
}
// That the modules cover every kind in kinds.ts, each once, is checked by test/unit/protocols/registry.test.ts.

/** The module that parses and resolves a request line's protocol. */
export function moduleForProtocol(protocol: Protocol): ProtocolModule {
  return byProtocol.get(protocol)!;
}

/** The module that sends a resolved request. */
export function moduleForSpec(spec: RequestSpec): ProtocolModule {
  return bySpecKind.get(spec.kind)!;
}

/** Sends a request through its module's engine; never rejects (the engine reports failures inside the exchange). */
export function sendSpec(spec: RequestSpec, clients: Clients, opts: SendOpts = {}): Promise<Exchange> {
  return moduleForSpec(spec).send(spec, clients, opts);
}

/** Which panel shows the request's exchange. */
export function viewFor(spec: RequestSpec): View {
  return moduleForSpec(spec).view;
}

/** Which panel shows a block of this protocol (before it is resolved). */
export function viewForProtocol(protocol: Protocol): View {
  return moduleForProtocol(protocol).view;
}

/** "METHOD url" of a resolved request, for titles and progress. */
export function describeSpec(spec: RequestSpec): Summary {
  return moduleForSpec(spec).summary(spec);
}

/**
 * The module that made an exchange: a socket exchange names its protocol (the stream, datagram and DNS
 * modules share that exchange kind); other exchange kinds belong to one module each.
 */
export function moduleForExchange(x: Exchange): ProtocolModule {
  const protocol = x.kind === 'socket' ? byProtocol.get(x.request.protocol) : undefined;
  return protocol ?? byExchangeKind.get(x.kind)!;
}

/** Any exchange for a terminal, by the module that made it (see ProtocolModule.render). */
export function renderExchange(x: Exchange, style: Style, opts: RenderOptions): string {
  return moduleForExchange(x).render(x, style, opts);
}

/** Any exchange as JSON; `dataLimit` caps each body, chunk or frame carried (the CLI passes Infinity). */
export function exchangeToJson(x: Exchange, dataLimit = Infinity): ExchangeJson {
  return moduleForExchange(x).json(x, dataLimit);
}
