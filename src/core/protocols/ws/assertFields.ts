/** WebSocket's assert fields (data: the kind's syntax lists them; ./asserts.ts reads them). */
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, type AssertFieldSpec } from '../../asserts/fields';
import { HEADER_FIELD, STATUS_FIELD } from '../http/assertFields';

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
