/** WebSocket: a ws:// or wss:// URL, handshake headers, then `>` message lines. */
import type { KindSyntax } from '../syntax';

export const wsKinds = [
  {
    id: 'ws',
    word: 'WS',
    label: 'WS',
    example: 'WS ws://127.0.0.1:8080/chat',
    target: 'url',
    headers: true,
    body: 'ws-messages',
    directives: ['insecure', 'proxy', 'connect', 'wait'],
  },
] as const satisfies readonly KindSyntax[];
