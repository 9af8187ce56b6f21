/** HTTP/1.x: a method and a URL (or a bare URL), headers, a blank line, a body. */
import type { KindSyntax } from '../syntax';
import { httpAssertFields } from './assertFields';

export const httpKinds = [
  {
    id: 'http',
    label: 'HTTP',
    example: 'GET http://127.0.0.1:8080/',
    target: 'url',
    headers: true,
    body: 'http',
    directives: ['insecure', 'raw', 'proxy', 'tls', 'connect'],
    asserts: httpAssertFields,
  },
] as const satisfies readonly KindSyntax[];
