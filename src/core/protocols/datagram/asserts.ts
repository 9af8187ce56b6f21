/** UDP and MULTICAST asserts: the replies' text and bytes, how many came, why waiting stopped. */
import type { SocketExchange } from '../../exchange';
import { failedEarly, readCommon, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { readSocket } from '../stream/asserts';
import { datagramAssertFields } from './assertFields';

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
