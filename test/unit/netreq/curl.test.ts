/** `curl …` blocks: the shell word splitter, the flags, the diagnostics (file:line:col of the bad word), the resolved request. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { Codes } from '../../../src/core/netreq/diag';
import { splitCurlWords, MAX_CURL_CHARS } from '../../../src/core/protocols/http/curlTokens';
import { curlFormEncode, parseFormArg, urlencodeForm } from '../../../src/core/protocols/http/curlBody';
import { removeDotSegments } from '../../../src/core/protocols/http/curlResolve';
import { shellQuote, specToCurl } from '../../../src/core/protocols/http/toCurl';
import type { HttpRequestSpec } from '../../../src/core/protocols/http/spec';
import type { Diagnostic } from '../../../src/core/netreq/types';
import { assertReadable, ctx, ROOT } from './helpers';

const FIX = path.join(ROOT, 'test', 'fixtures', 'curl');

function words(text: string): string[] {
  const lines = text.split('\n');
  const r = splitCurlWords(lines, 0, lines.length - 1, 0);
  assert.deepEqual(r.problems, [], JSON.stringify(r.problems));
  return r.words.map((w) => w.value);
}

function problem(text: string): { line: number; col: number; message: string } {
  const lines = text.split('\n');
  const r = splitCurlWords(lines, 0, lines.length - 1, 0);
  assert.equal(r.problems.length, 1, JSON.stringify(r));
  const p = r.problems[0];
  readable(p.message);
  return { line: p.span.start.line, col: p.span.start.col, message: p.message };
}

async function resolveCurlText(text: string, dialect: 'http' | 'netreq' = 'http'): Promise<{ spec?: HttpRequestSpec; diags: Diagnostic[] }> {
  const doc = parseNetreq(text, { dialect });
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { diags: doc.diagnostics };
  const r = await resolveBlock(doc, doc.blocks[0], ctx({ baseDir: FIX }));
  return r.ok ? { spec: r.request as HttpRequestSpec, diags: r.diagnostics } : { diags: r.diagnostics };
}

/** The repo's readability check; curl's own name may start a message ("curl flag --foo is not supported"). */
const readable = (m: string) => assertReadable(m.replace(/^curl /, 'Curl '));

const header = (spec: HttpRequestSpec | undefined, name: string) => spec?.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

describe('curl blocks: shell words', () => {
  it('splits on blanks and line breaks, removes quotes as bash does', () => {
    assert.deepEqual(words(`curl 'a b' "c d" e\\ f g'h'"i"`), ['curl', 'a b', 'c d', 'e f', 'ghi']);
    assert.deepEqual(words(`curl "a \\" \\\\ \\$ \\x"`), ['curl', 'a " \\ $ \\x']);
    assert.deepEqual(words(`curl 'it'\\''s'`), ['curl', "it's"]);
    assert.deepEqual(words(`curl ''`), ['curl', '']);
    assert.deepEqual(words('curl a\\\n  b'), ['curl', 'a', 'b']);
    assert.deepEqual(words('curl "a\\\nb"'), ['curl', 'ab']);
    assert.deepEqual(words("curl 'line\nbreak'"), ['curl', 'line\nbreak']);
    assert.deepEqual(words('curl a\n  -H x'), ['curl', 'a', '-H', 'x'], "REST Client's multi-line form: a newline separates words");
    assert.deepEqual(words('curl a # a comment\n# a comment line\n// another\n b'), ['curl', 'a', 'b']);
    assert.deepEqual(words('curl a#b {{host}}/x'), ['curl', 'a#b', '{{host}}/x']);
  });

  it("$'…' ANSI-C strings: escapes, octal, hex, \\u, and bytes that are not UTF-8", () => {
    assert.deepEqual(words(`curl $'a\\tb\\n\\'\\\\\\x41\\101\\u00e9\\cA'`), ['curl', "a\tb\n'\\AAé\x01"]);
    assert.deepEqual(words(`curl $'caf\\xc3\\xa9'`), ['curl', 'café']);
    const lines = [`curl $'\\xff'x`];
    const w = splitCurlWords(lines, 0, 0, 0).words[1];
    assert.equal(w.binary, true);
    assert.deepEqual(Buffer.from(w.value, 'latin1'), Buffer.from([0xff, 0x78]));
  });

  it('refuses what a shell would expand or treat as syntax, at the character', () => {
    assert.match(problem('curl http://x/?a=1&b=2').message, /unquoted '&'.*quote/);
    assert.deepEqual(
      (({ line, col }) => ({ line, col }))(problem('curl -H x \\\n  $HOME')),
      { line: 1, col: 2 },
    );
    assert.match(problem('curl "$(id)"').message, /command substitution runs a command/);
    assert.match(problem('curl `id`').message, /Backquotes/);
    assert.match(problem('curl a | tee').message, /pipe/);
    assert.match(problem('curl a > out').message, /redirection/);
    assert.match(problem('curl ~/x').message, /home folder/);
    assert.match(problem('curl "${X}"').message, /shell variable/);
  });

  it('an unterminated quote is a diagnostic at the quote, on its line', () => {
    const p = problem("curl -d 'abc\n  more");
    assert.deepEqual([p.line, p.col], [0, 8]);
    assert.match(p.message, /never closed/);
    assert.match(problem('curl -d "x').message, /" quote is never closed/);
    assert.match(problem("curl $'x").message, /\$' quote is never closed/);
  });

  it('hostile input: a 1 MB command is split in bounded time; past the bound it is refused in words', () => {
    const big = `curl -d '${'x'.repeat(1024 * 1024)}' http://127.0.0.1:1/`;
    const w = words(big);
    assert.equal(w[2].length, 1024 * 1024);
    const unquoted = `curl ${'a '.repeat(200_000)}`;
    const r = splitCurlWords([unquoted], 0, 0, 0);
    assert.match(r.problems[0].message, /more than 10000 words/);
    const huge = 'x'.repeat(MAX_CURL_CHARS + 1);
    assert.match(splitCurlWords([huge], 0, 0, 0).problems[0].message, /characters long/);
  });
});

describe('curl blocks: flags → request', () => {
  it('the common flags', async () => {
    const { spec, diags } = await resolveCurlText(
      `curl -sS -X PUT 'http://127.0.0.1:9/p?q=1' -H 'X-A: 1' -u 'u:p' -A ua -e ref -b 'a=1' --compressed -k --http1.0 -m 2.5 -d x\n`,
    );
    assert.ok(spec, JSON.stringify(diags));
    assert.equal(spec.method, 'PUT');
    assert.equal(spec.target, '/p?q=1');
    assert.equal(spec.version, 'HTTP/1.0');
    assert.equal(spec.options.insecure, true);
    assert.equal(spec.options.timeoutMs, 2500);
    assert.deepEqual(
      spec.headers.map(([k]) => k),
      ['Authorization', 'User-Agent', 'Accept', 'Accept-Encoding', 'Referer', 'Cookie', 'X-A', 'Content-Length', 'Content-Type'],
    );
    assert.deepEqual(header(spec, 'authorization'), [`Basic ${Buffer.from('u:p').toString('base64')}`]);
    assert.equal(spec.body?.toString(), 'x');
    const notes = diags.filter((d) => d.code === Codes.curlNote).map((d) => d.message);
    assert.ok(notes.some((m) => /Sent as curl 7\.88\.1 sends this command/.test(m)), notes.join('\n'));
    assert.ok(notes.some((m) => /Accepted, no effect on what is sent: -s -S/.test(m)), notes.join('\n'));
  });

  it('methods as curl picks them: GET, POST with data, HEAD with -I, GET with -G (data in the query)', async () => {
    assert.equal((await resolveCurlText('curl http://127.0.0.1:9/\n')).spec?.method, 'GET');
    assert.equal((await resolveCurlText('curl http://127.0.0.1:9/ -d a\n')).spec?.method, 'POST');
    assert.equal((await resolveCurlText('curl -F a=b http://127.0.0.1:9/\n')).spec?.method, 'POST');
    assert.equal((await resolveCurlText('curl -I http://127.0.0.1:9/\n')).spec?.method, 'HEAD');
    const g = (await resolveCurlText('curl -G http://127.0.0.1:9/s -d a=1 --data-urlencode "b=x y"\n')).spec;
    assert.equal(g?.method, 'GET');
    assert.equal(g?.target, '/s?a=1&b=x+y');
    assert.equal(g?.body, undefined);
    assert.equal((await resolveCurlText('curl -XPOST http://127.0.0.1:9/\n')).spec?.method, 'POST');
  });

  it('--url, no scheme (http:// guessed, said), credentials in the URL, dot segments', async () => {
    const r = await resolveCurlText('curl --url 127.0.0.1:9/a/../b\n');
    assert.equal(r.spec?.url, 'http://127.0.0.1:9/b');
    assert.ok(r.diags.some((d) => d.code === Codes.curlNote && /curl guesses http:\/\//.test(d.message)));
    const u = await resolveCurlText("curl 'http://me:pw@127.0.0.1:9/'\n");
    assert.deepEqual(header(u.spec, 'authorization'), [`Basic ${Buffer.from('me:pw').toString('base64')}`]);
    assert.equal(removeDotSegments('/a/./b/../../c/'), '/c/');
    assert.equal(removeDotSegments('/..'), '/');
  });

  it('-L is a note (NetReq does not follow redirects), not a silent drop', async () => {
    const r = await resolveCurlText('curl -L http://127.0.0.1:9/\n');
    assert.ok(r.spec);
    const d = r.diags.find((x) => /follow redirects/.test(x.message));
    assert.equal(d?.severity, 'warning', 'shown by the CLI too');
    assert.deepEqual([d?.span.start.line, d?.span.start.col], [0, 5]);
  });

  it('-H forms: Name: removes a curl header, Name; sends an empty one (said), -H Host: is refused', async () => {
    const r = await resolveCurlText("curl http://127.0.0.1:9/ -H 'User-Agent:' -H 'Accept:' -H 'X-E;' -H 'X-S:v'\n");
    assert.deepEqual(r.spec?.headers, [
      ['X-E', ''],
      ['X-S', 'v'],
    ]);
    assert.ok(r.diags.some((d) => /Sent as "X-S: v"/.test(d.message)));
    const h = await resolveCurlText("curl http://127.0.0.1:9/ -H 'Host:'\n");
    assert.match(h.diags.find((d) => d.severity === 'error')!.message, /removes the Host header/);
  });

  it('files: -d @file, --data-binary @file, -F name=@file, relative to the file; a missing file names the word', async () => {
    const r = await resolveCurlText('curl http://127.0.0.1:9/ --data-binary @data.txt\n');
    assert.equal(r.spec?.body?.toString('utf8'), 'line one\r\nline two\nlast=é&x\n');
    const d = await resolveCurlText('curl http://127.0.0.1:9/ -d @data.txt\n');
    assert.equal(d.spec?.body?.toString('utf8'), 'line oneline twolast=é&x');
    const m = await resolveCurlText('curl http://127.0.0.1:9/ \\\n  -d @nope.txt\n');
    const e = m.diags.find((x) => x.code === Codes.bodyFileUnreadable)!;
    assert.deepEqual([e.span.start.line, e.span.start.col], [1, 5]);
    const f = await resolveCurlText('curl http://127.0.0.1:9/ -F "f=@pic.png;type=image/x" -F "t=<data.txt"\n');
    const body = f.spec!.body!.toString('latin1');
    assert.match(body, /name="f"; filename="pic.png"\r\nContent-Type: image\/x\r\n\r\n\x89PNG/);
    assert.match(body, /name="t"\r\n\r\nline one\r\n/);
    assert.match(header(f.spec, 'content-type')![0], /^multipart\/form-data; boundary=-{24}[0-9a-f]{16}$/);
  });

  it('Restricted Mode applies to files a curl command names', async () => {
    const doc = parseNetreq('curl http://127.0.0.1:9/ -d @../../../package.json\n', { dialect: 'http' });
    const r = await resolveBlock(doc, doc.blocks[0], ctx({ baseDir: FIX, restricted: { folders: [FIX] } }));
    assert.equal(r.ok, false);
    assert.ok(r.diagnostics.some((d) => d.code === Codes.restrictedFile), JSON.stringify(r.diagnostics));
  });

  it('{{variables}} are substituted in the words', async () => {
    const r = await resolveCurlText('@base = http://127.0.0.1:9\n@tok = abc\n###\ncurl {{base}}/v -H "Authorization: Bearer {{tok}}"\n');
    assert.equal(r.spec?.url, 'http://127.0.0.1:9/v');
    assert.deepEqual(header(r.spec, 'authorization'), ['Bearer abc']);
  });

  it('unknown flags, refused flags, globbing, several URLs, -u without a password: errors naming them', async () => {
    const cases: Array<[string, RegExp, number, number]> = [
      ['curl --foo http://127.0.0.1:9/\n', /curl flag --foo is not supported; the request was not sent/, 0, 5],
      ['curl -kZ http://127.0.0.1:9/\n', /curl flag -Z is not supported/, 0, 7],
      ['curl --http2 http://127.0.0.1:9/\n', /--http2 is not supported: NetReq sends HTTP\/1\.x/, 0, 5],
      ['curl http://127.0.0.1:9/\n', /./, -1, -1],
      ['curl http://127.0.0.1:9/ http://127.0.0.1:9/b\n', /each of the 2 URLs/, 0, 25],
      ["curl 'http://127.0.0.1:9/{a,b}'\n", /globbing\): add -g/, 0, 5],
      ['curl -u me http://127.0.0.1:9/\n', /ask for the password/, 0, 8],
      ['curl -b cookies.txt http://127.0.0.1:9/\n', /cookie files/, 0, 8],
      ['curl -I -d x http://127.0.0.1:9/\n', /only select one HTTP request method/, 0, 0],
      ['curl\n', /no URL/, 0, 0],
      ['curl -H\n', /-H needs a value/, 0, 5],
      ['curl ftp://127.0.0.1/\n', /http:\/\/ and https:\/\/ URLs only/, 0, 5],
      ['curl -x 127.0.0.1:3128 http://127.0.0.1:9/\n', /--proxytunnel/, 0, 8],
      // The URL through a variable: refused when the block is resolved, at the same place.
      ['@u = http://127.0.0.1:9/\ncurl -x 127.0.0.1:3128 {{u}}\n', /--proxytunnel/, 1, 8],
      ["curl http://127.0.0.1:9/ -H $'X: a\\r\\nY: b'\n", /line break, which would split the request/, 0, 28],
      ['# @raw\ncurl http://127.0.0.1:9/\n', /# @raw cannot apply to a curl command/, 1, 0],
    ];
    for (const [text, re, line, col] of cases) {
      const r = await resolveCurlText(text);
      const errors = r.diags.filter((d) => d.severity === 'error');
      if (line < 0) {
        assert.equal(errors.length, 0, text);
        continue;
      }
      assert.equal(errors.length, 1, `${text}: ${JSON.stringify(errors)}`);
      assert.match(errors[0].message, re, text);
      readable(errors[0].message);
      assert.deepEqual([errors[0].span.start.line, errors[0].span.start.col], [line, col], `${text}: ${errors[0].message}`);
    }
  });

  it('-x without -p for an http:// URL is an error of the file, so nothing above it is sent first', () => {
    const doc = parseNetreq('### one\nGET http://127.0.0.1:9/\n\n### two\ncurl -x 127.0.0.1:3128 http://127.0.0.1:9/\n', { dialect: 'http' });
    const errors = doc.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /add -p \(--proxytunnel\)/);
    assert.deepEqual([errors[0].span.start.line, errors[0].span.start.col], [4, 8]);
    // With -p, or for an https:// URL (always a tunnel), it is fine.
    for (const ok of ['curl -x 127.0.0.1:3128 -p http://127.0.0.1:9/\n', 'curl -x 127.0.0.1:3128 https://127.0.0.1:9/\n']) {
      assert.deepEqual(parseNetreq(ok, { dialect: 'http' }).diagnostics.filter((d) => d.severity === 'error'), [], ok);
    }
  });

  it('hostile blocks through the parser: a 1 MB body is read and sent as written; an unterminated quote is a parse error at file:line:col', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const r = await resolveCurlText(`### big\ncurl http://127.0.0.1:9/ --data-raw '${big}'\n`);
    assert.equal(r.spec?.body?.length, big.length);
    const doc = parseNetreq("### one\nGET http://127.0.0.1:9/\n\n### two\ncurl http://127.0.0.1:9/ \\\n  -d '{\"a\": 1}\n", { dialect: 'http' });
    const e = doc.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(e.length, 1);
    assert.equal(e[0].code, Codes.curlUnsupported);
    assert.deepEqual([e[0].span.start.line, e[0].span.start.col], [5, 5]);
    assert.match(e[0].message, /' quote is never closed/);
    assert.equal(doc.blocks[0].requestLine?.method, 'GET', 'the other blocks are untouched');
  });

  it('an undefined {{variable}} in a curl command is found while editing, as in other blocks', () => {
    const doc = parseNetreq('curl http://127.0.0.1:9/ \\\n  -H "X: {{nope}}"\n', { dialect: 'http' });
    const d = doc.diagnostics.find((x) => x.code === Codes.undefinedVariable);
    assert.equal(d?.span.start.line, 1, JSON.stringify(doc.diagnostics));
  });

  it('.netreq files read curl commands too; -g sends braces as written', async () => {
    const r = await resolveCurlText("curl -g 'http://127.0.0.1:9/{a}'\n", 'netreq');
    assert.equal(r.spec?.target, '/{a}');
  });

  it('examples/curl.netreq parses with no errors and resolves every block', async () => {
    const text = await import('node:fs').then((fs) => fs.promises.readFile(path.join(ROOT, 'examples', 'curl.netreq'), 'utf8'));
    const doc = parseNetreq(text);
    assert.deepEqual(doc.diagnostics.filter((d) => d.severity !== 'info' && d.code !== Codes.undefinedVariable), [], 'host and httpPort come from the environment');
    assert.equal(doc.blocks.length, 4);
    for (const b of doc.blocks) {
      const r = await resolveBlock(doc, b, ctx({ baseDir: FIX, environments: { $shared: { host: '127.0.0.1', httpPort: '8080' } } }));
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
    }
  });

  it('the parser records the command and gives the block a request line (method and URL as curl picks them)', () => {
    const doc = parseNetreq('### one\n# @name c\nCURL -d x \\\n  http://127.0.0.1:9/\n\n?? status == 200\n', { dialect: 'http' });
    const b = doc.blocks[0];
    assert.deepEqual(b.curl && [b.curl.line, b.curl.endLine], [2, 3]);
    assert.equal(b.requestLine?.method, 'POST');
    assert.equal(b.requestLine?.target, 'http://127.0.0.1:9/');
    assert.equal(b.asserts.length, 1, 'asserts after the command are not curl words');
    assert.equal(b.name, 'c');
  });
});

describe('curl: encodings', () => {
  it("--data-urlencode's forms and curl's encoding", () => {
    assert.deepEqual(urlencodeForm('a b'), { content: 'a b' });
    assert.deepEqual(urlencodeForm('=a=b'), { name: undefined, content: 'a=b' });
    assert.deepEqual(urlencodeForm('n=a@b'), { name: 'n', content: 'a@b' });
    assert.deepEqual(urlencodeForm('@f'), { name: undefined, file: 'f' });
    assert.deepEqual(urlencodeForm('n@f'), { name: 'n', file: 'f' });
    assert.equal(curlFormEncode(Buffer.from('a b~-._*é/')), 'a+b~-._%2A%C3%A9%2F');
  });

  it('-F arguments', () => {
    assert.deepEqual(parseFormArg('a=b;c', false), { name: 'a', value: 'b;c' });
    assert.deepEqual(parseFormArg('a=@f.txt;type=text/x;filename=g.bin', false), { name: 'a', file: 'f.txt', type: 'text/x', filename: 'g.bin' });
    assert.deepEqual(parseFormArg('a="q;x"', false), { name: 'a', value: 'q;x' });
    assert.deepEqual(parseFormArg('a=@x', true), { name: 'a', value: '@x' });
    assert.match(parseFormArg('nothing', false) as string, /has no '='/);
    assert.match(parseFormArg('a=@f;headers=x', false) as string, /not supported/);
  });

  it('shell quoting: bare, single quotes, $-quotes for controls and non-UTF-8 bytes', () => {
    assert.equal(shellQuote('http://x/a'), 'http://x/a');
    assert.equal(shellQuote("it's é"), `'it'\\''s é'`);
    assert.equal(shellQuote('a\nb\t\\'), "$'a\\nb\\t\\\\'");
    assert.equal(shellQuote(Buffer.from([0xe9, 0x27])), "$'\\xe9\\''");
    assert.equal(shellQuote(''), "''");
  });

  it('Copy as curl refuses # @raw requests and names what curl cannot reproduce', () => {
    const base: HttpRequestSpec = {
      kind: 'http',
      method: 'GET',
      url: 'http://127.0.0.1:9/',
      tls: false,
      host: '127.0.0.1',
      port: 9,
      target: '/',
      version: 'HTTP/1.1',
      headers: [['X-Empty', '']],
      options: { timeoutMs: 1000, insecure: true, noPool: false, maxResponseBytes: 1, proxy: 'http://127.0.0.1:3128' },
    };
    const r = specToCurl(base);
    assert.ok(r.ok);
    assert.equal(r.command, "curl --http1.1 -X GET -H User-Agent: -H Accept: -H 'X-Empty;' -k --proxy http://127.0.0.1:3128 --proxytunnel http://127.0.0.1:9/");
    assert.match(r.notes.join(), /empty header X-Empty/);
    const raw = specToCurl({ ...base, raw: Buffer.from('GET / HTTP/1.1\r\n\r\n') });
    assert.ok(!raw.ok && /# @raw/.test(raw.message));
  });
});
