import * as assert from 'node:assert/strict';
import { parseNetreq } from '../../../src/core/netreq';

describe('?? assert lines in the parser', () => {
  it('collects ?? lines after the headers and after the body, and keeps them out of both', () => {
    const doc = parseNetreq(
      ['GET http://127.0.0.1:1/', '?? status == 200', 'Accept: */*', '', '{"a": 1}', '', '# a comment', '?? body $.a == 1', '?? header content-type exists', ''].join('\n'),
    );
    const b = doc.blocks[0];
    assert.deepEqual(
      b.asserts.map((a) => [a.line, a.text]),
      [
        [1, '?? status == 200'],
        [7, '?? body $.a == 1'],
        [8, '?? header content-type exists'],
      ],
    );
    assert.deepEqual(
      b.headers.map((h) => h.name),
      ['Accept'],
    );
    assert.equal(b.body?.text, '{"a": 1}\n\n# a comment', 'a .netreq body keeps its comment line: asserts never change what is sent');
    assert.equal(doc.diagnostics.filter((d) => d.severity === 'error').length, 0);
  });

  it('a socket payload keeps its text and the trailing asserts are cut off', () => {
    const doc = parseNetreq(['TCP 127.0.0.1:7', '', 'hello', '?? received includes hello'].join('\n'));
    assert.equal(doc.blocks[0].body?.text, 'hello');
    assert.equal(doc.blocks[0].asserts.length, 1);
  });

  it('an HTTP head over TCP keeps its closing blank lines when asserts follow (# @eol crlf sends them as before)', () => {
    const head = ['TCP 127.0.0.1:7', '# @eol crlf', '', 'GET / HTTP/1.1', 'Host: x', '', ''];
    const without = parseNetreq([...head, '###'].join('\n')).blocks[0];
    const withAsserts = parseNetreq([...head, '?? received includes 200', '###'].join('\n')).blocks[0];
    assert.equal(withAsserts.body?.text, without.body?.text);
    assert.equal(withAsserts.body?.trailingBlankLines, without.body?.trailingBlankLines);
    assert.equal(withAsserts.body?.trailingBlankLines, 2);
  });

  it('an assert in the middle of a body is an error, not body text sent silently', () => {
    const doc = parseNetreq(['POST http://127.0.0.1:1/', '', 'a=1', '?? status == 200', 'b=2'].join('\n'));
    assert.ok(doc.diagnostics.some((d) => d.code === 'assert-in-body' && d.span.start.line === 3));
  });

  it('blocks without asserts share one frozen empty list, and the dialect is recorded', () => {
    const doc = parseNetreq('GET http://127.0.0.1:1/\n###\nGET http://127.0.0.1:2/', { dialect: 'http' });
    assert.equal(doc.dialect, 'http');
    assert.equal(doc.blocks[0].asserts.length, 0);
    assert.ok(Object.isFrozen(doc.blocks[0].asserts));
    assert.equal(parseNetreq('GET http://127.0.0.1:1/').dialect, 'netreq');
  });
});
