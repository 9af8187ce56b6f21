import { strict as assert } from 'node:assert';
import type { RefusedMessage, SendingMessage } from '../../../src/shared/messages';
import { SendState } from '../../../src/webview/sendState';

const SENDING: SendingMessage = { type: 'sending', title: 'GET /', method: 'GET', url: 'http://127.0.0.1/', startedAt: 1 };
const REFUSED: RefusedMessage = { type: 'refused', title: 'GET /', problems: ['1:1: no URL'], restricted: false };

describe('send state shared by the response and transcript views', () => {
  it('a send clears the refusal and the last reply; the result ends the send and the refusal', () => {
    const s = new SendState<{ n: number }>();
    const id = s.request();
    assert.equal(s.take({ type: 'reply', id, ok: true, message: 'Saved to /tmp/x' }), true);
    assert.deepEqual(s.reply, { ok: true, text: 'Saved to /tmp/x' });
    assert.equal(s.take(REFUSED), true);
    assert.equal(s.refused, REFUSED);
    assert.equal(s.take(SENDING), true);
    assert.equal(s.sending, SENDING);
    assert.equal(s.refused, undefined);
    assert.equal(s.reply, undefined);
    s.show({ n: 1 });
    assert.deepEqual(s.result, { n: 1 });
    assert.equal(s.sending, undefined);
    assert.equal(s.take(REFUSED), true);
    assert.deepEqual(s.result, { n: 1 }, 'a refusal keeps the last result');
  });

  it('a reply is shown once, and only for a request of this page; words default by outcome', () => {
    const s = new SendState<never>();
    assert.equal(s.take({ type: 'reply', id: 1, ok: true }), false, 'no request with that id');
    assert.equal(s.reply, undefined);
    const a = s.request();
    const b = s.request();
    assert.notEqual(a, b);
    assert.equal(s.take({ type: 'reply', id: b, ok: false }), true);
    assert.deepEqual(s.reply, { ok: false, text: 'Failed.' });
    assert.equal(s.take({ type: 'reply', id: b, ok: true }), false, 'the same reply twice');
    assert.equal(s.take({ type: 'reply', id: a, ok: true }), true);
    assert.deepEqual(s.reply, { ok: true, text: 'Done.' });
  });
});
