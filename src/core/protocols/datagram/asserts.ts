/** UDP and MULTICAST asserts: the replies' text and bytes, how many came, why waiting stopped. */
import type { SocketExchange } from '../../exchange';
import { DURATION_FIELD, TIMING_FIELDS, failedEarly, readCommon, type AssertFieldSpec, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { RECEIVED_BYTES_FIELD, RECEIVED_FIELD, STOP_FIELD, readSocket } from '../stream/asserts';

const REPLIES_FIELD: AssertFieldSpec = { name: 'replies', arg: 'none', type: 'number', doc: 'How many datagrams came back (counted even past the ones kept).', example: '?? replies >= 1' };

export const datagramAssertFields: readonly AssertFieldSpec[] = Object.freeze([
  { ...RECEIVED_FIELD, doc: 'The replies, as UTF-8 text one after the other.', example: '?? received == pong' },
  RECEIVED_BYTES_FIELD,
  REPLIES_FIELD,
  STOP_FIELD,
  DURATION_FIELD,
  ...TIMING_FIELDS,
]);

export const datagramAsserts: ProtocolAsserts<SocketExchange> = {
  fields: datagramAssertFields,
  read(x, field, arg, ctx): FieldRead {
    const common = readCommon(x, field, arg, ctx.now);
    if (common) return common;
    const early = failedEarly(x);
    if (early) return early;
    if (field === 'replies') return { value: x.datagramsReceived ?? x.transcript.filter((e) => e.dir === 'received').length };
    return readSocket(x, field) ?? { error: `${x.request.protocol.toUpperCase()} has no field ${field}` };
  },
};
