/**
 * Every protocol module's spec type, by module id: the one list `RequestSpec` (src/core/request.ts) is
 * derived from. Types only, importing each folder's spec file and nothing else, so that request.ts — which
 * the exchange model and, through it, the webview's type program read — does not pull in the registry, the
 * engines and Node's types. registry.ts checks at compile time that this list and `PROTOCOLS` agree: a
 * module without its line here, a line without its module, or a line whose type differs from what the
 * module resolves does not build.
 */
import type { MulticastRequestSpec, UdpRequestSpec } from './datagram/spec';
import type { DnsRequestSpec } from './dns/spec';
import type { HttpRequestSpec } from './http/spec';
import type { TcpRequestSpec } from './stream/spec';
import type { WsRequestSpec } from './ws/spec';

export interface ModuleSpecs {
  http: HttpRequestSpec;
  stream: TcpRequestSpec;
  datagram: UdpRequestSpec | MulticastRequestSpec;
  ws: WsRequestSpec;
  dns: DnsRequestSpec;
}

/** Any resolved request: the union of the modules' spec types. */
export type AnySpec = ModuleSpecs[keyof ModuleSpecs];
