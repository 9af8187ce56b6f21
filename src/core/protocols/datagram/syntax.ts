/** Datagrams: one UDP datagram, or datagrams to a multicast group; then the replies. */
import type { KindSyntax } from '../syntax';

const datagram = { target: 'host:port', headers: false, body: 'payload' } as const;

export const datagramKinds = [
  { id: 'udp', word: 'UDP', label: 'UDP', example: 'UDP 127.0.0.1:9999', ...datagram, directives: ['eol', 'hex', 'replies'] },
  {
    id: 'multicast',
    word: 'MULTICAST',
    label: 'MULTICAST',
    example: 'MULTICAST 239.1.2.3:5000',
    ...datagram,
    directives: ['eol', 'hex', 'replies', 'ttl', 'interface', 'loopback', 'repeat'],
  },
] as const satisfies readonly KindSyntax[];
