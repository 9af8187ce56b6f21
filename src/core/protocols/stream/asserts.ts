/** TCP, TLS, QOTD, DAYTIME, ECHO asserts: what came back (text, bytes), why reading stopped, the ECHO verdict. */
import type { SocketExchange } from '../../exchange';
import { CONNECTION_FIELDS, DURATION_FIELD, TIMING_FIELDS, TLS_FIELDS, failedEarly, readCommon, unionFields, type AssertFieldSpec, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';

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

/** The received chunks as one buffer (the transcript keeps what was captured). */
export function receivedData(x: SocketExchange): Buffer {
  return Buffer.concat(x.transcript.filter((e) => e.dir === 'received').map((e) => e.data));
}

/** Reads the fields every socket kind has (`received`, `receivedBytes`, `stop`); undefined for others. */
export function readSocket(x: SocketExchange, field: string): FieldRead | undefined {
  switch (field) {
    case 'received': {
      const data = receivedData(x);
      return { value: data.toString('utf8'), bytes: data };
    }
    case 'receivedBytes':
      return { value: x.receivedBytes };
    case 'stop':
      return { value: x.stop };
  }
  return undefined;
}

export const streamAsserts: ProtocolAsserts<SocketExchange> = {
  fields: unionFields(tlsAssertFields, echoAssertFields),
  read(x, field, arg, ctx): FieldRead {
    const common = readCommon(x, field, arg, ctx.now);
    if (common) return common;
    const early = failedEarly(x);
    if (early) return early;
    if (field === 'echo') return x.echoMatches === undefined ? { error: 'no ECHO verdict (nothing was sent, or the request is not ECHO)' } : { value: x.echoMatches };
    return readSocket(x, field) ?? { error: `${x.request.protocol.toUpperCase()} has no field ${field}` };
  },
};
