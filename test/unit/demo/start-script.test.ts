import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { tempDir } from '../../support/peers';
import { httpSpec } from '../../support/servers';

const REPO = path.resolve(__dirname, '../../../..');
const START = path.join(REPO, 'scripts', 'start.mjs');

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(60_000);

  it('--help prints the options; a bad option is exit 2 with the message and the options', () => {
    const help = spawnSync(process.execPath, [START, '--help'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(help.status, 0, help.stderr);
    for (const opt of ['--http-port', '--https-port', '--vscode-port', '--web', '--no-vscode', '--no-build']) assert.ok(help.stdout.includes(opt), opt);
    const bad = spawnSync(process.execPath, [START, '--vscode-port', 'abc'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^\[netreq start\] --vscode-port takes a port number 0–65535, not 'abc'\n/);
    const env = spawnSync(process.execPath, [START], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NETREQ_HTTP_PORT: 'eighty' } });
    assert.equal(env.status, 2);
    assert.match(env.stderr, /NETREQ_HTTP_PORT takes a port number/);
  });

  it('--no-vscode: starts the demo servers, prints their URLs, serves, and Ctrl+C (SIGINT) stops them and frees the ports', async () => {
    assert.ok(fs.existsSync(path.join(REPO, 'dist', 'extension.js')), 'built (node esbuild.mjs runs before the unit tests)');
    const certDir = tempDir('start');
    // A copy of the examples' settings: npm start writes the ports it used into it (never the repo's file here).
    const examplesDir = path.join(certDir, 'examples');
    fs.mkdirSync(path.join(examplesDir, '.vscode'), { recursive: true });
    const settingsFile = path.join(examplesDir, '.vscode', 'settings.json');
    fs.copyFileSync(path.join(REPO, 'examples', '.vscode', 'settings.json'), settingsFile);
    const free = ['--qotd-port', '0', '--daytime-port', '0', '--echo-port', '0', '--ws-port', '0'];
    const child = spawn(process.execPath, [START, '--no-build', '--no-vscode', '--http-port', '0', '--https-port', '0', ...free, '--examples', examplesDir, '--cert-dir', certDir], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      const deadline = Date.now() + 45_000;
      while (!stdout.includes('the demo servers run until Ctrl+C')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up; stdout: ${stdout} stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(stdout, /\[netreq start\] starting the demo servers on 127\.0\.0\.1/);
      const ports = [...stdout.matchAll(/\[netreq start\] {3}https? +https?:\/\/127\.0\.0\.1:(\d+)\//g)].map((m) => Number(m[1]));
      assert.equal(ports.length, 2, stdout);
      // The examples follow: $shared in the settings file now names the ports actually used.
      const envs = JSON.parse(fs.readFileSync(settingsFile, 'utf8').replace(/^\s*\/\/.*$/gm, ''))['netreq.environments'];
      assert.deepEqual([envs.$shared.httpPort, envs.$shared.httpsPort], ports.map(String));
      for (const v of ['qotdPort', 'daytimePort', 'echoPort', 'wsPort']) assert.notEqual(envs.$shared[v], { qotdPort: '8017', daytimePort: '8013', echoPort: '8007', wsPort: '8081' }[v], v);
      assert.match(stdout, /settings\.json now points at these servers \(\$shared: httpPort 8080 → \d+, httpsPort 8443 → \d+, qotdPort 8017 → \d+/);
      const pool = new ConnectionPool();
      try {
        const client = new HttpClient({ pool });
        const x = await client.send(httpSpec(ports[0], { target: '/json' }));
        assert.equal(x.response?.status, 200, x.error?.message);
        const y = await client.send(httpSpec(ports[1], { target: '/json', tls: true }, { ca: [fs.readFileSync(path.join(certDir, 'demo-cert.pem'))] }));
        assert.equal(y.tls?.authorized, true, y.error?.message);
      } finally {
        pool.dispose();
      }
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
      assert.match(stdout, /SIGINT: stopping everything npm start started…[^]*\[netreq start\] stopped\.\n$/);
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
      fs.rmSync(certDir, { recursive: true, force: true });
    }
  });
});
