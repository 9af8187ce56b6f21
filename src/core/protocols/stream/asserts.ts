/** TCP, TLS, QOTD, DAYTIME, ECHO asserts: what came back (text, bytes), why reading stopped, the ECHO verdict. */
import type { SocketExchange } from '../../exchange';
import { failedEarly, readCommon, unionFields, type FieldRead, type ProtocolAsserts } from '../../asserts/fields';
import { echoAssertFields, tlsAssertFields } from './assertFields';

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
