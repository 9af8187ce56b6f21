/** Byte streams: TCP, TLS and the classic services (RFC 865 QOTD, RFC 867 DAYTIME, RFC 862 ECHO) with their ports. */
import type { KindSyntax } from '../syntax';
import { echoAssertFields, tcpAssertFields, tlsAssertFields } from './assertFields';

const STREAM_DIRECTIVES = ['proxy', 'eol', 'hex', 'read-until', 'idle', 'max-bytes', 'half-close'] as const;
const stream = { target: 'host:port', headers: false, body: 'payload' } as const;

export const streamKinds = [
  { id: 'tcp', word: 'TCP', label: 'TCP', example: 'TCP 127.0.0.1:7', ...stream, directives: STREAM_DIRECTIVES, asserts: tcpAssertFields },
  { id: 'tls', word: 'TLS', label: 'TLS', example: 'TLS example.com:443', ...stream, directives: ['insecure', ...STREAM_DIRECTIVES], asserts: tlsAssertFields },
  { id: 'qotd', word: 'QOTD', label: 'QOTD', example: 'QOTD 127.0.0.1', defaultPort: 17, ...stream, directives: STREAM_DIRECTIVES, asserts: tcpAssertFields },
  { id: 'daytime', word: 'DAYTIME', label: 'DAYTIME', example: 'DAYTIME 127.0.0.1', defaultPort: 13, ...stream, directives: STREAM_DIRECTIVES, asserts: tcpAssertFields },
  { id: 'echo', word: 'ECHO', label: 'ECHO', example: 'ECHO 127.0.0.1', defaultPort: 7, ...stream, directives: STREAM_DIRECTIVES, asserts: echoAssertFields },
] as const satisfies readonly KindSyntax[];
