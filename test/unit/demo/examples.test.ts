import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main, type Io } from '../../../src/cli/main';
import { startDemoServers, type DemoServers } from '../../../src/core/demo';
import { pointExamplesAt } from '../../../src/core/demo/examplesSettings';
import { tempDir } from '../../support/peers';

/** Socket demo servers on free ports, so tests never collide with a running `npm start`. */
const NO_FIXED_SOCKET_PORTS = { qotdPort: 0, daytimePort: 0, echoPort: 0, wsPort: 0 };

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

interface Line {
  name?: string;
  exchange: {
    kind: string;
    response?: { status: number };
    error?: { phase: string; message: string };
    transcript?: Array<{ dir: string; data: { base64: string } }>;
    frames?: Array<{ dir: string; opcode: string; data: { base64: string } }>;
    echoMatches?: boolean;
    stop?: string;
    closeCode?: number;
    closeReason?: string;
  };
  bodyText?: string;
}

const received = (l: Line) =>
  Buffer.concat((l.exchange.transcript ?? []).filter((e) => e.dir === 'received').map((e) => Buffer.from(e.data.base64, 'base64'))).toString('utf8');

/** Runs an example file with the CLI against the demo servers (ports passed as variables) and returns its JSON lines. */
async function runExample(file: string, demo: DemoServers): Promise<Line[]> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env: {} };
  const port = (name: string) => String(demo.servers.find((s) => s.name === name)!.port);
  const vars = { httpPort: port('http'), httpsPort: port('https'), qotdPort: port('qotd'), daytimePort: port('daytime'), echoPort: port('echo'), wsPort: port('ws') };
  await main(['run', path.join(EXAMPLES, file), '--env', 'local', '--json', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])], io);
  assert.deepEqual(
    err.filter((l) => !/: (info|warning): /.test(l)),
    [],
    'no diagnostics errors',
  );
  return out.map((l) => JSON.parse(l) as Line);
}

describe('examples/ against the demo servers', function () {
  this.timeout(30_000);
  let demo: DemoServers;
  let dir: string;
  before(async () => {
    dir = tempDir('examples');
    demo = await startDemoServers({ ...NO_FIXED_SOCKET_PORTS, httpPort: 0, httpsPort: 0, certDir: dir });
  });
  after(async () => {
    await demo.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('$shared points at the demo servers\' default ports; local is selected before any pick', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, '.vscode/settings.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const settings = JSON.parse(text);
    const envs = settings['netreq.environments'];
    const ports = { host: '127.0.0.1', httpPort: '8080', httpsPort: '8443', qotdPort: '8017', daytimePort: '8013', echoPort: '8007', wsPort: '8081' };
    assert.deepEqual(envs.$shared, ports);
    assert.deepEqual(envs.local, { host: '127.0.0.1' }, 'local takes its ports from $shared');
    assert.equal(settings['netreq.defaultEnvironment'], 'local');
    assert.ok(envs.public, 'the public hosts stay as an alternative');
  });

  it('npm start\'s update: the ports actually used go into $shared, nothing else in the file changes', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, '.vscode/settings.json'), 'utf8');
    const servers = [
      { name: 'http', port: 9090 },
      { name: 'https', port: 8443 },
      { name: 'qotd', port: 10017 },
      { name: 'daytime', port: 8013 },
      { name: 'echo', port: 10007 },
      { name: 'ws', port: 10081 },
    ];
    const u = pointExamplesAt(text, servers);
    assert.deepEqual(u.changed, ['httpPort 8080 → 9090', 'qotdPort 8017 → 10017', 'echoPort 8007 → 10007', 'wsPort 8081 → 10081']);
    const before = text.split('\n');
    const after = u.text.split('\n');
    assert.equal(after.length, before.length);
    assert.equal(after.filter((l, i) => l !== before[i]).length, 4, 'only the four port lines');
    const envs = JSON.parse(u.text.replace(/^\s*\/\/.*$/gm, ''))['netreq.environments'];
    assert.equal(envs.$shared.httpPort, '9090');
    assert.equal(envs.public.httpPort, '80', 'other environments keep theirs');
    assert.deepEqual(pointExamplesAt(u.text, servers).changed, [], 'a second run changes nothing');
    assert.deepEqual(pointExamplesAt(text, [{ name: 'http', port: 8080 }]), { text, changed: [] });
  });

  it('http.netreq: every block reaches a route that exists, with the answer its title promises', async () => {
    const lines = await runExample('http.netreq', demo);
    const got = Object.fromEntries(lines.map((l) => [l.name, l.exchange.error ? `error:${l.exchange.error.phase}` : l.exchange.response!.status]));
    assert.deepEqual(got, {
      head: 200,
      get: 200,
      json: 200,
      form: 200,
      'json-body': 200,
      headers: 200,
      status: 418,
      delay: 200,
      timeout: 'error:wait',
      chunked: 200,
      gzip: 200,
      big: 200,
      close: 200,
      cookies: 200,
      'origin-form': 200,
      'no-pool': 200,
      'raw-no-host': 400,
      'raw-malformed': 400,
    });
    const byName = Object.fromEntries(lines.map((l) => [l.name, l]));
    assert.deepEqual(JSON.parse(byName.form.bodyText!).form, { name: 'John', email: 'john@example.com', message: 'Hello' });
    assert.match(byName['raw-no-host'].bodyText!, /need a Host header/);
    assert.match(byName['raw-malformed'].bodyText!, /could not parse this request/);
  });

  it('curl.netreq: every curl block gets its answer; the echo shows what curl would have sent', async () => {
    const lines = await runExample('curl.netreq', demo);
    const byName = Object.fromEntries(lines.map((l) => [l.name, l]));
    assert.deepEqual(
      lines.map((l) => [l.name, l.exchange.error ? `error:${l.exchange.error.phase}` : l.exchange.response!.status]),
      [
        ['curlGet', 200],
        ['curlJson', 200],
        ['curlForm', 200],
        ['curlQuery', 200],
      ],
    );
    const json = JSON.parse(byName.curlJson.bodyText!);
    assert.equal(json.method, 'POST');
    assert.deepEqual(JSON.parse(json.body), { name: 'NetReq', tags: ['curl', 'import'] });
    assert.deepEqual(JSON.parse(byName.curlForm.bodyText!).form, { q: 'a b&c', city: 'Zürich' });
    const query = JSON.parse(byName.curlQuery.bodyText!);
    assert.equal(query.method, 'GET');
    assert.deepEqual(query.query, { page: '2', filter: 'size > 10' });
    assert.ok((query.headers as Array<[string, string]>).some(([k, v]) => k === 'User-Agent' && v === 'curl/7.88.1'));
  });

  it('https.netreq: @insecure blocks get answers, the one without is refused for the self-signed certificate', async () => {
    const lines = await runExample('https.netreq', demo);
    const got = Object.fromEntries(lines.map((l) => [l.name, l.exchange.error ? l.exchange.error.message : l.exchange.response!.status]));
    assert.deepEqual(Object.keys(got), ['local-https', 'refused', 'localhost', 'tls-post', 'tls-chunked']);
    assert.equal(got['local-https'], 200);
    assert.match(String(got.refused), /^TLS handshake failed: self-signed certificate/);
    assert.equal(got.localhost, 200);
    assert.equal(got['tls-post'], 200);
    assert.equal(got['tls-chunked'], 200);
  });

  it('qotd.netreq, tcp.netreq, udp.netreq: the seed\'s socket programs against the demo servers', async () => {
    const byName = Object.fromEntries((await runExample('qotd.netreq', demo)).concat(await runExample('tcp.netreq', demo), await runExample('udp.netreq', demo)).map((l) => [l.name, l]));
    assert.match(received(byName.qotd), /— /);
    assert.match(received(byName.daytime), /GMT\r\n$/);
    assert.equal(byName.echo.exchange.echoMatches, true);
    assert.equal(received(byName.hex), 'Hello\x00\x1b');
    assert.match(received(byName['raw-http']), /^HTTP\/1\.1 200 OK\r\n[\s\S]*<\/html>/);
    assert.match(received(byName['raw-https']), /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(received(byName['udp-echo']), 'ping from NetReq');
    assert.match(byName['udp-closed'].exchange.error!.message, /No one is listening on 127\.0\.0\.1:9/);
  });

  it('websocket.netreq and multicast.netreq', async () => {
    const ws = Object.fromEntries((await runExample('websocket.netreq', demo)).map((l) => [l.name, l]));
    const frames = ws['ws-echo'].exchange.frames!.map((f: { dir: string; opcode: string }) => `${f.dir} ${f.opcode}`);
    assert.deepEqual(frames.slice(0, 6), ['sent text', 'sent binary', 'received text', 'received binary', 'sent text', 'received ping']);
    assert.equal(ws['ws-close'].exchange.closeCode, 1000);
    assert.equal(ws['ws-close'].exchange.closeReason, 'you asked me to close');
    const [mc] = await runExample('multicast.netreq', demo);
    assert.equal(mc.exchange.error, undefined);
    assert.equal(mc.exchange.transcript!.filter((e) => e.dir === 'sent').length, 3);
  });
});
