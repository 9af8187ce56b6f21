import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './runCli';
import { stripJsonc } from '../../../src/cli/settings';
import { tempDir } from '../../support/peers';
import { rawServer, type RawServer } from '../../support/servers';

describe('netreq CLI', function () {
  this.timeout(20_000);
  let dir: string;
  let server: RawServer;

  before(async () => {
    dir = tempDir('cli');
    server = await rawServer((s, req) => {
      const body = `you sent ${req.length} bytes`;
      s.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  }

  it('sends what the file says: the server receives the file\'s lines with CRLF, plus Host and Content-Length', async () => {
    const file = write(
      'wire.netreq',
      ['@host = 127.0.0.1', '', '### Send a form', `POST http://{{host}}:${server.port}/post?x=1`, 'Content-Type: application/x-www-form-urlencoded', 'X-Token: {{token}}', '', 'name=John&email=john@example.com', ''].join('\n'),
    );
    const before = server.received.length;
    const r = await cli(['run', file, '--var', 'token=s3cret']);
    assert.equal(r.code, 0, r.err);
    const got = server.received[before].toString('latin1');
    assert.equal(
      got,
      `POST /post?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Token: s3cret\r\nContent-Length: 32\r\n\r\nname=John&email=john@example.com`,
    );
    assert.match(r.out, /### Send a form/);
    assert.match(r.out, /HTTP\/1.1 200 OK/);
    assert.match(r.out, /you sent \d+ bytes/);
    assert.match(r.out, /timing {2}connect .* total/);
  });

  it('--json prints one object per request with bytes, status, headers, timings and connection', async () => {
    const file = write('two.netreq', `### a\n# @name a\nGET http://127.0.0.1:${server.port}/a\n\n### b\nGET http://127.0.0.1:${server.port}/b\n`);
    const r = await cli(['run', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].name, 'a');
    assert.equal(lines[0].exchange.response.status, 200);
    assert.deepEqual(lines[0].exchange.response.headers[0], ['Content-Type', 'text/plain']);
    assert.equal(Buffer.from(lines[0].exchange.sent.base64, 'base64').toString().split('\r\n')[0], 'GET /a HTTP/1.1');
    assert.match(lines[0].bodyText, /you sent/);
    assert.equal(typeof lines[0].exchange.timings.total, 'number');
    assert.equal(lines[1].exchange.connection.reused, true, 'the second request reuses the pooled connection');
    assert.equal(lines[1].exchange.connection.id, lines[0].exchange.connection.id);
  });

  it('--name and --line pick one block', async () => {
    const file = write('pick.netreq', `### one\n# @name one\nGET http://127.0.0.1:${server.port}/one\n\n### two\n# @name two\nGET http://127.0.0.1:${server.port}/two\n`);
    const byName = await cli(['run', file, '--name', 'two', '--json']);
    assert.equal(byName.out.split('\n').length, 1);
    assert.equal(JSON.parse(byName.out).exchange.request.target, '/two');
    const byLine = await cli(['run', file, '--line', '3', '--json']);
    assert.equal(JSON.parse(byLine.out).exchange.request.target, '/one');
    const missing = await cli(['run', file, '--name', 'three']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no block named 'three'.*named blocks: one, two/);
  });

  it('exits 2 and prints file:line:col for errors in the file, sending nothing', async () => {
    const file = write('bad.netreq', `### ok\nGET http://127.0.0.1:${server.port}/\n\n### bad\nFOO bar\n`);
    const before = server.received.length;
    const r = await cli(['run', file]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1: error: `));
    assert.equal(server.received.length, before);
  });

  it('exits 1 on a transport failure and says which phase failed', async () => {
    const file = write('refused.netreq', 'GET http://127.0.0.1:1/\n');
    const r = await cli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.out, /✗ Connection refused: nothing is listening on 127\.0\.0\.1:1 {2}\[phase: connect\]/);
  });

  it('reads environments from the nearest .vscode/settings.json (JSONC) and from --env-file', async () => {
    write('ws/.vscode/settings.json', `{\n  // comment\n  "netreq.environments": { "$shared": { "h": "127.0.0.1" }, "local": { "p": "${server.port}", }, },\n}`);
    const file = write('ws/sub/env.netreq', 'GET http://{{h}}:{{p}}/env\n');
    const r = await cli(['run', file, '--env', 'local', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).exchange.request.target, '/env');
    const unknown = await cli(['run', file, '--env', 'prod']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no environment 'prod'.*known: local/);
    const envFile = write('envs.json', JSON.stringify({ x: { h: '127.0.0.1', p: String(server.port) } }));
    const viaFile = await cli(['run', file, '--env-file', envFile, '--env', 'x', '--json']);
    assert.equal(viaFile.code, 0, viaFile.err);
  });

  it('without --env, uses the settings file\'s netreq.defaultEnvironment (as the editor does before any pick)', async () => {
    write('dws/.vscode/settings.json', `{ "netreq.environments": { "local": { "p": "${server.port}" } }, "netreq.defaultEnvironment": "local" }`);
    const file = write('dws/def.netreq', 'GET http://127.0.0.1:{{p}}/default-env\n');
    const r = await cli(['run', file, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).exchange.request.target, '/default-env');
    write('dws2/.vscode/settings.json', `{ "netreq.environments": { "local": { "p": "1" } }, "netreq.defaultEnvironment": "gone" }`);
    const missing = await cli(['run', write('dws2/def.netreq', 'GET http://127.0.0.1:{{p}}/\n')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no environment 'gone' \(netreq\.defaultEnvironment\) for .*def\.netreq; known: local \(see 'netreq envs /);
  });

  it('takes $processEnv from the environment', async () => {
    const file = write('penv.netreq', `GET http://127.0.0.1:${server.port}/{{$processEnv NETREQ_TEST_PATH}}\n`);
    const r = await cli(['run', file, '--json'], { NETREQ_TEST_PATH: 'from-env' });
    assert.equal(JSON.parse(r.out).exchange.request.target, '/from-env');
  });

  it('usage errors exit 2 with a hint; --help and --version exit 0', async () => {
    assert.equal((await cli(['--help'])).code, 0);
    assert.match((await cli(['--help'])).out, /netreq run FILE/);
    assert.match((await cli(['--version'])).out, /^\d+\.\d+\.\d+$/);
    const r = await cli(['run']);
    assert.equal(r.code, 2);
    assert.match(r.err, /which file\?/);
    assert.match((await cli(['run', 'x.netreq', '--bogus'])).err, /unknown option '--bogus'/);
    assert.match((await cli(['launch'])).err, /unknown command 'launch'/);
    assert.match((await cli(['run', path.join(dir, 'nope.netreq')])).err, /cannot read .*nope\.netreq: no such file/);
  });

  it('makes terminal control characters from the network visible', async () => {
    const evil = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nX-Evil: \x1b[2J\r\nContent-Length: 9\r\n\r\n\x1b]0;pwn\x07ok'));
    const file = write('evil.netreq', `GET http://127.0.0.1:${evil.port}/\n`);
    const r = await cli(['run', file]);
    await evil.close();
    assert.ok(!r.out.includes('\x1b'), 'no raw ESC reaches the terminal');
    assert.match(r.out, /X-Evil: \\x1b\[2J/);
  });

  it('strips comments and trailing commas from JSONC without touching strings', () => {
    assert.deepEqual(JSON.parse(stripJsonc('{"a": "//not a comment", /* c */ "b": [1,2,],}')), { a: '//not a comment', b: [1, 2] });
  });

  it('ends quietly when the reader of its output goes away (netreq run f | head): no stack trace', async () => {
    const file = path.join(dir, 'many.netreq');
    fs.writeFileSync(file, Array.from({ length: 100 }, () => `GET http://127.0.0.1:${server.port}/\n`).join('\n###\n'));
    const child = spawn(process.execPath, [path.join(__dirname, '../../../src/cli/main.js'), 'run', file]);
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // Like `head -1`: read the first piece of output, then close the pipe while the CLI still has lines to write.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const stderr = Buffer.concat(err).toString();
    assert.doesNotMatch(stderr, /Unhandled|EPIPE|\n\s+at /, stderr);
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('the bundled dist/cli.js runs as a program', () => {
    const bin = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
    assert.ok(fs.existsSync(bin), 'dist/cli.js is built by npm test before the unit tests');
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env: { ...process.env, NETREQ_NO_COMPILE_CACHE: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')).version);
  });
});
