import { strict as assert } from 'node:assert';
import { environmentVariables, hasEnvironment, listEnvironments, mergeEnvironments } from '../../../src/core/netreq';
import { addOffset, formatDate } from '../../../src/core/netreq/datetime';
import { parseHexLines } from '../../../src/core/netreq/hex';
import { hostProblem, isMulticastAddress, originForm, parseHostPort, splitUrl } from '../../../src/core/netreq/hostport';
import { parseDotenv } from '../../../src/core/netreq/system';
import { scanRefs, splitArgs } from '../../../src/core/netreq/templates';
import { parseDuration, parseEscapedText, parseInteger, parseRepeat, parseSize } from '../../../src/core/netreq/values';

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T | string => (r.ok ? r.value : `ERR ${r.message}`);

describe('netreq values', () => {
  it('durations: ms default, s, m, h, decimals', () => {
    assert.deepEqual(['500ms', '500', '10s', '2m', '1h', '1.5s', ' 7 S '].map((t) => value(parseDuration(t))), [500, 500, 10_000, 120_000, 3_600_000, 1500, 7000]);
    for (const bad of ['', 'x', '10x', '-1s', '1e3', '10 sec']) assert.match(String(value(parseDuration(bad))), /^ERR .*not a duration/, bad);
    assert.equal(value(parseDuration('0', true)), 0);
    assert.match(String(value(parseDuration('30d'))), /ERR/);
    assert.match(String(value(parseDuration('999999999s'))), /too long/);
  });

  it('sizes: bytes, KB, MB, GB (binary multiples)', () => {
    assert.deepEqual(['100', '100 bytes', '1b', '512KB', '1MB', '1.5mb', '2GiB', '1k'].map((t) => value(parseSize(t))), [100, 100, 1, 524_288, 1_048_576, 1_572_864, 2 * 1024 ** 3, 1024]);
    for (const bad of ['', 'MB', '1XB', '-1', '0']) assert.match(String(value(parseSize(bad))), /^ERR/, bad);
  });

  it('integers, repeats, escaped text', () => {
    assert.equal(value(parseInteger('255', 0, 255, 'TTL')), 255);
    assert.match(String(value(parseInteger('256', 0, 255, 'TTL'))), /TTL 256 is out of range: valid values are 0–255/);
    assert.deepEqual(value(parseRepeat('5 every 2s')), { count: 5, everyMs: 2000 });
    assert.deepEqual(value(parseRepeat('1')), { count: 1, everyMs: 1000 });
    assert.match(String(value(parseRepeat('0'))), /ERR/);
    assert.deepEqual(value(parseRepeat('100000 every 1ms')), { count: 100_000, everyMs: 1 });
    const tooMany = parseRepeat('999999999 every 1ms');
    assert.ok(!tooMany.ok && /at most 100,000 times/.test(tooMany.message), 'a file cannot make one block send a billion datagrams');
    assert.deepEqual(value(parseEscapedText('a\\tb\\x41\\\\\\0é')), Buffer.from([0x61, 9, 0x62, 0x41, 0x5c, 0, 0xc3, 0xa9]));
  });

  it('hex', () => {
    assert.deepEqual(parseHexLines(['48656C 6c', '0x6f # comment', '']).bytes, Buffer.from('Hello'));
    assert.deepEqual(
      parseHexLines(['  4g 123'], [10]).problems.map((p) => [p.index, p.start, p.end]),
      [
        [0, 12, 14],
        [0, 15, 18],
      ],
    );
  });
});

describe('netreq hosts and URLs', () => {
  it('parseHostPort', () => {
    const hp = (t: string, def?: number) => {
      const r = parseHostPort(t, { requirePort: def === undefined, defaultPort: def, what: 'TCP' });
      return [r.host, r.port, r.problems.map((p) => p.code).join(',')];
    };
    assert.deepEqual(hp('a.example:80'), ['a.example', 80, '']);
    assert.deepEqual(hp('[::1]:7'), ['::1', 7, '']);
    assert.deepEqual(hp('[::1]', 17), ['::1', 17, '']);
    assert.deepEqual(hp('h', 17), ['h', 17, '']);
    assert.deepEqual(hp('{{h}}:{{p}}'), ['{{h}}', undefined, '']);
    assert.deepEqual(hp('h:{{p}}'), ['h', undefined, '']);
    assert.deepEqual(hp('h'), ['h', undefined, 'missing-port']);
    assert.deepEqual(hp('[::1]x'), ['::1', undefined, 'bad-host']);
  });

  it('host names and IPv4', () => {
    for (const ok of ['localhost', 'a-b.example.com', 'xn--bcher-kva.example', 'bücher.de', 'host_1', 'example.com.', '10.0.0.255']) assert.equal(hostProblem(ok, false), undefined, ok);
    for (const bad of ['-a', 'a..b', 'a b', '1.2.3', '256.1.1.1', 'a'.repeat(64), 'a/b']) assert.ok(hostProblem(bad, false), bad);
    assert.ok(hostProblem('1.2.3.4', true));
  });

  it('multicast ranges', () => {
    for (const yes of ['224.0.0.0', '239.255.255.255', 'ff02::1', 'FF05::1:3']) assert.ok(isMulticastAddress(yes), yes);
    for (const no of ['223.255.255.255', '240.0.0.1', 'fe80::1', '::ffff:224.0.0.1', 'example.com']) assert.ok(!isMulticastAddress(no), no);
  });

  it('splitUrl and origin-form', () => {
    assert.deepEqual(splitUrl('HTTP://u:p@h:1/a/b?c#d'), { scheme: 'http', authority: 'h:1', authorityStart: 11, pathAndQuery: '/a/b?c' });
    assert.deepEqual(splitUrl('http://{{a/b}}/x?{{#}}#f'), { scheme: 'http', authority: '{{a/b}}', authorityStart: 7, pathAndQuery: '/x?{{#}}' });
    assert.equal(splitUrl('example.com/x'), undefined);
    assert.deepEqual(['', '?q', '/p'].map(originForm), ['/', '/?q', '/p']);
  });
});

describe('netreq templates and dates', () => {
  it('scanRefs and splitArgs', () => {
    const r = scanRefs('a {{ x }} {{%y}} {{$datetime "D M" 1 d}} {{z');
    assert.deepEqual(r.refs.map((x) => [x.kind, x.name, [...x.args], x.start, x.end]), [
      ['plain', 'x', [], 2, 9],
      ['percent', 'y', [], 10, 16],
      ['system', 'datetime', ['D M', '1', 'd'], 17, 40],
    ]);
    assert.deepEqual(r.unterminated, [41]);
    assert.deepEqual(splitArgs(`a 'b c' "d"  e`), ['a', 'b c', 'd', 'e']);
  });

  it('moment-style offsets and formats', () => {
    const d = new Date(Date.UTC(2024, 0, 31, 0, 5, 9, 7)); // a Wednesday, leap year
    assert.equal(addOffset(d, 1, 'M', false).toISOString(), '2024-02-29T00:05:09.007Z');
    assert.equal(addOffset(d, -1, 'y', false).toISOString(), '2023-01-31T00:05:09.007Z');
    assert.equal(addOffset(d, 13, 'M', false).toISOString(), '2025-02-28T00:05:09.007Z');
    assert.equal(addOffset(d, -2, 'w', false).toISOString(), '2024-01-17T00:05:09.007Z');
    assert.equal(formatDate(d, 'YYYY YY Q MMMM MMM MM M DDDD DDD DD D Do dddd ddd dd d E', true), '2024 24 1 January Jan 01 1 031 31 31 31 31st Wednesday Wed We 3 3');
    assert.equal(formatDate(d, 'HH H hh h kk k mm m ss s SSS SS S A a [YYYY]', true), '00 0 12 12 24 24 05 5 09 9 007 00 0 AM am YYYY');
    assert.equal(formatDate(new Date(Date.UTC(2024, 0, 2)), 'Do', true), '2nd');
    assert.equal(formatDate(new Date(Date.UTC(2024, 0, 13)), 'Do', true), '13th');
  });

  it('.env parsing', () => {
    assert.deepEqual(parseDotenv('# c\nA=1\r\nexport B = two words \nC="x\\ny"\nD=\'q\\n\'\nE=v # note\nbad line\n=x\n'), {
      A: '1',
      B: 'two words',
      C: 'x\ny',
      D: 'q\\n',
      E: 'v',
    });
  });
});

describe('netreq environments', () => {
  const envs = { $shared: { a: '1', n: 2 as unknown as string }, dev: { a: 'dev' }, prod: { b: 'p' } };

  it('listEnvironments excludes $shared, keeps order', () => {
    assert.deepEqual(listEnvironments(envs), ['dev', 'prod']);
    assert.deepEqual(listEnvironments(undefined), []);
    assert.equal(hasEnvironment(envs, 'dev'), true);
    assert.equal(hasEnvironment(envs, '$shared'), false);
    assert.equal(hasEnvironment(envs, 'toString'), false);
  });

  it('environmentVariables overlays the named environment on $shared', () => {
    assert.deepEqual(environmentVariables(envs, 'dev'), { a: 'dev', n: '2' });
    assert.deepEqual(environmentVariables(envs, 'nope'), { a: '1', n: '2' });
    assert.deepEqual(environmentVariables(undefined, 'dev'), {});
  });

  it('mergeEnvironments: later sets win per variable', () => {
    assert.deepEqual(mergeEnvironments({ dev: { a: '1', b: '1' }, $shared: { s: '1' } }, undefined, { dev: { b: '2' }, qa: { c: '3' } }), {
      dev: { a: '1', b: '2' },
      $shared: { s: '1' },
      qa: { c: '3' },
    });
  });
});
