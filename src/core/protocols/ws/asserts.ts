/** WebSocket asserts: the handshake's `status` and `header NAME`, the messages received, the close. */
import type { WsExchange } from '../../exchange';
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, failedEarly, noResponse, readCommon, type AssertFieldSpec, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { HEADER_FIELD, STATUS_FIELD, headerValue } from '../http/asserts';

export const wsAssertFields: readonly AssertFieldSpec[] = Object.freeze([
  { ...STATUS_FIELD, doc: 'The handshake’s status code (101 when the upgrade was accepted).', example: '?? status == 101' },
  { ...HEADER_FIELD, doc: 'A header of the handshake’s answer (the name in any case).', example: '?? header sec-websocket-protocol == chat' },
  { name: 'frames.received', arg: 'none', type: 'array', doc: 'The text of each message received (binary ones as UTF-8); `includes` passes when any of them equals the value.', example: '?? frames.received includes hello' },
  { name: 'frames.count', arg: 'none', type: 'number', doc: 'How many messages (text and binary) were received.', example: '?? frames.count == 2' },
  { name: 'closeCode', arg: 'none', type: 'number', doc: 'The close code (1000 normal, 1001 going away, …), absent when the session did not close with one.', example: '?? closeCode == 1000' },
  { name: 'closeReason', arg: 'none', type: 'string', doc: 'The reason text of the close.', example: '?? closeReason isString' },
  DURATION_FIELD,
  ...TIMING_FIELDS,
  ...TLS_FIELDS,
  ...CONNECTION_FIELDS,
] satisfies AssertFieldSpec[]);

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
