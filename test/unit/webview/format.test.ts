import { strict as assert } from 'node:assert';
import {
  base64ToBytes,
  classifyBody,
  daysLeft,
  describeValidity,
  formatBytes,
  formatMs,
  hexDump,
  imageDataUrl,
  looksLikeText,
  parseContentType,
  statusClass,
  visualizeRaw,
  waterfall,
  type RawLine,
} from '../../../src/common/format';
import { prettyJson, prettyMarkup, type TokenLines } from '../../../src/shared/syntax';

const bytes = (s: string | number[]) => new Uint8Array(typeof s === 'string' ? Buffer.from(s) : s);
const lineText = (l: RawLine) => l.map((s) => s.text).join('');
const joined = (lines: TokenLines) => lines.map((l) => l.map((t) => t.text).join('')).join('\n');

describe('format: numbers and status', () => {
  it('formats sizes and durations', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1 KB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(1024 * 1024), '1 MB');
    assert.equal(formatBytes(10 * 1024 * 1024), '10 MB');
    assert.equal(formatMs(0.1234), '0.12 ms');
    assert.equal(formatMs(12.34), '12.3 ms');
    assert.equal(formatMs(345.6), '346 ms');
    assert.equal(formatMs(1500), '1.5 s');
    assert.equal(formatMs(undefined), '–');
  });

  it('classes the status line by family, and failures without a status as error', () => {
    assert.equal(statusClass(101), 'status-1xx');
    assert.equal(statusClass(204), 'status-2xx');
    assert.equal(statusClass(304), 'status-3xx');
    assert.equal(statusClass(404), 'status-4xx');
    assert.equal(statusClass(503), 'status-5xx');
    assert.equal(statusClass(999), 'status-error');
    assert.equal(statusClass(undefined, true), 'status-error');
    assert.equal(statusClass(undefined), 'status-none');
    // A response that came back and then failed keeps its family.
    assert.equal(statusClass(200, true), 'status-2xx');
  });
});

describe('format: bytes', () => {
  it('decodes base64', () => {
    assert.deepEqual([...base64ToBytes(Buffer.from([0, 1, 255]).toString('base64'))], [0, 1, 255]);
    assert.equal(base64ToBytes('').length, 0);
  });

  it('hex-dumps with offset, hex and ascii columns', () => {
    const rows = hexDump(new Uint8Array([...Buffer.from('Hello, world!\r\n'), 0x00, 0x7f, 0x80, ...Buffer.from('xyz')]));
    assert.equal(rows.length, 2);
    assert.equal(rows[0].offset, '00000000');
    assert.equal(rows[0].hex, '48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0d 0a 00');
    assert.equal(rows[0].ascii, 'Hello, world!...');
    assert.equal(rows[1].offset, '00000010');
    assert.equal(rows[1].hex.trimEnd(), '7f 80 78 79 7a');
    assert.equal(rows[1].hex.length, rows[0].hex.length, 'short rows are padded so ascii lines up');
    assert.equal(rows[1].ascii, '..xyz');
  });

  it('hex-dumps at most maxBytes', () => {
    assert.equal(hexDump(new Uint8Array(1000), 16, 64).length, 4);
  });

  it('makes CR and LF visible and breaks lines after LF', () => {
    const lines = visualizeRaw(bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody'));
    assert.deepEqual(lines.map(lineText), ['GET / HTTP/1.1␍␊', 'Host: x␍␊', '␍␊', 'body']);
    assert.deepEqual(
      lines[0].map((s) => s.kind),
      ['text', 'eol', 'eol'],
    );
  });

  it('shows a bare LF and a bare CR differently', () => {
    assert.deepEqual(visualizeRaw(bytes('a\nb\rc')).map(lineText), ['a␊', 'b␍c']);
  });

  it('shows other control bytes as Control Pictures and non-UTF-8 bytes as «xx»', () => {
    const [line] = visualizeRaw(bytes([0x00, 0x09, 0x1b, 0x7f, 0x41, 0xff, 0xc3, 0xa9]));
    assert.equal(lineText(line), '␀␉␛␡A«ff»é');
    assert.deepEqual(
      line.map((s) => s.kind),
      ['ctl', 'ctl', 'ctl', 'ctl', 'text', 'bad', 'text'],
    );
  });

  it('does not decode overlong or surrogate UTF-8 sequences', () => {
    assert.equal(lineText(visualizeRaw(bytes([0xc0, 0xaf]))[0]), '«c0»«af»');
    assert.equal(lineText(visualizeRaw(bytes([0xed, 0xa0, 0x80]))[0]), '«ed»«a0»«80»');
  });

  it('stops at maxBytes and returns one empty line for no bytes', () => {
    assert.deepEqual(visualizeRaw(bytes('abcdef'), 3).map(lineText), ['abc']);
    assert.deepEqual(visualizeRaw(new Uint8Array(0)), [[]]);
  });
});

describe('format: bodies', () => {
  it('parses content types', () => {
    assert.deepEqual(parseContentType('Application/JSON; charset="UTF-8"'), { mime: 'application/json', charset: 'utf-8' });
    assert.deepEqual(parseContentType(undefined), { mime: '' });
  });

  it('classifies bodies by content type, then by sniffing', () => {
    assert.equal(classifyBody('application/json', bytes('{}')), 'json');
    assert.equal(classifyBody('application/problem+json', bytes('{}')), 'json');
    assert.equal(classifyBody('text/html', bytes('<p>')), 'html');
    assert.equal(classifyBody('application/atom+xml', bytes('<a/>')), 'xml');
    assert.equal(classifyBody('image/png', bytes([0x89, 0x50])), 'image');
    assert.equal(classifyBody('text/plain', bytes('hello')), 'text');
    assert.equal(classifyBody('', bytes('[1,2]')), 'json');
    assert.equal(classifyBody('', bytes('<?xml version="1.0"?><a/>')), 'xml');
    assert.equal(classifyBody('application/octet-stream', bytes([0, 1, 2, 3])), 'binary');
    assert.equal(classifyBody('text/plain', new Uint8Array(0)), 'empty');
  });

  it('knows text from binary, tolerating a UTF-8 sequence cut at the end', () => {
    assert.ok(looksLikeText(bytes('plain text\r\n\tok')));
    assert.ok(looksLikeText(bytes('héllo')));
    assert.ok(looksLikeText(new Uint8Array([...bytes('abc'), 0xc3])));
    assert.ok(!looksLikeText(bytes([0x61, 0x00, 0x62])));
    assert.ok(!looksLikeText(bytes([0x61, 0xff, 0x62, 0x63, 0x64, 0x65])));
  });

  it('builds image data URLs only for allow-listed types and clean base64', () => {
    assert.equal(imageDataUrl('image/png', 'iVBORw=='), 'data:image/png;base64,iVBORw==');
    assert.equal(imageDataUrl('text/html', 'PGI+'), undefined);
    assert.equal(imageDataUrl('image/png', 'abc"><script>'), undefined);
  });
});

describe('format: JSON pretty-printer', () => {
  it('indents from tokens and keeps numbers exactly as sent', () => {
    const lines = prettyJson('{"a":1,"big":12345678901234567890,"e":1.50e+3,"list":[true,null,"x"],"empty":{},"none":[]}')!;
    assert.equal(
      joined(lines),
      ['{', '  "a": 1,', '  "big": 12345678901234567890,', '  "e": 1.50e+3,', '  "list": [', '    true,', '    null,', '    "x"', '  ],', '  "empty": {},', '  "none": []', '}'].join('\n'),
    );
  });

  it('tags keys, strings, numbers, literals and punctuation', () => {
    const kinds = prettyJson('{"k":"v","n":-2,"t":false}')!
      .flat()
      .filter((t) => t.kind !== 'plain')
      .map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds, ['punct:{', 'key:"k"', 'punct::', 'string:"v"', 'punct:,', 'key:"n"', 'punct::', 'number:-2', 'punct:,', 'key:"t"', 'punct::', 'literal:false', 'punct:}']);
  });

  it('keeps duplicate keys and escapes inside strings', () => {
    assert.equal(joined(prettyJson('{"a":"x\\"}","a":"<script>"}')!), '{\n  "a": "x\\"}",\n  "a": "<script>"\n}');
  });

  it('returns undefined for text that is not JSON (including a cut preview)', () => {
    assert.equal(prettyJson('{"a":'), undefined);
    assert.equal(prettyJson('hello'), undefined);
    assert.equal(joined(prettyJson('\uFEFF 42 ')!), '42');
  });
});

describe('format: markup pretty-printer', () => {
  it('puts one tag per line with children indented, as text tokens', () => {
    const lines = prettyMarkup('<root><a x="1">hi</a><b/></root>');
    assert.equal(joined(lines), ['<root>', '  <a x="1">', '    hi', '  </a>', '  <b/>', '</root>'].join('\n'));
    const kinds = lines[1].filter((t) => t.kind !== 'plain').map((t) => t.kind);
    assert.deepEqual(kinds, ['punct', 'tag', 'attr', 'punct', 'value', 'punct']);
  });

  it('knows HTML void elements and keeps script contents as they are', () => {
    const lines = prettyMarkup('<!doctype html><html><body><br><img src=x onerror=alert(1)><script>if (a < b) alert(1)</script><p>t</p></body></html>', true);
    assert.equal(
      joined(lines),
      ['<!doctype html>', '<html>', '  <body>', '    <br>', '    <img src=x onerror=alert(1)>', '    <script>', '      if (a < b) alert(1)', '    </script>', '    <p>', '      t', '    </p>', '  </body>', '</html>'].join('\n'),
    );
  });

  it('survives broken markup', () => {
    assert.ok(prettyMarkup('<a <b>< c</a></a></a><!-- x').length > 0);
  });
});

describe('format: waterfall', () => {
  it('lays phases end to end, scaled to the total', () => {
    const bars = waterfall({ dnsLookup: 10, tcpConnect: 20, tlsHandshake: 30, requestSent: 5, firstByte: 25, download: 10, total: 100 });
    assert.deepEqual(
      bars.map((b) => [b.key, b.leftPct, b.widthPct]),
      [
        ['dns', 0, 10],
        ['connect', 10, 20],
        ['tls', 30, 30],
        ['send', 60, 5],
        ['wait', 65, 25],
        ['download', 90, 10],
        ['total', 0, 100],
      ],
    );
  });

  it('leaves out phases that did not happen (a reused connection)', () => {
    const bars = waterfall({ requestSent: 1, firstByte: 3, download: 0, total: 4 });
    assert.deepEqual(
      bars.map((b) => b.key),
      ['send', 'wait', 'download', 'total'],
    );
    assert.equal(bars[1].leftPct, 25);
  });

  it('names the time of the total in no phase "Queued / socket setup", first, so the bars add up to the total', () => {
    // A first request: 10 ms in all, 6 ms in phases.
    const bars = waterfall({ dnsLookup: 1, tcpConnect: 1, requestSent: 1, firstByte: 2, download: 1, total: 10 });
    assert.deepEqual(
      bars.map((b) => [b.key, b.label, b.startMs, b.durationMs]),
      [
        ['setup', 'Queued / socket setup', 0, 4],
        ['dns', 'DNS lookup', 4, 1],
        ['connect', 'TCP connect', 5, 1],
        ['send', 'Request sent', 6, 1],
        ['wait', 'Waiting (first byte)', 7, 2],
        ['download', 'Download', 9, 1],
        ['total', 'Total', 0, 10],
      ],
    );
    assert.equal(bars[5].leftPct + bars[5].widthPct, 100);
    // Rounding (under half a millisecond) is not a bar.
    assert.deepEqual(
      waterfall({ requestSent: 1, firstByte: 3, total: 4.3 }).map((b) => b.key),
      ['send', 'wait', 'total'],
    );
  });

  it('scales by the sum when the phases add up to more than the total', () => {
    const bars = waterfall({ dnsLookup: 60, tcpConnect: 60, total: 100 });
    assert.equal(bars[1].leftPct + bars[1].widthPct, 100);
    assert.ok(bars.every((b) => b.leftPct >= 0 && b.leftPct + b.widthPct <= 100));
  });

  it('copes with a zero total', () => {
    assert.deepEqual(
      waterfall({ total: 0 }).map((b) => [b.key, b.widthPct]),
      [['total', 0]],
    );
  });
});

describe('format: certificates', () => {
  const now = Date.UTC(2025, 0, 1);
  it('counts days left, negative when expired', () => {
    assert.equal(daysLeft('2025-01-31T00:00:00Z', now), 30);
    assert.equal(daysLeft('2024-12-30T00:00:00Z', now), -2);
    assert.equal(daysLeft('nonsense', now), undefined);
  });
  it('describes validity', () => {
    assert.equal(describeValidity('2024-01-01T00:00:00Z', '2025-01-02T00:00:00Z', now), '1 day left');
    assert.equal(describeValidity('2024-01-01T00:00:00Z', '2024-12-25T00:00:00Z', now), 'expired 7 days ago');
    assert.equal(describeValidity('2025-06-01T00:00:00Z', '2026-01-01T00:00:00Z', now), 'not valid yet (from 2025-06-01)');
  });
});
