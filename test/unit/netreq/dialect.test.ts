import { strict as assert } from 'node:assert';
import { blockPrompts, isMaskedPrompt, noteConfirmation, parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { Diagnostic, Dialect, ResolveContext } from '../../../src/core/netreq/types';
import type { HttpRequestSpec } from '../../../src/core/protocols/http/spec';
import { assertReadable, ctx, expectDiag } from './helpers';

/** Parsed, without the once-per-file note of REST Client's own defaults (its own test is in test/unit/compat). */
const parse = (text: string, dialect: Dialect) => {
  const doc = parseNetreq(text, { dialect });
  doc.diagnostics = doc.diagnostics.filter((d) => d.code !== 'other-tool-defaults');
  return doc;
};
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.span.start.line}:${d.severity}`);

async function resolve(text: string, dialect: Dialect, over: Partial<ResolveContext> = {}, index = 0) {
  const doc = parse(text, dialect);
  return resolveBlock(doc, doc.blocks[index], ctx(over));
}

async function sent(text: string, dialect: Dialect, over: Partial<ResolveContext> = {}, index = 0): Promise<HttpRequestSpec> {
  const r = await resolve(text, dialect, over, index);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return r.request as HttpRequestSpec;
}

describe('netreq dialect: .http comment lines in bodies', () => {
  const text = ['POST http://h/x', 'Content-Type: application/json', '', '{', '  // id', '  # also a comment', '  "a": "#x {{v}}"', '}'].join('\n');

  it('.http: comment lines are removed from the body (as REST Client and httpyac do), with an info on the first', async () => {
    const doc = parse(text, 'http');
    const body = doc.blocks[0].body!;
    assert.equal(body.text, '{\n  "a": "#x {{v}}"\n}');
    assert.deepEqual(body.lines, [3, 6, 7]);
    assert.deepEqual(body.removedLines, [4, 5]);
    expectDiag(doc.diagnostics, 'body-comment-removed', 4, 2, 'info', /Comment lines are removed from the body \(as REST Client does\); `# @raw` keeps them/);
    const spec = await sent(text, 'http', { overrides: { v: 'V' } });
    assert.equal(spec.body!.toString(), '{\n  "a": "#x V"\n}', 'LF between lines, as REST Client sends on Linux and httpyac everywhere');
  });

  it('a problem on a body line after removed comment lines points at its own line', async () => {
    const r = await resolve(text, 'http');
    assert.equal(r.ok, false);
    const d = r.diagnostics.find((x) => x.code === 'undefined-variable')!;
    assert.equal(d.span.start.line, 6);
    assert.equal(d.span.start.col, 11);
  });

  it('.netreq keeps them (what is written is sent), and # @raw keeps them in .http', async () => {
    assert.equal(parse(text, 'netreq').blocks[0].body!.text.split('\n').length, 5);
    const raw = parse(`# @raw\n${text.replace('POST http://h/x', 'POST /x HTTP/1.1\nHost: h')}`, 'http');
    assert.match(raw.blocks[0].body!.text, /\/\/ id/);
    assert.equal(raw.diagnostics.filter((d) => d.code === 'body-comment-removed').length, 0);
  });

  it('< ./file after a comment line is still the whole body; a body of only comments is no body', () => {
    const doc = parse('POST http://h/x\n\n# the payload\n< ./body.json\n###\nPOST http://h/y\n\n// nothing\n', 'http');
    assert.deepEqual(doc.blocks[0].body!.file, { path: './body.json', substitute: false, line: 3 });
    assert.equal(doc.blocks[1].body, undefined);
  });
});

describe('netreq dialect: refusals name the feature (unsupported-feature)', () => {
  const refused: Array<[string, string, number, RegExp, Dialect[]]> = [
    ['{{\n  exports.x = 1;\n}}\nGET http://h/', 'script block before the request', 0, /JavaScript blocks \(\{\{ … \}\}, httpyac\) are not supported/, ['http', 'netreq']],
    ['GET http://h/\n\n{{\n  x\n}}', 'script block after the request', 2, /JavaScript blocks/, ['http', 'netreq']],
    ['GET http://h/\n\n> {% client.global.set("t", response.body.t); %}', 'JetBrains response handler', 2, /JetBrains response handlers \(> \{% … %\}\)/, ['http', 'netreq']],
    ['GET http://h/\n\n> {%\n client.test();\n%}', 'multi-line handler', 2, /JetBrains response handlers/, ['http', 'netreq']],
    ['< {% request.variables.set("a", "1") %}\nGET http://h/', 'JetBrains pre-request script', 0, /pre-request scripts \(< \{% … %\}\)/, ['http', 'netreq']],
    ['< ./pre.js\nGET http://h/', 'pre-request script file', 0, /pre-request script file \(< \.\/pre\.js\)/, ['http', 'netreq']],
    ['GET http://h/\n\n> ./handler.js', 'response handler file', 2, /response handler file \(> \.\/handler\.js\)/, ['http']],
    ['GET http://h/\n\n>> ./out.json', 'output redirection', 2, /Writing the response to a file \(>> \.\/out\.json, httpyac\)/, ['http']],
    ['GET http://h/\n\n>>! ./out.json', 'forced output redirection', 2, /\(>>! \.\/out\.json, httpyac\)/, ['http']],
    ['GET http://h/a\n\nGET http://h/b', 'two requests in one block', 2, /Two requests in one block: add ### between them/, ['http']],
    ['GET http://h/a\nAccept: */*\nPOST http://h/b', 'a second request line in the headers', 2, /Two requests in one block/, ['http']],
    ['GRPC grpcb.in:9000/hello.HelloService/SayHello\n\n{}', 'gRPC', 0, /A gRPC request \(httpyac\) is not supported by NetReq/, ['http', 'netreq']],
    ['SSE http://h/events', 'SSE', 0, /server-sent events request/, ['http', 'netreq']],
    ['EVENTSOURCE http://h/events', 'EVENTSOURCE', 0, /server-sent events request/, ['http', 'netreq']],
    ['MQTT tcp://broker:1883\nTopic: a', 'MQTT', 0, /An MQTT request/, ['http', 'netreq']],
    ['MQTTS tcp://broker:8883', 'MQTTS', 0, /An MQTT request/, ['http', 'netreq']],
    ['AMQP amqp://guest:guest@h', 'AMQP', 0, /An AMQP request/, ['http', 'netreq']],
    ['mqtt://broker:1883', 'an mqtt:// URL', 0, /An MQTT request/, ['http', 'netreq']],
    ['proto < ./hello.proto', 'proto import', 0, /A gRPC proto import \(proto < file, httpyac\)/, ['http', 'netreq']],
    ['POST http://h/\nContent-Type: text/plain\n\nchunk one ===\nchunk two', 'httpyac chunk separator', 3, /streamed body separator \(===, === wait-for-server\)/, ['http']],
    ['POST http://h/\n\na\n=== wait-for-server\nb', 'wait-for-server separator', 3, /streamed body separator/, ['http']],
    ['GET http://h/\nAuthorization: oauth2 client_credentials', 'httpyac OAuth2 header', 1, /OAuth2 \/ OpenID Connect authorization \(Authorization: oauth2 …\)/, ['http']],
    ['GET http://h/\nAuthorization: {{$aadToken}}', "REST Client's Azure AD token", 1, /Azure AD token variable \{\{\$aadToken\}\} is not supported/, ['http', 'netreq']],
    ['GET http://h/\nAuthorization: {{$aadV2Token appOnly}}', 'Azure AD v2 token', 1, /\{\{\$aadV2Token\}\}/, ['http', 'netreq']],
    ['GET http://h/\nAuthorization: Bearer {{$auth.token("my-id")}}', 'JetBrains $auth.token', 1, /\$auth\.token\(…\)/, ['http', 'netreq']],
    ['GET http://h/\nAuthorization: Bearer {{$oidcAccessToken}}', 'OIDC token variable', 1, /OAuth2 \/ OpenID Connect token variables/, ['http', 'netreq']],
    ['# @loop for 3\nGET http://h/', 'httpyac @loop', 0, /# @loop is not supported by NetReq: httpyac sends the request in a loop/, ['http', 'netreq']],
    ['# @ref login\nGET http://h/', 'httpyac @ref', 0, /@ref/, ['http', 'netreq']],
    ['# @noRejectUnauthorized\nGET https://h/', 'httpyac @noRejectUnauthorized', 0, /write # @insecure instead/, ['http', 'netreq']],
  ];
  for (const [text, what, line, re, dialects] of refused) {
    for (const dialect of dialects) {
      it(`${dialect}: ${what} is refused at line ${line + 1}, and the block is not sent`, async () => {
        const doc = parse(text, dialect);
        const found = doc.diagnostics.filter((d) => d.code === 'unsupported-feature');
        assert.equal(found.length, 1, codes(doc.diagnostics).join(', '));
        assert.equal(found[0].span.start.line, line);
        assert.equal(found[0].severity, 'error');
        assert.match(found[0].message, re);
        assertReadable(found[0].message);
        const b = doc.blocks.find((x) => x.startLine <= line && x.endLine >= line);
        if (b?.requestLine) {
          const r = await resolveBlock(doc, b, ctx());
          assert.equal(r.ok, false, 'sent anyway');
        }
      });
    }
  }

  it('.netreq: the ambiguous ones are warnings that say the line is sent as body text', () => {
    for (const [text, line] of [
      ['POST http://h/\n\n>> ./out.json', 2],
      ['POST http://h/\n\nHTTP/1.1 200 OK', 2],
      ['POST http://h/a\n\nGET http://h/b', 2],
    ] as const) {
      const doc = parse(text, 'netreq');
      const d = expectDiag(doc.diagnostics, 'unsupported-feature', line, 0, 'warning', /sent as body text/);
      assert.ok(d);
    }
  });

  it('a second request line inside a multipart/mixed body is body (httpyac does not split there either)', () => {
    const doc = parse('POST http://h/\nContent-Type: multipart/mixed; boundary=b\n\n--b\nGET /inner HTTP/1.1\n--b--', 'http');
    assert.deepEqual(doc.diagnostics.filter((d) => d.severity !== 'info'), []);
  });

  it('httpyac directives that change nothing NetReq sends are an info; unknown words stay a warning', () => {
    const doc = parse('# @noRedirect\n# @title Hello\n# @forceRegionDelimiter\nGET http://h/', 'http');
    assert.deepEqual(codes(doc.diagnostics), ['ignored-directive@0:info', 'ignored-directive@1:info', 'ignored-directive@2:info']);
    assert.match(doc.diagnostics[0].message, /NetReq never follows redirects/);
  });

  it('.http: a # @directive after the request line (httpyac applies it, REST Client does not): @disabled an error, others a warning', async () => {
    const doc = parse('DELETE http://h/1\n# @disabled\n###\nGET http://h/\n# @name late\n###\nGET http://h/\n#@disabled is prose here', 'http');
    expectDiag(doc.diagnostics.filter((d) => d.severity === 'error'), 'unsupported-feature', 1, 0, 'error', /# @disabled after the request line: httpyac applies it/);
    expectDiag(doc.diagnostics.filter((d) => d.severity === 'warning'), 'unsupported-feature', 4, 0, 'warning', /# @name after the request line is a comment here/);
    assert.equal((await resolve('DELETE http://h/1\n# @disabled', 'http')).ok, false);
    assert.equal(parse('DELETE http://h/1\n# @disabled', 'netreq').diagnostics.length, 0);
  });

  it('a refused script is reported once: its lines are not also bad headers or unclosed {{', () => {
    for (const text of ['GET http://h/\n{{\n  exports.a = 1\n}}', 'GET http://h/\n> {% client.x() %}', 'GET http://h/\n\n{{\n  x\n}}']) {
      assert.deepEqual(codes(parse(text, 'http').diagnostics), ['unsupported-feature@1:error'.replace('@1', text.includes('\n\n') ? '@2' : '@1')]);
    }
  });

  it('?? lines are not refused (asserts: issue 13)', () => {
    const doc = parse('GET http://h/\n\n?? status == 200', 'http');
    assert.equal(doc.diagnostics.filter((d) => d.code === 'unsupported-feature').length, 0);
  });
});

describe('netreq dialect: a pasted response, header-less GraphQL', () => {
  it('.http: a pasted response ends the request (REST Client stops there; httpyac never sends it), with a warning', async () => {
    const text = 'POST http://h/x\nContent-Type: text/plain\n\nhello\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{"ok":true}';
    const doc = parse(text, 'http');
    expectDiag(doc.diagnostics, 'pasted-response', 5, 0, 'warning', /A pasted response: it and the lines after it are not sent/);
    const spec = await sent(text, 'http');
    assert.equal(spec.body!.toString(), 'hello');
  });

  it('.http: a body starting with query/mutation/fragment warns (httpyac sends GraphQL JSON) with a quick fix adding the header', () => {
    for (const first of ['query {', 'query Get($id: ID) {', 'mutation Add {', 'fragment F on User {']) {
      const doc = parse(`POST http://h/graphql\nContent-Type: application/json\n\n${first}\n  a\n}`, 'http');
      const d = expectDiag(doc.diagnostics, 'headerless-graphql', 3, 0, 'warning', /httpyac sends this body as GraphQL JSON/);
      assert.deepEqual(d.fixes![0].edits, [{ span: { start: { line: 2, col: 0 }, end: { line: 2, col: 0 } }, text: 'X-Request-Type: GraphQL\n' }]);
    }
    const none = (t: string, d: Dialect) => parse(t, d).diagnostics.filter((x) => x.code === 'headerless-graphql').length;
    assert.equal(none('POST http://h/\nX-Request-Type: GraphQL\n\nquery {\n}', 'http'), 0);
    assert.equal(none('POST http://h/\n\nquery {\n}', 'netreq'), 0);
    assert.equal(none('# @noGqlParsing\nPOST http://h/\n\nquery {\n}', 'http'), 0);
    assert.equal(none('POST http://h/\n\nqueryString=1', 'http'), 0);
  });
});

describe('netreq directives: @disabled, @note, @prompt', () => {
  it('# @disabled: an info on the directive, and the block is never resolved (so never sent)', async () => {
    for (const d of ['# @disabled', '# @disabled true', '// @disabled']) {
      const text = `${d}\nDELETE http://h/users/1`;
      const doc = parse(text, 'http');
      expectDiag(doc.diagnostics, 'disabled-block', 0, d.indexOf('@'), 'info', /The block is skipped/);
      const r = await resolve(text, 'http');
      assert.equal(r.ok, false);
      assert.match(r.diagnostics[0].message, /Not sent \(skipped: # @disabled\)/);
    }
    await sent('# @disabled false\nDELETE http://h/users/1', 'http');
  });

  it('# @disabled with an expression is httpyac JavaScript: an error', () => {
    const doc = parse('# @disabled foo === "bar"\nDELETE http://h/users/1', 'http');
    expectDiag(doc.diagnostics, 'bad-directive-value', 0, 12, 'error', /as JavaScript, which NetReq does not run/);
  });

  it("# @note: REST Client's exact confirmation text, with and without a name", () => {
    const doc = parse('# @note\nDELETE http://h/a\n###\n# @name wipe\n# @note careful\nDELETE http://h/b\n###\nGET http://h/', 'http');
    assert.equal(noteConfirmation(doc.blocks[0]), 'Are you sure you want to send this request?');
    assert.equal(noteConfirmation(doc.blocks[1]), 'Are you sure you want to send the request "wipe"?');
    assert.equal(noteConfirmation(doc.blocks[2]), undefined);
    assert.deepEqual(doc.diagnostics, []);
  });

  it('# @prompt: names and descriptions in file order, masked for REST Client\'s names and token/secret/otp', () => {
    const doc = parse('# @prompt user Your user name\n# @prompt password\n# @prompt apiToken The token\n// @prompt otp\nPOST http://h/{{user}}\nX: {{password}}{{apiToken}}{{otp}}', 'http');
    assert.deepEqual(
      blockPrompts(doc.blocks[0]).map((p) => [p.name, p.description, p.masked, p.line]),
      [
        ['user', 'Your user name', false, 0],
        ['password', '', true, 1],
        ['apiToken', 'The token', true, 2],
        ['otp', '', true, 3],
      ],
    );
    assert.deepEqual(doc.diagnostics, [], 'prompted names are defined; several @prompt lines are not duplicates');
    for (const n of ['PASS', 'Passwd', 'secret', 'clientSecret', 'my_token']) assert.ok(isMaskedPrompt(n), n);
    for (const n of ['user', 'host', 'id']) assert.ok(!isMaskedPrompt(n), n);
    expectDiag(parse('# @prompt\nGET http://h/', 'http').diagnostics, 'bad-directive-value', 0, 2, 'error', /needs a variable name/);
  });

  it('# @prompt values come first (above --var and file variables); a prompt without a value is an error naming it and --var', async () => {
    const text = '@user = file\n###\n# @prompt user\nGET http://h/{{user}}';
    const missing = await resolve(text, 'http');
    assert.equal(missing.ok, false);
    expectDiag(missing.diagnostics, 'prompt-not-answered', 2, 0, 'error', /# @prompt user needs a value: the CLI cannot ask, pass --var user=VALUE/);
    assert.equal((await sent(text, 'http', { promptValues: { user: 'typed' }, overrides: { user: 'flag' } })).target, '/typed');
    assert.equal((await sent(text, 'http', { overrides: { user: 'flag' } })).target, '/flag');
  });
});
