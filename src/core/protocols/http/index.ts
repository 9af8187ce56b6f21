/** HTTP/1.x requests: resolved by resolveHttp, sent by the pooled HttpClient, shown in the response panel; proxy flows replayed as `.netreq`. */
import { httpAsserts } from './asserts';
import type { HttpExchange } from '../../exchange';
import { resolveHttp } from './resolve';
import { sendWithDigest } from '../../http/digest';
import type { HttpRequestSpec } from './spec';
import { httpExchangeToJson } from '../../serialize';
import type { ProtocolModule } from '../module';
import { probeHttp } from './probe';
import { flowToNetreq, type ReplayFlow } from './replay';
import { httpText } from './text';
import { httpKinds } from './syntax';

export type { HttpRequestSpec } from './spec';
/** Proxy flows as `.netreq` text (the traffic panel's "Open as .netreq", and curl's header rules). */
export { endToEndHeaders, flowToNetreq, splitAuthority, type ReplayFlow } from './replay';

export const httpModule = Object.freeze<ProtocolModule<HttpRequestSpec, HttpExchange, ReplayFlow>>({
  id: 'http',
  kinds: httpKinds,
  specKinds: ['http'] as const,
  exchangeKind: 'http',
  view: 'response',
  asserts: httpAsserts,
  resolve: resolveHttp,
  // Authorization: Digest answers one 401 challenge with a second send (both exchanges kept).
  send: (spec, clients, opts) => sendWithDigest(spec, (s) => clients.http.send(s, opts)),
  summary: (spec) => ({ method: spec.method, url: spec.url, path: spec.target }),
  json: (x, dataLimit) => httpExchangeToJson(x, dataLimit),
  render: httpText,
  probe: probeHttp,
  replay: flowToNetreq,
});
/** "Copy as curl": a resolved HTTP request as a curl command line. */
export { specToCurl, shellQuote, type CurlCopy } from './toCurl';
