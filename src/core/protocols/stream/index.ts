/** TCP, TLS, QOTD, DAYTIME and ECHO: one connection, the payload, then what comes back until a stop condition. */
import { streamAsserts } from './asserts';
import type { SocketExchange } from '../../exchange';
import { resolveStream } from './resolve';
import type { TcpRequestSpec } from './spec';
import { socketExchangeToJson } from '../../serialize';
import { hostPort } from '../../transport/address';
import type { ProtocolModule } from '../module';
import { transcriptText } from '../transcriptText';
import { probeStream } from './probe';
import { streamKinds } from './syntax';

export const streamModule = Object.freeze<ProtocolModule<TcpRequestSpec, SocketExchange>>({
  id: 'stream',
  kinds: streamKinds,
  specKinds: ['tcp', 'tls'] as const,
  exchangeKind: 'socket',
  view: 'transcript',
  asserts: streamAsserts,
  resolve: resolveStream,
  send: (spec, clients, opts) => clients.tcp.send(spec, opts),
  summary: (spec) => {
    const word = spec.kind === 'tcp' && spec.service ? spec.service.toUpperCase() : spec.kind.toUpperCase();
    const where = hostPort(spec.host, spec.port);
    return { method: word, url: where, path: where };
  },
  json: socketExchangeToJson,
  render: transcriptText,
  probe: probeStream,
});
