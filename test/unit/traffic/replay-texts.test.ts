import { strict as assert } from 'node:assert';
import { MAX_REPLAYS, ReplayTexts } from '../../../src/extension/traffic/replayTexts';

describe('traffic "Open as .netreq" documents: the texts kept behind them', () => {
  it('names a document by its row in a per-window folder, keeps the last 50, and proposes the row name to Save As', () => {
    const t = new ReplayTexts('w1');
    const first = t.put('flow-1', 'GET http://a/\n');
    assert.equal(first, '/w1/flow-1.netreq');
    assert.equal(t.get(first), 'GET http://a/\n');
    assert.equal(ReplayTexts.fileName(first), 'flow-1.netreq');
    for (let i = 2; i <= MAX_REPLAYS + 5; i++) t.put(`flow-${i}`, `GET http://a/${i}\n`);
    assert.equal(t.size, MAX_REPLAYS);
    assert.equal(t.get(first), undefined, 'the oldest went');
    assert.equal(t.get(`/w1/flow-${MAX_REPLAYS + 5}.netreq`), `GET http://a/${MAX_REPLAYS + 5}\n`);
    // Opening a row again refreshes it (it does not go first).
    t.put('flow-6', 'again');
    t.put('flow-new', 'x');
    assert.equal(t.get('/w1/flow-6.netreq'), 'again');
    assert.equal(new ReplayTexts('w2').put('../../etc/passwd x', '')[0], '/');
    assert.equal(new ReplayTexts('w2').put('../../etc/passwd x', ''), '/w2/.._.._etc_passwd_x.netreq');
  });
});
