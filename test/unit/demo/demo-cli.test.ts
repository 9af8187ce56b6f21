import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { main, type Io } from '../../../src/cli/main';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { HttpClient } from '../../../src/core/http/client';
import { tempDir } from '../../support/peers';
import { httpSpec } from '../../support/servers';

describe('netreq demo-servers', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = tempDir('demo-cli');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses its options and refuses bad ones with what to type', () => {
    assert.deepEqual(parseArgs(['demo-servers']), { command: 'demo-servers' });
    assert.deepEqual(parseArgs(['demo-servers', '--host', '::1', '--http-port', '0', '--https-port', '9443', '--cert-dir', '/tmp/c']), {
      command: 'demo-servers',
      host: '::1',
      httpPort: 0,
      httpsPort: 9443,
      certDir: '/tmp/c',
    });
    const bad: Array<[string[], RegExp]> = [
      [['demo-servers', '--http-port', 'eighty'], /--http-port takes a port number 0–65535 \(0: any free port\), not 'eighty'/],
      [['demo-servers', '--https-port', '65536'], /--https-port takes a port number/],
      [['demo-servers', '--port', '1'], /unknown option '--port' for demo-servers/],
      [['demo-servers', 'file.netreq'], /demo-servers takes no file/],
      [['demo-servers', '--host'], /--host needs a value/],
      [['serve'], /try 'netreq run FILE', 'netreq demo-servers', .*'netreq --help'/],
    ];
    for (const [argv, msg] of bad) assert.throws(() => parseArgs(argv), (e: Error) => e instanceof UsageError && msg.test(e.message));
  });

  it('runs in-process until told to stop, printing the URLs; a port in use is exit 1 with the option to use', async () => {
    const out: string[] = [];
    const err: string[] = [];
    let stop!: (why: string) => void;
    let printed!: () => void;
    const urlsPrinted = new Promise<void>((r) => (printed = r));
    const io: Io = {
      out: (s) => {
        out.push(s);
        if (s.startsWith('Routes:')) printed();
      },
      err: (s) => err.push(s),
      color: false,
      env: {},
      untilStopped: () => new Promise<string>((r) => (stop = r)),
    };
    const running = main(['demo-servers', '--http-port', '0', '--https-port', '0', '--cert-dir', dir], io);
    await urlsPrinted;
    const httpUrl = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out.join('\n'));
    assert.ok(httpUrl, out.join('\n'));
    const port = Number(httpUrl[1]);
    // Servers off the examples' default ports: the line to run the examples against them.
    assert.match(out.join('\n'), new RegExp(`Not on the examples' default ports: run them with --var httpPort=${port} --var httpsPort=\\d+\n`));

    const busy: string[] = [];
    const code = await main(['demo-servers', '--http-port', String(port), '--cert-dir', dir], { out: () => undefined, err: (s) => busy.push(s), color: false, env: {} });
    assert.equal(code, 1);
    assert.deepEqual(busy, [`netreq: cannot start the http demo server: port ${port} on 127.0.0.1 is already in use (another demo server, or another program); choose another port with --http-port P, or stop what uses it`]);

    stop('test');
    assert.equal(await running, 0);
    assert.equal(out[out.length - 1], 'Demo servers stopped (test).');
    assert.match(out.join('\n'), /trust it with --cacert .*demo-cert\.pem/);
  });

  it('as a process: prints the URLs, serves, and exits 0 on SIGINT and on SIGTERM with the ports freed', async function () {
    const cli = path.resolve(__dirname, '../../../src/cli/main.js');
    assert.ok(fs.existsSync(cli), `compiled CLI at ${cli}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [cli, 'demo-servers', '--http-port', '0', '--https-port', '0', '--cert-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      try {
        const deadline = Date.now() + 10_000;
        while (!stdout.includes('Press Ctrl+C to stop.')) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no URLs printed; stdout: ${stdout} stderr: ${stderr}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const ports = [...stdout.matchAll(/https?:\/\/127\.0\.0\.1:(\d+)\//g)].map((m) => Number(m[1]));
        assert.equal(ports.length, 2, stdout);
        const pool = new ConnectionPool();
        try {
          const client = new HttpClient({ pool });
          const x = await client.send(httpSpec(ports[0], { target: '/json' }));
          assert.equal(x.response?.status, 200, x.error?.message);
          const y = await client.send(httpSpec(ports[1], { target: '/json', tls: true }, { insecure: true }));
          assert.equal(y.response?.status, 200, y.error?.message);
        } finally {
          pool.dispose();
        }
        child.kill(signal);
        assert.equal(await exited, 0, stderr);
        assert.match(stdout, new RegExp(`Demo servers stopped \\(${signal}\\)\\.\\n$`));
        for (const port of ports) {
          const free = await new Promise<boolean>((r) => {
            const s = net.createServer();
            s.once('error', () => r(false));
            s.listen(port, '127.0.0.1', () => s.close(() => r(true)));
          });
          assert.ok(free, `port ${port} is free again`);
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
  });
});
