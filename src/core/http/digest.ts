/**
 * HTTP Digest authentication as REST Client performs it (RC@6649589 src/utils/auth/digest.ts): the request goes
 * out without credentials; a 401 whose WWW-Authenticate is a Digest challenge is answered ONCE (MD5 or
 * MD5-sess, qop=auth when offered, nc=00000001, a fresh cnonce). The answer's own response is final, whatever
 * it is (a second 401 is shown, not answered). Both exchanges are kept: the retry carries the first as
 * `authChallenge`.
 */
import { nodeCrypto } from '../lazyNode';
import type { HttpExchange } from '../exchange';
import type { HttpRequestSpec } from '../request';

/** Longest WWW-Authenticate value read for a challenge; past it the 401 is shown unanswered. */
export const MAX_CHALLENGE_CHARS = 8 * 1024;
/** Most parameters read from one challenge. */
export const MAX_CHALLENGE_PARAMS = 32;

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop: string;
  algorithm: string;
  opaque: string;
}

/** The challenge's parameters (request/request's regex, as REST Client uses it); undefined when not Digest. */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  if (value.split(' ')[0].toLowerCase() !== 'digest') return undefined;
  const c: DigestChallenge = { realm: '', nonce: '', qop: '', algorithm: '', opaque: '' };
  const re = /([a-z0-9_-]+)=(?:"([^"]+)"|([a-z0-9_-]+))/gi;
  for (let i = 0; i < MAX_CHALLENGE_PARAMS; i++) {
    const m = re.exec(value);
    if (!m) break;
    const key = m[1] as keyof DigestChallenge;
    if (key in c) c[key] = m[2] ?? m[3] ?? '';
  }
  return c;
}

const md5 = (s: string): string => nodeCrypto().createHash('md5').update(s, 'utf8').digest('hex');

/** The Authorization value answering `c` for METHOD uri, in REST Client's key order (empty keys left out). */
export function digestAuthorization(
  c: DigestChallenge,
  user: { username: string; password: string },
  method: string,
  uri: string,
  cnonceIn?: string,
): string {
  const qop = /(^|,)\s*auth\s*($|,)/.test(c.qop) ? 'auth' : '';
  const nc = qop ? '00000001' : '';
  const cnonce = qop ? (cnonceIn ?? nodeCrypto().randomUUID().replace(/-/g, '')) : '';
  let ha1 = md5(`${user.username}:${c.realm}:${user.password}`);
  if (c.algorithm.toLowerCase() === 'md5-sess') ha1 = md5(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = qop ? md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`);
  const values: Array<[string, string]> = [
    ['username', user.username],
    ['realm', c.realm],
    ['nonce', c.nonce],
    ['uri', uri],
    ['qop', qop],
    ['response', response],
    ['nc', nc],
    ['cnonce', cnonce],
    ['algorithm', c.algorithm],
    ['opaque', c.opaque],
  ];
  const unquoted = new Set(['qop', 'nc', 'algorithm']);
  return `Digest ${values
    .filter(([, v]) => v !== '')
    .map(([k, v]) => (unquoted.has(k) ? `${k}=${v}` : `${k}="${v}"`))
    .join(', ')}`;
}

type Send = (spec: HttpRequestSpec) => Promise<HttpExchange>;

/** Sends `spec`; with `spec.digest`, answers one Digest challenge as above. Never rejects (as `send`). */
export async function sendWithDigest(spec: HttpRequestSpec, send: Send): Promise<HttpExchange> {
  const auth = spec.digest;
  const first = await send(spec);
  if (!auth || first.error || first.response?.status !== 401) return first;
  const values = first.response.headers.filter(([k]) => k.toLowerCase() === 'www-authenticate').map(([, v]) => v);
  const digestValue = values.find((v) => v.trimStart().split(' ')[0].toLowerCase() === 'digest');
  if (digestValue === undefined) {
    first.authNote = 'The server answered 401 without a Digest challenge (WWW-Authenticate: Digest …), so the credentials were not sent';
    return first;
  }
  if (digestValue.length > MAX_CHALLENGE_CHARS) {
    first.authNote = `The Digest challenge is ${digestValue.length.toLocaleString('en-US')} characters long, over NetReq's limit of ${MAX_CHALLENGE_CHARS.toLocaleString('en-US')}: not answered`;
    return first;
  }
  const challenge = parseDigestChallenge(digestValue.trimStart())!;
  const header = digestAuthorization(challenge, auth, spec.method, spec.target);
  const algo = challenge.algorithm || 'MD5';
  const retry: HttpRequestSpec = {
    ...spec,
    headers: [...spec.headers, ['Authorization', header]],
    conversions: [
      ...(spec.conversions ?? []),
      `Digest challenge answered (realm "${challenge.realm}", ${algo}${challenge.qop ? `, qop=${/(^|,)\s*auth\s*($|,)/.test(challenge.qop) ? 'auth' : 'none'}` : ''}): the request was sent again with Authorization: Digest …`,
    ],
  };
  delete retry.digest;
  const second = await send(retry);
  second.authChallenge = first;
  return second;
}
