/**
 * "Open as .netreq" for proxy flows and multicast datagrams: the protocol modules write the text
 * (`replay` of the HTTP and datagram modules, src/core/protocols/{http,datagram}/replay.ts); this file is
 * the traffic panel's door to them.
 */
export { datagramToNetreq, type ListenerSource, type ReplayDatagram } from '../../core/protocols/datagram';
export { endToEndHeaders, flowToNetreq, splitAuthority, type ReplayFlow } from '../../core/protocols/http';
