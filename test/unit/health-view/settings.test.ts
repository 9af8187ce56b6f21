import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_INTERVAL_SECONDS, MAX_TIMER_MS, MAX_WARN_DAYS } from '../../../src/core/health/validate';
import {
  concurrencyFrom,
  parseIntervalText,
  runnableConfigs,
  settingEntries,
  sourceLabel,
  uniqueNames,
  validateNewName,
  validateRawCheck,
  validateTargetText,
  withCheckAdded,
  withCheckRemoved,
  type HealthEntry,
} from '../../../src/extension/health/settings';

describe('health view: checks from settings', () => {
  it('validates each check by the same rules as netreq health and says what is wrong in words', () => {
    const problem = (raw: unknown) => (validateRawCheck(raw, 1) as { problem: string }).problem;
    assert.deepEqual(validateRawCheck({ name: ' api ', target: 'http://127.0.0.1:1/', intervalSeconds: 5 }, 0), {
      config: { name: 'api', target: 'http://127.0.0.1:1/', intervalSeconds: 5 },
    });
    assert.equal(problem('tcp://a:1'), 'must be an object like { "name": "api", "target": "https://127.0.0.1:8443/health" }, got the string "tcp://a:1"');
    assert.equal(problem({ target: 'tcp://a:1' }), 'needs a "name" (text)');
    assert.match(problem({ name: 'db' }), /^needs a "target", e\.g\. tcp:/);
    assert.match(problem({ name: 'db', target: 'tcp://a' }), /^field "target" is not usable: .*needs host:port/);
    assert.equal(problem({ name: 'db', target: 'tcp://a:1', intervalSeconds: 0 }), 'field "intervalSeconds" must be a number of seconds from 1 to 2147483, got 0');
    // The string "false" is not false: it must not turn certificate checks off.
    assert.equal(problem({ name: 'db', target: 'tls://a:1', insecure: 'false' }), 'field "insecure" must be true or false, got the string "false"');
    assert.equal(problem({ name: 'db', target: 'tcp://a:1', timeoutMs: 2 ** 31 }), 'field "timeoutMs" must be a whole number of milliseconds from 1 to 2147483647, got 2147483648');
    assert.equal(problem({ name: 'db', target: 'gopher://a', slowMs: -1 }), 'field "target" is not usable: Unknown check kind "gopher://": use tcp, http, https, tls, dns, udp, ws or wss; field "slowMs" must be a whole number of milliseconds from 1 to 2147483647, got -1');
    assert.ok('config' in validateRawCheck({ name: 'c', target: 'tls://a:443', warnDays: 0 }, 0), 'warnDays 0 is allowed');
    assert.ok('config' in validateRawCheck({ name: 'c', target: 'tcp://a:1', unknownField: 1 }, 0), 'an unknown field alone does not stop a check (the settings schema flags it)');
  });

  it('two checks with one name in the same setting: the later cannot run; across user and workspace both run', () => {
    const entries = settingEntries({ user: [{ name: 'api', target: 'tcp://127.0.0.1:1' }, { name: 'api', target: 'tcp://127.0.0.1:2' }], workspace: [{ name: 'api', target: 'tcp://127.0.0.1:3' }] }, true);
    assert.equal(entries[1].problem, 'has the same name as check #1 in user settings: give each check its own name');
    assert.deepEqual(runnableConfigs(uniqueNames(entries)).map((c) => [c.name, c.target]), [
      ['api', 'tcp://127.0.0.1:1'],
      ['api (3)', 'tcp://127.0.0.1:3'],
    ]);
  });

  it('netreq.health.concurrency: a whole number 1-256, else 16', () => {
    assert.deepEqual([undefined, 1, 64, 256, 0, 257, 2.5, '8', null].map(concurrencyFrom), [16, 1, 64, 256, 16, 16, 16, 16, 16]);
  });

  it('the settings schema in package.json has the validator\'s limits (the editor flags what netreq health refuses)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties ?? Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
    const check = props['netreq.health.checks'].items.properties;
    assert.deepEqual([check.timeoutMs.type, check.timeoutMs.minimum, check.timeoutMs.maximum], ['integer', 1, MAX_TIMER_MS]);
    assert.deepEqual([check.slowMs.type, check.slowMs.maximum], ['integer', MAX_TIMER_MS]);
    assert.deepEqual([check.warnDays.type, check.warnDays.minimum, check.warnDays.maximum], ['integer', 0, MAX_WARN_DAYS]);
    assert.deepEqual([check.intervalSeconds.minimum, check.intervalSeconds.maximum], [1, MAX_INTERVAL_SECONDS]);
    assert.equal(check.insecure.type, 'boolean');
    const c = props['netreq.health.concurrency'];
    assert.deepEqual([c.type, c.minimum, c.maximum, c.default], ['integer', 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY]);
    const status = new RegExp(check.expect.properties.status.items.anyOf[1].pattern);
    assert.deepEqual(['2xx', '404', '30X', '2x', '(a+)+', '600'].map((x) => status.test(x)), [true, true, true, false, false, false]);
  });

  it('user checks always run; workspace checks are idle in Restricted Mode; both lists apply', () => {
    const user = [{ name: 'mine', target: 'tcp://127.0.0.1:1' }];
    const workspace = [{ name: 'theirs', target: 'tcp://127.0.0.1:2' }, { name: 'broken', target: 'nope' }];
    const trusted = settingEntries({ user, workspace }, true);
    assert.deepEqual(
      trusted.map((e) => [e.name, sourceLabel(e.source), !!e.idle, !!e.problem]),
      [
        ['mine', 'user settings', false, false],
        ['theirs', 'workspace settings', false, false],
        ['broken', 'workspace settings', false, true],
      ],
    );
    assert.deepEqual(runnableConfigs(trusted).map((c) => c.name), ['mine', 'theirs']);
    const restricted = settingEntries({ user, workspace }, false);
    assert.deepEqual(runnableConfigs(restricted).map((c) => c.name), ['mine']);
    assert.equal(restricted.find((e) => e.name === 'theirs')?.idle, true);
    assert.match(settingEntries({ workspace: { name: 'x' } }, true)[0].problem ?? '', /must be an array/);
    assert.deepEqual(settingEntries({}, true), []);
  });

  it('gives duplicate names a suffix so each check keeps its own row and history', () => {
    const e = (name: string): HealthEntry => ({ name, source: { kind: 'setting', scope: 'user', name }, config: { name, target: 'tcp://a:1' } });
    const out = uniqueNames([e('api'), e('api'), e('api (2)'), e('db')]);
    assert.deepEqual(out.map((x) => x.name), ['api', 'api (2)', 'api (2) (2)', 'db']);
    assert.deepEqual(out.map((x) => x.config?.name), ['api', 'api (2)', 'api (2) (2)', 'db']);
    assert.equal(out[1].source.kind === 'setting' && out[1].source.name, 'api', 'Remove still finds the check by its written name');
  });

  it('adds and removes checks without touching the rest of the list', () => {
    const list = [{ name: 'a', target: 'tcp://a:1', custom: true }, { name: 'b', target: 'tcp://b:1' }];
    const added = withCheckAdded(list, { name: 'c', target: 'tcp://c:1', intervalSeconds: 5 });
    assert.equal(list.length, 2, 'the list read from the settings is not changed');
    assert.deepEqual(added[2], { name: 'c', target: 'tcp://c:1', intervalSeconds: 5 });
    assert.deepEqual(withCheckAdded(undefined, { name: 'x', target: 'tcp://x:1' }), [{ name: 'x', target: 'tcp://x:1' }]);
    const removed = withCheckRemoved(list, 'a');
    assert.deepEqual(removed, { list: [{ name: 'b', target: 'tcp://b:1' }], removed: true });
    assert.deepEqual(withCheckRemoved(list, 'zzz'), { list, removed: false });
    assert.deepEqual(withCheckRemoved('not a list', 'a'), { list: [], removed: false });
  });

  it('"Add Check" input: names, targets (with parseTarget words), intervals', () => {
    assert.match(validateNewName('  ', []) ?? '', /Give the check a name/);
    assert.match(validateNewName('api', ['api']) ?? '', /already a check named "api"/);
    assert.equal(validateNewName('api', ['db']), undefined);
    assert.equal(validateTargetText('https://127.0.0.1:8443/health'), undefined);
    assert.match(validateTargetText('127.0.0.1:80') ?? '', /has no scheme: write tcp:\/\/host:port/);
    assert.match(validateTargetText('tcp://a:70000') ?? '', /out of range/);
    assert.match(validateTargetText('ftp://a:21') ?? '', /Unknown check kind "ftp:\/\/"/);
    assert.deepEqual(parseIntervalText(''), { seconds: 30 });
    assert.deepEqual(parseIntervalText('10'), { seconds: 10 });
    assert.deepEqual(parseIntervalText('2m'), { seconds: 120 });
    assert.match((parseIntervalText('500ms') as { error: string }).error, /at most once a second/);
    assert.match((parseIntervalText('soon') as { error: string }).error, /not a duration.*a bare number means seconds/);
  });
});
