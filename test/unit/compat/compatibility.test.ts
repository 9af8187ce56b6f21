/**
 * The compatibility table (docs/compatibility.md), kept true: every row's corpus block (test/fixtures/compat/*.http,
 * written for NetReq) is parsed, resolved and sent over a real socket to a local recording server, and the bytes the
 * server received are checked against what the file's own tool (REST Client, httpyac) sends for it
 * (docs/compatibility-research.md); a refused block is checked for its diagnostic (code, line) and that nothing was
 * sent. The last test checks that each row of the table names a test of this file.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { noteConfirmation } from '../../../src/core/netreq/interactive';
import { loadEnvSources, nodeEnvReader, secretVariables, parseNetreq, resolveBlock, SentStore } from '../../../src/core/netreq';
import type { Block, Diagnostic, NetreqDocument, ResolveContext } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS, type HttpRequestSpec } from '../../../src/core/request';
import { createEngines } from '../../../src/core/engines';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { specToCurl } from '../../../src/core/protocols/http';
import type { HttpExchange } from '../../../src/core/exchange';
import { rawServer, type RawServer } from '../../support/servers';
import { tempDir } from '../../support/peers';
import { DIR, header, NOW, recordingTlsServer, respond, split, TABLE, verifyDigest, type Recorded } from './harness';

describe('compatibility table: REST Client / httpyac / JetBrains files sent to a recording server', function () {
  this.timeout(20_000);
  const pool = new ConnectionPool();
  const engines = createEngines({ pool });
  const nonce = randomBytes(16).toString('hex');
  let server: RawServer;
  let requests: Buffer[] = [];
  let tlsServer: tls.Server;
  let tlsPort = 0;
  let certDir: string;

  before(async () => {
    server = await rawServer((s, req) => {
      requests.push(req);
      respond(s, req, nonce);
    });
    certDir = tempDir('netreq-compat-');
    tlsServer = await recordingTlsServer(certDir, (req) => requests.push(req));
    tlsPort = (tlsServer.address() as net.AddressInfo).port;
  });
  after(async () => {
    pool.dispose();
    await server.close();
    await new Promise((r) => tlsServer.close(r));
    fs.rmSync(certDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests = [];
  });

  function load(file: string): NetreqDocument {
    return parseNetreq(fs.readFileSync(path.join(DIR, file), 'utf8').replace(/TLSPORT/g, String(tlsPort)).replace(/PORT/g, String(server.port)), { dialect: file.endsWith('.netreq') ? 'netreq' : 'http' });
  }
  function blockOf(doc: NetreqDocument, title: string): Block {
    const b = doc.blocks.find((x) => x.title === title);
    assert.ok(b, `no block titled "${title}"`);
    return b;
  }
  function context(over: Partial<ResolveContext> = {}): ResolveContext {
    return { processEnv: { USERNAME: 'env-user' }, readFile: (p) => fs.promises.readFile(p), defaults: { ...DEFAULT_OPTIONS }, baseDir: DIR, now: () => NOW, ...over };
  }
  /** The block's parse diagnostics (its lines) and resolve result. */
  async function resolveTitled(file: string, title: string, over: Partial<ResolveContext> = {}) {
    const doc = load(file);
    const block = blockOf(doc, title);
    const parse = doc.diagnostics.filter((d) => d.span.start.line >= block.startLine && d.span.start.line <= block.endLine);
    const r = await resolveBlock(doc, block, context(over));
    return { doc, block, parse, r };
  }
  /** Resolves and sends one block; the requests the server received for it. */
  async function sendTitled(file: string, title: string, over: Partial<ResolveContext> = {}): Promise<{ got: Recorded[]; x: HttpExchange; spec: HttpRequestSpec; parse: Diagnostic[]; resolveDiags: Diagnostic[] }> {
    const { parse, r } = await resolveTitled(file, title, over);
    assert.deepEqual(parse.filter((d) => d.severity === 'error'), []);
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const spec = r.request as HttpRequestSpec;
    const x = (await engines.send(spec)) as HttpExchange;
    assert.equal(x.error, undefined, x.error?.message);
    return { got: requests.map(split), x, spec, parse, resolveDiags: r.diagnostics };
  }
  /** A refused block: the code at the line holding `at`, and no byte sent. */
  async function refused(file: string, title: string, code: string, at: string, re?: RegExp): Promise<Diagnostic> {
    const { block, parse, r } = await resolveTitled(file, title);
    assert.equal(r.ok, false, 'the block must not be sent');
    const lines = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
    const line = lines.findIndex((l, i) => i >= block.startLine && l.includes(at));
    const d = [...parse, ...r.diagnostics].find((x) => x.code === code);
    assert.ok(d, `expected ${code}, got ${JSON.stringify([...parse, ...r.diagnostics])}`);
    assert.equal(d.span.start.line, line, `line of ${code}: ${d.message}`);
    if (re) assert.match(d.message, re);
    assert.equal(requests.length, 0, 'nothing was sent');
    return d;
  }


  /** One recorded request is exactly this (header names lower-cased; REST Client's extra default headers aside, see docs/compatibility.md). */
  function exactly(g: Recorded, line: string, headers: Array<[string, string]>, body: string | Buffer = ''): void {
    assert.equal(g.line, line);
    assert.deepEqual(g.headers, [['host', `127.0.0.1:${server.port}`], ...headers]);
    assert.deepEqual(g.body, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
  }
  const json = (g: Recorded) => ['content-length', String(g.body.length)] as [string, string];

  // What REST Client sends for each example: docs/compatibility-research.md §1 (RC@6649589). REST Client also adds
  // its default headers (User-Agent: vscode-restclient from rest-client.defaultHeaders, got's Accept-Encoding):
  // NetReq sends only what the file writes (the "default headers" row).
  describe('REST Client README examples', () => {
    const RC = 'rest-client-readme.http';
    it('URL only, with GET, with HTTP/1.1: GET /comments/1 (§1.0: a bare URL is a GET, HTTP/x is stripped)', async () => {
      for (const t of ['rc: URL only', 'rc: GET with method', 'rc: GET with method and version']) {
        requests = [];
        const { got } = await sendTitled(RC, t);
        assert.equal(got.length, 1, t);
        exactly(got[0], 'GET /comments/1 HTTP/1.1', []);
      }
    });
    it('query continuation lines are trimmed and joined with nothing between (§1.0)', async () => {
      const { got } = await sendTitled(RC, 'rc: query continuation lines');
      exactly(got[0], 'GET /comments?page=2&pageSize=10 HTTP/1.1', []);
    });
    it('headers are sent as written (User-Agent: rest-client replaces REST Client’s default)', async () => {
      const { got } = await sendTitled(RC, 'rc: headers');
      exactly(got[0], 'GET /comments/1 HTTP/1.1', [['user-agent', 'rest-client'], ['accept-language', 'en-GB,en-US;q=0.8,en;q=0.6,zh-CN;q=0.4'], ['content-type', 'application/json']]);
    });
    it('JSON and XML bodies: lines joined with LF (REST Client on Linux), Content-Length computed', async () => {
      let { got } = await sendTitled(RC, 'rc: JSON body');
      const jsonBody = '{\n    "name": "sample",\n    "time": "Wed, 21 Oct 2015 18:27:50 GMT"\n}';
      exactly(got[0], 'POST /comments HTTP/1.1', [['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(jsonBody))]], jsonBody);
      requests = [];
      ({ got } = await sendTitled(RC, 'rc: XML body'));
      const xml = '<request>\n    <name>sample</name>\n    <time>Wed, 21 Oct 2015 18:27:50 GMT</time>\n</request>';
      exactly(got[0], 'POST /comments HTTP/1.1', [['content-type', 'application/xml'], ['content-length', String(xml.length)]], xml);
    });
    it('< ./demo.xml sends the file’s raw bytes; <@ substitutes variables, the file’s last @user winning (§1.4, §1.1)', async () => {
      const raw = fs.readFileSync(path.join(DIR, 'demo.xml'));
      let { got } = await sendTitled(RC, 'rc: body from a file');
      exactly(got[0], 'POST /comments HTTP/1.1', [['content-type', 'application/xml'], ['authorization', 'token xxx'], json(got[0])], raw);
      requests = [];
      ({ got } = await sendTitled(RC, 'rc: body from a file with variables'));
      // @user = alice in this block, @user = bob in the next: REST Client scans the whole file and the last wins.
      assert.equal(got[0].body.toString(), raw.toString().replace('{{user}}', 'bob'));
    });
    it('<@latin1 ./latin1.xml decodes latin1, substitutes, sends UTF-8, and says so (§1.4)', async () => {
      const { got, x } = await sendTitled(RC, 'rc: body from a latin1 file with variables');
      assert.equal(got[0].body.toString('utf8'), '<note>café bob</note>');
      assert.match(x.request.conversions!.join('\n'), /read as latin1 and sent as UTF-8/);
    });
    it('< C:\\Users\\…\\demo.xml (a Windows path) is refused with a message naming the file, nothing sent', async () => {
      await refused(RC, 'rc: body from a Windows path', 'body-file-unreadable', '< C:\\', /C:\\Users\\Default\\Desktop\\demo\.xml/);
    });
    it('multipart with < ./1.png: the file’s bytes in the part, CRLF after every line, the last too (§1.4)', async () => {
      const { got, x } = await sendTitled(RC, 'rc: multipart with a file');
      const b = '------WebKitFormBoundary7MA4YWxkTrZu0gW';
      const expected = Buffer.concat([
        Buffer.from(`${b}\r\nContent-Disposition: form-data; name="text"\r\n\r\ntitle\r\n${b}\r\nContent-Disposition: form-data; name="image"; filename="1.png"\r\nContent-Type: image/png\r\n\r\n`),
        fs.readFileSync(path.join(DIR, '1.png')),
        Buffer.from(`\r\n${b}--\r\n`),
      ]);
      exactly(got[0], 'POST /user/upload HTTP/1.1', [['content-type', `multipart/form-data; boundary=${b.slice(2)}`], ['content-length', String(expected.length)]], expected);
      assert.match(x.request.conversions!.join('\n'), /< \.\/1\.png replaced by the file's 18 bytes/);
    });
    it('form continuation lines: name=foo&password=bar (§1.3)', async () => {
      const { got } = await sendTitled(RC, 'rc: form continuation lines');
      exactly(got[0], 'POST /login HTTP/1.1', [['content-type', 'application/x-www-form-urlencoded'], ['content-length', '21']], 'name=foo&password=bar');
    });
    it('GraphQL: query and variables as JSON, X-Request-Type not sent (§1.5; REST Client 0.26 needs "graphql" in lower case: said in the note)', async () => {
      const { got, x } = await sendTitled(RC, 'rc: GraphQL');
      const query = 'query ($name: String!, $owner: String!) {\n  repository(name: $name, owner: $owner) {\n    name\n    fullName: nameWithOwner\n  }\n}';
      const body = JSON.stringify({ query, variables: { name: 'vscode-restclient', owner: 'Huachao' } });
      exactly(got[0], 'POST /graphql HTTP/1.1', [['content-type', 'application/json'], ['authorization', 'Bearer xxx'], ['content-length', String(body.length)]], body);
      assert.match(x.request.conversions!.join('\n'), /GraphQL body built as JSON.*REST Client 0\.26 needs the value in lower case/);
    });
    it('curl command: sent as curl sends it (curl’s User-Agent and Accept; REST Client sends its own defaults), said in a note', async () => {
      const { got, x } = await sendTitled(RC, 'rc: curl command');
      exactly(got[0], 'POST /comments HTTP/1.1', [['user-agent', 'curl/7.88.1'], ['accept', '*/*'], ['content-type', 'application/json'], ['content-length', '17']], '{"name":"sample"}');
      assert.match(x.request.conversions!.join('\n'), /Sent as curl 7\.88\.1 sends this command/);
    });
    it('Basic user:passwd, Basic user passwd and Basic dXNlcjpwYXNzd2Q= all send Basic dXNlcjpwYXNzd2Q= (§1.6)', async () => {
      for (const t of ['rc: Basic user:pass', 'rc: Basic user pass', 'rc: Basic base64']) {
        requests = [];
        const { got } = await sendTitled(RC, t);
        exactly(got[0], 'GET /basic-auth/user/passwd HTTP/1.1', [['authorization', 'Basic dXNlcjpwYXNzd2Q=']]);
      }
    });
    it('Digest user passwd: sent without credentials, the 401 challenge answered once; the server verifies it (§1.7)', async () => {
      const { got, x } = await sendTitled(RC, 'rc: Digest');
      assert.equal(got.length, 2);
      exactly(got[0], 'GET /digest-auth/auth/user/passwd HTTP/1.1', []);
      const auth = header(got[1], 'authorization')!;
      assert.match(auth, /^Digest username="user", realm="lab", nonce="[0-9a-f]{32}", uri="\/digest-auth\/auth\/user\/passwd", qop=auth, response="[0-9a-f]{32}", nc=00000001, cnonce="[0-9a-f]{32}", algorithm=MD5, opaque="op"$/);
      assert.equal(verifyDigest('GET', auth, nonce, 'passwd'), undefined);
      assert.equal(x.response?.status, 200);
      assert.equal(x.authChallenge?.response?.status, 401);
    });
    it('AWS id key token: region: service: signs with aws4: X-Amz-Date, X-Amz-Security-Token, a SigV4 Authorization (§1.8)', async () => {
      const { got } = await sendTitled(RC, 'rc: AWS Signature v4');
      const g = got[0];
      assert.equal(g.line, 'GET /aws?b=2&a=1 HTTP/1.1');
      assert.equal(header(g, 'x-amz-date'), '20300131T123456Z');
      assert.equal(header(g, 'x-amz-security-token'), 'SESSIONTOKEN');
      assert.match(header(g, 'authorization')!, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20300131\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    });
    it('COGNITO is refused (unsupported-auth) and {{$aadToken}} (Azure AD) is refused (unsupported-feature), nothing sent', async () => {
      await refused(RC, 'rc: AWS Cognito', 'unsupported-auth', 'Authorization: COGNITO', /COGNITO/);
      await refused(RC, 'rc: Azure AD token', 'unsupported-feature', '{{$aadToken}}', /Azure AD/);
    });
    it('file variables: nested {{host}}, {{$datetime iso8601}}, {{$processEnv USERNAME}}, {{%query}} percent-encoded (§1.1)', async () => {
      const { got } = await sendTitled(RC, 'rc: file variables');
      const body = '{\n    "content": "foo bar",\n    "created_at": "2030-01-31T12:34:56.789Z",\n    "modified_by": "env-user",\n    "q": "a%20b%26c%2Fd"\n}';
      exactly(got[0], 'PATCH /authors/hello HTTP/1.1', [['content-type', 'application/json'], ['content-length', String(body.length)]], body);
    });
    it('# @prompt: the answers are used (editor input boxes, --var in the CLI); without them nothing is sent (§1.9)', async () => {
      const { got } = await sendTitled(RC, 'rc: prompt variables', { promptValues: { username: 'u1', refCode: 'R9', otp: '123456' } });
      const body = '{\n    "username": "u1",\n    "otp": "123456"\n}';
      exactly(got[0], 'POST /verify-otp/R9 HTTP/1.1', [['content-type', 'application/json'], ['content-length', String(body.length)]], body);
      requests = [];
      await refused(RC, 'rc: prompt variables', 'prompt-not-answered', '# @prompt username', /--var username=VALUE/);
    });
    it('environments from rest-client.environmentVariables with $shared and {{$shared x}} (§1.13)', async () => {
      const raw = { $shared: { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' }, local: { version: 'v2', token: '{{$shared nonProdToken}}' }, production: { token: '{{$shared prodToken}}' } };
      const envs = loadEnvSources({ file: path.join(DIR, 'rest-client-readme.http'), reader: nodeEnvReader, dotenv: false, limit: DIR, restClient: { raw, file: 'settings.json' } });
      for (const [name, line, token] of [['local', 'GET /v2/comments/1 HTTP/1.1', 'bar'], ['production', 'GET /v1/comments/1 HTTP/1.1', 'foo']]) {
        requests = [];
        const { got } = await sendTitled(RC, 'rc: environment variables', { environments: envs.environments, environmentName: name });
        exactly(got[0], line, [['authorization', token]]);
      }
    });
    it('system variables: $datetime rfc1123, $dotenv, $guid, $timestamp [offset], $randomInt, $datetime / $localDatetime formats', async () => {
      const { got } = await sendTitled(RC, 'rc: system variables');
      assert.equal(header(got[0], 'date'), 'Thu, 31 Jan 2030 12:34:56 GMT');
      const b = JSON.parse(got[0].body.toString()) as Record<string, string>;
      assert.equal(b.user_name, 'dot-alice');
      assert.match(b.request_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(b.updated_at, String(Math.floor(NOW.getTime() / 1000)));
      assert.equal(b.created_at, String(Math.floor(NOW.getTime() / 1000) - 86400));
      assert.ok(Number(b.review_count) >= 5 && Number(b.review_count) < 200, b.review_count);
      assert.equal(b.custom_date, '2030-01-31');
      assert.match(b.local_custom_date, /^2030-01-3[01]$|^2030-02-01$/);
    });
    it('request variables chain: login → headers.X-AuthToken → body.$.id → XPath //reply[1]/@id; request.headers / request.body.*', async () => {
      const doc = load('request-variables.http');
      const sent = new SentStore('run');
      for (const b of doc.blocks.filter((x) => x.requestLine)) {
        const r = await resolveBlock(doc, b, context({ sent }));
        assert.ok(r.ok, `${b.title}: ${JSON.stringify(r.diagnostics)}`);
        sent.record(b, r.request, await engines.send(r.request));
      }
      const got = requests.map(split);
      assert.deepEqual(got.map((g) => g.line), [
        'POST /api/login HTTP/1.1',
        'POST /api/comments HTTP/1.1',
        'GET /api/comments/42 HTTP/1.1',
        'GET /api/comments/42/replies HTTP/1.1',
        'GET /api/comments/42/replies/r7 HTTP/1.1',
        'GET /api/echo?h=application/x-www-form-urlencoded&b=name=foo&password=bar&x=second HTTP/1.1',
      ]);
      assert.equal(header(got[1], 'authorization'), 'tok-123');
      assert.equal(header(got[2], 'authorization'), 'tok-123');
    });
  });

  describe('features (test/fixtures/compat/features.http)', () => {
    const F = 'features.http';
    it('comment lines (# and //) are removed from a body, with an info diagnostic; "#kept" inside a line stays', async () => {
      const { got, parse } = await sendTitled(F, 'f: comment lines in a body');
      assert.equal(got[0].body.toString(), '{\n  "id": 1,\n  "tag": "#kept"\n}');
      assert.ok(parse.some((d) => d.code === 'body-comment-removed' && d.severity === 'info'));
    });
    it('a file variable defined twice: the last definition wins everywhere, the first gets a warning', async () => {
      const { got } = await sendTitled(F, 'f: file variables, last wins');
      exactly(got[0], 'GET /v/last HTTP/1.1', []);
      assert.ok(load(F).diagnostics.some((d) => d.code === 'duplicate-variable' && d.span.start.line === 3));
    });
    it('environments: rest-client $shared < .env < http-client.env.json < http-client.private.env.json', async () => {
      const raw = { $shared: { version: 'v1' }, dev: { token: 'rc-token' } };
      const envs = loadEnvSources({ file: path.join(DIR, F), reader: nodeEnvReader, dotenv: true, limit: DIR, restClient: { raw, file: 'settings.json' } });
      const { got } = await sendTitled(F, 'f: environments', { environments: envs.environments, environmentName: 'dev', secretNames: secretVariables(envs, 'dev') });
      exactly(got[0], 'GET /env/v1/v9/private-s3cret/dotenv-key HTTP/1.1', [['authorization', 'rc-token']]);
    });
    it('GraphQL without X-Request-Type (httpyac would build JSON): sent as written, with a warning saying so', async () => {
      const { got, parse } = await sendTitled(F, 'f: GraphQL without X-Request-Type');
      assert.equal(got[0].body.toString(), 'query Users {\n  users { id }\n}');
      assert.ok(parse.some((d) => d.code === 'headerless-graphql'), JSON.stringify(parse));
    });
    it('OAuth2: {{$oauth2 …}} and httpyac’s Authorization: oauth2 are refused (unsupported-feature), nothing sent', async () => {
      await refused(F, 'f: OAuth2 token variable', 'unsupported-feature', '{{$oauth2');
      await refused(F, 'f: httpyac oauth2 header', 'unsupported-feature', 'Authorization: oauth2');
    });
    it('# @name and # @note: REST Client’s confirmation text; sent once confirmed (the CLI: --yes)', async () => {
      const { block } = await resolveTitled(F, 'f: name and note');
      assert.equal(block.name, 'wipe');
      assert.equal(noteConfirmation(block), 'Are you sure you want to send the request "wipe"?');
      const { got } = await sendTitled(F, 'f: name and note');
      exactly(got[0], 'DELETE /all HTTP/1.1', []);
    });
    it('# @no-redirect and # @no-cookie-jar: a note (NetReq never follows redirects nor keeps cookies); sent', async () => {
      const { got, parse } = await sendTitled(F, 'f: no-redirect and no-cookie-jar');
      exactly(got[0], 'GET /redirect HTTP/1.1', []);
      assert.equal(parse.filter((d) => d.code === 'ignored-directive').length, 2);
    });
    it('# @disabled: not sent (disabled-block)', async () => {
      await refused(F, 'f: disabled', 'disabled-block', '# @disabled');
    });
    it('httpyac’s # @loop and # @sleep are refused; # @title is a note and the block is sent', async () => {
      await refused(F, 'f: httpyac loop', 'unsupported-feature', '# @loop');
      await refused(F, 'f: httpyac sleep', 'unsupported-feature', '# @sleep');
      const { got } = await sendTitled(F, 'f: httpyac title');
      exactly(got[0], 'GET /users HTTP/1.1', []);
    });
    it('?? asserts are not sent (a GET without body) and are returned to run; ?? status === 200 gets httpyac’s quirk diagnosed', async () => {
      const { r } = await resolveTitled(F, 'f: asserts');
      assert.ok(r.ok);
      assert.equal(r.asserts.length, 2);
      const { got } = await sendTitled(F, 'f: asserts');
      exactly(got[0], 'GET /users HTTP/1.1', []);
      const t = await resolveTitled(F, 'f: assert ===');
      assert.ok([...t.parse, ...(t.r.ok ? t.r.diagnostics : t.r.diagnostics)].some((d) => d.code === 'assert-triple-equals'));
    });
    it('httpyac {{ }} script blocks, JetBrains > {% %} handlers and >> file are refused (unsupported-feature), nothing sent', async () => {
      await refused(F, 'f: JavaScript block', 'unsupported-feature', '{{');
      await refused(F, 'f: response handler', 'unsupported-feature', '> {%');
      await refused(F, 'f: output redirection', 'unsupported-feature', '>> ./out');
    });
    it('a pasted response ends the request (pasted-response warning): the request alone is sent', async () => {
      const { got, parse } = await sendTitled(F, 'f: pasted response');
      exactly(got[0], 'GET /pasted HTTP/1.1', []);
      assert.ok(parse.some((d) => d.code === 'pasted-response'));
    });
    it('two requests in one block are refused (httpyac sends both)', async () => {
      await refused(F, 'f: two requests in one block', 'unsupported-feature', 'GET http://{{host}}/b');
    });
    it('GRPC, SSE, MQTT and AMQP request lines are refused by name', async () => {
      await refused(F, 'f: GRPC', 'unsupported-feature', 'GRPC ', /gRPC/);
      await refused(F, 'f: SSE', 'unsupported-feature', 'SSE ', /server-sent events/);
      await refused(F, 'f: MQTT', 'unsupported-feature', 'MQTT ', /MQTT/);
      await refused(F, 'f: AMQP', 'unsupported-feature', 'AMQP ', /AMQP/);
    });
    it('WS ws://… is NetReq’s own WebSocket block', async () => {
      const { r } = await resolveTitled(F, 'f: WS');
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      assert.equal(r.request.kind, 'ws');
    });
    it('# @proxy http://…: an http:// request goes to the proxy in absolute form (httpyac)', async () => {
      const { got } = await sendTitled(F, 'f: proxy');
      assert.equal(got[0].line, 'GET http://example.test/via-proxy?q=1 HTTP/1.1');
      assert.equal(header(got[0], 'host'), 'example.test');
    });
    it('a redirect is not followed (REST Client follows by default); no default User-Agent / Accept-Encoding is added', async () => {
      const { got, x } = await sendTitled(F, 'f: redirect');
      assert.equal(got.length, 1);
      exactly(got[0], 'GET /moved HTTP/1.1', []);
      assert.equal(x.response?.status, 302);
    });
    it('what REST Client adds on its own (User-Agent, Accept-Encoding, redirects, cookies) is said once per .http file, at its first request', () => {
      const doc = parseNetreq('@h = 127.0.0.1\n\n# @raw\nGET http://{{h}}:1/ HTTP/1.1\n\n###\nGET http://{{h}}:1/a\n\n###\nGET http://{{h}}:1/b\n', { dialect: 'http' });
      const said = doc.diagnostics.filter((d) => d.code === 'other-tool-defaults');
      assert.equal(said.length, 1, 'once per file');
      assert.equal(said[0].severity, 'info');
      assert.equal(said[0].span.start.line, 6, 'at the first request that is not # @raw');
      assert.match(said[0].message, /REST Client also sends User-Agent: vscode-restclient and Accept-Encoding: gzip, deflate, br .*follows redirects and keeps cookies/);
      assert.equal(parseNetreq('GET http://127.0.0.1:1/\n').diagnostics.filter((d) => d.code === 'other-tool-defaults').length, 0, 'not in .netreq files');
    });
    it('a body line "@x = y" (REST Client also reads it as a file variable) is a warning in .http files, sent as body text', () => {
      const text = 'POST http://127.0.0.1:1/\nContent-Type: text/plain\n\n@token = abc\n';
      const d = parseNetreq(text, { dialect: 'http' }).diagnostics.filter((x) => x.code === 'body-variable-line');
      assert.equal(d.length, 1);
      assert.equal(d[0].severity, 'warning');
      assert.equal(d[0].span.start.line, 3);
      assert.match(d[0].message, /REST Client also reads this body line as a file variable/);
      assert.equal(parseNetreq(text).diagnostics.filter((x) => x.code === 'body-variable-line').length, 0, '.netreq files: body text');
    });
    it('GET url HTTP/2 is refused (REST Client strips the version and sends HTTP/1.1; httpyac switches to HTTP/2)', async () => {
      await refused(F, 'f: HTTP/2 request line', 'bad-http-version', '/h2 HTTP/2', /'HTTP\/2' is not supported/);
    });
    it('a Set-Cookie from one response is not sent with the next request (REST Client remembers cookies by default)', async () => {
      await sendTitled(F, 'f: set cookie');
      await sendTitled(F, 'f: file variables, last wins');
      assert.equal(requests.length, 2);
      exactly(split(requests[1]), 'GET /v/last HTTP/1.1', []);
    });
    it('repeated headers are joined into the first (values with a comma, Cookie with a semicolon), said in an info diagnostic and a note, as REST Client does', async () => {
      const { got, x, parse } = await sendTitled(F, 'f: duplicate headers');
      exactly(got[0], 'GET /dups HTTP/1.1', [['accept', 'text/plain,application/json'], ['cookie', 'a=1;b=2']]);
      assert.deepEqual(x.request.conversions, ["Accept: 2 header lines joined into one with ',' (REST Client does this; # @raw sends them as written)", "Cookie: 2 header lines joined into one with ';' (REST Client does this; # @raw sends them as written)"]);
      assert.equal(parse.filter((d) => d.code === 'conversion' && /^Repeated header/.test(d.message)).length, 2);
      requests = [];
      await refused(F, 'f: repeated header before a bad Host', 'bad-host', 'Host: a:b:c');
    });
    it('a written Content-Length is replaced by the body’s length (REST Client always recomputes it), said in a note', async () => {
      const { got, x } = await sendTitled(F, 'f: written Content-Length');
      exactly(got[0], 'POST /cl HTTP/1.1', [['content-type', 'text/plain'], ['content-length', '5']], 'hello');
      assert.match(x.request.conversions!.join('\n'), /Content-Length 999 as written replaced by the body's 5 bytes/);
    });
    it('GET /path with a Host header: sent to that host over http (REST Client: https only for port 443/8443)', async () => {
      const { got } = await sendTitled(F, 'f: Host header and a path');
      exactly(got[0], 'GET /hosted HTTP/1.1', []);
    });
    it('GET /path with Host: …:8443 goes over TLS (REST Client’s https for port 443 / 8443), said; # @tls false keeps http', async () => {
      const { got, x, parse } = await sendTitled(F, 'f: Host header on port 8443');
      assert.equal(got[0].line, 'GET /secure HTTP/1.1');
      assert.equal(header(got[0], 'host'), 'localhost:8443');
      assert.ok(x.tls, 'the exchange went over TLS');
      assert.match(x.request.conversions!.join('\n'), /Sent over TLS \(https\) because the Host header's port is 8443, as REST Client does/);
      assert.ok(parse.some((d) => d.code === 'conversion' && /REST Client uses https when a Host header's port is 443 or 8443/.test(d.message)));
      requests = [];
      const plain = await sendTitled(F, 'f: Host header on port 8443 with @tls false');
      assert.equal(plain.got[0].line, 'GET /plain HTTP/1.1');
      assert.equal(plain.x.request.conversions, undefined);
    });
    it('Copy as curl of a REST Client block: curl’s own User-Agent and Accept removed, the same bytes as NetReq sends', async () => {
      const { r } = await resolveTitled('rest-client-readme.http', 'rc: form continuation lines');
      assert.ok(r.ok);
      const c = specToCurl(r.request as HttpRequestSpec);
      assert.ok(c.ok);
      assert.equal(c.command.replace(/:\d+\//, ':P/'), "curl --http1.1 -X POST -H User-Agent: -H Accept: -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'name=foo&password=bar' http://127.0.0.1:P/login");
    });
  });
  describe('the table (docs/compatibility.md) is kept true', () => {
    it('every row of docs/compatibility.md names a test of this file that exists', function () {
      const titles: string[] = [];
      const walk = (suite: Mocha.Suite): void => {
        for (const t of suite.tests) if (t.file?.endsWith('compatibility.test.js')) titles.push(t.title);
        suite.suites.forEach(walk);
      };
      let root = this.test!.parent!;
      while (root.parent) root = root.parent;
      walk(root);
      assert.ok(titles.length > 30, `found ${titles.length} tests`);
      const rows = fs.readFileSync(TABLE, 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Feature'));
      assert.ok(rows.length >= 50, `rows: ${rows.length}`);
      for (const row of rows) {
        const cells = row.split(/(?<!\\)\|/).slice(1, -1);
        assert.equal(cells.length, 5, `five columns: ${row}`);
        const named = [...cells[4].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        assert.ok(named.length > 0, `the row names no test: ${row}`);
        for (const n of named) assert.ok(n.length >= 8 && titles.some((t) => t.startsWith(n)), `no test titled "${n}…" (row: ${cells[0].trim()})`);
      }
    });
  });
});
