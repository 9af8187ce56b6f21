/** UDP and MULTICAST: datagrams out, replies collected until a count or a wait ends. */
import { datagramAsserts } from './asserts';
import type { SocketExchange } from '../../exchange';
import { resolveDatagram } from './resolve';
import type { MulticastRequestSpec, UdpRequestSpec } from './spec';
import { socketExchangeToJson } from '../../serialize';
import { hostPort } from '../../transport/address';
import type { ProtocolModule } from '../module';
import { transcriptText } from '../transcriptText';
import { datagramNotACheck, probeDatagram } from './probe';
import { datagramToNetreq, type CapturedDatagram } from './replay';
import { datagramKinds } from './syntax';

export type { MulticastRequestSpec, UdpRequestSpec } from './spec';
/** Captured datagrams as `.netreq` text (the multicast listener's "Open as .netreq"). */
export { datagramToNetreq, type CapturedDatagram, type ListenerSource, type ReplayDatagram } from './replay';

export const datagramModule = Object.freeze<ProtocolModule<UdpRequestSpec | MulticastRequestSpec, SocketExchange, CapturedDatagram>>({
  id: 'datagram',
  kinds: datagramKinds,
  specKinds: ['udp', 'multicast'] as const,
  exchangeKind: 'socket',
  view: 'transcript',
  asserts: datagramAsserts,
  resolve: resolveDatagram,
  send: (spec, clients, opts) => (spec.kind === 'udp' ? clients.udp.send(spec, opts) : clients.multicast.send(spec, opts)),
  summary: (spec) => {
    const host = spec.kind === 'udp' ? spec.host : spec.group;
    const where = hostPort(host, spec.port);
    return { method: spec.kind.toUpperCase(), url: where, path: where };
  },
  json: socketExchangeToJson,
  render: transcriptText,
  probe: probeDatagram,
  notACheck: datagramNotACheck,
  replay: ({ datagram, source }) => datagramToNetreq(datagram, source),
});
