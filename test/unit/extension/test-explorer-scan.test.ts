import { strict as assert } from 'node:assert';
import { blockLabel, dialectForPath, scanAsserts } from '../../../src/extension/testing/scan';
import { parseNetreq } from '../../../src/core/netreq';

describe('Test Explorer scan (what discovery reads of a file)', () => {
  it('lists the blocks with a request and asserts, in file order, with their lines and each assert’s line and columns', () => {
    const text = ['### Home', 'GET http://127.0.0.1:1/', '  ?? status == 200', '', '### none', 'GET http://127.0.0.1:1/x', '', '###', '# @name login', 'POST http://127.0.0.1:1/login', '?? status != 500', ''].join('\n');
    const blocks = scanAsserts(text, 'netreq');
    assert.deepEqual(
      blocks.map((b) => [b.index, b.label, b.startLine, b.endLine, b.asserts.map((a) => [a.line, a.text, a.startCol, a.endCol])]),
      [
        [0, 'Home', 0, 3, [[2, '?? status == 200', 2, 18]]],
        [2, 'login', 7, 11, [[10, '?? status != 500', 0, 16]]],
      ],
    );
  });

  it('labels: title, else @name, else the request line', () => {
    const doc = parseNetreq('GET http://h/a\n?? status == 200\n');
    assert.equal(blockLabel(doc.blocks[0]), 'GET http://h/a');
  });

  it('a file without ?? is not parsed at all; .http and .rest follow REST Client’s rules', () => {
    assert.deepEqual(scanAsserts('GET http://h/\n'.repeat(10_000), 'netreq'), []);
    assert.equal(dialectForPath('/w/a.http'), 'http');
    assert.equal(dialectForPath('/w/a.REST'), 'http');
    assert.equal(dialectForPath('/w/a.netreq'), 'netreq');
    const http = scanAsserts('GET http://h/\n\n?? status == 200\n', 'http');
    assert.deepEqual(http.map((b) => b.asserts.map((a) => a.line)), [[2]]);
  });
});
