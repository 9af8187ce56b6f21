// "Open as .netreq": what the generators write is parsed and resolved by NetReq's own language core and
// must send the captured bytes again, exactly (or say in a comment what it could not carry).
import { strict as assert } from 'node:assert';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { ResolveContext } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS, type HttpRequestSpec, type MulticastRequestSpec, type RequestSpec, type UdpRequestSpec } from '../../../src/core/request';
import { escapeValue, Preamble } from '../../../src/core/netreq/netreqText';
import { datagramModule, datagramToNetreq } from '../../../src/core/protocols/datagram';
import { endToEndHeaders, flowToNetreq, httpModule, type ReplayFlow } from '../../../src/core/protocols/http';
import { unescapeValue } from '../../../src/core/netreq';
import { PROTOCOLS } from '../../../src/core/protocols/registry';

const ctx: ResolveContext = { processEnv: {}, readFile: () => Promise.reject(new Error('no files here')), defaults: { ...DEFAULT_OPTIONS }, now: () => new Date(0) };
const T0 = Date.UTC(2025, 4, 6, 7, 8, 9, 123);

export function flow(over: Partial<ReplayFlow> = {}): ReplayFlow {
  return {
    kind: 'http',
    startedAt: T0,
    client: '127.0.0.1:50123',
    method: 'GET',
    target: 'http://127.0.0.1:8080/path?q=1',
    requestHeaders: [
      ['Host', '127.0.0.1:8080'],
      ['User-Agent', 'curl/8'],
      ['Accept', '*/*'],
      ['Proxy-Connection', 'Keep-Alive'],
    ],
    bytesUp: 0,
    ...over,
  };
}

async function resolveAll(text: string): Promise<RequestSpec[]> {
  const doc = parseNetreq(text);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity !== 'info'),
    [],
    `the generated document parses cleanly:\n${text}`,
  );
  const out: RequestSpec[] = [];
  for (const b of doc.blocks) {
    const r = await resolveBlock(doc, b, ctx);
    assert.ok(r.ok, `block ${b.index} resolves: ${JSON.stringify(r.diagnostics)}\n${text}`);
    out.push(r.request);
  }
  return out;
}

async function http(text: string): Promise<HttpRequestSpec> {
  const specs = await resolveAll(text);
  assert.equal(specs.length, 1, text);
  assert.equal(specs[0].kind, 'http');
  return specs[0] as HttpRequestSpec;
}

describe('Open as .netreq: plain HTTP flows', () => {
  it('writes method, URL and end-to-end headers; drops the proxy hop headers with a note', async () => {
    const text = flowToNetreq(flow());
    const spec = await http(text);
    assert.equal(spec.method, 'GET');
    assert.equal(spec.url, 'http://127.0.0.1:8080/path?q=1');
    assert.deepEqual(spec.headers, [
      ['Host', '127.0.0.1:8080'],
      ['User-Agent', 'curl/8'],
      ['Accept', '*/*'],
    ]);
    assert.equal(spec.body, undefined);
    assert.match(text, /^### GET http:\/\/127\.0\.0\.1:8080\/path\?q=1$/m);
    assert.match(text, /# Captured by the NetReq proxy at 07:08:09\.123 UTC from 127\.0\.0\.1:50123\./);
    assert.match(text, /# Left out \(they were for the proxy hop\): Proxy-Connection\./);
  });

  it('drops headers the Connection header names', () => {
    assert.deepEqual(
      endToEndHeaders([
        ['Connection', 'X-Hop, close'],
        ['X-Hop', '1'],
        ['X-Keep', '2'],
        ['TE', 'trailers'],
      ]),
      [['X-Keep', '2']],
    );
  });

  const bodies: Array<[string, string]> = [
    ['a one-line JSON body', '{"a":1,"b":"x"}'],
    ['CRLF lines (inline)', 'line one\r\nline two\r\n  indented'],
    ['LF lines (a file variable keeps them LF)', '{\n  "pretty": true\n}\n'],
    ['a lone CR, tabs, backslashes and quotes', 'a\rb\tc\\d"e\'f'],
    ['leading and trailing spaces', '  padded  '],
    ['a ### line (would start a block)', 'x\r\n### not a block\r\ny'],
    ['one line starting with < (would be a body file)', '<xml attr="1"/>'],
    ['{{ that must stay literal', 'tpl={{name}} and {{{triple}}} and {{$guid}}'],
    ['blank first and last lines', '\r\nmiddle\r\n\r\n'],
    ['UTF-8 text', 'naïve café — ☕ 𝄞'],
  ];
  for (const [what, body] of bodies) {
    it(`sends the body back byte for byte: ${what}`, async () => {
      const bytes = Buffer.from(body, 'utf8');
      const f = flow({ method: 'POST', requestBody: bytes, bytesUp: bytes.length, requestHeaders: [['Host', '127.0.0.1:8080'], ['Content-Type', 'text/plain'], ['Content-Length', String(bytes.length)]] });
      const spec = await http(flowToNetreq(f));
      assert.equal(spec.method, 'POST');
      assert.equal(spec.body?.toString('utf8'), body);
      assert.deepEqual(spec.body, bytes);
      assert.deepEqual(spec.headers, [
        ['Host', '127.0.0.1:8080'],
        ['Content-Type', 'text/plain'],
        ['Content-Length', String(bytes.length)],
      ]);
    });
  }

  it('keeps {{ literal in the URL and in header values', async () => {
    const f = flow({ target: 'http://127.0.0.1:8080/?t={{x}}', requestHeaders: [['Host', '127.0.0.1:8080'], ['X-Template', '{{$guid}} {{{y}}}']] });
    const spec = await http(flowToNetreq(f));
    assert.equal(spec.url, 'http://127.0.0.1:8080/?t={{x}}');
    assert.deepEqual(spec.headers[1], ['X-Template', '{{$guid}} {{{y}}}']);
  });

  it('a chunked body: the same bytes with a Content-Length, and a note saying so', async () => {
    const bytes = Buffer.from('hello chunks');
    const f = flow({ method: 'PUT', requestBody: bytes, bytesUp: bytes.length, requestHeaders: [['Host', 'h:1'], ['Transfer-Encoding', 'chunked']] });
    const text = flowToNetreq(f);
    const spec = await http(text);
    assert.deepEqual(spec.body, bytes);
    assert.deepEqual(spec.headers, [['Host', 'h:1']]);
    assert.match(text, /sent the body chunked; NetReq sends the same bytes with a Content-Length/);
  });

  it('a body cut at 64 KB: sends what was kept, drops the old Content-Length, says so', async () => {
    const kept = Buffer.alloc(64 * 1024, 'a');
    const f = flow({ method: 'POST', requestBody: kept, bytesUp: 100_000, requestHeaders: [['Host', 'h:1'], ['Content-Length', '100000']] });
    const text = flowToNetreq(f);
    const spec = await http(text);
    assert.equal(spec.body?.length, kept.length);
    assert.deepEqual(spec.headers, [['Host', 'h:1']]);
    assert.match(text, /Only the first 64 KB of the body \(98 KB\) were captured/);
  });

  it('a binary body is not written: a note says how to send it from a file', async () => {
    const bin = Buffer.from([0x00, 0xff, 0x10, 0x41]);
    const text = flowToNetreq(flow({ method: 'POST', requestBody: bin, bytesUp: 4, requestHeaders: [['Host', 'h:1'], ['Content-Length', '4']] }));
    const spec = await http(text);
    assert.equal(spec.body, undefined);
    assert.deepEqual(spec.headers, [['Host', 'h:1']]);
    assert.match(text, /is not text, so it is not written here: save it to a file and add the line < \.\/body\.bin/);
  });

  it('leaves out header lines NetReq would read as a comment, with a note', async () => {
    const text = flowToNetreq(flow({ requestHeaders: [['#Hash', '1'], ['Host', 'h:1']] }));
    const spec = await http(text);
    assert.deepEqual(spec.headers, [['Host', 'h:1']]);
    assert.match(text, /# Header "#Hash" is left out/);
  });

  it('hostile text stays on its comment and title lines', async () => {
    const evil = 'x\r\n### injected\r\nGET http://evil/';
    const text = flowToNetreq(flow({ client: evil, target: 'http://127.0.0.1/a' }));
    await http(text); // still exactly one block
    assert.ok(!text.includes('\r'));
  });
});

describe('Open as .netreq: CONNECT tunnels', () => {
  it('writes an HTTPS GET and a TLS block for host:port', async () => {
    const text = flowToNetreq(flow({ kind: 'tunnel', method: 'CONNECT', target: 'example.com:443', requestHeaders: [['Host', 'example.com:443']] }));
    const specs = await resolveAll(text);
    assert.deepEqual(
      specs.map((s) => s.kind),
      ['http', 'tls'],
    );
    assert.equal((specs[0] as HttpRequestSpec).url, 'https://example.com/');
    assert.deepEqual([(specs[1] as { host: string }).host, (specs[1] as { port: number }).port], ['example.com', 443]);
    assert.match(text, /encrypted: the proxy saw only the host and port/);
  });

  it('keeps a non-default port and IPv6 brackets', async () => {
    const specs = await resolveAll(flowToNetreq(flow({ kind: 'tunnel', method: 'CONNECT', target: '[::1]:8443' })));
    assert.equal((specs[0] as HttpRequestSpec).url, 'https://[::1]:8443/');
    assert.equal((specs[1] as { host: string }).host, '::1');
  });

  it('a target that is not host:port gives only an explanation', () => {
    const text = flowToNetreq(flow({ kind: 'tunnel', method: 'CONNECT', target: 'no port here' }));
    assert.equal(parseNetreq(text).blocks.length, 0);
    assert.match(text, /is not a host:port NetReq can connect to/);
  });
});

describe('Open as .netreq: multicast datagrams', () => {
  const source = { group: '239.255.0.1', port: 5000, interface: '127.0.0.1' };
  const payloads: Array<[string, Buffer, string[]]> = [
    ['one text line', Buffer.from('hello group'), []],
    ['LF after every line', Buffer.from('a\nb\n'), ['# @eol lf']],
    ['CRLF after every line', Buffer.from('a\r\nb\r\n'), ['# @eol crlf']],
    ['CRLF between lines', Buffer.from('a\r\nb'), []],
    ['LF between lines only (hex)', Buffer.from('a\nb'), ['# @hex']],
    ['binary (hex)', Buffer.from([0, 1, 2, 0xff, 0x7b, 0x7b]), ['# @hex']],
    ['{{ in text', Buffer.from('{{x}} stays'), []],
    ['a trailing blank line (hex)', Buffer.from('a\n\n'), ['# @hex']],
  ];
  for (const [what, data, directives] of payloads) {
    it(`a UDP reply and a MULTICAST resend with the same bytes: ${what}`, async () => {
      const text = datagramToNetreq({ at: T0, from: '127.0.0.1:40000', data }, source);
      const [udp, mc] = (await resolveAll(text)) as [UdpRequestSpec, MulticastRequestSpec];
      assert.equal(udp.kind, 'udp');
      assert.deepEqual([udp.host, udp.port], ['127.0.0.1', 40000]);
      assert.deepEqual(udp.payload, data);
      assert.equal(mc.kind, 'multicast');
      assert.deepEqual([mc.group, mc.port, mc.interface], ['239.255.0.1', 5000, '127.0.0.1']);
      assert.deepEqual(mc.payload, data);
      for (const d of directives) assert.ok(text.includes(`${d}\n`), `${d} in\n${text}`);
    });
  }

  it('IPv6 sender and group in brackets; no interface line when the listener had none', async () => {
    const text = datagramToNetreq({ at: T0, from: '[::1]:40000', data: Buffer.from('v6') }, { group: 'ff01::1234', port: 5000 });
    const [udp, mc] = (await resolveAll(text)) as [UdpRequestSpec, MulticastRequestSpec];
    assert.equal(udp.host, '::1');
    assert.equal(mc.group, 'ff01::1234');
    assert.doesNotMatch(text, /@interface/);
  });
});

describe('netreq text helpers', () => {
  it('escapeValue round-trips through the language unescape', () => {
    for (const s of ['plain', 'a\\b', ' lead', 'tab\there', 'cr\rlf\n', '\\n literal']) assert.equal(unescapeValue(escapeValue(s)), s);
  });

  it('Preamble.literal defines lbrace only when needed', () => {
    const p = new Preamble();
    assert.equal(p.literal('no braces { }'), 'no braces { }');
    assert.deepEqual(p.lines(), []);
    assert.equal(p.literal('{{a}}'), '{{lbrace}}{a}}');
    assert.deepEqual(p.lines(), ['@lbrace = {']);
  });
});

describe('Open as .netreq: the module objects', () => {
  it('the HTTP module replays proxy flows and the datagram module captured datagrams; stream, WS and DNS capture nothing to replay', () => {
    const f = flow({ method: 'POST', requestBody: Buffer.from('a=1'), bytesUp: 3 });
    assert.equal(httpModule.replay!(f), flowToNetreq(f));
    assert.match(httpModule.replay!(f), /^POST http:\/\//m);
    const datagram = { at: T0, from: '127.0.0.1:40000', data: Buffer.from('hi') };
    const source = { group: '239.1.2.3', port: 5000 };
    const text = datagramModule.replay!({ datagram, source });
    assert.equal(text, datagramToNetreq(datagram, source));
    assert.match(text, /^MULTICAST 239\.1\.2\.3:5000$/m);
    assert.deepEqual(
      PROTOCOLS.filter((m) => m.replay).map((m) => m.id),
      ['http', 'datagram'],
    );
  });
});
