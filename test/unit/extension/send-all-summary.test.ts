// What Send All says at its end: the count sent, the statuses counted, the failures with their reasons.
import { strict as assert } from 'node:assert';
import { summarizeSendAll } from '../../../src/extension/requests/sendAllSummary';
import { exchange } from '../webview/fixtures';
import { socketExchange } from '../webview/socketFixtures';

function withStatus(status: number) {
  const x = exchange();
  x.response = { ...x.response!, status, reason: 'R' };
  return x;
}

describe('Send All summary', () => {
  it('counts the statuses and lists one line per request', () => {
    const s = summarizeSendAll(
      [
        { title: 'a', exchange: withStatus(200) },
        { title: 'b', exchange: withStatus(200) },
        { title: 'c', exchange: withStatus(404) },
        { title: 'd', exchange: socketExchange() },
      ],
      4,
      false,
    );
    assert.equal(s.message, 'NetReq: sent 4 of 4 requests — 200 ×2, 404, done.');
    assert.equal(s.failures, 0);
    assert.equal(s.lines.length, 4);
    assert.match(s.lines[2], /^ {2}✓ c — 404 · \d+ ms$/);
  });

  it('names failures and blocks not sent, with their reasons, and says when it was cancelled', () => {
    const failed = exchange({ response: undefined, error: { phase: 'connect', message: 'connection refused (ECONNREFUSED)', code: 'ECONNREFUSED' } });
    const s = summarizeSendAll(
      [
        { title: 'ok', exchange: withStatus(200) },
        { title: 'down', exchange: failed },
        { title: 'bad', problem: 'cannot send "bad": a.netreq:3:1: unknown variable {{x}}' },
      ],
      5,
      true,
    );
    assert.equal(s.failures, 2);
    assert.equal(
      s.message,
      'NetReq: sent 2 of 5 requests — 200, failed (stopped after 3: cancelled); 2 failed: down: connection refused (ECONNREFUSED) · bad: cannot send "bad": a.netreq:3:1: unknown variable {{x}}.',
    );
    assert.match(s.lines[1], /✗ down — failed \(connection refused \(ECONNREFUSED\)\)/);
    assert.match(s.lines[2], /✗ bad — not sent: cannot send/);
  });

  it('keeps the message short with many failures (the output has them all)', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ title: `b${i}`, problem: 'it does not resolve' }));
    const s = summarizeSendAll(items, 12, false);
    assert.match(s.message, /12 failed: b0: it does not resolve · b1: it does not resolve · b2: it does not resolve · and 9 more \(see the NetReq output\)\.$/);
    assert.equal(s.lines.length, 12);
  });
  it('counts # @disabled blocks as skipped, not as failures', () => {
    const s = summarizeSendAll([{ title: 'a', exchange: withStatus(200) }, { title: 'wipe', problem: 'skipped: # @disabled', skipped: true }], 2, false);
    assert.equal(s.message, 'NetReq: sent 1 of 2 requests — 200; 1 skipped (# @disabled).');
    assert.equal(s.failures, 0);
    assert.equal(s.lines[1], '  – wipe — skipped: # @disabled');
  });
});
