/** DNS: one question to one server, its answer in the transcript panel (query and answer bytes, plus the records). */
import { dnsAsserts } from './asserts';
import type { SocketExchange } from '../../exchange';
import { socketExchangeToJson } from '../../serialize';
import { hostPort } from '../../transport/address';
import type { ProtocolModule } from '../module';
import { sendDns } from './engine';
import { transcriptText } from '../transcriptText';
import { probeDns } from './probe';
import { resolveDns } from './resolve';
import { dnsKinds } from './syntax';
import { dnsText } from './text';
import type { DnsRequestSpec } from './types';

/** The answer's status and flags in words (the same words as the transcript panel's: src/common/dns.ts). */
export { flagsText, rcodeText } from './records';
export type { DnsHeaderInfo, DnsInfo, DnsRecordInfo, DnsRequestSpec } from './types';

export const dnsModule = Object.freeze<ProtocolModule<DnsRequestSpec, SocketExchange>>({
  id: 'dns',
  kinds: dnsKinds,
  specKinds: ['dns'] as const,
  exchangeKind: 'socket',
  view: 'transcript',
  asserts: dnsAsserts,
  resolve: resolveDns,
  send: (spec, _clients, opts) => sendDns(spec, opts),
  summary: (spec) => {
    const where = spec.server ? ` @${hostPort(spec.server.host, spec.server.port)}` : '';
    return { method: 'DNS', url: `${spec.name} ${spec.type}${where}`, path: `${spec.name} ${spec.type}` };
  },
  json: socketExchangeToJson,
  // An exchange that never got as far as a question (no server to ask) has no DNS part: a plain transcript.
  render: (x, style, opts) => (x.dns ? dnsText(x, style, opts) : transcriptText(x, style, opts)),
  probe: (spec, _clients, opts) => probeDns(spec, opts),
});
