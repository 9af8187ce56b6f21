import { strict as assert } from 'node:assert';
import { blockAtLine, findBlockByName, foldingRanges, parseNetreq } from '../../../src/core/netreq';

describe('netreq parser: structure', () => {
  it('splits blocks on ### lines, keeps titles and line ranges', () => {
    const doc = parseNetreq('### First\nGET http://a/\n\n###   Second  \nGET http://b/\n###\nGET http://c/');
    assert.equal(doc.blocks.length, 3);
    assert.deepEqual(
      doc.blocks.map((b) => [b.index, b.title, b.startLine, b.endLine]),
      [
        [0, 'First', 0, 2],
        [1, 'Second', 3, 4],
        [2, '', 5, 6],
      ],
    );
    assert.deepEqual(doc.diagnostics, []);
  });

  it('treats text before the first ### as a block only when it holds a request line', () => {
    const withRequest = parseNetreq('# intro\nGET http://a/\n### next\nGET http://b/');
    assert.equal(withRequest.blocks.length, 2);
    assert.equal(withRequest.blocks[0].startLine, 0);
    assert.equal(withRequest.blocks[0].title, '');
    const withoutRequest = parseNetreq('# only comments\n@x = 1\n\n### next\nGET http://b/');
    assert.equal(withoutRequest.blocks.length, 1);
    assert.equal(withoutRequest.blocks[0].title, 'next');
  });

  it('keeps empty ### blocks (no request line, no diagnostic)', () => {
    const doc = parseNetreq('### a\n\n### b\nGET http://x/');
    assert.equal(doc.blocks.length, 2);
    assert.equal(doc.blocks[0].requestLine, undefined);
    assert.deepEqual(doc.diagnostics, []);
  });

  it('parses CRLF, LF and lone CR identically', () => {
    const lf = 'GET http://a/x\nAccept: */*\n\nbody1\nbody2\n';
    for (const text of [lf, lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r')]) {
      const doc = parseNetreq(text);
      const b = doc.blocks[0];
      assert.equal(b.requestLine?.target, 'http://a/x');
      assert.deepEqual(b.headers.map((h) => [h.name, h.value, h.line]), [['Accept', '*/*', 1]]);
      assert.deepEqual(b.body, { text: 'body1\nbody2', startLine: 3, endLine: 4 });
    }
  });

  it('skips # and // comments before the request line and among headers', () => {
    const doc = parseNetreq('// intro\n# another\nGET http://a/\n# a comment\nAccept: x\n// more\nX-Y: z\n');
    const b = doc.blocks[0];
    assert.equal(b.requestLine?.line, 2);
    assert.deepEqual(b.headers.map((h) => h.name), ['Accept', 'X-Y']);
    assert.deepEqual(doc.diagnostics, []);
  });

  it('reads # @key value and // @key value directives before the request line', () => {
    const doc = parseNetreq('### t\n# @name login\n//   @timeout 10s\n# @insecure\nGET https://a/');
    const b = doc.blocks[0];
    assert.equal(b.name, 'login');
    assert.deepEqual(
      b.directives.map((d) => [d.key, d.value, d.line]),
      [
        ['name', 'login', 1],
        ['timeout', '10s', 2],
        ['insecure', '', 3],
      ],
    );
    assert.deepEqual(b.directives[1].span, { start: { line: 2, col: 0 }, end: { line: 2, col: 17 } });
  });

  it('does not take prose or commented-out variables for directives', () => {
    const doc = parseNetreq('# @host = 127.0.0.1\n# email me@example.com\n# @see! no\nGET http://a/');
    assert.deepEqual(doc.blocks[0].directives, []);
    assert.deepEqual(doc.diagnostics, []);
  });

  it('collects @name = value file variables anywhere outside request sections (REST Client)', () => {
    const doc = parseNetreq('@a = 1\n@b=two words \n### x\n@c = {{a}}\nGET http://h/{{c}}\n\n@notavar = body\n');
    assert.deepEqual(
      doc.variables.map((v) => [v.name, v.value, v.line]),
      [
        ['a', '1', 0],
        ['b', 'two words', 1],
        ['c', '{{a}}', 3],
      ],
    );
    assert.deepEqual(doc.variables[1].span, { start: { line: 1, col: 0 }, end: { line: 1, col: 12 } });
    // File scope: nothing is request-scoped.
    assert.deepEqual(doc.blocks[0].variables, []);
    assert.equal(doc.blocks[0].body?.text, '@notavar = body');
  });

  it('stops headers at the first empty line; the rest is the body with trailing blanks trimmed', () => {
    const doc = parseNetreq('POST http://a/p\nContent-Type: text/plain\nX-Empty:\n\nline 1\n\n  line 3  \n\n\n### next\n');
    const b = doc.blocks[0];
    assert.deepEqual(b.headers.map((h) => [h.name, h.value, h.text]), [
      ['Content-Type', 'text/plain', 'Content-Type: text/plain'],
      ['X-Empty', '', 'X-Empty:'],
    ]);
    assert.deepEqual(b.body, { text: 'line 1\n\n  line 3  ', startLine: 4, endLine: 6 });
  });

  it('recognises < file and <@ file bodies', () => {
    const plain = parseNetreq('POST http://a/\n\n< ./body.json\n').blocks[0].body;
    assert.deepEqual(plain?.file, { path: './body.json', substitute: false, line: 2 });
    const subst = parseNetreq('POST http://a/\n\n<@ ./t.json\n').blocks[0].body;
    assert.deepEqual(subst?.file, { path: './t.json', substitute: true, line: 2 });
    const enc = parseNetreq('POST http://a/\n\n<@latin1 ./t.xml\n').blocks[0].body;
    assert.deepEqual(enc?.file, { path: './t.xml', substitute: true, line: 2 });
    const html = parseNetreq('POST http://a/\n\n<html></html>\n').blocks[0].body;
    assert.equal(html?.file, undefined);
    const mixed = parseNetreq('POST http://a/\n\n< ./a.json\nmore\n').blocks[0].body;
    assert.equal(mixed?.file, undefined, 'a file line among other lines is text');
  });

  it('appends REST Client query continuation lines to the target', () => {
    const b = parseNetreq('GET http://a/list\n    ?page=2\n    &size=10\nAccept: x\n').blocks[0];
    assert.equal(b.requestLine?.target, 'http://a/list?page=2&size=10');
    assert.deepEqual(b.headers.map((h) => h.name), ['Accept']);
  });

  it('blockAtLine and findBlockByName', () => {
    const doc = parseNetreq('@x = 1\n\n### a\n# @name first\nGET http://a/\n\n### b\n# @name second\nGET http://b/\n');
    assert.equal(blockAtLine(doc, 0), undefined, 'the preamble without a request is no block');
    assert.equal(blockAtLine(doc, 2)?.name, 'first');
    assert.equal(blockAtLine(doc, 5)?.name, 'first');
    assert.equal(blockAtLine(doc, 6)?.name, 'second');
    assert.equal(blockAtLine(doc, 9)?.name, 'second');
    assert.equal(blockAtLine(doc, 10), undefined);
    assert.equal(findBlockByName(doc, 'second')?.index, 1);
    assert.equal(findBlockByName(doc, 'nope'), undefined);
  });

  it('foldingRanges: each block up to its last line with content', () => {
    const doc = parseNetreq('@x = 1\n### a\nGET http://a/\nAccept: x\n\n\n### b\n\n### c\nPOST http://c/\n\nbody\n\n');
    assert.deepEqual(foldingRanges(doc), [
      { start: 1, end: 3 },
      { start: 8, end: 11 },
    ]);
  });

  it('parses a 5,000-block file', () => {
    const parts: string[] = ['@host = 127.0.0.1', '@port = 8080', ''];
    for (let i = 0; i < 5000; i++) {
      parts.push(`### request ${i}`, `# @name r${i}`, `POST http://{{host}}:{{port}}/items/${i}?q=${i} HTTP/1.1`, 'Content-Type: application/json', `X-Index: ${i}`, '', `{"id": ${i}, "name": "item {{host}}"}`, '');
    }
    const doc = parseNetreq(parts.join('\n'));
    assert.equal(doc.blocks.length, 5000);
    assert.equal(doc.diagnostics.length, 0);
  });
});

describe('netreq parser: request lines', () => {
  const rl = (line: string) => parseNetreq(line).blocks[0]?.requestLine;

  it('HTTP methods, custom methods and bare URLs', () => {
    assert.deepEqual(
      ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'].map((m) => rl(`${m} http://a/`)?.method),
      ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'],
    );
    assert.equal(rl('get http://a/')?.method, 'GET', 'known methods in any case (REST Client)');
    assert.deepEqual([rl('PURGE http://a/x')?.method, rl('PURGE http://a/x')?.protocol], ['PURGE', 'http']);
    assert.equal(rl('PROPFIND /dav')?.method, 'PROPFIND');
    const bare = rl('https://example.com/x?y=1 HTTP/1.0')!;
    assert.deepEqual([bare.method, bare.target, bare.version, bare.protocol], ['GET', 'https://example.com/x?y=1', 'HTTP/1.0', 'http']);
    assert.equal(rl('{{baseUrl}}/users')?.target, '{{baseUrl}}/users');
  });

  it('target span and version', () => {
    const r = rl('  GET http://a/b HTTP/1.1')!;
    assert.deepEqual(r.targetSpan, { start: { line: 0, col: 6 }, end: { line: 0, col: 16 } });
    assert.equal(r.version, 'HTTP/1.1');
    assert.equal(r.text, '  GET http://a/b HTTP/1.1');
    assert.equal(rl('GET http://a/')?.version, undefined);
  });

  it('keeps whitespace inside {{…}} in one word', () => {
    const r = rl('GET http://a/?d={{$datetime "YYYY-MM-DD HH:mm"}} HTTP/1.1')!;
    assert.equal(r.target, 'http://a/?d={{$datetime "YYYY-MM-DD HH:mm"}}');
    assert.equal(r.version, 'HTTP/1.1');
  });

  it('socket protocol words', () => {
    const cases: Array<[string, string, string]> = [
      ['TCP 127.0.0.1:7', 'tcp', '127.0.0.1:7'],
      ['TLS example.com:443', 'tls', 'example.com:443'],
      ['QOTD qotd.example.test', 'qotd', 'qotd.example.test'],
      ['DAYTIME 127.0.0.1:13', 'daytime', '127.0.0.1:13'],
      ['ECHO [::1]', 'echo', '[::1]'],
      ['UDP localhost:9999', 'udp', 'localhost:9999'],
      ['MULTICAST 239.1.2.3:5000', 'multicast', '239.1.2.3:5000'],
      ['MULTICAST [ff02::1]:5000', 'multicast', '[ff02::1]:5000'],
      ['WS ws://a:9/chat', 'ws', 'ws://a:9/chat'],
      ['WS wss://a/chat', 'ws', 'wss://a/chat'],
      ['ws://a/bare', 'ws', 'ws://a/bare'],
    ];
    for (const [line, protocol, target] of cases) {
      const doc = parseNetreq(line);
      assert.deepEqual(doc.diagnostics, [], line);
      assert.deepEqual([doc.blocks[0].requestLine?.protocol, doc.blocks[0].requestLine?.target], [protocol, target], line);
    }
  });

  it('socket bodies start after the request line (leading blank lines skipped)', () => {
    const b = parseNetreq('TCP a:1\n\nHELLO\nWORLD\n\n').blocks[0];
    assert.deepEqual(b.headers, []);
    assert.deepEqual(b.body, { text: 'HELLO\nWORLD', startLine: 2, endLine: 3, trailingBlankLines: 1 });
    const c = parseNetreq('TCP a:1\nGET / HTTP/1.0\nHost: a\n').blocks[0];
    assert.equal(c.body?.text, 'GET / HTTP/1.0\nHost: a');
    assert.equal(parseNetreq('QOTD a\n').blocks[0].body, undefined);
  });

  it('WS: handshake headers, then message lines (a > line may end the headers)', () => {
    const b = parseNetreq('WS ws://a/chat\nSec-WebSocket-Protocol: chat\n\n> hi\n>hex 01 02\n').blocks[0];
    assert.deepEqual(b.headers.map((h) => h.name), ['Sec-WebSocket-Protocol']);
    assert.deepEqual(b.body, { text: '> hi\n>hex 01 02', startLine: 3, endLine: 4 });
    const direct = parseNetreq('WS ws://a/chat\n> hi\n').blocks[0];
    assert.deepEqual(direct.headers, []);
    assert.equal(direct.body?.text, '> hi');
  });

  it('accepts all issue-4 directives without warnings', () => {
    const text = [
      '# @eol lf',
      '# @hex',
      '# @read-until \\r\\n',
      '# @idle 500ms',
      '# @max-bytes 1MB',
      '# @half-close',
      '# @health every 30s',
      '# @note careful',
      '# @no-pool',
      '# @timeout 2m',
      '# @proxy http://127.0.0.1:8888',
      'TCP a:1',
      '48 65',
    ].join('\n');
    assert.deepEqual(parseNetreq(text).diagnostics, []);
    const mc = ['# @ttl 255', '# @interface 192.168.1.10', '# @loopback off', '# @repeat 3 every 1s', '# @replies 2', 'MULTICAST 224.0.0.251:5353', 'x'].join('\n');
    assert.deepEqual(parseNetreq(mc).diagnostics, []);
    assert.deepEqual(parseNetreq('# @wait 2s\nWS ws://a/\n').diagnostics, []);
    assert.deepEqual(parseNetreq('# @raw\n# @tls\n# @connect 127.0.0.1:8443\nGET / HTTP/1.1\nHost: a\n').diagnostics, []);
  });
});
