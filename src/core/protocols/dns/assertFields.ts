/** DNS's assert fields (data: the kind's syntax lists them; ./asserts.ts reads them). */
import { DURATION_FIELD, TIMING_FIELDS, type AssertFieldSpec } from '../../asserts/fields';

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
