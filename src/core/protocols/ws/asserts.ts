/** WebSocket asserts: the handshake's `status` and `header NAME`, the messages received, the close. */
import type { WsExchange } from '../../exchange';
import { failedEarly, noResponse, readCommon, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { headerValue } from '../http/asserts';
import { wsAssertFields } from './assertFields';

export const wsAsserts: ProtocolAsserts<WsExchange> = {
  fields: wsAssertFields,
  read(x, field, arg, ctx): FieldRead {
    const common = readCommon(x, field, arg, ctx.now);
    if (common) return common;
    const early = failedEarly(x);
    if (early) return early;
    const h = x.handshake;
    switch (field) {
      case 'status':
        return h.status === undefined ? noResponse(x, 'no handshake answer') : { value: h.status };
      case 'header':
        return h.status === undefined ? noResponse(x, 'no handshake answer') : { value: headerValue(h.responseHeaders, arg ?? '') };
    }
    const messages = x.frames.filter((f) => f.dir === 'received' && (f.opcode === 'text' || f.opcode === 'binary'));
    switch (field) {
      case 'frames.received':
        return { value: messages.map((f) => f.data.toString('utf8')) };
      case 'frames.count':
        return { value: messages.length };
      case 'closeCode':
        return { value: x.closeCode };
      case 'closeReason':
        return { value: x.closeReason };
    }
    return { error: `WS has no field ${field}` };
  },
};
