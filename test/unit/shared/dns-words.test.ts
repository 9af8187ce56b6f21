import { strict as assert } from 'node:assert';
import { flagsText, rcodeText } from '../../../src/common/dns';
import { rcodeText as engineRcodeText } from '../../../src/core/protocols/dns';

describe('DNS words (one table for the engine, the CLI and the transcript panel)', () => {
  it('says each response code in words, and leaves an unknown one (or a prototype name) as it is', () => {
    assert.equal(rcodeText('NXDOMAIN'), 'NXDOMAIN (the name does not exist)');
    assert.equal(rcodeText('FORMERR'), 'FORMERR (the server could not read the query)');
    assert.equal(rcodeText('YXDOMAIN'), 'YXDOMAIN');
    assert.equal(rcodeText('constructor'), 'constructor');
    assert.equal(engineRcodeText, rcodeText, 'the engine uses the same function');
  });

  it('lists the set flags dig style, only those that are true', () => {
    assert.equal(flagsText({ qr: true, aa: false, rd: true, ra: true, tc: 'yes' }), 'qr rd ra');
    assert.equal(flagsText({}), '(none)');
  });
});
