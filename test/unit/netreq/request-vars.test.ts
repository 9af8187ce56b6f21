/**
 * Request variables (REST Client chaining) against real local servers: each block is resolved with a SentStore,
 * sent with the engines, recorded; then `{{name.…}}` is expanded as the next request would expand it.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { parseNetreq, resolveBlock, SentStore } from '../../../src/core/netreq';
import { substitute } from '../../../src/core/netreq/variables';
import { createEngines } from '../../../src/core/engines';
import { ConnectionPool } from '../../../src/core/transport/pool';
import type { NetreqDocument } from '../../../src/core/netreq/types';
import { startWsServer, type WsTestServer } from '../../support/ws';
import { assertReadable, ctx } from './helpers';

const DEEP = 200_000;
const ROUTES: Record<string, { type?: string; body: string | Buffer; headers?: Record<string, string | string[]> }> = {
  '/json': { type: 'application/json; charset=utf-8', body: JSON.stringify({ token: 'abc', n: 42, obj: { a: 1 }, arr: [1, 2], empty: '', nul: null, t: true, list: [{ id: 7, name: 'x' }, { id: 8, name: 'y' }] }) },
  '/problem': { type: 'application/problem+json', body: '{"title":"nope"}' },
  '/js': { type: 'application/javascript', body: '{"k":"v"}' },
  '/xml': { type: 'text/xml', body: '<?xml version="1.0"?><root><id a="7">x<b>y</b></id><items><i>1</i><i>2</i></items></root>' },
  '/text': { type: 'text/plain', body: 'hello' },
  '/bad-json': { type: 'application/json', body: '{"a":' },
  '/headers': { type: 'text/plain', body: 'h', headers: { 'X-Token': 't1', 'X-Multi': ['a', 'b'] } },
  '/deep': { type: 'application/json', body: '['.repeat(DEEP) + ']'.repeat(DEEP) },
  '/deep-xml': { type: 'application/xml', body: '<a>'.repeat(900) + '</a>'.repeat(900) },
  '/wide-xml': { type: 'application/xml', body: `<r>${'<a>1</a>'.repeat(DEEP)}</r>` },
  '/laughs': {
    type: 'application/xml',
    body:
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><r><v>&lol9;</v></r>',
  },
  '/xxe': { type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r><v>&x;</v><w>ok</w></r>' },
  '/binary': { type: 'application/octet-stream', body: Buffer.from([0x68, 0x69, 0xff, 0x00]) },
};

describe('request variables ({{name.response…}}, REST Client chaining)', function () {
  this.timeout(30_000);
  let server: http.Server;
  let port: number;
  let tcp: net.Server;
  let tcpPort: number;
  let ws: WsTestServer;
  const pool = new ConnectionPool();
  const engines = createEngines({ pool });

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = ROUTES[(req.url ?? '').split('?')[0]] ?? { type: 'text/plain', body: 'none' };
        res.writeHead(200, { ...(r.type ? { 'Content-Type': r.type } : {}), ...(r.headers ?? {}) });
        res.end(r.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    tcp = net.createServer((s) => {
      s.once('data', () => s.end(Buffer.concat([Buffer.from('hello\r\n'), Buffer.from([0xff]), Buffer.from(' é')])));
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    tcpPort = (tcp.address() as net.AddressInfo).port;
    ws = await startWsServer();
  });
  after(async () => {
    pool.dispose();
    await new Promise((r) => server.close(r));
    await new Promise((r) => tcp.close(r));
    await ws.close();
  });

  /** Sends every block in file order (each resolved with the store), records them; the doc and the store. */
  async function run(text: string): Promise<{ doc: NetreqDocument; sent: SentStore }> {
    const doc = parseNetreq(text.replace(/PORT/g, String(port)).replace(/TCPP/g, String(tcpPort)).replace(/WSP/g, String(ws.port)));
    const sent = new SentStore('run');
    for (const b of doc.blocks) {
      if (!b.requestLine) continue;
      const r = await resolveBlock(doc, b, ctx({ sent }));
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      sent.record(b, r.request, await engines.send(r.request));
    }
    return { doc, sent };
  }

  async function expand(doc: NetreqDocument, sent: SentStore, ref: string, maxResponseBytes?: number) {
    const c = ctx({ sent });
    if (maxResponseBytes) c.defaults = { ...c.defaults, maxResponseBytes };
    return substitute(doc, doc.blocks[doc.blocks.length - 1], c, ref);
  }

  async function value(doc: NetreqDocument, sent: SentStore, ref: string): Promise<string> {
    const r = await expand(doc, sent, ref);
    assert.deepEqual(r.diagnostics, [], `${ref}: ${JSON.stringify(r.diagnostics)}`);
    return r.text;
  }

  async function error(doc: NetreqDocument, sent: SentStore, ref: string, code: string, re: RegExp, maxResponseBytes?: number): Promise<void> {
    const r = await expand(doc, sent, ref, maxResponseBytes);
    assert.equal(r.diagnostics.length, 1, `${ref}: ${JSON.stringify(r.diagnostics)}`);
    const d = r.diagnostics[0];
    assert.equal(d.severity, 'error');
    assert.equal(d.code, code, d.message);
    assertReadable(d.message);
    assert.match(d.message, re);
    assert.equal(r.text, ref, 'the reference stays as written when it cannot be resolved');
  }

  it('JSON: a string as is; a number, object, array, null and true as JSON text; body.token is body.$.token', async () => {
    const { doc, sent } = await run('# @name j\nGET http://127.0.0.1:PORT/json\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, '{{j.response.body.$.token}}'), 'abc');
    assert.equal(await value(doc, sent, '{{j.response.body.token}}'), 'abc', 'jsonpath-plus reads a path without $. from the root, as in REST Client');
    assert.equal(await value(doc, sent, '{{j.response.body.$.n}}'), '42');
    assert.equal(await value(doc, sent, '{{j.response.body.$.obj}}'), '{"a":1}');
    assert.equal(await value(doc, sent, '{{j.response.body.$.arr}}'), '[1,2]');
    assert.equal(await value(doc, sent, '{{j.response.body.$.arr[1]}}'), '2');
    assert.equal(await value(doc, sent, '{{j.response.body.$.nul}}'), 'null');
    assert.equal(await value(doc, sent, '{{j.response.body.$.t}}'), 'true');
    assert.equal(await value(doc, sent, '{{j.response.body.$.list[?(@.name=="y")].id}}'), '8', 'filters run in jsonpath-plus\'s safe evaluator');
    assert.equal(await value(doc, sent, '{{j.response.body.$..id}}'), '7', 'several matches: the first');
    assert.equal(await value(doc, sent, '{{j.response.body.*}}'), ROUTES['/json'].body);
    await error(doc, sent, '{{j.response.body.$.missing}}', 'request-variable', /no value is resolved for the JSONPath "\$\.missing"/);
    await error(doc, sent, '{{j.response.body.$.empty}}', 'request-variable', /matches an empty string/);
    await error(doc, sent, '{{j.response.body.$.list[?(process.exit(1))]}}', 'request-variable', /not a JSONPath NetReq can evaluate/);
    await error(doc, sent, '{{j.response.body}}', 'request-variable', /write \{\{j\.response\.body\.\*\}\} for the whole body/);
    await error(doc, sent, '{{j.response.}}', 'request-variable', /is not a request variable NetReq can read/);
    await error(doc, sent, '{{j.response.status}}', 'request-variable', /'j' is an HTTP request: its response has j\.response\.body, j\.response\.headers/);
  });

  it('JSON content types: +json, and application/javascript when the body parses; a bad JSON body is an error', async () => {
    const { doc, sent } = await run(
      '# @name p\nGET http://127.0.0.1:PORT/problem\n\n###\n# @name js\nGET http://127.0.0.1:PORT/js\n\n###\n# @name bad\nGET http://127.0.0.1:PORT/bad-json\n\n###\n# @name t\nGET http://127.0.0.1:PORT/text\n\n###\nGET http://127.0.0.1:PORT/text',
    );
    assert.equal(await value(doc, sent, '{{p.response.body.$.title}}'), 'nope');
    assert.equal(await value(doc, sent, '{{js.response.body.$.k}}'), 'v');
    await error(doc, sent, '{{bad.response.body.$.a}}', 'request-variable', /the body is not valid JSON/);
    await error(doc, sent, '{{t.response.body.$.a}}', 'request-variable', /only JSON and XML bodies can be queried, and the response of 't' has Content-Type "text\/plain"; use \{\{t\.response\.body\.\*\}\}/);
    assert.equal(await value(doc, sent, '{{t.response.body.*}}'), 'hello');
  });

  it('XML: XPath string(), an element\'s inner XML, an attribute, the document\'s root; count() is refused with string()', async () => {
    const { doc, sent } = await run('# @name x\nGET http://127.0.0.1:PORT/xml\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, '{{x.response.body.//id/@a}}'), '7');
    assert.equal(await value(doc, sent, '{{x.response.body.//id}}'), 'x<b>y</b>');
    assert.equal(await value(doc, sent, '{{x.response.body.string(//items/i[2])}}'), '2');
    assert.equal(await value(doc, sent, '{{x.response.body./}}'), '<root><id a="7">x<b>y</b></id><items><i>1</i><i>2</i></items></root>');
    assert.equal(await value(doc, sent, '{{x.response.body.//i/text()}}'), '1');
    await error(doc, sent, '{{x.response.body.//nothing}}', 'request-variable', /no value is resolved for the XPath/);
    await error(doc, sent, '{{x.response.body.count(//i)}}', 'request-variable', /gives a number, which REST Client cannot use: write string\(count\(\/\/i\)\)/);
    await error(doc, sent, '{{x.response.body.//[}}', 'request-variable', /not an XPath NetReq can evaluate/);
  });

  it('headers: any case; repeats joined with ", "; a missing one is an error; request headers and body as sent', async () => {
    const { doc, sent } = await run(
      '# @name h\nGET http://127.0.0.1:PORT/headers\n\n###\n# @name p\nPOST http://127.0.0.1:PORT/json\nContent-Type: application/json\nX-Mine: m\n\n{"user": "ada", "n": [3]}\n\n###\nGET http://127.0.0.1:PORT/text',
    );
    assert.equal(await value(doc, sent, '{{h.response.headers.x-token}}'), 't1');
    assert.equal(await value(doc, sent, '{{h.response.headers.X-TOKEN}}'), 't1');
    assert.equal(await value(doc, sent, '{{h.response.headers.X-Multi}}'), 'a, b');
    assert.equal(await value(doc, sent, '{{h.response.headers.content-type}}'), 'text/plain');
    await error(doc, sent, '{{h.response.headers.X-Nope}}', 'request-variable', /the response of 'h' has no header "X-Nope"/);
    assert.equal(await value(doc, sent, '{{p.request.headers.x-mine}}'), 'm');
    assert.equal(await value(doc, sent, '{{p.request.headers.Host}}'), `127.0.0.1:${port}`, 'the headers as they went on the wire');
    assert.equal(await value(doc, sent, '{{p.request.body.$.user}}'), 'ada');
    assert.equal(await value(doc, sent, '{{p.request.body.$.n}}'), '[3]');
    assert.equal(await value(doc, sent, '{{p.request.body.*}}'), '{"user": "ada", "n": [3]}');
    await error(doc, sent, '{{h.request.body.*}}', 'request-variable', /the request of 'h' has no body/);
  });

  it('file variables use them (@token = {{login.response.body.token}}), and the value is never expanded again', async () => {
    const { doc, sent } = await run('@token = {{j.response.body.token}}\n@whole = <{{j.response.body.$.obj}}>\n\n# @name j\nGET http://127.0.0.1:PORT/json\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, 'Bearer {{token}} {{whole}}'), 'Bearer abc <{"a":1}>');
    const r = await expand(doc, sent, '{{token}}');
    assert.equal(r.text, 'abc');
  });

  it('TCP: {{name.response.received}} is the received bytes as UTF-8 text, other bytes as \\xNN', async () => {
    const { doc, sent } = await run('# @name t\nTCP 127.0.0.1:TCPP\n\nhi\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, '{{t.response.received}}'), 'hello\r\n\\xff é');
    await error(doc, sent, '{{t.response.body.*}}', 'request-variable', /'t' is a TCP request: its response has t\.response\.received/);
  });

  it('WebSocket: frames.received.N / .last, frames.sent.N, handshake headers', async () => {
    const { doc, sent } = await run('# @name w\nWS ws://127.0.0.1:WSP/\n\n> first\n> second\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, '{{w.response.frames.received.0}}'), 'first');
    assert.equal(await value(doc, sent, '{{w.response.frames.received.last}}'), 'second');
    assert.equal(await value(doc, sent, '{{w.response.frames.sent.1}}'), 'second');
    assert.equal(await value(doc, sent, '{{w.response.headers.upgrade}}'), 'websocket');
    assert.match(await value(doc, sent, '{{w.request.headers.sec-websocket-key}}'), /^[A-Za-z0-9+/]{22}==$/);
    await error(doc, sent, '{{w.response.frames.received.2}}', 'request-variable', /has 2 received text or binary frames \(numbered from 0\)/);
    await error(doc, sent, '{{w.response.frames.first}}', 'request-variable', /write frames\.received\.N/);
  });

  it('not sent, later, failed, unknown: errors naming both blocks', async () => {
    const text = `### use\nGET http://127.0.0.1:${port}/text?t={{login.response.body.$.token}}\n\n### login\n# @name login\nGET http://127.0.0.1:${port}/json\n\n### down\n# @name down\nGET http://127.0.0.1:1/\n`;
    const doc = parseNetreq(text);
    const sent = new SentStore('run');
    const first = await resolveBlock(doc, doc.blocks[0], ctx({ sent }));
    assert.equal(first.ok, false);
    const d = first.diagnostics.find((x) => x.code === 'request-not-sent')!;
    assert.equal(
      d.message,
      "{{login.response.body.$.token}} needs the response of 'login' (line 6), which has not been sent in this run: it comes after this request (line 2), and requests are sent in file order; move 'login' above this one",
    );
    assert.deepEqual([d.span.start.line, d.span.start.col], [1, `GET http://127.0.0.1:${port}/text?t=`.length]);
    const down = await resolveBlock(doc, doc.blocks[2], ctx({ sent }));
    assert.ok(down.ok);
    sent.record(doc.blocks[2], down.request, await engines.send(down.request));
    const r = await substitute(doc, doc.blocks[0], ctx({ sent }), '{{down.response.headers.x}}');
    assert.equal(r.diagnostics[0].code, 'request-failed');
    assert.match(r.diagnostics[0].message, /^\{\{down\.response\.headers\.x\}\} needs the response of 'down' \(line 10\), whose request failed \(connect: .+\)$/);
    const session = await substitute(doc, doc.blocks[0], ctx({ sent: new SentStore('session') }), '{{login.response.body.*}}');
    assert.match(session.diagnostics[0].message, /which has not been sent in this session$/);
    const unknown = await substitute(doc, doc.blocks[0], ctx({ sent }), '{{nobody.response.body.*}}');
    assert.match(unknown.diagnostics[0].message, /^\{\{nobody\.response\.body\.\*\}\}: no request named 'nobody' in this file \(name one with # @name nobody\)/);
  });

  it('bounds: a body past maxResponseBytes is not parsed; a value past 1 MiB is refused; deep JSON/XML is an error in words', async () => {
    const { doc, sent } = await run('# @name j\nGET http://127.0.0.1:PORT/json\n\n###\n# @name deep\nGET http://127.0.0.1:PORT/deep\n\n###\n# @name dx\nGET http://127.0.0.1:PORT/deep-xml\n\n###\n# @name wx\nGET http://127.0.0.1:PORT/wide-xml\n\n###\nGET http://127.0.0.1:PORT/text');
    await error(doc, sent, '{{j.response.body.$.token}}', 'request-variable', /has a body of [\d,]+ bytes, more than the 100 NetReq reads for a request variable/, 100);
    const d = await expand(doc, sent, '{{deep.response.body.$..x}}');
    assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics));
    assert.match(d.diagnostics[0].message, /nested too deeply|no value is resolved/);
    const w = await expand(doc, sent, '{{deep.response.body.*}}');
    assert.equal(w.diagnostics.length, 0, 'the whole body (400 kB) is a value under 1 MiB');
    assert.equal(await value(doc, sent, '{{dx.response.body.string(/)}}'), '');
    assert.equal((await value(doc, sent, '{{dx.response.body.//a}}')).length, 898 * 7 + '<a/>'.length, 'the innermost empty element is written <a/>');
    await error(doc, sent, '{{wx.response.body.//a}}', 'request-variable', /the XML body has more than 2,000 tags, past which XPath \(the xpath library\) takes seconds/);
  });

  it('XML is parsed hardened: no DTD entity expansion (billion laughs), no external entity (XXE)', async () => {
    const { doc, sent } = await run('# @name l\nGET http://127.0.0.1:PORT/laughs\n\n###\n# @name x\nGET http://127.0.0.1:PORT/xxe\n\n###\nGET http://127.0.0.1:PORT/text');
    const laughs = await value(doc, sent, '{{l.response.body.string(//v)}}');
    assert.ok(laughs.length < 100, `entities not expanded (got ${laughs.length} characters)`);
    assert.doesNotMatch(laughs, /lollol/);
    const xxe = await value(doc, sent, '{{x.response.body.string(/r)}}');
    assert.equal(xxe, '&x;ok', 'the external entity is not read: its reference stays as text');
  });

  it('a value past 1 MiB is refused (value-too-large), naming the reference', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    ROUTES['/big'] = { type: 'application/json', body: JSON.stringify({ v: big }) };
    const { doc, sent } = await run('# @name b\nGET http://127.0.0.1:PORT/big\n\n###\nGET http://127.0.0.1:PORT/text');
    await error(doc, sent, '{{b.response.body.$.v}}', 'value-too-large', /^\{\{b\.response\.body\.\$\.v\}\} is 1,048,586 characters, more than 1,048,576 \(1 MiB\)/);
  });

  it('{{%…}} percent-encodes a request variable; the store keeps only the newest exchange per name, none for unnamed blocks', async () => {
    ROUTES['/odd'] = { type: 'application/json', body: '{"q":"a b&c/é"}' };
    const { doc, sent } = await run('# @name o\nGET http://127.0.0.1:PORT/odd\n\n###\nGET http://127.0.0.1:PORT/json\n\n###\nGET http://127.0.0.1:PORT/text');
    assert.equal(await value(doc, sent, '?q={{%o.response.body.$.q}}'), '?q=a%20b%26c%2F%C3%A9');
    assert.equal(sent.size, 1, 'unnamed blocks are not kept');
    const first = sent.get('o')!.exchange;
    const again = await resolveBlock(doc, doc.blocks[0], ctx({ sent }));
    assert.ok(again.ok);
    sent.record(doc.blocks[0], again.request, await engines.send(again.request));
    assert.equal(sent.size, 1);
    assert.notEqual(sent.get('o')!.exchange.id, first.id, 'the newest exchange replaced the older one');
  });

  it('the parser: a request variable of a named block is fine; of an unknown name, "no request named"', () => {
    const ok = parseNetreq('# @name login\nGET http://h/\n\n###\nGET http://h/{{login.response.body.$.id}}');
    assert.deepEqual(ok.diagnostics, []);
    const bad = parseNetreq('# @name login\nGET http://h/\n\n###\nGET http://h/{{logn.response.body.$.id}}');
    assert.equal(bad.diagnostics.length, 1);
    assert.equal(bad.diagnostics[0].message, "{{logn.response.body.$.id}}: no request named 'logn' in this file (name one with # @name logn)");
    assert.deepEqual([bad.diagnostics[0].span.start.line, bad.diagnostics[0].span.start.col], [4, 13]);
  });
});
