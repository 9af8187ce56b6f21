/** The assert fields of UDP and MULTICAST (data: the kinds' syntax lists them; ./asserts.ts reads them). */
import { DURATION_FIELD, TIMING_FIELDS, type AssertFieldSpec } from '../../asserts/fields';
import { RECEIVED_BYTES_FIELD, RECEIVED_FIELD, STOP_FIELD } from '../stream/assertFields';

const REPLIES_FIELD: AssertFieldSpec = { name: 'replies', arg: 'none', type: 'number', doc: 'How many datagrams came back (counted even past the ones kept).', example: '?? replies >= 1' };

export const datagramAssertFields: readonly AssertFieldSpec[] = Object.freeze([
  { ...RECEIVED_FIELD, doc: 'The replies, as UTF-8 text one after the other.', example: '?? received == pong' },
  RECEIVED_BYTES_FIELD,
  REPLIES_FIELD,
  STOP_FIELD,
  DURATION_FIELD,
  ...TIMING_FIELDS,
]);
