import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { DEFAULT_OPTIONS, type HttpRequestSpec } from '../../../src/core/request';
import { FIXTURES, ctx, expectDiag, resolveFail, resolveOk } from './helpers';

const http = async (text: string, over: Parameters<typeof ctx>[0] = {}, index = 0): Promise<HttpRequestSpec> => {
  const spec = await resolveOk(text, over, index);
  assert.equal(spec.kind, 'http');
  return spec as HttpRequestSpec;
};

describe('netreq resolve: HTTP', () => {
  it('resolves a typical REST Client .http file to the exact spec', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'restclient.http'), 'utf8');
    const doc = parseNetreq(text);
    assert.deepEqual(doc.blocks.map((b) => [b.title, b.name]), [
      ['Create a user', 'createUser'],
      ['Get it back', undefined],
    ]);
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.code, d.severity, d.span.start.line]),
      [['undefined-variable', 'warning', 9]],
      'only {{token}} is unknown to the file (it comes from --var here)',
    );
    const r = await resolveBlock(doc, doc.blocks[0], ctx({ overrides: { token: 'abc' } }));
    assert.ok(r.ok);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.request, {
      kind: 'http',
      method: 'POST',
      url: 'https://api.example.com:8443/users?verbose=true',
      tls: true,
      host: 'api.example.com',
      port: 8443,
      servername: 'api.example.com',
      target: '/users?verbose=true',
      version: 'HTTP/1.1',
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', 'Bearer abc'],
      ],
      body: Buffer.from('{\r\n  "name": "Ada",\r\n  "tags": ["a", "b"]\r\n}'),
      options: DEFAULT_OPTIONS,
    });
    const second = await resolveBlock(doc, doc.blocks[1], ctx({ overrides: { token: 'abc' } }));
    assert.equal(second.ok, false);
    assert.equal(second.diagnostics[0].code, 'request-not-sent');
  });

  it('absolute-form: default ports, origin-form target, version, fragment dropped', async () => {
    const a = await http('GET http://example.com');
    assert.deepEqual([a.host, a.port, a.tls, a.target, a.version, a.url], ['example.com', 80, false, '/', 'HTTP/1.1', 'http://example.com/']);
    const b = await http('HEAD https://Example.com?x=1#frag HTTP/1.0');
    assert.deepEqual([b.method, b.port, b.tls, b.target, b.version, b.url], ['HEAD', 443, true, '/?x=1', 'HTTP/1.0', 'https://Example.com/?x=1']);
    const c = await http('https://a.example:8443/p/q?r');
    assert.deepEqual([c.method, c.port, c.url, c.servername], ['GET', 8443, 'https://a.example:8443/p/q?r', 'a.example']);
    assert.equal((await http('GET http://user:pw@h/x')).host, 'h', 'userinfo is not part of the host');
  });

  it('IPv6 and IPv4 literals: no brackets in host, no servername', async () => {
    const v6 = await http('GET https://[::1]:8443/x');
    assert.deepEqual([v6.host, v6.port, v6.url, v6.servername], ['::1', 8443, 'https://[::1]:8443/x', undefined]);
    assert.ok(!('servername' in v6), 'servername is left out, not set to undefined');
    const v4 = await http('GET https://127.0.0.1/');
    assert.deepEqual([v4.host, v4.servername], ['127.0.0.1', undefined]);
  });

  it('origin-form + Host header; # @tls for TLS; port from Host or 80/443', async () => {
    const a = await http('GET /path?q=1 HTTP/1.0\nHost: example.com:8080\nAccept: */*');
    assert.deepEqual([a.host, a.port, a.tls, a.target, a.version, a.url], ['example.com', 8080, false, '/path?q=1', 'HTTP/1.0', 'http://example.com:8080/path?q=1']);
    assert.deepEqual(a.headers, [
      ['Host', 'example.com:8080'],
      ['Accept', '*/*'],
    ]);
    const b = await http('# @tls\nGET /x HTTP/1.1\nhost: example.com');
    assert.deepEqual([b.port, b.tls, b.servername, b.url], [443, true, 'example.com', 'https://example.com/x']);
    const c = await http('GET / HTTP/1.1\nHost: [::1]:9000');
    assert.deepEqual([c.host, c.port, c.url], ['::1', 9000, 'http://[::1]:9000/']);
    const star = await http('OPTIONS * HTTP/1.1\nHost: h');
    assert.equal(star.target, '*');
    const connect = await http('CONNECT example.com:443 HTTP/1.1');
    assert.deepEqual([connect.host, connect.port, connect.target], ['example.com', 443, 'example.com:443']);
  });

  it('# @connect sends elsewhere while the URL still names the host (SNI, Host)', async () => {
    const s = await http('# @connect 127.0.0.1:8443\nGET https://example.com/x');
    assert.deepEqual([s.host, s.port, s.servername, s.url], ['127.0.0.1', 8443, 'example.com', 'https://example.com/x']);
    assert.deepEqual(s.headers, [['Host', 'example.com']], 'the Host header names the URL, not the @connect address');
    const written = await http('# @connect 127.0.0.1:8443\nGET https://example.com:444/x\nHost: other.test');
    assert.deepEqual(written.headers, [['Host', 'other.test']], 'a written Host is kept as is');
  });

  it('substitutes variables in the target, headers and body; body lines joined with CRLF', async () => {
    const s = await http('@id = 42\n@ct = text/plain\nPOST http://h/items/{{id}}\nContent-Type: {{ct}}\nX-Empty:\n\nid={{id}}\n\nend\n\n');
    assert.equal(s.target, '/items/42');
    assert.deepEqual(s.headers, [
      ['Content-Type', 'text/plain'],
      ['X-Empty', ''],
    ]);
    assert.equal(s.body?.toString(), 'id=42\r\n\r\nend');
    assert.equal((await http('GET http://h/')).body, undefined);
  });

  it('percent-encodes spaces and non-ASCII that substitution put into the target', async () => {
    const s = await http('@q = a b\nGET http://h/ü?q={{q}}&x=%41');
    assert.equal(s.target, '/%C3%BC?q=a%20b&x=%41');
  });

  it('refuses a header value that substitution split over lines', async () => {
    const d = await resolveFail('@v = a\\r\\nInjected: 1\nGET http://h/\nX-A: {{v}}');
    expectDiag(d, 'bad-header', 2, 0, 'error', /contains a line break after substitution/);
  });

  it('reports what a substituted target became when it is wrong', async () => {
    const d = await resolveFail('@base = example.com\nGET {{base}}/x');
    expectDiag(d, 'bad-url', 1, 4, 'error', /'\{\{base\}\}\/x' became 'example\.com\/x', which is not a URL/);
    const p = await resolveFail('@p = 70000\nGET http://h:{{p}}/');
    expectDiag(p, 'port-out-of-range', 1, 4, 'error', /became 'http:\/\/h:70000\/': Port 70000 is out of range: valid ports are 1–65535/);
    const h = await resolveFail('@h = a:b:c\nGET /\nHost: {{h}}');
    expectDiag(h, 'bad-host', 2, 0, 'error', /put it in brackets/);
  });

  describe('@raw', () => {
    it('sends the lines exactly as written (after substitution), CRLF between them', async () => {
      const s = await http('@h = example.com\n# @raw\nget /  HTTP/1.1\nHost: {{h}}\nX-Odd:no-space\nBroken header line\n# a comment is not sent\n\nbody1\n{{h}}\n');
      assert.equal(s.raw?.toString('latin1'), 'get /  HTTP/1.1\r\nHost: example.com\r\nX-Odd:no-space\r\nBroken header line\r\n\r\nbody1\r\nexample.com');
      assert.deepEqual([s.method, s.target, s.version, s.host, s.port], ['GET', '/', 'HTTP/1.1', 'example.com', 80]);
      assert.deepEqual(s.headers, [
        ['Host', 'example.com'],
        ['X-Odd', 'no-space'],
        ['Broken header line', ''],
      ]);
      assert.equal(s.body?.toString(), 'body1\r\nexample.com');
    });

    it('ends the head with an empty line when there is no body; absolute-form stays absolute', async () => {
      const s = await http('# @raw\nGET http://h:81/x?y HTTP/1.1');
      assert.equal(s.raw?.toString('latin1'), 'GET http://h:81/x?y HTTP/1.1\r\n\r\n');
      assert.deepEqual([s.host, s.port, s.target], ['h', 81, 'http://h:81/x?y']);
    });

    it('takes the connection from # @connect when there is no Host header', async () => {
      const s = await http('# @raw\n# @connect 127.0.0.1:8080\nGET / HTTP/1.0');
      assert.equal(s.raw?.toString('latin1'), 'GET / HTTP/1.0\r\n\r\n');
      assert.deepEqual([s.host, s.port], ['127.0.0.1', 8080]);
    });

    it('appends a file body byte for byte', async () => {
      const s = await http('# @raw\nPOST /u HTTP/1.1\nHost: h\n\n< ./binary.bin');
      const file = fs.readFileSync(path.join(FIXTURES, 'binary.bin'));
      assert.deepEqual(s.raw, Buffer.concat([Buffer.from('POST /u HTTP/1.1\r\nHost: h\r\n\r\n'), file]));
    });
  });

  describe('body files', () => {
    it('< sends the file as is (no substitution), relative to the .netreq file', async () => {
      const s = await http('POST http://h/\n\n< ./binary.bin');
      assert.deepEqual(s.body, fs.readFileSync(path.join(FIXTURES, 'binary.bin')));
      const j = await http('POST http://h/\n\n< body.json');
      assert.equal(j.body?.toString(), '{\n  "name": "fixture",\n  "n": 1\n}\n');
    });

    it('<@ substitutes variables in the file', async () => {
      const s = await http('@user = a b\nPOST http://h/\n\n<@ ./template.json');
      assert.equal(s.body?.toString(), '{"user": "a b", "id": "a%20b"}\r\n');
    });

    it('absolute paths and {{variables}} in paths', async () => {
      const abs = path.join(FIXTURES, 'body.json');
      assert.ok((await http(`POST http://h/\n\n< ${abs}`, { baseDir: undefined })).body);
      assert.ok((await http('@f = body\nPOST http://h/\n\n< ./{{f}}.json')).body);
    });

    it('a missing file is an error at its line that says where it looked', async () => {
      const d = await resolveFail('POST http://h/\n\n< ./nope.json');
      const msg = `Cannot read body file ./nope.json: no such file (looked in ${path.join(FIXTURES, 'nope.json')})`;
      assert.equal(expectDiag(d, 'body-file-unreadable', 2, 2, 'error').message, msg);
      const unsaved = await resolveFail('POST http://h/\n\n< ./x.json', { baseDir: undefined });
      expectDiag(unsaved, 'body-file-unreadable', 2, 2, 'error', /has not been saved/);
      const undefinedInFile = await resolveFail('POST http://h/\n\n<@ ./template.json');
      expectDiag(undefinedInFile, 'undefined-variable', 2, 3, 'error', /\(in \.\/template\.json\)/);
    });
  });

  describe('options', () => {
    it('start from ctx.defaults; directives override', async () => {
      const defaults = { ...DEFAULT_OPTIONS, timeoutMs: 1234, insecure: true };
      assert.deepEqual((await http('GET http://h/', { defaults })).options, defaults);
      const s = await http('# @timeout 500ms\n# @insecure off\n# @no-pool\n# @proxy http://127.0.0.1:8888\nGET https://h/', { defaults });
      assert.deepEqual(s.options, { ...defaults, timeoutMs: 500, insecure: false, noPool: true, proxy: 'http://127.0.0.1:8888' });
      assert.equal((await http('# @timeout 2m\nGET http://h/')).options.timeoutMs, 120_000);
      assert.equal((await http('# @timeout 250\nGET http://h/')).options.timeoutMs, 250);
      assert.equal((await http('# @timeout 1.5s\nGET http://h/')).options.timeoutMs, 1500);
    });

    it('directive values may hold variables; they are checked after substitution', async () => {
      assert.equal((await http('@t = 3s\n# @timeout {{t}}\nGET http://h/')).options.timeoutMs, 3000);
      const d = await resolveFail('@t = soon\n# @timeout {{t}}\nGET http://h/');
      expectDiag(d, 'bad-directive-value', 1, 0, 'error', /@timeout: "soon" is not a duration/);
    });
  });

  it('refuses blocks with parse errors (only errors of that block) and blocks without a request line', async () => {
    const doc = parseNetreq('### a\nGET http://h:0/\n### b\nGET http://h/\n### c\n\n');
    const a = await resolveBlock(doc, doc.blocks[0], ctx());
    assert.equal(a.ok, false);
    assert.deepEqual(a.diagnostics.map((d) => d.code), ['port-out-of-range']);
    assert.ok((await resolveBlock(doc, doc.blocks[1], ctx())).ok);
    const c = await resolveBlock(doc, doc.blocks[2], ctx());
    assert.equal(c.ok, false);
    expectDiag(c.diagnostics, 'missing-request-line', 4, 0, 'error', /no request line to send/);
  });
});
