/**
 * Real peers from Debian for the tests: nginx and `openssl s_server`, started on 127.0.0.1 with a config
 * in a temporary folder, stopped by pid. A missing binary is a failure with the install command, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export function requireBinary(name: string, debianPackage: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const found = r.stdout.trim().split('\n')[0];
  if (!found) throw new Error(`${name} is required by this test but not installed: run 'apt-get install -y ${debianPackage}' (the CI script .ci/run does this)`);
  return found;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `netreq-${prefix}-`));
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing started listening on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Peer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(t);
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    });
}

export interface NginxOptions {
  /** Extra directives inside the server block. */
  serverExtra?: string;
  files?: Record<string, string | Buffer>;
}

export async function startNginx(opts: NginxOptions = {}): Promise<Peer> {
  const bin = requireBinary('nginx', 'nginx');
  const dir = tempDir('nginx');
  const port = await freePort();
  const root = path.join(dir, 'html');
  fs.mkdirSync(root);
  fs.mkdirSync(path.join(dir, 'logs'));
  for (const [name, content] of Object.entries(opts.files ?? {})) fs.writeFileSync(path.join(root, name), content);
  const conf = `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 30s;
  keepalive_requests 100000;
  default_type application/octet-stream;
  types { text/html html; application/json json; text/plain txt; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
    ${opts.serverExtra ?? ''}
  }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  return spawnPeer('nginx', bin, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-e', path.join(dir, 'logs/error.log')], port, dir);
}

/** Starts a peer program, waits until it listens on `port`, and hands back how to stop it. */
export async function spawnPeer(name: string, bin: string, args: string[], port: number, dir: string): Promise<Peer> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    await waitForPort(port);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return { port, dir, stop: stopper(child, dir) };
}

export interface Cert {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

/** A self-signed certificate for localhost / 127.0.0.1 / ::1 made with openssl. `days` may be small. */
export function makeSelfSigned(dir: string, name = 'server', cn = 'localhost', san = 'DNS:localhost,IP:127.0.0.1,IP:::1'): Cert {
  const openssl = requireBinary('openssl', 'openssl');
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  const r = spawnSync(
    openssl,
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return { certPath, keyPath, cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) };
}

/**
 * A CA and a server certificate it signs, with explicit validity dates (openssl ca -startdate/-enddate,
 * format YYMMDDHHMMSSZ), so tests can make expired or wrong-name certificates that chain to a trusted CA.
 */
export function makeCaSigned(dir: string, opts: { name: string; cn: string; san: string; start?: string; end?: string }): Cert & { caPath: string; ca: Buffer } {
  const openssl = requireBinary('openssl', 'openssl');
  const run = (args: string[]) => {
    const r = spawnSync(openssl, args, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  const caKey = path.join(dir, 'ca.key');
  const caPath = path.join(dir, 'ca.crt');
  if (!fs.existsSync(caPath)) {
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caPath, '-days', '3650', '-subj', '/CN=NetReq Test CA']);
    fs.mkdirSync(path.join(dir, 'newcerts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
    fs.writeFileSync(
      path.join(dir, 'ca.cnf'),
      `[ca]\ndefault_ca=d\n[d]\ndir=${dir}\ndatabase=${dir}/index.txt\nnew_certs_dir=${dir}/newcerts\nserial=${dir}/serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nunique_subject=no\n[p]\ncommonName=supplied\n`,
    );
  }
  const keyPath = path.join(dir, `${opts.name}.key`);
  const csr = path.join(dir, `${opts.name}.csr`);
  const certPath = path.join(dir, `${opts.name}.crt`);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', csr, '-subj', `/CN=${opts.cn}`, '-addext', `subjectAltName=${opts.san}`]);
  const dates = [...(opts.start ? ['-startdate', opts.start] : []), ...(opts.end ? ['-enddate', opts.end] : ['-days', '30'])];
  run(['ca', '-batch', '-config', path.join(dir, 'ca.cnf'), '-cert', caPath, '-keyfile', caKey, '-in', csr, '-out', certPath, '-notext', ...dates]);
  return { certPath, keyPath, cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath), caPath, ca: fs.readFileSync(caPath) };
}

export async function startOpensslServer(cert: Cert, extraArgs: string[] = []): Promise<Peer> {
  const openssl = requireBinary('openssl', 'openssl');
  const dir = tempDir('openssl');
  const port = await freePort();
  const mode = extraArgs.includes('-rev') ? [] : ['-www']; // -rev (reverse each line) and -www (status page) exclude each other
  return spawnPeer('openssl s_server', openssl, ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certPath, '-key', cert.keyPath, ...mode, '-quiet', ...extraArgs], port, dir);
}

/** socat listening on 127.0.0.1 (TCP or UDP) with `address` as the other side, e.g. `EXEC:cat`. */
export async function startSocat(kind: 'tcp' | 'udp', address: string): Promise<Peer> {
  const socat = requireBinary('socat', 'socat');
  const dir = tempDir('socat');
  const port = await freePort();
  const listen = kind === 'tcp' ? `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork` : `UDP-RECVFROM:${port},bind=127.0.0.1,fork`;
  if (kind === 'tcp') return spawnPeer('socat', socat, [listen, address], port, dir);
  const child = spawn(socat, [listen, address], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((r) => setTimeout(r, 150)); // UDP has no connect to wait for; socat binds at once
  if (child.exitCode !== null) throw new Error(`socat (udp) exited at once with code ${child.exitCode}`);
  return { port, dir, stop: stopper(child, dir) };
}

/** A WebSocket echo server in Debian's python3 with python3-websockets (not a pyenv python). */
export async function startPythonWsEcho(): Promise<Peer> {
  const python = '/usr/bin/python3';
  const dir = tempDir('pyws');
  const port = await freePort();
  const script = path.join(dir, 'echo.py');
  fs.writeFileSync(
    script,
    [
      'import asyncio, sys',
      'try:',
      '    import websockets',
      'except ImportError:',
      '    sys.exit("python3-websockets is not installed: apt-get install -y python3-websockets")',
      'async def echo(ws, path=None):',
      '    async for message in ws:',
      '        await ws.send(message)',
      'async def main():',
      `    async with websockets.serve(echo, "127.0.0.1", ${port}, compression=None):`,
      '        await asyncio.Future()',
      'asyncio.run(main())',
      '',
    ].join('\n'),
  );
  if (!fs.existsSync(python)) throw new Error(`${python} not found: apt-get install -y python3 python3-websockets`);
  return spawnPeer('python3 websockets echo', python, [script], port, dir);
}

/** squid as a forward proxy on 127.0.0.1, allowing CONNECT to any port from localhost, caching nothing. */
export async function startSquid(): Promise<Peer> {
  const squid = requireBinary('squid', 'squid');
  const dir = tempDir('squid');
  const port = await freePort();
  const conf = path.join(dir, 'squid.conf');
  fs.writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${port}`,
      'acl localhost src 127.0.0.1/32 ::1',
      'http_access allow localhost',
      'http_access deny all',
      'cache deny all',
      'cache_mem 8 MB',
      `pid_filename ${dir}/squid.pid`,
      `cache_log ${dir}/cache.log`,
      'access_log none',
      'cache_store_log none',
      `coredump_dir ${dir}`,
      'shutdown_lifetime 0 seconds',
      'dns_v4_first on',
      '',
    ].join('\n'),
  );
  return spawnPeer('squid', squid, ['-N', '-f', conf], port, dir);
}
