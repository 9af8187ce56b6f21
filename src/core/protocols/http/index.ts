/** HTTP/1.x requests: resolved by resolveHttp, sent by the pooled HttpClient, shown in the response panel. */
import type { HttpExchange } from '../../exchange';
import { resolveHttp } from './resolve';
import type { HttpRequestSpec } from './spec';
import { httpExchangeToJson } from '../../serialize';
import type { ProtocolModule } from '../module';
import { probeHttp } from './probe';
import { httpKinds } from './syntax';

export const httpModule = Object.freeze<ProtocolModule<HttpRequestSpec, HttpExchange>>({
  id: 'http',
  kinds: httpKinds,
  specKinds: ['http'] as const,
  exchangeKind: 'http',
  view: 'response',
  resolve: resolveHttp,
  send: (spec, clients, opts) => clients.http.send(spec, opts),
  summary: (spec) => ({ method: spec.method, url: spec.url, path: spec.target }),
  json: (x, dataLimit) => httpExchangeToJson(x, dataLimit),
  probe: probeHttp,
});
