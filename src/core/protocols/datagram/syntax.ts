/** Datagrams: one UDP datagram, or datagrams to a multicast group; then the replies. */
import { Codes } from '../../netreq/diag';
import { multicastProblem, parseHostPort } from '../../netreq/hostport';
import type { KindSyntax, TargetProblem } from '../syntax';
import { datagramAssertFields } from './assertFields';

/** host:port, and the host a multicast group (a host holding `{{variables}}` is checked after substitution). */
function checkGroup(text: string): TargetProblem[] {
  const hp = parseHostPort(text, { requirePort: true, what: 'MULTICAST' });
  const out: TargetProblem[] = hp.problems.map((p) => ({ token: 'target', start: p.start, end: p.end, code: p.code, message: p.message }));
  if (out.length > 0 || hp.host === '' || hp.host.indexOf('{{') >= 0) return out;
  const m = multicastProblem(hp.host);
  const s = hp.bracketed ? 1 : 0;
  return m ? [{ token: 'target', start: s, end: s + hp.host.length, code: Codes.notMulticast, message: m }] : [];
}

const datagram = { target: 'host:port', headers: false, body: 'payload', asserts: datagramAssertFields } as const;

export const datagramKinds = [
  { id: 'udp', word: 'UDP', label: 'UDP', example: 'UDP 127.0.0.1:9999', ...datagram, directives: ['eol', 'hex', 'replies'] },
  {
    id: 'multicast',
    word: 'MULTICAST',
    label: 'MULTICAST',
    example: 'MULTICAST 239.1.2.3:5000',
    ...datagram,
    directives: ['eol', 'hex', 'replies', 'ttl', 'interface', 'loopback', 'repeat'],
    checkTarget: checkGroup,
  },
] as const satisfies readonly KindSyntax[];
