/** The assert fields of TCP, TLS, QOTD, DAYTIME and ECHO (data: the kinds' syntax lists them; ./asserts.ts reads them). */
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, type AssertFieldSpec } from '../../asserts/fields';

export const RECEIVED_FIELD: AssertFieldSpec = { name: 'received', arg: 'none', type: 'string', doc: 'Everything received, as UTF-8 text (what the transcript shows).', example: '?? received includes 220' };
export const RECEIVED_BYTES_FIELD: AssertFieldSpec = { name: 'receivedBytes', arg: 'none', type: 'number', doc: 'How many bytes were received.', example: '?? receivedBytes > 0' };
export const STOP_FIELD: AssertFieldSpec = {
  name: 'stop',
  arg: 'none',
  type: 'string',
  doc: 'Why reading stopped: `peer-closed`, `read-until`, `idle`, `max-bytes`, `timeout`, `echo-complete`, `replies`, `wait-elapsed`, `error`, `cancelled`.',
  example: '?? stop == peer-closed',
};
const ECHO_FIELD: AssertFieldSpec = { name: 'echo', arg: 'none', type: 'boolean', doc: 'ECHO: whether what came back equals what was sent.', example: '?? echo isTrue' };

const base = [RECEIVED_FIELD, RECEIVED_BYTES_FIELD, STOP_FIELD, DURATION_FIELD, ...TIMING_FIELDS, ...CONNECTION_FIELDS];
export const tcpAssertFields: readonly AssertFieldSpec[] = Object.freeze(base);
export const tlsAssertFields: readonly AssertFieldSpec[] = Object.freeze([...base, ...TLS_FIELDS]);
export const echoAssertFields: readonly AssertFieldSpec[] = Object.freeze([...base, ECHO_FIELD]);
