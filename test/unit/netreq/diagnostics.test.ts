import { strict as assert } from 'node:assert';
import { parseNetreq } from '../../../src/core/netreq';
import { expectDiag } from './helpers';

const diags = (text: string) => parseNetreq(text).diagnostics;

describe('netreq diagnostics (parse time)', () => {
  describe('request lines', () => {
    it('unknown protocol word', () => {
      const d = expectDiag(diags('### x\nFOO bar'), 'unknown-protocol', 1, 0, 'error');
      assert.equal(
        d.message,
        "Unknown request 'FOO': expected an HTTP method (GET, POST…), a URL, or one of TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST, WS, DNS",
      );
      assert.deepEqual(d.span.end, { line: 1, col: 3 });
      assert.equal(parseNetreq('### x\nFOO bar').blocks[0].requestLine, undefined);
    });

    it('missing target / host:port', () => {
      expectDiag(diags('TCP'), 'missing-target', 0, 0, 'error', /TCP needs host:port, e\.g\. TCP 127\.0\.0\.1:7/);
      expectDiag(diags('GET'), 'missing-target', 0, 0, 'error', /GET needs a URL/);
      expectDiag(diags('WS'), 'missing-target', 0, 0, 'error', /WS needs a URL/);
    });

    it('bad host: IPv4, names, unbracketed IPv6, bad IPv6', () => {
      expectDiag(diags('TCP 300.1.1.1:80'), 'bad-host', 0, 4, 'error', /'300\.1\.1\.1' is not a valid IPv4 address/);
      expectDiag(diags('TCP ho!st:80'), 'bad-host', 0, 4, 'error', /not a valid host name/);
      expectDiag(diags('TCP ::1:80'), 'bad-host', 0, 4, 'error', /put it in brackets, e\.g\. \[::1\]:8080/);
      expectDiag(diags('GET http://[::zz]/'), 'bad-host', 0, 12, 'error', /not a valid IPv6 address/);
      expectDiag(diags('UDP [::1:53'), 'bad-host', 0, 4, 'error', /Unclosed '\['/);
      expectDiag(diags('TCP :80'), 'bad-host', 0, 0 + 4, 'error', /Missing host/);
    });

    it('bad port and port out of range (valid range 1–65535)', () => {
      expectDiag(diags('TCP a:abc'), 'bad-port', 0, 6, 'error', /Port 'abc' is not a number: valid ports are 1–65535/);
      expectDiag(diags('TCP a:'), 'bad-port', 0, 5, 'error', /Missing port number after ':' \(valid range 1–65535\)/);
      const d = expectDiag(diags('TCP a:70000'), 'port-out-of-range', 0, 6, 'error', /Port 70000 is out of range: valid ports are 1–65535/);
      assert.deepEqual(d.span.end, { line: 0, col: 11 });
      expectDiag(diags('UDP a:0'), 'port-out-of-range', 0, 6, 'error', /1–65535/);
      expectDiag(diags('GET http://a:65536/'), 'port-out-of-range', 0, 13, 'error', /1–65535/);
      expectDiag(diags('WS ws://[::1]:99999/'), 'port-out-of-range', 0, 14, 'error', /1–65535/);
    });

    it('missing port where one is required (TCP, TLS, UDP, MULTICAST), defaults for QOTD/DAYTIME/ECHO', () => {
      for (const word of ['TCP', 'TLS', 'UDP']) {
        expectDiag(diags(`${word} example.com`), 'missing-port', 0, word.length + 1, 'error', new RegExp(`${word} needs a port: write host:port, e\\.g\\. ${word} example\\.com:8080`));
      }
      expectDiag(diags('MULTICAST 239.1.1.1'), 'missing-port', 0, 10, 'error', /MULTICAST needs a port/);
      for (const ok of ['QOTD a', 'DAYTIME a', 'ECHO a', 'TCP {{host}}']) assert.deepEqual(diags(`@host = h\n${ok}`), [], ok);
    });

    it('bad URL', () => {
      expectDiag(diags('GET example.com/x'), 'bad-url', 0, 4, 'error', /is not a URL: write http:\/\/… or https:\/\/…/);
      expectDiag(diags('GET ws://a/'), 'bad-url', 0, 4, 'error', /for WebSocket write WS ws:\/\/a\//);
      expectDiag(diags('WS http://a/'), 'bad-url', 0, 3, 'error', /WS needs a ws:\/\/ or wss:\/\/ URL/);
    });

    it('unexpected text after the URL or address', () => {
      expectDiag(diags('GET http://a/a b HTTP/1.1'), 'unexpected-text', 0, 15, 'error', /expected HTTP\/1\.0 or HTTP\/1\.1 \(encode spaces in the URL as %20\)/);
      expectDiag(diags('TCP a:1 extra'), 'unexpected-text', 0, 8, 'error', /write just TCP/);
      expectDiag(diags('GET http://a/ HTTP/1.1 more'), 'unexpected-text', 0, 23, 'error', /after the HTTP version/);
    });

    it('bad HTTP version (but not with @raw)', () => {
      expectDiag(diags('GET http://a/ HTTP/2'), 'bad-http-version', 0, 14, 'error', /HTTP\/1\.0 or HTTP\/1\.1; 'HTTP\/2' is not supported/);
      expectDiag(diags('GET http://a/ HTTP/1.2'), 'bad-http-version', 0, 14, 'error', /'HTTP\/1\.2' is not an HTTP version/);
      assert.deepEqual(diags('# @raw\nGET http://a/ HTTP/9.9'), []);
    });
  });

  describe('headers and bodies', () => {
    it('malformed header lines (no colon, bad name), with a hint about the empty line', () => {
      expectDiag(diags('GET http://a/\nNoColonHere'), 'bad-header', 1, 0, 'error', /has no name: write Name: value/);
      expectDiag(diags('POST http://a/\n{"a": 1}'), 'bad-header', 1, 0, 'error', /empty line/);
      expectDiag(diags('GET http://a/\nBad Name: x'), 'bad-header', 1, 0, 'error', /'Bad Name' is not a valid header name/);
      assert.deepEqual(diags('# @raw\nGET http://a/\nNoColonHere\nBad Name: x'), []);
    });

    it('origin-form without a Host header', () => {
      expectDiag(diags('GET /path HTTP/1.1'), 'missing-host-header', 0, 4, 'error', /add a Host header \(Host: example\.com:8080\) or write the full URL \(GET http:\/\/example\.com:8080\/path\)/);
      expectDiag(diags('# @raw\nGET / HTTP/1.1\nX: y'), 'missing-host-header', 1, 4, 'error', /# @connect host:port/);
      assert.deepEqual(diags('GET /path HTTP/1.1\nHost: a:8080'), []);
      assert.deepEqual(diags('# @connect 127.0.0.1:80\nGET /path HTTP/1.1'), []);
      expectDiag(diags('GET /path HTTP/1.1\nHost: a:99999'), 'port-out-of-range', 1, 8, 'error', /1–65535/);
    });

    it('invalid hex with @hex points at the bad token', () => {
      const d = expectDiag(diags('# @hex\nTCP a:1\n48 zz 6c # comment zz'), 'bad-hex', 2, 3, 'error', /'zz' is not hex: write bytes as pairs of hex digits/);
      assert.deepEqual(d.span.end, { line: 2, col: 5 });
      expectDiag(diags('# @hex\nUDP a:1\n48 656'), 'bad-hex', 2, 3, 'error', /odd number of hex digits/);
      assert.deepEqual(diags('TCP a:1\n48 zz'), [], 'without @hex the body is text');
      expectDiag(diags('WS ws://a/\n\n>hex 01 0g'), 'bad-hex', 2, 8, 'error', /'0g' is not hex/);
    });

    it('multicast address outside 224.0.0.0/4 and ff00::/8', () => {
      expectDiag(diags('MULTICAST 10.0.0.1:5000'), 'not-multicast', 0, 10, 'error', /'10\.0\.0\.1' is not a multicast address: use 224\.0\.0\.0–239\.255\.255\.255 or an IPv6 ff00::\/8 address/);
      expectDiag(diags('MULTICAST [fe80::1]:5000'), 'not-multicast', 0, 11, 'error', /not a multicast address/);
      expectDiag(diags('MULTICAST example.com:5000'), 'not-multicast', 0, 10, 'error', /not the host name 'example\.com'/);
      assert.deepEqual(diags('MULTICAST 224.0.0.1:1\n###\nMULTICAST 239.255.255.255:1\n###\nMULTICAST [ff02::fb]:5353'), []);
    });

    it('< with no path', () => {
      expectDiag(diags('POST http://a/\n\n< '), 'bad-body-file', 2, 0, 'error', /Expected a file path after '<'/);
    });

    it('WebSocket text before the first message', () => {
      expectDiag(diags('WS ws://a/\n\nhello\n> x'), 'ws-stray-text', 2, 0, 'warning', /start each message with '> ' \(text\) or '>hex ' \(binary\)/);
    });
  });

  describe('directives', () => {
    it('unknown directive is a warning, with a suggestion when close', () => {
      expectDiag(diags('# @fooo\nGET http://a/'), 'unknown-directive', 0, 2, 'warning', /Unknown directive '@fooo' \(ignored\); known directives: @name, @timeout/);
      expectDiag(diags('# @timout 1s\nGET http://a/'), 'unknown-directive', 0, 2, 'warning', /did you mean @timeout\?/);
    });

    it('values that do not parse are errors on the value', () => {
      const cases: Array<[string, number, RegExp]> = [
        ['# @timeout 10x', 11, /@timeout: "10x" is not a duration: write e\.g\. 500ms, 10s or 2m/],
        ['# @timeout 0', 11, /A duration of 0 is not allowed/],
        ['# @idle soon', 8, /not a duration/],
        ['# @max-bytes 1XB', 13, /@max-bytes: "1XB" is not a size: write e\.g\. 100 bytes, 512KB or 1MB/],
        ['# @ttl 300', 7, /@ttl: TTL 300 is out of range: valid values are 0–255/],
        ['# @ttl -1', 7, /not a whole number/],
        ['# @eol cr', 7, /write lf, crlf or none/],
        ['# @repeat often', 10, /write e\.g\. 5 every 1s/],
        ['# @repeat 3 every x', 10, /not a duration/],
        ['# @loopback maybe', 12, /not on or off/],
        ['# @insecure sure', 12, /not on or off/],
        ['# @proxy nope', 9, /not a proxy URL: write e\.g\. http:\/\/127\.0\.0\.1:8888/],
        ['# @interface eth0', 13, /not an interface address/],
        ['# @read-until \\xZZ', 14, /is not a byte/],
        ['# @replies 0', 11, /valid values are 1–/],
        ['# @name bad name!', 8, /not a request name/],
        ['# @connect nowhere', 11, /@connect needs a port/],
      ];
      for (const [line, col, re] of cases) {
        expectDiag(diags(`${line}\nGET http://a/`), 'bad-directive-value', 0, col, 'error', re);
      }
      expectDiag(diags('# @name\nGET http://a/'), 'bad-directive-value', 0, 2, 'error', /# @name needs a name/);
    });

    it('duplicate directive, not applicable directive, REST Client directives', () => {
      expectDiag(diags('# @timeout 1s\n# @timeout 2s\nGET http://a/'), 'duplicate-directive', 1, 2, 'warning', /the last one counts/);
      expectDiag(diags('# @ttl 4\nTCP a:1'), 'directive-not-applicable', 0, 0, 'warning', /# @ttl has no effect on TCP requests \(it applies to MULTICAST\)/);
      expectDiag(diags('# @tls\nGET https://a/'), 'directive-not-applicable', 0, 0, 'warning', /the scheme decides/);
      expectDiag(diags('# @no-redirect\nGET http://a/'), 'ignored-directive', 0, 2, 'info', /never follows redirects/);
      assert.deepEqual(diags('# @prompt pw\nGET http://a/{{pw}}'), [], '# @prompt is supported: no warning, and {{pw}} is defined');
    });

    it('directives without a request line', () => {
      expectDiag(diags('### a\n# @name x\n\n### b\nGET http://a/'), 'missing-request-line', 1, 0, 'warning', /the block has no request line/);
      expectDiag(diags('# @timeout 1s\n### b\nGET http://a/'), 'missing-request-line', 0, 0, 'warning');
    });

    it('duplicate request names', () => {
      expectDiag(diags('### a\n# @name x\nGET http://a/\n### b\n# @name x\nGET http://b/'), 'duplicate-name', 4, 0, 'warning', /already used by the block on line 1/);
    });
  });

  describe('variables', () => {
    it('malformed and duplicate definitions', () => {
      expectDiag(diags('@foo bar\nGET http://a/'), 'bad-variable', 0, 0, 'error', /Expected '@name = value'/);
      expectDiag(diags('@$x = 1\nGET http://a/'), 'bad-variable', 0, 0, 'error', /may not start with \$ or %/);
      expectDiag(diags('@a = 1\n@a = 2\nGET http://a/{{a}}'), 'duplicate-variable', 0, 0, 'warning', /overridden by line 2: the last definition is used/);
    });

    it('undefined variable is a warning at parse time (it may come from an environment)', () => {
      const d = expectDiag(diags('GET http://{{nope}}/'), 'undefined-variable', 0, 11, 'warning', /Variable 'nope' is not defined in this file: it must come from the active environment or --var/);
      assert.deepEqual(d.span.end, { line: 0, col: 19 });
      expectDiag(diags('GET http://a/\nX-A: {{%nope}}'), 'undefined-variable', 1, 5, 'warning');
      expectDiag(diags('POST http://a/\n\n{"a": "{{nope}}"}'), 'undefined-variable', 2, 7, 'warning');
      expectDiag(diags('@a = {{nope}}\nGET http://a/{{a}}'), 'undefined-variable', 0, 5, 'warning');
      expectDiag(diags('# @proxy {{px}}\nGET http://a/'), 'undefined-variable', 0, 9, 'warning');
      assert.deepEqual(diags('GET http://{{later}}/\n\n###\n@later = a\n'), [], 'defined later in the file is fine');
      assert.deepEqual(diags('### a\n# @name login\nGET http://a/\n### b\nGET http://a/{{login.response.body.$.id}}'), []);
    });

    it('unterminated {{, empty {{ }}', () => {
      const d = expectDiag(diags('GET http://a/{{x'), 'unterminated-variable', 0, 13, 'error', /'\{\{' is not closed on this line/);
      assert.deepEqual(d.span.end, { line: 0, col: 16 });
      expectDiag(diags('GET http://a/{{ }}'), 'empty-variable', 0, 13, 'error', /Empty variable reference/);
    });

    it('unknown system variable is an error; bad arguments too', () => {
      expectDiag(diags('GET http://a/{{$foo}}'), 'unknown-system-variable', 0, 13, 'error', /Unknown system variable '\$foo': known ones are \$guid, \$timestamp/);
      const bad: Array<[string, RegExp]> = [
        ['{{$randomInt 5}}', /needs two integers, min < max/],
        ['{{$randomInt 5 1}}', /min < max/],
        ['{{$datetime}}', /needs a format/],
        ['{{$datetime rfc}}', /unknown format "rfc"/],
        ['{{$timestamp 1}}', /takes no arguments or an offset and a unit/],
        ['{{$timestamp 1 x}}', /the offset must be an integer and a unit/],
        ['{{$guid x}}', /takes no arguments/],
        ['{{$processEnv}}', /needs one name/],
        ['{{$dotenv a b}}', /needs one name/],
      ];
      for (const [ref, re] of bad) expectDiag(diags(`GET http://a/${ref}`), 'bad-system-variable', 0, 13, 'error', re);
      const good = ['{{$guid}}', '{{$timestamp}}', '{{$timestamp -1 d}}', '{{$datetime iso8601}}', '{{$datetime "DD MMM" 1 y}}', "{{$localDatetime 'HH:mm' -2 h}}", '{{$randomInt -5 5}}', '{{$processEnv %x}}', '{{$dotenv KEY}}'];
      for (const g of good) assert.deepEqual(diags(`@x = y\nGET http://a/?v=${g}`), [], g);
    });
  });

  it('sorts diagnostics by position', () => {
    const ds = diags('GET http://a/{{$foo}}\n### b\nFOO\n### c\nTCP a:0');
    const pos = ds.map((d) => d.span.start.line * 1000 + d.span.start.col);
    assert.deepEqual(pos, [...pos].sort((a, b) => a - b));
    assert.equal(ds.length, 3);
  });
});
