// Pure helpers of the transcript and WebSocket session panels (shared by host and webview).
import { strict as assert } from 'node:assert';
import { exchangeToJson } from '../../../src/core/protocols/registry';
import type { SocketExchangeJson } from '../../../src/core/serialize';
import { transcriptJson, transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import { base64ToBytes, type RawSegment } from '../../../src/common/format';
import { describeStop, echoVerdict, formatOffset, hexPreview, inlinePreview, isDatagramProtocol, transcriptRows, transcriptTotals } from '../../../src/shared/transcript';
import { closeCodeProblem, closeReasonProblem, parseCloseCode, parseHexInput } from '../../../src/shared/wsInput';
import { socketExchange, udpExchange } from './socketFixtures';

const json = (x = socketExchange()) => exchangeToJson(x) as SocketExchangeJson;
const text = (segs: RawSegment[]) => segs.map((s) => s.text).join('');

describe('transcript helpers', () => {
  it('makes one row per chunk with direction, time offset, size and the bytes', () => {
    const rows = transcriptRows(json().transcript);
    assert.deepEqual(
      rows.map((r) => [r.dir, r.arrow, r.at, r.sizeText, r.cut]),
      [
        ['sent', '→', '+1.5 ms', '5 B', false],
        ['received', '←', '+3.25 ms', '23 B', false],
        ['received', '←', '+12 ms', '4 B', false],
      ],
    );
    assert.equal(Buffer.from(rows[0].bytes).toString(), 'hello');
  });

  it('keeps the datagram peer and says datagrams for UDP', () => {
    const x = json(udpExchange());
    const rows = transcriptRows(x.transcript);
    assert.deepEqual(
      rows.map((r) => r.peer),
      [undefined, '127.0.0.1:9001', '[::1]:9002'],
    );
    const t = transcriptTotals(x);
    assert.equal(t.unit, 'datagram');
    assert.equal(t.summary, 'sent 4 B in 1 datagram · received 9 B in 2 datagrams');
    assert.ok(isDatagramProtocol('multicast'));
    assert.ok(!isDatagramProtocol('tls'));
  });

  it('totals bytes as the engine counted them and chunks both ways', () => {
    const t = transcriptTotals(json());
    assert.deepEqual([t.sentBytes, t.receivedBytes, t.sentChunks, t.receivedChunks, t.unit], [5, 27, 1, 2, 'chunk']);
    assert.equal(t.summary, 'sent 5 B in 1 chunk · received 27 B in 2 chunks');
  });

  it('says the stop reason in words, and the ECHO verdict', () => {
    assert.equal(describeStop('peer-closed', 'the server closed the connection'), 'Stopped: the server closed the connection');
    assert.equal(describeStop('idle', ''), 'Stopped: Idle');
    assert.equal(echoVerdict({ sentBytes: 5, receivedBytes: 5 }), undefined);
    assert.deepEqual(echoVerdict({ echoMatches: true, sentBytes: 5, receivedBytes: 5 }), { ok: true, text: '✓ What came back equals what was sent (5 B)' });
    const bad = echoVerdict({ echoMatches: false, sentBytes: 5, receivedBytes: 3 })!;
    assert.equal(bad.ok, false);
    assert.match(bad.text, /^✗ .*sent 5 B, got back 3 B/);
  });

  it('formats time offsets', () => {
    assert.equal(formatOffset(0), '+0 ms');
    assert.equal(formatOffset(1500), '+1.5 s');
    assert.equal(formatOffset(-3), '+0 ms');
  });

  it('makes control characters visible on one line: CR LF TAB ESC NUL as symbols, other bytes as «xx»', () => {
    const p = inlinePreview(new Uint8Array([...Buffer.from('a\r\n\tb\x1b\x00'), 0xff, 0x7a]));
    assert.equal(text(p.segments), 'a␍␊␉b␛␀«ff»z');
    assert.deepEqual(
      p.segments.map((s) => s.kind),
      ['text', 'eol', 'eol', 'ctl', 'text', 'ctl', 'ctl', 'bad', 'text'],
    );
    assert.equal(p.cut, false);
  });

  it('cuts the one-line preview at a number of characters, not in the middle of one', () => {
    const p = inlinePreview(new Uint8Array(Buffer.from('ééééé\nxyz')), 3);
    assert.equal(text(p.segments), 'ééé');
    assert.equal(p.cut, true);
    assert.deepEqual(hexPreview(new Uint8Array([0, 1, 0xab, 0xff]), 3), { text: '00 01 ab', cut: true });
  });

  it('carries chunk bytes within a budget, earliest first, with the real sizes', () => {
    const x = socketExchange({
      transcript: [
        { dir: 'sent', at: 1, data: Buffer.alloc(6, 0x61) },
        { dir: 'received', at: 2, data: Buffer.alloc(6, 0x62) },
        { dir: 'received', at: 3, data: Buffer.alloc(6, 0x63) },
      ],
    });
    const j = transcriptJson(x, 8);
    assert.deepEqual(
      j.transcript.map((e) => [e.data.length, e.data.totalLength]),
      [
        [6, undefined],
        [2, 6],
        [0, 6],
      ],
    );
    const rows = transcriptRows(j.transcript);
    assert.deepEqual(
      rows.map((r) => [r.size, r.bytes.length, r.cut]),
      [
        [6, 6, false],
        [6, 2, true],
        [6, 0, true],
      ],
    );
    const msg = transcriptMessage(x, 'T', 8);
    assert.equal(msg.type, 'transcript');
    assert.equal(msg.dataLimit, 8);
    assert.deepEqual(JSON.parse(JSON.stringify(msg)), msg, 'plain JSON data');
    assert.equal(Buffer.from(base64ToBytes(msg.exchange.transcript[0].data.base64)).toString(), 'aaaaaa');
  });
});

describe('WebSocket input: hex bytes and close codes', () => {
  const bytes = (s: string) => {
    const r = parseHexInput(s);
    assert.ok(r.ok, r.ok ? '' : r.error);
    return [...r.bytes];
  };

  it('reads hex bytes with or without whitespace, line breaks, 0x prefixes, comments and a pasted >hex', () => {
    assert.deepEqual(bytes('48 65 6c 6c 6f'), [0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    assert.deepEqual(bytes('48656C6c6F'), [0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    assert.deepEqual(bytes('  0x01 0XfF\n\t02 # a comment\n03'), [1, 0xff, 2, 3]);
    assert.deepEqual(bytes('>hex 00 ff'), [0, 0xff]);
  });

  it('says what is wrong with bad hex, and where', () => {
    const bad = parseHexInput('48 6g 6c');
    assert.ok(!bad.ok);
    assert.equal(bad.error, "'6g' is not hex (at character 4): write bytes as pairs of hex digits, e.g. 48 65 6c 6c 6f");
    assert.deepEqual([bad.start, bad.end], [3, 5]);
    const odd = parseHexInput('>hex abc');
    assert.ok(!odd.ok);
    assert.equal(odd.error, "'abc' has an odd number of hex digits (at character 6): each byte is two digits, e.g. 0a");
    const empty = parseHexInput('  # nothing\n');
    assert.ok(!empty.ok);
    assert.match(empty.error, /^There are no bytes to send/);
    const markup = parseHexInput('<script>');
    assert.ok(!markup.ok);
    assert.match(markup.error, /is not hex/);
  });

  it('accepts the close codes that may be sent, and explains the others', () => {
    for (const ok of [1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999]) assert.equal(closeCodeProblem(ok), undefined, String(ok));
    assert.match(closeCodeProblem(1005)!, /reserved and never sent/);
    assert.match(closeCodeProblem(1006)!, /reserved/);
    assert.match(closeCodeProblem(1015)!, /reserved/);
    assert.match(closeCodeProblem(999)!, /cannot be sent/);
    assert.match(closeCodeProblem(5000)!, /cannot be sent/);
    assert.deepEqual(parseCloseCode(''), { ok: true, code: 1000 });
    assert.deepEqual(parseCloseCode(' 4001 '), { ok: true, code: 4001 });
    assert.deepEqual(parseCloseCode('abc'), { ok: false, error: "'abc' is not a close code: type a number such as 1000" });
    assert.ok(!parseCloseCode('1006').ok);
  });

  it('limits the close reason to 123 bytes of UTF-8', () => {
    assert.equal(closeReasonProblem('x'.repeat(123)), undefined);
    assert.match(closeReasonProblem('x'.repeat(124))!, /124 bytes/);
    assert.match(closeReasonProblem('é'.repeat(62))!, /124 bytes/);
  });
});
