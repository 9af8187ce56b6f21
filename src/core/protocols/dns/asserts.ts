/** DNS asserts: the answer's response code, its records' values, their lowest TTL. */
import type { SocketExchange } from '../../exchange';
import { noResponse, readCommon, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { dnsAssertFields } from './assertFields';

export const dnsAsserts: ProtocolAsserts<SocketExchange> = {
  fields: dnsAssertFields,
  read(x, field, arg, ctx): FieldRead {
    const common = readCommon(x, field, arg, ctx.now);
    if (common) return common;
    const dns = x.dns;
    if (!dns?.header) return noResponse(x, 'no DNS answer');
    switch (field) {
      case 'rcode':
        return { value: dns.header.rcode };
      case 'answers':
        return { value: dns.answers.map((a) => a.data) };
      case 'ttl': {
        const ttls = dns.answers.map((a) => a.ttl).filter((t): t is number => t !== undefined);
        return { value: ttls.length ? Math.min(...ttls) : undefined };
      }
    }
    return { error: `DNS has no field ${field}` };
  },
};
