import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { main, type Io } from '../../../src/cli/main';
import { tempDir } from '../../support/peers';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}, color = false): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color, env };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A local HTTP server: /ok 200, /missing 404, /flaky/N 500 for the first N requests then 200, /slow held 150 ms. */
class Peer {
  server!: http.Server;
  port = 0;
  requests: string[] = [];
  active = 0;
  maxActive = 0;
  private flaky = new Map<string, number>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      this.requests.push(url);
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      const done = (status: number, body: string, headers: Record<string, string> = {}) => {
        this.active--;
        res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
        res.end(body);
      };
      const flaky = /^\/flaky\/(\d+)\/(\w+)/.exec(url);
      if (flaky) {
        const n = (this.flaky.get(flaky[2]) ?? 0) + 1;
        this.flaky.set(flaky[2], n);
        return done(n <= Number(flaky[1]) ? 500 : 200, `try ${n}`);
      }
      if (url.startsWith('/missing')) return done(404, 'no');
      if (url.startsWith('/slow')) return void setTimeout(() => done(200, 'slow'), 150);
      if (url.startsWith('/cookie')) return done(200, 'c', { 'Set-Cookie': 'session=cookie-value-42' });
      done(200, 'ok');
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  reset(): void {
    this.requests = [];
    this.maxActive = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function parseXml(text: string) {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const all = (name: string) => Array.from(doc.getElementsByTagName(name));
  return { doc, all };
}

describe('netreq test', function () {
  this.timeout(30_000);
  let dir: string;
  const peer = new Peer();
  let base: string;

  before(async () => {
    dir = tempDir('cli-test');
    await peer.start();
    base = `http://127.0.0.1:${peer.port}`;
  });
  after(async () => {
    await peer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => peer.reset());

  function write(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  }

  const mixed = () =>
    write(
      'mixed.http',
      [
        '### login',
        '# @name login',
        `GET ${base}/ok`,
        '?? status == 200',
        '?? status != 500',
        '',
        '### gone',
        `GET ${base}/missing`,
        '?? status == 200',
        '',
        '### plain',
        `GET ${base}/plain`,
        '',
      ].join('\n'),
    );

  it('runs only the blocks with asserts, in file order; summary with ✓/✗, expected and actual, totals; exit 1 on a failed assert', async () => {
    const file = mixed();
    const r = await cli(['test', file]);
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(peer.requests, ['/ok', '/missing'], 'the block without asserts is not sent');
    assert.match(r.out, /✓ login \(line 3\)\s+200 OK\s+2\/2 asserts/);
    assert.match(r.out, /✗ gone \(line 8\)\s+404 Not Found\s+0\/1 asserts/);
    assert.match(r.out, /✗ status == 200 \(line 9\)\n\s+expected: 200\n\s+actual: {3}404/);
    assert.match(r.out, /✗ Tests: 2 passed, 1 failed of 3 · 2 requests in 1 file/);
    assert.ok(!r.out.includes('\x1b['), 'no colour when the output is not a terminal');
  });

  it('exit 0 when every assert passes; colour only when asked for (a terminal)', async () => {
    const file = write('pass.netreq', `### a\nGET ${base}/ok\n?? status == 200\n`);
    const plain = await cli(['test', file]);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /✓ Tests: 1 passed of 1/);
    const coloured = await cli(['test', file], {}, true);
    assert.ok(coloured.out.includes('\x1b[32m✓\x1b[39m a'), coloured.out);
  });

  it('--all runs every block; --name and --grep pick blocks by name and title', async () => {
    const file = mixed();
    const all = await cli(['test', file, '--all', '--json']);
    assert.deepEqual(peer.requests, ['/ok', '/missing', '/plain']);
    const lines = all.out.split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[2].status, 'passed');
    assert.deepEqual(lines[2].asserts.map((a: { name: string }) => a.name), ['plain: request']);
    peer.reset();
    const named = await cli(['test', file, '--name', 'login']);
    assert.equal(named.code, 0, named.err);
    assert.deepEqual(peer.requests, ['/ok']);
    peer.reset();
    const grep = await cli(['test', file, '--grep', '^go']);
    assert.equal(grep.code, 1);
    assert.deepEqual(peer.requests, ['/missing']);
  });

  it('--junit writes JUnit XML: one testsuite per file, one testcase per assert with file, line, time, failure message', async () => {
    const file = mixed();
    const xmlFile = path.join(dir, 'reports', 'junit.xml');
    const r = await cli(['test', file, '--junit', xmlFile]);
    assert.equal(r.code, 1);
    const { all } = parseXml(fs.readFileSync(xmlFile, 'utf8'));
    const root = all('testsuites')[0];
    assert.equal(root.getAttribute('tests'), '3');
    assert.equal(root.getAttribute('failures'), '1');
    assert.equal(root.getAttribute('errors'), '0');
    assert.match(root.getAttribute('time')!, /^\d+\.\d{3}$/);
    const suites = all('testsuite');
    assert.equal(suites.length, 1);
    assert.equal(suites[0].getAttribute('tests'), '3');
    assert.equal(suites[0].getAttribute('file'), file.split(path.sep).join('/'));
    const cases = all('testcase');
    assert.deepEqual(cases.map((c) => c.getAttribute('name')), ['login: status == 200', 'login: status != 500', 'gone: status == 200']);
    assert.deepEqual(cases.map((c) => c.getAttribute('line')), ['4', '5', '9']);
    for (const c of cases) {
      assert.equal(c.getAttribute('classname'), suites[0].getAttribute('name'));
      assert.match(c.getAttribute('time')!, /^\d+\.\d{3}$/);
    }
    const failure = cases[2].getElementsByTagName('failure')[0];
    assert.equal(failure.getAttribute('type'), 'AssertionError');
    assert.match(failure.getAttribute('message')!, /status == 200/);
    assert.match(failure.textContent!, /expected: 200\nactual: 404/);
    assert.match(cases[2].getElementsByTagName('system-out')[0].textContent!, new RegExp(`GET ${base}/missing\n→ 404 Not Found`));
  });

  it('a request that fails is an <error> per assert (exit 1), with the reason in words', async () => {
    const file = write('refused.netreq', '### down\nGET http://127.0.0.1:1/\n?? status == 200\n');
    const xmlFile = path.join(dir, 'refused.xml');
    const r = await cli(['test', file, '--junit', xmlFile]);
    assert.equal(r.code, 1);
    assert.match(r.out, /✗ down .*\n\s+Connection refused/);
    const { all } = parseXml(fs.readFileSync(xmlFile, 'utf8'));
    assert.equal(all('testsuites')[0].getAttribute('errors'), '1');
    const error = all('error')[0];
    assert.equal(error.getAttribute('type'), 'RequestError');
    assert.match(error.getAttribute('message')!, /request failed: Connection refused/);
  });

  it('--tap: TAP version 13 with the plan, ok / not ok lines and YAML diagnostics', async () => {
    const r = await cli(['test', mixed(), '--tap']);
    assert.equal(r.code, 1);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'TAP version 13');
    assert.equal(lines[1], '1..3');
    assert.equal(lines.filter((l) => /^ok \d+ - /.test(l)).length, 2);
    const notOk = lines.findIndex((l) => /^not ok 3 - .*gone: status == 200$/.test(l));
    assert.ok(notOk > 0, r.out);
    assert.deepEqual(lines.slice(notOk + 1, notOk + 3), ['  ---', '  message: "status == 200: got 404"']);
    assert.ok(lines.includes('  expected: "200"') && lines.includes('  actual: "404"'));
  });

  it('--json: one object per block with its asserts, then the totals', async () => {
    const r = await cli(['test', mixed(), '--json']);
    const lines = r.out.split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.deepEqual(Object.keys(lines[0]).sort(), ['asserts', 'durationMs', 'file', 'line', 'name', 'request', 'response', 'status', 'title', 'tries'].sort());
    assert.equal(lines[1].status, 'failed');
    assert.deepEqual(lines[1].asserts[0], { line: 9, name: 'gone: status == 200', status: 'failed', expected: '200', actual: '404', message: 'status == 200: got 404' });
    assert.deepEqual(lines[2].totals, { ...lines[2].totals, files: 1, tests: 3, passed: 2, failed: 1, errors: 0, skipped: 0, blocks: { passed: 1, failed: 1, skipped: 0 } });
  });

  it('exit 2 with file:line:col for a file that does not parse, and for usage errors', async () => {
    const bad = write('bad.netreq', `### x\nGET ${base}/ok\n?? status == 200\n\n### y\nGET http://127.0.0.1:99999/\n?? status == 200\n`);
    const r = await cli(['test', bad]);
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`${bad}:6:22: error: Port 99999 is out of range`), r.err);
    assert.match(r.out, /✗ Tests: 0 passed, 1 file with errors \(above\) of 0/);
    assert.equal(peer.requests.length, 0, 'nothing of a file with errors is sent');
    for (const [args, message] of [
      [['test'], /what to test\?/],
      [['test', path.join(dir, 'nope.netreq')], /cannot read .*nope\.netreq: no such file or folder/],
      [['test', bad, '--parallel', '0'], /--parallel takes a whole number from 1 to 64/],
      [['test', bad, '--retry', '11'], /--retry takes a whole number from 0 to 10/],
      [['test', bad, '--fail-on-status', '6xx'], /--fail-on-status takes statuses like 4xx,5xx/],
      [['test', bad, '--grep', '('], /--grep: '\(' is not a regular expression/],
      [['test', bad, '--tap', '--json'], /use --tap or --json, not both/],
      [['test', bad, '--frob'], /unknown option '--frob' for test/],
    ] as const) {
      const u = await cli([...args]);
      assert.equal(u.code, 2, args.join(' '));
      assert.match(u.err, message);
    }
    const none = await cli(['test', write('none.netreq', `GET ${base}/ok\n`)]);
    assert.equal(none.code, 2);
    assert.match(none.err, /nothing to test: no block with \?\? asserts .* use --all to run every block, or --fail-on-status 4xx,5xx/);
  });

  it('--fail-on-status checks the blocks of a file without asserts', async () => {
    const file = write('status.netreq', `### fine\nGET ${base}/ok\n\n### gone\nGET ${base}/missing\n`);
    const r = await cli(['test', file, '--fail-on-status', '4xx,5xx', '--tap']);
    assert.equal(r.code, 1);
    assert.deepEqual(peer.requests, ['/ok', '/missing']);
    assert.match(r.out, /^ok 1 - .*fine: status not 4xx,5xx$/m);
    assert.match(r.out, /^not ok 2 - .*gone: status not 4xx,5xx$/m);
    const ok = await cli(['test', file, '--fail-on-status', '500-599']);
    assert.equal(ok.code, 0, ok.out);
  });

  it('a DIR is searched recursively (skipping node_modules and .git); a GLOB matches; files run in parallel up to --parallel', async () => {
    const d = path.join(dir, 'suite');
    for (const n of ['a', 'b', 'c']) write(`suite/${n}/${n}.http`, `### ${n}\nGET ${base}/slow/${n}\n?? status == 200\n`);
    write('suite/node_modules/x/x.http', `GET ${base}/never\n?? status == 200\n`);
    write('suite/.git/y.http', `GET ${base}/never\n?? status == 200\n`);
    write('suite/notes.txt', 'not a test');
    const r = await cli(['test', d, '--parallel', '3', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual([...peer.requests].sort(), ['/slow/a', '/slow/b', '/slow/c']);
    assert.equal(peer.maxActive, 3, 'three files at once');
    peer.reset();
    const one = await cli(['test', d, '--parallel', '1']);
    assert.equal(one.code, 0);
    assert.equal(peer.maxActive, 1, 'one file at a time');
    assert.deepEqual(peer.requests, ['/slow/a', '/slow/b', '/slow/c'], 'in the order found');
    peer.reset();
    const glob = await cli(['test', `${d}/**/[ab].http`]);
    assert.equal(glob.code, 0, glob.err);
    assert.deepEqual([...peer.requests].sort(), ['/slow/a', '/slow/b']);
  });

  it('--retry sends a failed block again after --retry-delay, up to N times', async () => {
    const file = write('flaky.netreq', `### flaky\nGET ${base}/flaky/2/one\n?? status == 200\n`);
    const r = await cli(['test', file, '--retry', '2', '--retry-delay', '0', '--json']);
    assert.equal(r.code, 0, r.out);
    assert.equal(JSON.parse(r.out.split('\n')[0]).tries, 3);
    assert.equal(peer.requests.length, 3);
    peer.reset();
    const short = write('flaky2.netreq', `### flaky\nGET ${base}/flaky/2/two\n?? status == 200\n`);
    const fail = await cli(['test', short, '--retry', '1', '--retry-delay', '0']);
    assert.equal(fail.code, 1);
    assert.match(fail.out, /✗ flaky .*2 tries/);
    assert.equal(peer.requests.length, 2);
  });

  it('--bail stops after the first failed block: later blocks and files are reported skipped and never sent', async () => {
    const first = write('bail/1.netreq', `### one\nGET ${base}/missing\n?? status == 200\n\n### two\nGET ${base}/ok/two\n?? status == 200\n`);
    const second = write('bail/2.netreq', `### three\nGET ${base}/ok/three\n?? status == 200\n`);
    const xmlFile = path.join(dir, 'bail.xml');
    const r = await cli(['test', first, second, '--bail', '--parallel', '1', '--junit', xmlFile]);
    assert.equal(r.code, 1);
    assert.deepEqual(peer.requests, ['/missing']);
    assert.match(r.out, /stopped at the first failure \(--bail\)/);
    const { all } = parseXml(fs.readFileSync(xmlFile, 'utf8'));
    assert.equal(all('skipped').length, 2);
    assert.equal(all('testsuites')[0].getAttribute('skipped'), '2');
  });

  it('masks secrets from .env, $processEnv and redacted headers in every report', async () => {
    const secret = 'sup3r-s3cret-token';
    const envSecret = 'process-env-secret-77';
    write('masked/.env', `TOKEN=${secret}\n`);
    const file = write(
      'masked/m.netreq',
      [
        '### with token',
        `GET ${base}/missing?token={{$dotenv TOKEN}}&k={{$processEnv API_KEY}}`,
        `?? body == {{$dotenv TOKEN}}`,
        '',
        '### cookie',
        `GET ${base}/cookie`,
        '?? status == 500',
        '?? header Set-Cookie == session=other',
        '',
      ].join('\n'),
    );
    const xmlFile = path.join(dir, 'masked.xml');
    const env = { API_KEY: envSecret };
    const outputs = [
      await cli(['test', file, '--junit', xmlFile], env),
      await cli(['test', file, '--tap'], env),
      await cli(['test', file, '--json'], env),
    ];
    assert.ok(peer.requests.some((u) => u.includes(secret) && u.includes(envSecret)), 'the secrets were sent');
    const texts = [...outputs.flatMap((o) => [o.out, o.err]), fs.readFileSync(xmlFile, 'utf8')];
    for (const t of texts) {
      assert.ok(!t.includes(secret) && !t.includes(envSecret), `a secret leaked into:\n${t}`);
      assert.ok(!t.includes('cookie-value-42'), `a Set-Cookie value leaked into:\n${t}`);
    }
    // A header in the redact list shows neither its value nor the expected one (the assert's own line stays).
    const cookie = JSON.parse(outputs[2].out.split('\n')[1]).asserts[1];
    assert.equal(cookie.name, 'cookie: header Set-Cookie == session=other');
    assert.equal(cookie.expected, '‹redacted›');
    assert.ok(cookie.actual === undefined || cookie.actual === '‹redacted›', JSON.stringify(cookie));
    assert.match(outputs[2].out, /"request":"GET http:\/\/127\.0\.0\.1:\d+\/missing\?token=‹secret›&k=‹secret›"/);
    assert.match(outputs[1].out, /expected: "‹secret›"/);
  });

  it('--env, --env-file and --var work as for run; an unknown environment is exit 2', async () => {
    const envFile = write('envs/envs.json', JSON.stringify({ dev: { where: 'missing' }, prod: { where: 'ok' }, $shared: { code: '200' } }));
    const file = write('envs/e.netreq', `### e\nGET ${base}/{{where}}\n?? status == {{code}}\n`);
    const dev = await cli(['test', file, '--env-file', envFile, '--env', 'dev']);
    assert.equal(dev.code, 1);
    assert.deepEqual(peer.requests, ['/missing']);
    const prod = await cli(['test', file, '--env-file', envFile, '--env', 'prod']);
    assert.equal(prod.code, 0, prod.out);
    const over = await cli(['test', file, '--env-file', envFile, '--env', 'dev', '--var', 'where=ok/var']);
    assert.equal(over.code, 0, over.out);
    assert.equal(peer.requests[2], '/ok/var');
    const unknown = await cli(['test', file, '--env-file', envFile, '--env', 'qa']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no environment 'qa' in .*envs\.json; known: dev, prod/);
  });

  it('a title with control characters is escaped in the summary', async () => {
    const file = write('ctl.netreq', `### evil \x1b[2Jtitle\nGET ${base}/ok\n?? status == 200\n`);
    const r = await cli(['test', file]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes('\x1b'), r.out);
    assert.match(r.out, /evil \\x1b\[2Jtitle/);
  });

  it('netreq run shows each assert after its exchange and exits 1 when one failed', async () => {
    const file = write('run.netreq', `### a\nGET ${base}/ok\n?? status == 200\n?? status == 201\n`);
    const r = await cli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.out, /✓ \?\? status == 200\n\s+✗ status == 201: got 200\n\s+1\/2 asserts passed/);
    const json = await cli(['run', file, '--json']);
    assert.deepEqual(JSON.parse(json.out).asserts.map((a: { status: string }) => a.status), ['passed', 'failed']);
  });
});

describe('netreq test: globs and status lists', () => {
  it('globRegExp: * and ? stay in one folder, ** spans folders, [..] is a class', async () => {
    const { globRegExp } = await import('../../../src/cli/test/files');
    const re = globRegExp('api/**/*.http');
    assert.ok(re.test('api/a.http') && re.test('api/v1/users/a.http'));
    assert.ok(!re.test('api/a.netreq') && !re.test('other/a.http'));
    assert.ok(globRegExp('?.http').test('a.http') && !globRegExp('?.http').test('ab.http'));
    assert.ok(globRegExp('[ab].rest').test('b.rest') && !globRegExp('[!ab].rest').test('a.rest'));
    assert.ok(!globRegExp('*.http').test('x/a.http'));
    assert.ok(globRegExp('a+b(1).http').test('a+b(1).http'), 'regex characters are literal');
  });

  it('parseStatusList: classes, single statuses and ranges', async () => {
    const { parseStatusList } = await import('../../../src/cli/test/args');
    assert.deepEqual(parseStatusList('4xx,5XX, 404,500-503').map((r) => [r.from, r.to]), [[400, 499], [500, 599], [404, 404], [500, 503]]);
    assert.throws(() => parseStatusList('503-500'), /not '503-500'/);
  });
});
