/** DNS asserts: the answer's response code, its records' values, their lowest TTL. */
import type { SocketExchange } from '../../exchange';
import { DURATION_FIELD, TIMING_FIELDS, noResponse, readCommon, type AssertFieldSpec, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';

export const dnsAssertFields: readonly AssertFieldSpec[] = Object.freeze([
  { name: 'rcode', arg: 'none', type: 'string', doc: 'The answer’s response code: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, …', example: '?? rcode == NOERROR' },
  {
    name: 'answers',
    arg: 'none',
    type: 'array',
    doc: 'The values of the answer section’s records (`127.0.0.42`, `10 mail.example.test`, `"text"`); `includes` passes when any of them equals the value.',
    example: '?? answers includes 127.0.0.42',
  },
  { name: 'ttl', arg: 'none', type: 'number', doc: 'The lowest TTL of the answer section’s records, in seconds (absent without answers).', example: '?? ttl >= 60' },
  DURATION_FIELD,
  ...TIMING_FIELDS,
] satisfies AssertFieldSpec[]);

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
