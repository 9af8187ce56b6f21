// ?? asserts on HTTP exchanges with nginx: every operator (passing and failing), header/body/JSONPath/xpath
// fields, the shared timing and connection fields, and what a field that cannot be read says.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { freePort, startNginx, type Peer } from '../../support/peers';
import { expectations, runText, statuses } from './run';

const DATA = JSON.stringify({ items: [{ id: 1, name: 'alpha' }, { id: 2, name: 'beta' }], ok: true, off: false, zero: 0, n: null, count: 2, title: 'Hello, asserts' });
const b64 = (alg: string) => createHash(alg).update(DATA).digest('base64');

describe('?? asserts on HTTP, against nginx', function () {
  this.timeout(30_000);
  let nginx: Peer;
  before(async () => {
    nginx = await startNginx({
      files: {
        'data.json': DATA,
        'feed.xml': '<feed><title>News</title><entry><id>1</id></entry><entry><id>2</id></entry></feed>',
        'dtd.xml': '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
        'evil.txt': `${'a'.repeat(40)}b`,
      },
      serverExtra: 'add_header X-Multi a; add_header X-Multi b; add_header Set-Cookie a=1; add_header Set-Cookie b=2;',
    });
  });
  after(() => nginx.stop());

  it('every operator, on status, headers, the body, JSONPath and the shared fields', async () => {
    const { text, expected } = expectations([
      `GET http://127.0.0.1:${nginx.port}/data.json`,
      '',
      '?? status == 200 #=> passed',
      '?? status equals 200 #=> passed',
      '?? status == 404 #=> failed',
      '?? status != 404 #=> passed',
      '?? status > 199 #=> passed',
      '?? status >= 200 #=> passed',
      '?? status < 300 #=> passed',
      '?? status <= 199 #=> failed',
      '?? status isNumber #=> passed',
      '?? header content-type == application/json #=> passed',
      '?? header Content-Type startsWith application/ #=> passed',
      '?? header content-type endsWith json #=> passed',
      '?? header content-type includes json #=> passed',
      '?? header content-type contains xml #=> failed',
      '?? header content-type isString #=> passed',
      '?? header x-missing exists #=> failed',
      '?? header x-missing isFalse #=> passed',
      '?? header x-multi == a, b #=> passed',
      '?? header x-multi includes b #=> passed',
      '?? header x-multi includes c #=> failed',
      '?? header set-cookie isArray #=> passed',
      '?? header set-cookie includes b=2 #=> passed',
      '?? header set-cookie includes b= #=> failed',
      '?? body startsWith { #=> passed',
      '?? body endsWith } #=> passed',
      '?? body matches "title":"Hello #=> passed',
      '?? body matches /HELLO, ASSERTS/i #=> passed',
      '?? body matches ^\\[ #=> failed',
      `?? body sha256 ${b64('sha256')} #=> passed`,
      `?? body md5 ${b64('md5')} #=> passed`,
      `?? body sha512 ${b64('sha512')} #=> passed`,
      '?? body sha256 AAAA #=> failed',
      '?? body $.items[0].id == 1 #=> passed',
      '?? body $.items[0].id isNumber #=> passed',
      '?? body $.items[1].name == beta #=> passed',
      '?? body $.items[*].name includes alpha #=> passed',
      '?? body $.items[*].name includes gamma #=> failed',
      '?? body $..id includes 2 #=> passed',
      '?? body $.items isArray #=> passed',
      '?? body $.items == [{"id":1,"name":"alpha"},{"id":2,"name":"beta"}] #=> passed',
      '?? body $.ok isTrue #=> passed',
      '?? body $.ok isBoolean #=> passed',
      '?? body $.ok == true #=> passed',
      '?? body $.off isFalse #=> passed',
      '?? body $.off exists #=> passed',
      '?? body $.zero exists #=> passed',
      '?? body $.n exists #=> passed',
      '?? body $.n == null #=> passed',
      '?? body $.nope exists #=> failed',
      '?? body $.nope == 1 #=> failed',
      '?? body $.title isString #=> passed',
      '?? body $.title isNumber #=> failed',
      '?? body $.count > 1 #=> passed',
      '?? body items[1].id == 2 #=> passed',
      '?? body items.length == 2 #=> passed',
      '?? duration < 60000 #=> passed',
      '?? duration firstByte >= 0 #=> passed',
      '?? timing.total >= 0 #=> passed',
      '?? timing.tls == 0 #=> passed',
      '?? connection.reused isFalse #=> passed',
      '?? connection.id isNumber #=> passed',
      '?? tls.protocol exists #=> error',
      '###',
      `GET http://127.0.0.1:${nginx.port}/data.json`,
      '',
      '?? connection.reused isTrue #=> passed',
      '?? timing.connect == 0 #=> passed',
    ]);
    const run = await runText(text);
    assert.deepEqual(run.diagnostics.filter((d) => d.severity !== 'info'), []);
    assert.deepEqual([...statuses(run.blocks[0]), ...statuses(run.blocks[1])], expected);
    const o = run.blocks[0].outcomes;
    assert.equal(o[2].message, 'status == 404: got 200');
    assert.equal(o[2].actual, '200');
    assert.equal(o[2].expected, '404');
    assert.match(o.find((x) => x.check.field === 'tls.protocol')!.message, /no TLS on this exchange/);
    assert.equal(o.find((x) => x.check.text.includes('$.nope == 1'))!.message, 'body $.nope == 1: body $.nope has no value');
  });

  it('xpath on XML; a DTD is refused (no entity expanded); a body that is not JSON is an error for JSONPath', async () => {
    const { text, expected } = expectations([
      `GET http://127.0.0.1:${nginx.port}/feed.xml`,
      '',
      '?? xpath /feed/title == News #=> passed',
      '?? xpath //id isArray #=> passed',
      '?? xpath //id includes 2 #=> passed',
      '?? xpath count(//entry) == 2 #=> passed',
      '?? xpath //nothing exists #=> failed',
      '?? body $.x exists #=> error',
      '###',
      `GET http://127.0.0.1:${nginx.port}/dtd.xml`,
      '',
      '?? xpath /x == aaaaaaaaaaaaaaaa #=> error',
      '###',
      `GET http://127.0.0.1:${nginx.port}/nope`,
      '',
      '?? status == 404 #=> passed',
      '?? body $.x == 1 #=> error',
    ]);
    const run = await runText(text);
    assert.deepEqual(run.blocks.flatMap(statuses), expected);
    assert.match(run.blocks[1].outcomes[0].message, /DTD.*no entity is expanded/);
    assert.match(run.blocks[2].outcomes[1].message, /the body is not JSON/);
  });

  it('a catastrophic pattern is stopped after its time limit and said so; the outcome is an error', async () => {
    const run = await runText([`GET http://127.0.0.1:${nginx.port}/evil.txt`, '', '?? body matches (a+)+$', '?? status == 200'].join('\n'));
    const [slow, next] = run.blocks[0].outcomes;
    assert.equal(slow.status, 'error');
    assert.match(slow.message, /ran for over 1000 ms .* and was stopped/);
    assert.equal(next.status, 'passed', 'the asserts after it still run');
  });

  it('no response: the assert is an error naming the phase and the cause', async () => {
    const port = await freePort();
    const run = await runText([`GET http://127.0.0.1:${port}/`, '', '?? status == 200', '?? duration < 60000'].join('\n'));
    const [status, duration] = run.blocks[0].outcomes;
    assert.equal(status.status, 'error');
    assert.match(status.message, /^status == 200: no response: connect failed: /);
    assert.equal(duration.status, 'passed', 'the total time is known even so');
  });
});
