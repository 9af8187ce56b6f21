/** The compatibility test's recording server answers, request splitting and Digest verifier (compatibility.test.ts). */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { makeSelfSigned } from '../../support/peers';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const DIR = path.join(ROOT, 'test', 'fixtures', 'compat');
export const TABLE = path.join(ROOT, 'docs', 'compatibility.md');
/** 2030-01-31T12:34:56.789Z. */
export const NOW = new Date(Date.UTC(2030, 0, 31, 12, 34, 56, 789));
export const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

export interface Recorded {
  line: string;
  /** Header names lower-cased (REST Client's header-name case does not matter), in the order received. */
  headers: Array<[string, string]>;
  body: Buffer;
}
export function split(req: Buffer): Recorded {
  const end = req.indexOf('\r\n\r\n');
  const lines = req.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.slice(1).map((l): [string, string] => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
  return { line: lines[0], headers, body: req.subarray(end + 4) };
}
export const header = (r: Recorded, name: string) => r.headers.find(([k]) => k === name.toLowerCase())?.[1];
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The server's answers by path: what the chain and the Digest examples need; 200 "ok" otherwise. */
export function respond(s: net.Socket, req: Buffer, digestNonce: string): void {
  const r = split(req);
  const target = r.line.split(' ')[1];
  const reply = (status: string, headers: string[], body: string): void => {
    s.write(`HTTP/1.1 ${status}\r\n${[...headers, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`);
  };
  if (target === '/set-cookie') return reply('200 OK', ['Set-Cookie: session=s1; Path=/'], 'ok');
  if (target === '/moved') return reply('302 Found', ['Location: /elsewhere'], '');
  if (target === '/api/login') return reply('200 OK', ['X-AuthToken: tok-123', 'Content-Type: text/plain'], 'welcome');
  if (target === '/api/comments') return reply('201 Created', ['Content-Type: application/json'], '{"id":42,"content":"fake content"}');
  if (target === '/api/comments/42/replies') return reply('200 OK', ['Content-Type: application/xml'], '<replies><reply id="r7">first</reply><reply id="r8">second</reply></replies>');
  if (target.startsWith('/digest-auth/')) {
    const auth = header(r, 'authorization');
    if (auth === undefined) return reply('401 Unauthorized', [`WWW-Authenticate: Digest realm="lab", qop="auth", nonce="${digestNonce}", opaque="op", algorithm=MD5`], 'who');
    return reply(verifyDigest(r.line.split(' ')[0], auth, digestNonce, 'passwd') ?? '200 OK', [], 'ok');
  }
  s.write(OK);
}

/** RFC 2617 §3.2.2 with qop=auth, checked by the server itself: undefined when valid, else why not (as a status). */
export function verifyDigest(method: string, auth: string, nonce: string, password: string): string | undefined {
  if (!auth.startsWith('Digest ')) return '400 Not Digest';
  const p: Record<string, string> = {};
  for (const part of auth.slice(7).split(/,\s*/)) p[part.slice(0, part.indexOf('='))] = part.slice(part.indexOf('=') + 1).replace(/^"|"$/g, '');
  if (p.nonce !== nonce || p.realm !== 'lab' || p.qop !== 'auth' || p.nc !== '00000001') return '400 Bad Digest fields';
  const expected = md5(`${md5(`${p.username}:lab:${password}`)}:${nonce}:${p.nc}:${p.cnonce}:auth:${md5(`${method}:${p.uri}`)}`);
  return expected === p.response ? undefined : '401 Wrong Digest';
}


/** A TLS server (a self-signed certificate made in `dir`) recording the decrypted bytes of each connection's request head. */
export async function recordingTlsServer(dir: string, record: (req: Buffer) => void): Promise<tls.Server> {
  const cert = makeSelfSigned(dir);
  const server = tls.createServer({ cert: cert.cert, key: cert.key }, (s) => {
    let got = Buffer.alloc(0);
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.includes('\r\n\r\n')) {
        record(got);
        s.end(OK);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
