/**
 * REST Client's request conversions, end to end: a file is parsed and resolved, sent to a local recording server
 * over a real socket, and the bytes the server received are checked (decoded Basic credentials, a Digest
 * challenge verified per RFC 2617/7616 by the server, a SigV4 signature recomputed by an independent verifier,
 * GraphQL JSON, form fields, multipart parts with file bytes). `# @raw` turns each conversion off.
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as net from 'node:net';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { ResolveContext, ResolveResult } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS, type HttpRequestSpec } from '../../../src/core/request';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpModule } from '../../../src/core/protocols/http';
import { PLAIN } from '../../../src/core/protocols/render';
import type { HttpExchange } from '../../../src/core/exchange';
import type { Clients } from '../../../src/core/protocols/module';
import { rawServer, type RawServer } from '../../support/servers';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** The head and body of one recorded request. */
function split(req: Buffer): { line: string; headers: Array<[string, string]>; body: Buffer } {
  const end = req.indexOf('\r\n\r\n');
  const lines = req.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.slice(1).map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  return { line: lines[0], headers, body: req.subarray(end + 4) };
}
const header = (h: Array<[string, string]>, name: string) => h.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('REST Client conversions (Basic, Digest, AWS, GraphQL, form, multipart files)', function () {
  this.timeout(10_000);
  let pool: ConnectionPool;
  let clients: Clients;
  let server: RawServer | undefined;
  let dir: string;
  let requests: Buffer[];

  beforeEach(async () => {
    pool = new ConnectionPool();
    clients = { http: new HttpClient({ pool }) } as unknown as Clients;
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'netreq-conv-'));
    requests = [];
  });
  afterEach(async () => {
    pool.dispose();
    await server?.close();
    server = undefined;
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  function ctx(): ResolveContext {
    return { processEnv: {}, readFile: (p) => fs.promises.readFile(p), defaults: { ...DEFAULT_OPTIONS }, baseDir: dir };
  }
  async function resolve(text: string, dialect: 'http' | 'netreq' = 'http'): Promise<ResolveResult & { parseInfo: string[] }> {
    const doc = parseNetreq(text, { dialect });
    const r = await resolveBlock(doc, doc.blocks[0], ctx());
    return Object.assign(r, { parseInfo: doc.diagnostics.filter((d) => d.code === 'conversion').map((d) => `${d.span.start.line}:${d.message}`) });
  }
  async function send(text: string, dialect: 'http' | 'netreq' = 'http'): Promise<{ x: HttpExchange; spec: HttpRequestSpec; parseInfo: string[] }> {
    const r = await resolve(text, dialect);
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const spec = r.request as HttpRequestSpec;
    const x = await httpModule.send(spec, clients, {});
    assert.equal(x.error, undefined, x.error?.message);
    return { x, spec, parseInfo: r.parseInfo };
  }
  async function recording(respond: (s: net.Socket, req: Buffer) => void = (s) => s.write(OK)): Promise<number> {
    server = await rawServer((s, req) => {
      requests.push(req);
      respond(s, req);
    });
    return server.port;
  }

  describe('Basic', () => {
    const cases: Array<[string, string]> = [
      ['Basic alice:s3cret', 'alice:s3cret'],
      ['Basic alice  pass   word', 'alice:pass word'],
      ['basic u:p:q', 'u:p'],
      ['Basic ünï:pä', 'ünï:pä'],
    ];
    for (const [written, creds] of cases) {
      it(`"${written}" reaches the server as base64 of "${creds}"`, async () => {
        const port = await recording();
        const { x, parseInfo } = await send(`GET http://127.0.0.1:${port}/a\nAuthorization: ${written}\n`);
        const h = header(split(requests[0]).headers, 'authorization')!;
        assert.match(h, /^Basic [A-Za-z0-9+/=]+$/);
        assert.equal(Buffer.from(h.slice(6), 'base64').toString('utf8'), creds);
        assert.ok(x.request.conversions?.some((c) => /Basic credentials encoded as base64/.test(c)));
        if (written !== 'basic u:p:q') assert.match(parseInfo.join('\n'), /^1:Basic credentials encoded as base64 \(REST Client does this\); # @raw sends the header as written$/m);
        else assert.match(parseInfo.join('\n'), /^1:Basic credentials encoded as base64, with the password cut at the second ':' as REST Client does \(the rest is not sent\)/m);
      });
    }
    it('an already-encoded value, and the same header under # @raw, are sent as written', async () => {
      const port = await recording();
      const a = await send(`GET http://127.0.0.1:${port}/\nAuthorization: Basic YWxpY2U6czNjcmV0\n`);
      const b = await send(`# @raw\nGET http://127.0.0.1:${port}/ HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Basic alice:s3cret\n`);
      assert.equal(header(split(requests[0]).headers, 'authorization'), 'Basic YWxpY2U6czNjcmV0');
      assert.equal(header(split(requests[1]).headers, 'authorization'), 'Basic alice:s3cret');
      assert.equal(a.x.request.conversions, undefined);
      assert.equal(b.x.request.conversions, undefined);
      assert.deepEqual(b.parseInfo, []);
    });
    it('.netreq files encode an explicit Basic user:pass too', async () => {
      const port = await recording();
      await send(`GET http://127.0.0.1:${port}/\nAuthorization: Basic a:b\n`, 'netreq');
      assert.equal(header(split(requests[0]).headers, 'authorization'), `Basic ${Buffer.from('a:b').toString('base64')}`);
    });
  });

  describe('Digest (a server that issues a nonce and verifies the answer)', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    /** Verifies per RFC 2617 §3.2.2 with its own parser; returns why not, or undefined when valid. */
    function verify(method: string, auth: string, nonce: string, password: string, algorithm: string): string | undefined {
      if (!auth.startsWith('Digest ')) return 'not Digest';
      const p: Record<string, string> = {};
      for (const part of auth.slice(7).split(/,\s*/)) {
        const eq = part.indexOf('=');
        p[part.slice(0, eq)] = part.slice(eq + 1).replace(/^"|"$/g, '');
      }
      if (p.nonce !== nonce) return 'stale nonce';
      if (p.realm !== 'lab') return 'realm';
      if (p.qop !== 'auth' || p.nc !== '00000001' || !/^[0-9a-f]{32}$/.test(p.cnonce)) return 'qop/nc/cnonce';
      if ((p.algorithm ?? 'MD5') !== algorithm) return 'algorithm';
      let ha1 = md5(`${p.username}:lab:${password}`);
      if (algorithm === 'MD5-sess') ha1 = md5(`${ha1}:${nonce}:${p.cnonce}`);
      const ha2 = md5(`${method}:${p.uri}`);
      const expected = md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
      return expected === p.response ? undefined : 'wrong response';
    }
    function digestServer(password: string, algorithm: string, verdicts: string[], extra = '') {
      const nonce = randomBytes(16).toString('hex');
      return (s: net.Socket, req: Buffer) => {
        const r = split(req);
        const auth = header(r.headers, 'authorization');
        const why = auth === undefined ? 'no credentials' : verify(r.line.split(' ')[0], auth, nonce, password, algorithm);
        verdicts.push(why ?? 'valid');
        if (why === undefined) return s.write(OK);
        const body = 'who are you';
        s.write(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="lab", qop="auth,auth-int", nonce="${nonce}", opaque="op1", algorithm=${algorithm}\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`);
      };
    }
    for (const algorithm of ['MD5', 'MD5-sess']) {
      it(`answers one ${algorithm} challenge; the server verifies it; both exchanges are kept`, async () => {
        const verdicts: string[] = [];
        const port = await recording(digestServer('pa ss', algorithm, verdicts));
        const { x } = await send(`POST http://127.0.0.1:${port}/dir/index.html?x=1\nAuthorization: Digest mufasa pa  ss\nContent-Type: text/plain\n\nhello\n`);
        assert.deepEqual(verdicts, ['no credentials', 'valid']);
        assert.equal(header(split(requests[0]).headers, 'authorization'), undefined);
        assert.equal(split(requests[1]).body.toString(), 'hello');
        assert.equal(x.response?.status, 200);
        assert.equal(x.authChallenge?.response?.status, 401);
        assert.match(header(x.request.headers, 'authorization')!, /^Digest username="mufasa", realm="lab", nonce="[0-9a-f]+", uri="\/dir\/index.html\?x=1", qop=auth, response="[0-9a-f]{32}", nc=00000001, cnonce="[0-9a-f]{32}", algorithm=MD5(-sess)?, opaque="op1"$/);
        assert.ok(x.request.conversions?.some((c) => c.startsWith('Digest challenge answered (realm "lab"')));
        const json = httpModule.json(x, 1024) as { authChallenge?: { response?: { status: number } } };
        assert.equal(json.authChallenge?.response?.status, 401);
        const text = httpModule.render(x, PLAIN, { header: 'h', verbose: false });
        assert.match(text, /first try: POST http:\/\/127\.0\.0\.1:\d+\/dir\/index.html\?x=1 → 401 Unauthorized \(Digest challenge\) → answered/);
        assert.match(text, /converted {2}Authorization: Digest for user "mufasa"/);
      });
    }
    it('answers on a new connection when the server closes the one that carried the 401', async () => {
      const verdicts: string[] = [];
      const inner = digestServer('pw', 'MD5', verdicts, 'Connection: close\r\n');
      const port = await recording((s, req) => {
        inner(s, req);
        if (verdicts[verdicts.length - 1] !== 'valid') s.end();
      });
      const { x } = await send(`GET http://127.0.0.1:${port}/\nAuthorization: Digest u pw\n`);
      assert.deepEqual(verdicts, ['no credentials', 'valid']);
      assert.equal(server!.connections, 2);
      assert.equal(x.response?.status, 200);
      assert.notEqual(x.connection?.id, x.authChallenge?.connection?.id);
    });
    it('a wrong password: the second 401 is the answer, and nothing is sent a third time', async () => {
      const verdicts: string[] = [];
      const port = await recording(digestServer('right', 'MD5', verdicts));
      const { x } = await send(`GET http://127.0.0.1:${port}/\nAuthorization: Digest mufasa wrong\n`);
      assert.deepEqual(verdicts, ['no credentials', 'wrong response']);
      assert.equal(x.response?.status, 401);
      assert.equal(x.authChallenge?.response?.status, 401);
    });
    it('a huge WWW-Authenticate challenge is not answered; the 401 is shown with a note', async () => {
      const port = await recording((s) => {
        s.write(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="${'r'.repeat(20_000)}", nonce="n"\r\nContent-Length: 0\r\n\r\n`);
      });
      const { x } = await send(`GET http://127.0.0.1:${port}/\nAuthorization: Digest a b\n`);
      assert.equal(requests.length, 1);
      assert.equal(x.response?.status, 401);
      assert.match(x.authNote ?? '', /^The Digest challenge is 20,\d{3} characters long, over NetReq's limit of 8,192: not answered$/);
    });
    it('a 401 without a Digest challenge is shown unanswered; # @raw sends the Digest header as written', async () => {
      const port = await recording((s, req) => s.write(req.includes('raw-') ? OK : 'HTTP/1.1 401 No\r\nWWW-Authenticate: Basic realm="x"\r\nContent-Length: 0\r\n\r\n'));
      const { x } = await send(`GET http://127.0.0.1:${port}/\nAuthorization: Digest a b\n`);
      assert.equal(requests.length, 1);
      assert.match(x.authNote ?? '', /without a Digest challenge/);
      await send(`# @raw\nGET http://127.0.0.1:${port}/raw- HTTP/1.1\nHost: x\nAuthorization: Digest a b\n`);
      assert.equal(header(split(requests[1]).headers, 'authorization'), 'Digest a b');
    });
  });

  describe('AWS Signature Version 4 (verified by an independent implementation of the AWS spec)', () => {
    const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
    function verifySigV4(req: Buffer, secret: string): string | undefined {
      const r = split(req);
      const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header(r.headers, 'authorization') ?? '');
      if (!m) return 'no SigV4 Authorization';
      const [, , date, region, service, signed, signature] = m;
      const [method, target] = r.line.split(' ');
      const [p, query = ''] = target.split('?');
      const cq = query
        .split('&')
        .filter(Boolean)
        .map((kv) => kv.split('='))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([k, v = '']) => `${k}=${v}`)
        .join('&');
      const names = signed.split(';');
      const ch = names.map((n) => `${n}:${(header(r.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
      const canonical = [method, p, cq, ch, signed, sha256(r.body)].join('\n');
      const amzDate = header(r.headers, 'x-amz-date')!;
      const scope = `${date}/${region}/${service}/aws4_request`;
      const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
      const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
      return createHmac('sha256', key).update(toSign).digest('hex') === signature ? undefined : 'signature mismatch';
    }
    it('signs with region and service; the server recomputes the signature; the headers added are named', async () => {
      const port = await recording();
      const { x } = await send(`POST http://127.0.0.1:${port}/v1/items?b=2&a=1\nContent-Type: application/json\nAuthorization: AWS AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG token:TOKEN1 region:eu-west-1 service:execute-api\n\n{"a":1}\n`);
      assert.equal(verifySigV4(requests[0], 'wJalrXUtnFEMI/K7MDENG'), undefined);
      const r = split(requests[0]);
      assert.match(header(r.headers, 'authorization')!, /Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
      assert.equal(header(r.headers, 'x-amz-security-token'), 'TOKEN1');
      assert.equal(r.body.toString(), '{"a":1}');
      assert.match(x.request.conversions!.join('\n'), /AWS Signature Version 4 by the aws4 package \(service execute-api, region eu-west-1\): added .*X-Amz-Date.*Authorization/);
    });
    it('a tampered body fails the independent check (the verifier is not a rubber stamp)', async () => {
      const port = await recording();
      await send(`PUT http://127.0.0.1:${port}/x\nAuthorization: AWS AK SECRET service:s3 region:us-east-1\n\nbody\n`);
      assert.equal(verifySigV4(requests[0], 'SECRET'), undefined);
      const tampered = Buffer.concat([requests[0].subarray(0, requests[0].length - 4), Buffer.from('BODY')]);
      assert.equal(verifySigV4(tampered, 'SECRET'), 'signature mismatch');
      assert.equal(verifySigV4(requests[0], 'OTHER'), 'signature mismatch');
    });
    it('COGNITO is refused with a diagnostic naming it; # @raw sends it as written', async () => {
      const r = await resolve('GET http://127.0.0.1:1/\nAuthorization: COGNITO user pass eu-west-1 pool client\n');
      assert.equal(r.ok, false);
      const d = r.diagnostics.find((x) => x.code === 'unsupported-auth');
      assert.ok(d, JSON.stringify(r.diagnostics));
      assert.equal(d.span.start.line, 1);
      assert.match(d.message, /^Authorization: COGNITO signs in to AWS Cognito over AWS’s network, which NetReq does not do/);
      const raw = await resolve('# @raw\nGET http://127.0.0.1:1/ HTTP/1.1\nHost: x\nAuthorization: COGNITO user pass\n');
      assert.ok(raw.ok);
    });
  });

  describe('GraphQL', () => {
    it('query + variables → JSON with operationName; X-Request-Type is not sent', async () => {
      const port = await recording();
      const { x, parseInfo } = await send(
        `POST http://127.0.0.1:${port}/graphql\nContent-Type: application/json\nX-REQUEST-TYPE: GraphQL\n\nquery GetUser($id: ID!) {\n  user(id: $id) { name }\n}\n\n{"id": "42"}\n`,
      );
      const r = split(requests[0]);
      assert.equal(header(r.headers, 'x-request-type'), undefined);
      assert.equal(header(r.headers, 'content-type'), 'application/json');
      assert.equal(r.body.toString(), JSON.stringify({ query: 'query GetUser($id: ID!) {\n  user(id: $id) { name }\n}', operationName: 'GetUser', variables: { id: '42' } }));
      assert.match(x.request.conversions![0], /^GraphQL body built as JSON/);
      assert.match(parseInfo.join('\n'), /^2:GraphQL body built as JSON/m);
    });
    it('a written Content-Length that the built body no longer matches is replaced, and said so', async () => {
      const port = await recording();
      const { x } = await send(`POST http://127.0.0.1:${port}/graphql\nContent-Length: 5\nX-Request-Type: GraphQL\n\n{ a }\n`);
      const r = split(requests[0]);
      assert.equal(r.body.toString(), '{"query":"{ a }","variables":{}}');
      assert.equal(header(r.headers, 'content-length'), String(r.body.length));
      assert.match(x.request.conversions!.join('\n'), /Content-Length 5 as written replaced by the body's 32 bytes/);
    });
    it('a mutation without variables: no operationName, variables {} (lower-case header, .netreq file)', async () => {
      const port = await recording();
      await send(`POST http://127.0.0.1:${port}/graphql\nX-Request-Type: graphql\n\nmutation M { a }\n`, 'netreq');
      assert.equal(split(requests[0]).body.toString(), '{"query":"mutation M { a }","variables":{}}');
    });
    it('variables that are not JSON: a diagnostic at their line; # @raw sends the text as written', async () => {
      const r = await resolve('POST http://127.0.0.1:1/g\nX-Request-Type: GraphQL\n\n{ a }\n\n{nope\n');
      assert.equal(r.ok, false);
      const d = r.diagnostics.find((x) => x.code === 'bad-graphql')!;
      assert.equal(d.span.start.line, 5);
      assert.match(d.message, /^The GraphQL variables \(after the first blank line of the body\) are not JSON/);
      const port = await recording();
      await send(`# @raw\nPOST http://127.0.0.1:${port}/g HTTP/1.1\nHost: x\nX-Request-Type: GraphQL\nContent-Length: 5\n\n{ a }\n`);
      const rr = split(requests[0]);
      assert.equal(header(rr.headers, 'x-request-type'), 'GraphQL');
      assert.equal(rr.body.toString(), '{ a }');
    });
  });

  describe('form continuation lines (.http)', () => {
    it('& lines are joined and the body is encoded with encodeurl 1.0.2 (which keeps #, as REST Client sends it)', async () => {
      const port = await recording();
      const { x, parseInfo } = await send(`POST http://127.0.0.1:${port}/login\nContent-Type: application/x-www-form-urlencoded\n\nname=foo bar\n&password=a"b#c%zz\n&x=ü\n`);
      assert.equal(split(requests[0]).body.toString(), 'name=foo%20bar&password=a%22b#c%25zz&x=%C3%BC');
      const fields = new URLSearchParams(split(requests[0]).body.toString());
      assert.deepEqual([...fields], [['name', 'foo bar'], ['password', 'a"b#c%zz'], ['x', 'ü']]);
      assert.equal(x.request.conversions?.length, 2);
      assert.match(parseInfo.join('\n'), /^3:Form body: lines starting with & are joined/m);
    });
    it('a line without & is kept after a newline (%0A), as REST Client; .netreq files and # @raw send lines as written', async () => {
      const port = await recording();
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: application/x-www-form-urlencoded\n\na=1\nb=2\n&c=3\n`);
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: application/x-www-form-urlencoded\n\na=1\n&c=3\n`, 'netreq');
      await send(`# @raw\nPOST http://127.0.0.1:${port}/ HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 9\n\na=1\n&c=3\n`);
      assert.equal(split(requests[0]).body.toString(), 'a=1%0Ab=2&c=3');
      assert.equal(split(requests[1]).body.toString(), 'a=1\r\n&c=3');
      assert.equal(split(requests[2]).body.toString(), 'a=1\r\n&c=3');
    });
  });

  describe('plain bodies', () => {
    it('.http: LF between lines (REST Client on Linux), CRLF for multipart, a trailing LF for ndjson; .netreq: CRLF', async () => {
      const port = await recording();
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: application/json\n\n{\n  "a": 1\n}\n`);
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: multipart/form-data; boundary=B\n\n--B\n\nx\n--B--\n`);
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: application/x-ndjson\n\n{"a":1}\n{"b":2}\n`);
      await send(`POST http://127.0.0.1:${port}/\nContent-Type: application/json\n\n{\n  "a": 1\n}\n`, 'netreq');
      assert.deepEqual(
        requests.map((r) => split(r).body.toString()),
        ['{\n  "a": 1\n}', '--B\r\n\r\nx\r\n--B--', '{"a":1}\n{"b":2}\n', '{\r\n  "a": 1\r\n}'],
      );
    });
  });

  describe('file lines inside a body (multipart, <@encoding)', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x0d, 0x0a]);
    const multipart = (file: string) =>
      [
        'Content-Type: multipart/form-data; boundary=----B',
        '',
        '------B',
        'Content-Disposition: form-data; name="text"',
        '',
        'title',
        '------B',
        'Content-Disposition: form-data; name="image"; filename="1.png"',
        'Content-Type: image/png',
        '',
        `< ${file}`,
        '------B--',
      ].join('\n');
    it('a multipart part gets the file’s raw bytes, then CRLF after every line (the last too)', async () => {
      await fs.promises.writeFile(path.join(dir, '1.png'), png);
      const port = await recording();
      for (const dialect of ['http', 'netreq'] as const) {
        const { x, parseInfo } = await send(`POST http://127.0.0.1:${port}/upload\n${multipart('./1.png')}\n`, dialect);
        const expected = Buffer.concat([
          Buffer.from('------B\r\nContent-Disposition: form-data; name="text"\r\n\r\ntitle\r\n------B\r\nContent-Disposition: form-data; name="image"; filename="1.png"\r\nContent-Type: image/png\r\n\r\n'),
          png,
          Buffer.from('\r\n------B--\r\n'),
        ]);
        assert.deepEqual(split(requests[requests.length - 1]).body, expected, dialect);
        assert.match(x.request.conversions!.join('\n'), /^Body line 12: < \.\/1\.png replaced by the file's 12 bytes/);
        assert.match(parseInfo.join('\n'), /^11:The content of \.\/1\.png is sent in place of this line \(its raw bytes, then CRLF\)/m);
      }
    });
    it('a missing file is a diagnostic at the path (file:line:col), nothing is sent', async () => {
      const r = await resolve(`POST http://127.0.0.1:1/upload\n${multipart('./nope.png')}\n`);
      assert.equal(r.ok, false);
      const d = r.diagnostics.find((x) => x.code === 'body-file-unreadable')!;
      assert.deepEqual([d.span.start.line, d.span.start.col], [11, 2]);
      assert.match(d.message, /^Cannot read body file \.\/nope\.png/);
    });
    it('<@latin1 decodes the file as latin1, substitutes variables, sends UTF-8; an unknown encoding is refused by name', async () => {
      await fs.promises.writeFile(path.join(dir, 'l1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x7b, 0x7b, 0x76, 0x7d, 0x7d]));
      const port = await recording();
      await send(`@v = ok\nPOST http://127.0.0.1:${port}/\nContent-Type: text/plain\n\nstart\n<@latin1 ./l1.txt\nend\n`);
      assert.equal(split(requests[0]).body.toString('utf8'), 'start\ncafé ok\nend');
      await fs.promises.writeFile(path.join(dir, 'l2.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      const whole = await send(`POST http://127.0.0.1:${port}/\nContent-Type: text/plain\n\n<@latin1 ./l2.txt\n`);
      assert.equal(split(requests[1]).body.toString('utf8'), 'café');
      assert.match(whole.x.request.conversions![0], /^Body file \.\/l2\.txt read as latin1 and sent as UTF-8/);
      assert.match(whole.parseInfo.join('\n'), /^3:The file is decoded as latin1, \{\{variables\}\} substituted, and sent as UTF-8/m);
      const r = await resolve('POST http://127.0.0.1:1/\nContent-Type: text/plain\n\nx\n<@koi8r ./l1.txt\n');
      assert.equal(r.ok, false);
      const d = r.diagnostics.find((x) => x.code === 'unknown-encoding')!;
      assert.deepEqual([d.span.start.line, d.span.start.col], [4, 2]);
      assert.match(d.message, /^<@koi8r: unknown encoding 'koi8r'; <@encoding takes one of utf8, utf-8, latin1/);
    });
    it('# @raw sends the file line as text', async () => {
      await fs.promises.writeFile(path.join(dir, '1.png'), png);
      const port = await recording();
      await send(`# @raw\nPOST http://127.0.0.1:${port}/ HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=B\nContent-Length: 21\n\n--B\n< ./1.png\n--B--\n`);
      assert.equal(split(requests[0]).body.toString('latin1'), '--B\r\n< ./1.png\r\n--B--');
    });
  });
});
