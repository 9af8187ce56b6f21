// The CLI as a process (dist/cli.js): what only shows outside an in-process main() with injected io — a command
// that must keep running until Ctrl+C, one that must stop at once on it, exit codes of bad options, a file saved
// with a byte order mark.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, tempDir } from '../../support/peers';

const BIN = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

function start(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return { child, out: () => out, exit };
}

/** The exit code, or 'running' if the process has not ended within `ms` (then it is killed). */
async function exitWithin(r: Running, ms: number): Promise<number | null | 'running'> {
  const timer = sleep(ms).then(() => 'running' as const);
  const outcome = await Promise.race([r.exit, timer]);
  if (outcome === 'running') {
    r.child.kill('SIGKILL');
    await r.exit;
  }
  return outcome;
}

async function until(r: Running, re: RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!re.test(r.out())) {
    if (Date.now() > deadline || r.child.exitCode !== null) throw new Error(`never printed ${re}: ${r.out()}`);
    await sleep(25);
  }
}

describe('the CLI as a process', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(BIN), 'dist/cli.js is built (node esbuild.mjs) before the unit tests');
    dir = tempDir('processes');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('health --watch keeps checking until Ctrl+C (it exited after the first round with code 0), then exits 1 for an unhealthy check', async () => {
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'h.json'), JSON.stringify([{ name: 'nothing there', target: `tcp://127.0.0.1:${port}`, intervalMs: 500 }]));
    const r = start(['health', '--config', 'h.json', '--watch'], dir);
    await until(r, /nothing there/);
    await sleep(2000);
    assert.equal(r.child.exitCode, null, `health --watch ended by itself: ${r.out()}`);
    r.child.kill('SIGINT');
    assert.equal(await exitWithin(r, 10_000), 1, r.out());
  });

  it('demo-servers stops at once on Ctrl+C even while a client holds the HTTPS port without starting TLS', async () => {
    const ports = ['--http-port', '--https-port', '--qotd-port', '--daytime-port', '--echo-port', '--ws-port'].flatMap((p) => [p, '0']);
    const r = start(['demo-servers', ...ports], dir);
    await until(r, /https\s+https:\/\/127\.0\.0\.1:(\d+)/);
    const httpsPort = Number(/https\s+https:\/\/127\.0\.0\.1:(\d+)/.exec(r.out())![1]);
    const idle = net.connect(httpsPort, '127.0.0.1');
    idle.on('error', () => undefined);
    await new Promise<void>((res) => idle.once('connect', () => res()));
    await sleep(200);
    r.child.kill('SIGINT');
    const code = await exitWithin(r, 5_000);
    idle.destroy();
    assert.equal(code, 0, r.out());
    assert.match(r.out(), /Demo servers stopped \(SIGINT\)\./);
  });

  it('bad options exit 2 with a usage message: proxy --upstream over TLS or not a URL, --timeout past 24 days, listen on a group that is not multicast or port 0, --cacert of a folder or of a file with no PEM certificate', async () => {
    for (const [args, message] of [
      [['proxy', '--port', '0', '--upstream', 'https://127.0.0.1:3128'], /^netreq: --upstream: /m],
      [['proxy', '--port', '0', '--upstream', 'http://x y'], /^netreq: --upstream: /m],
      [['run', 'nothing.netreq', '--timeout', '3000000000'], /^netreq: --timeout 3000000000 is too long: the longest is 2147483647 ms \(24 days\)$/m],
      [['test', 'nothing.netreq', '--timeout', '3000000000'], /--timeout 3000000000 is too long/],
      [['listen', '10.0.0.1:5000'], /^netreq: '10\.0\.0\.1' is not a multicast group/m],
      [['listen', '239.1.1.1:0'], /^netreq: the port in '239\.1\.1\.1:0' must be 1–65535$/m],
      [['run', 'h.json', '--cacert', '.'], /^netreq: --cacert \.: is a folder, not a PEM file$/m],
      [['test', 'h.json', '--cacert', 'h.json'], /^netreq: --cacert h\.json: no PEM certificate in it/m],
    ] as Array<[string[], RegExp]>) {
      const r = start(args, dir);
      assert.equal(await exitWithin(r, 10_000), 2, `${args.join(' ')}: ${r.out()}`);
      assert.match(r.out(), message);
      assert.doesNotMatch(r.out(), /internal error/);
    }
  });

  it('a file saved with a UTF-8 byte order mark runs as VS Code reads it (run, test, health --config)', async () => {
    const server = net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      fs.writeFileSync(path.join(dir, 'bom.netreq'), `\ufeff### x\r\nGET http://127.0.0.1:${port}/\r\n\r\n?? status == 200\r\n`);
      fs.writeFileSync(path.join(dir, 'bom.json'), `\ufeff${JSON.stringify([{ name: 'bom', target: `tcp://127.0.0.1:${port}` }])}`);
      for (const args of [['run', 'bom.netreq'], ['test', 'bom.netreq'], ['health', '--config', 'bom.json']]) {
        const r = start(args, dir);
        assert.equal(await exitWithin(r, 20_000), 0, `${args.join(' ')}: ${r.out()}`);
        assert.doesNotMatch(r.out(), /ufeff|Unknown request|not valid JSON/i);
      }
    } finally {
      server.close();
    }
  });
});
