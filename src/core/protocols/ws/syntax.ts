/** WebSocket: a ws:// or wss:// URL, handshake headers, then `>` message lines. */
import { Codes, q } from '../../netreq/diag';
import { parseHostPort, splitUrl } from '../../netreq/hostport';
import type { KindSyntax, TargetProblem } from '../syntax';
import { wsAssertFields } from './assertFields';

/** A ws:// or wss:// URL whose authority is host[:port] (a URL starting with `{{` is checked after substitution). */
function checkWsUrl(text: string): TargetProblem[] {
  if (text.startsWith('{{')) return [];
  const url = splitUrl(text);
  if (!url || (url.scheme !== 'ws' && url.scheme !== 'wss')) {
    return [{ token: 'target', start: 0, end: text.length, code: Codes.badUrl, message: `WS needs a ws:// or wss:// URL, e.g. WS ws://127.0.0.1:8080/chat (got ${q(text)})` }];
  }
  const hp = parseHostPort(url.authority, { requirePort: false, what: 'WS', defaultPort: url.scheme === 'wss' ? 443 : 80 });
  return hp.problems.map((p) => ({ token: 'target', start: url.authorityStart + p.start, end: url.authorityStart + p.end, code: p.code, message: p.message }));
}

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
    asserts: wsAssertFields,
    checkTarget: checkWsUrl,
  },
] as const satisfies readonly KindSyntax[];
