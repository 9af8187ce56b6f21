import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheGroup, compileCacheDir } from '../../../src/cli/launch';
import { tempDir } from '../../support/peers';

const BIN = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

describe('dist/cli.js starts the CLI through V8 code cache', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(BIN), 'dist/cli.js is built (node esbuild.mjs) before the unit tests');
    dir = tempDir('launch');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>, args = ['--help']) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('writes one private cache file per build on the first start and uses it after; the output is the same', () => {
    const xdg = path.join(dir, 'a');
    const first = run({ XDG_CACHE_HOME: xdg });
    assert.equal(first.status, 0, first.stderr);
    const cacheDir = path.join(xdg, 'netreq', 'v8');
    const files = fs.readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^cli-[0-9a-f]{8}-.*-v\d+\.\d+\.\d+-\w+-\d+-\d+-\d+\.start\.bin$/);
    assert.equal(fs.statSync(path.join(cacheDir, files[0])).mode & 0o777, 0o600);
    assert.equal(fs.statSync(cacheDir).mode & 0o777, 0o700);
    const mtime = fs.statSync(path.join(cacheDir, files[0])).mtimeMs;
    const second = run({ XDG_CACHE_HOME: xdg });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(fs.statSync(path.join(cacheDir, files[0])).mtimeMs, mtime, 'a usable cache is not written again');
  });

  it('each command has its own cache (V8 keeps the functions the first start ran), and a new build removes the old files', () => {
    const xdg = path.join(dir, 'd');
    const cacheDir = path.join(xdg, 'netreq', 'v8');
    const netreqFile = path.join(dir, 'd.netreq');
    fs.writeFileSync(netreqFile, 'GET http://127.0.0.1:9/\n');
    assert.equal(run({ XDG_CACHE_HOME: xdg }, ['--version']).status, 0);
    run({ XDG_CACHE_HOME: xdg }, ['envs', netreqFile]);
    const names = fs.readdirSync(cacheDir).sort();
    assert.equal(names.length, 2, names.join(' '));
    assert.match(names[0], /\.envs\.bin$/);
    assert.match(names[1], /\.start\.bin$/);
    // A file of an older build of this installation goes when this build writes one; another installation's
    // (another copy of the CLI sharing the folder) stays unless unused for 30 days.
    const install = /^cli-[0-9a-f]{8}-/.exec(names[0])![0];
    fs.writeFileSync(path.join(cacheDir, `${install}0.0.1-v0.0.0-x64-1-1-1.run.bin`), 'old');
    fs.writeFileSync(path.join(cacheDir, 'cli-00000000-0.0.1-v0.0.0-x64-1-1-1.run.bin'), 'another copy');
    const stale = path.join(cacheDir, 'cli-11111111-0.0.1-v0.0.0-x64-1-1-1.run.bin');
    fs.writeFileSync(stale, 'another copy, unused');
    const longAgo = new Date(Date.now() - 31 * 86_400_000);
    fs.utimesSync(stale, longAgo, longAgo);
    run({ XDG_CACHE_HOME: xdg }, ['test', netreqFile]);
    const after = fs.readdirSync(cacheDir).sort();
    assert.deepEqual(after.filter((n) => n.startsWith(install)).map((n) => n.split('.').slice(-2, -1)[0]), ['envs', 'start', 'test']);
    assert.deepEqual(after.filter((n) => !n.startsWith(install)), ['cli-00000000-0.0.1-v0.0.0-x64-1-1-1.run.bin']);
    assert.deepEqual([cacheGroup(['run', 'x.netreq']), cacheGroup(['run', '--help']), cacheGroup([]), cacheGroup(['nonsense']), cacheGroup(['demo-servers'])], ['run', 'start', 'start', 'start', 'demo-servers']);
  });

  it('a damaged cache file is rejected by V8 and replaced: same output, no error', () => {
    const xdg = path.join(dir, 'b');
    assert.equal(run({ XDG_CACHE_HOME: xdg }).status, 0);
    const cacheDir = path.join(xdg, 'netreq', 'v8');
    const file = path.join(cacheDir, fs.readdirSync(cacheDir)[0]);
    fs.writeFileSync(file, Buffer.alloc(4096, 0x41));
    const r = run({ XDG_CACHE_HOME: xdg }, ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    assert.notDeepEqual(fs.readFileSync(file), Buffer.alloc(4096, 0x41), 'rewritten');
  });

  it('NETREQ_NO_COMPILE_CACHE=1 writes nothing; a relative XDG_CACHE_HOME is ignored (the XDG rule)', () => {
    const xdg = path.join(dir, 'c');
    const r = run({ XDG_CACHE_HOME: xdg, NETREQ_NO_COMPILE_CACHE: '1' }, ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!fs.existsSync(xdg));
    assert.equal(compileCacheDir({ NETREQ_NO_COMPILE_CACHE: '1' }), undefined);
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: '/x/y' }), path.join('/x/y', 'netreq', 'v8'));
    assert.ok(compileCacheDir({ XDG_CACHE_HOME: 'rel' })!.endsWith(path.join('.cache', 'netreq', 'v8')));
  });
});

/**
 * The CLI as it ships: dist/cli.js, dist/cli-main.js and dist/cli-lib/ copied to a folder with no node_modules above
 * it, run against loopback servers. The libraries some requests need (JSONPath, XPath/XML, ws, encodeurl) come from
 * dist/cli-lib/; a require by a name esbuild could not see (as asserts/body.ts once had) fails here.
 */
describe('dist/cli.js outside the repository: the libraries load from dist/cli-lib/', function () {
  this.timeout(60_000);
  let dir: string;
  let http: import('node:http').Server;
  let wss: import('ws').WebSocketServer;
  before(async () => {
    dir = tempDir('shipped');
    assert.ok(!fs.existsSync(path.join(path.dirname(dir), 'node_modules')), 'the temp folder has no node_modules above it');
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(dist);
    for (const f of ['cli.js', 'cli-main.js']) fs.copyFileSync(path.join(path.dirname(BIN), f), path.join(dist, f));
    fs.cpSync(path.join(path.dirname(BIN), 'cli-lib'), path.join(dist, 'cli-lib'), { recursive: true });
    const { createServer } = await import('node:http');
    http = createServer((req, res) => {
      if (req.url?.startsWith('/xml?t=abc')) {
        res.setHeader('content-type', 'application/xml');
        res.end('<r><item id="7">seven</item></r>');
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: 'abc', items: [{ id: 1 }, { id: 2 }] }));
      }
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { WebSocketServer } = await import('ws');
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (s) => s.on('message', (m) => s.send(`echo ${String(m)}`)));
    await new Promise<void>((r) => wss.once('listening', () => r()));
  });
  after(async () => {
    await new Promise<void>((r) => http.close(() => r()));
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('netreq test: JSONPath and XPath asserts, a request variable through JSONPath, and a WebSocket, all pass', async () => {
    const port = (http.address() as import('node:net').AddressInfo).port;
    const wsPort = (wss.address() as import('node:net').AddressInfo).port;
    const file = path.join(dir, 'shipped.netreq');
    fs.writeFileSync(
      file,
      [
        '### login',
        '# @name login',
        `GET http://127.0.0.1:${port}/json`,
        '',
        '?? body $.items[1].id == 2',
        '',
        '### xml',
        `GET http://127.0.0.1:${port}/xml?t={{login.response.body.$.token}}`,
        '',
        '?? xpath string(//item/@id) == 7',
        '',
        '### ws',
        `WS ws://127.0.0.1:${wsPort}/`,
        '',
        '> hello',
        '# @wait 300ms',
        '',
        '?? frames.received includes echo hello',
        '',
      ].join('\n'),
    );
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(dir, 'dist', 'cli.js'), 'test', file], { cwd: dir, env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill(), 30_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(timer);
    assert.equal(code, 0, out);
    assert.match(out, /3 passed/, out);
    assert.doesNotMatch(out, /Cannot find module/);
  });

  it('netreq demo-servers starts every server (its WebSocket server uses ws from cli-lib and node:http, which a dynamic import() could not load under the code cache)', async () => {
    const { spawn } = await import('node:child_process');
    const ports = ['--http-port', '--https-port', '--qotd-port', '--daytime-port', '--echo-port', '--ws-port'].flatMap((p) => [p, '0']);
    const child = spawn(process.execPath, [path.join(dir, 'dist', 'cli.js'), 'demo-servers', ...ports], { cwd: dir, env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const deadline = Date.now() + 20_000;
    while (!/\bws\s+ws:\/\/127\.0\.0\.1:\d+/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    await new Promise((r) => child.once('close', r));
    assert.match(out, /NetReq demo servers:/, out);
    assert.match(out, /\bws\s+ws:\/\/127\.0\.0\.1:\d+/, out);
    assert.doesNotMatch(out, /internal error/, out);
  });
});
