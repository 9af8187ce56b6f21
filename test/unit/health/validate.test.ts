import { strict as assert } from 'node:assert';
import { checkTimeoutMs } from '../../../src/core/health/checks';
import { concurrencyProblem, describeValue, formatIssue, validateCheck, validateChecks } from '../../../src/core/health/validate';

const errorsOf = (list: unknown[]) => validateChecks(list).errors.map(formatIssue);

describe('health config validation (shared by netreq health and the settings)', () => {
  it('two checks with one name: an error naming both, not the earlier one silently dropped', () => {
    const v = validateChecks([
      { name: 'api', target: 'tcp://127.0.0.1:1' },
      { name: 'db', target: 'tcp://127.0.0.1:2' },
      { name: 'api', target: 'tcp://127.0.0.1:3' },
    ]);
    assert.deepEqual(v.errors.map(formatIssue), ['check "api" (#3): has the same name as check #1: give each check its own name']);
    assert.deepEqual(v.configs.map((c) => c.target), ['tcp://127.0.0.1:1', 'tcp://127.0.0.1:2']);
  });

  it('wrong types name the check and the field: "false" is not false, "30" is not 30', () => {
    assert.deepEqual(errorsOf([{ name: 'api', target: 'https://127.0.0.1:1/', insecure: 'false' }]), ['check "api" (#1): field "insecure" must be true or false, got the string "false"']);
    assert.deepEqual(errorsOf([{ name: 'a', target: 'tcp://a:1' }, { name: 'b', target: 'tcp://a:1', intervalSeconds: '30', timeoutMs: null, expect: [] }]), [
      'check "b" (#2): field "intervalSeconds" must be a number of seconds from 1 to 2147483, got the string "30"',
      'check "b" (#2): field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got null',
      'check "b" (#2): field "expect" must be an object, e.g. { "status": [200] }, got an array',
    ]);
    assert.deepEqual(errorsOf([42, { name: 7, target: 'tcp://a:1' }, { name: 'x', target: ['tcp://a:1'] }]), [
      'check #1: must be an object like { "name": "api", "target": "https://127.0.0.1:8443/health" }, got 42',
      'check #2: field "name" must be non-empty text, got 7',
      'check "x" (#3): field "target" must be text, got an array',
    ]);
  });

  it('negative, zero, fractional, infinite and over-2^31 numbers; unknown schemes', () => {
    assert.deepEqual(
      errorsOf([
        { name: 'a', target: 'tcp://a:1', timeoutMs: 2 ** 31 },
        { name: 'b', target: 'tcp://a:1', timeoutMs: 0, slowMs: -5 },
        { name: 'c', target: 'tls://a:1', warnDays: 1.5, intervalSeconds: 0.5 },
        { name: 'd', target: 'gopher://a' },
        { name: 'e', target: 'tcp://a:1', timeoutMs: Number.POSITIVE_INFINITY },
      ]),
      [
        'check "a" (#1): field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got 2147483648',
        'check "b" (#2): field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got 0',
        'check "b" (#2): field "slowMs" must be a whole number of milliseconds from 1 to 2147483647, got -5',
        'check "c" (#3): field "intervalSeconds" must be a number of seconds from 1 to 2147483, got 0.5',
        'check "c" (#3): field "warnDays" must be a whole number of days from 0 to 36500, got 1.5',
        'check "d" (#4): field "target" is not usable: Unknown check kind "gopher://": use tcp, http, https, tls, dns, udp, ws or wss',
        'check "e" (#5): field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got Infinity',
      ],
    );
    assert.ok(validateCheck({ name: 'ok', target: 'tls://a:1', timeoutMs: 2 ** 31 - 1, warnDays: 0, intervalSeconds: 2.5 }, 0).config);
  });

  it('expect: statuses 100-599 or "2xx" patterns only (no regular expressions from the file), text fields are text', () => {
    assert.deepEqual(errorsOf([{ name: 's', target: 'http://a/', expect: { status: ['2x', '(a+)+$', 700, 204, '3XX'], bodyContains: 5 } }]), [
      'check "s" (#1): field "expect.status[0]" must be a status 100–599 or a pattern like "2xx", got the string "2x"',
      'check "s" (#1): field "expect.status[1]" must be a status 100–599 or a pattern like "2xx", got the string "(a+)+$"',
      'check "s" (#1): field "expect.status[2]" must be a status 100–599 or a pattern like "2xx", got 700',
      'check "s" (#1): field "expect.bodyContains" must be text, got 5',
    ]);
    assert.deepEqual(validateCheck({ name: 's', target: 'http://a/', expect: { status: [204, '3XX'], bodyContains: 'ok' } }, 0).config?.expect, { status: [204, '3XX'], bodyContains: 'ok' });
  });

  it('unknown fields are warnings with a suggestion, and are not copied into the check', () => {
    const v = validateChecks([{ name: 'api', target: 'tcp://a:1', timeout: 5, Insecure: true, expect: { stauts: [200], sound: 1 }, colour: 'red' }]);
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.warnings.map(formatIssue), [
      'check "api" (#1): field "expect.stauts" is not a known field (ignored): did you mean "status"?',
      'check "api" (#1): field "expect.sound" is not a known field (ignored); known fields: status, bodyContains, address, payload, reply',
      'check "api" (#1): field "timeout" is not a known field (ignored): did you mean "timeoutMs"?',
      'check "api" (#1): field "Insecure" is not a known field (ignored): did you mean "insecure"?',
      'check "api" (#1): field "colour" is not a known field (ignored); known fields: name, target, intervalSeconds, timeoutMs, slowMs, warnDays, insecure, expect',
    ]);
    assert.deepEqual(v.configs, [{ name: 'api', target: 'tcp://a:1', expect: {} }]);
  });

  it('an expect field the check\'s kind does not read is a warning that says which checks read it', () => {
    const v = validateChecks([
      { name: 't', target: 'tcp://a:1', expect: { payload: 'hi', reply: 'ho' } },
      { name: 'd', target: 'dns://example.test', expect: { address: '127.0.0.1', status: [200] } },
      { name: 'u', target: 'udp://a:1', expect: { payload: 'hi', reply: 'ho' } },
    ]);
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.warnings.map(formatIssue), [
      'check "t" (#1): field "expect.payload" is not used by tcp:// checks (ignored): it applies to udp://',
      'check "t" (#1): field "expect.reply" is not used by tcp:// checks (ignored): it applies to udp://',
      'check "d" (#2): field "expect.status" is not used by dns:// checks (ignored): it applies to http:// and https://',
    ]);
  });

  it('concurrency: a whole number 1-256; values in words; the timer guard', () => {
    assert.deepEqual([1, 256].map(concurrencyProblem), [undefined, undefined]);
    assert.deepEqual([0, 257, 1.5, '8'].map(concurrencyProblem), [
      'must be a whole number from 1 to 256, got 0',
      'must be a whole number from 1 to 256, got 257',
      'must be a whole number from 1 to 256, got 1.5',
      'must be a whole number from 1 to 256, got the string "8"',
    ]);
    assert.equal(describeValue('x'.repeat(50)), `the string "${'x'.repeat(40)}…"`);
    // A check that bypassed validation (e.g. from code) still never gets a timer that fires after 1 ms.
    assert.deepEqual([2 ** 40, -1, NaN, undefined, 250].map((t) => checkTimeoutMs({ name: 'x', target: 'tcp://a:1', timeoutMs: t })), [2_147_483_647, 5000, 5000, 5000, 250]);
  });
});
