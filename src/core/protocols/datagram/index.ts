/** UDP and MULTICAST: datagrams out, replies collected until a count or a wait ends. */
import type { SocketExchange } from '../../exchange';
import { resolveDatagram } from './resolve';
import type { MulticastRequestSpec, UdpRequestSpec } from './spec';
import { socketExchangeToJson } from '../../serialize';
import { hostPort } from '../../transport/address';
import type { ProtocolModule } from '../module';
import { datagramNotACheck, probeDatagram } from './probe';
import { datagramKinds } from './syntax';

export const datagramModule = Object.freeze<ProtocolModule<UdpRequestSpec | MulticastRequestSpec, SocketExchange>>({
  id: 'datagram',
  kinds: datagramKinds,
  specKinds: ['udp', 'multicast'] as const,
  exchangeKind: 'socket',
  view: 'transcript',
  resolve: resolveDatagram,
  send: (spec, clients, opts) => (spec.kind === 'udp' ? clients.udp.send(spec, opts) : clients.multicast.send(spec, opts)),
  summary: (spec) => {
    const host = spec.kind === 'udp' ? spec.host : spec.group;
    const where = hostPort(host, spec.port);
    return { method: spec.kind.toUpperCase(), url: where, path: where };
  },
  json: socketExchangeToJson,
  probe: probeDatagram,
  notACheck: datagramNotACheck,
});
