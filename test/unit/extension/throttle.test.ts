// The bytes received so far reach the panel at most every 200 ms.
import { strict as assert } from 'node:assert';
import { throttled } from '../../../src/extension/requests/throttle';
import { sleep } from '../../support/servers';

describe('throttled progress', () => {
  it('the panel hears it at most every 200 ms, the last value of a burst included', async () => {
    const got: number[] = [];
    const t = throttled((n) => got.push(n), 200);
    for (let i = 1; i <= 1000; i++) t.push(i);
    assert.deepEqual(got, [1], 'the first at once, the rest held');
    await sleep(260);
    assert.deepEqual(got, [1, 1000], 'then the latest');
    t.push(5);
    t.stop();
    await sleep(260);
    assert.deepEqual(got, [1, 1000], 'stop drops what is pending');
  });
});
