import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main, type Io } from '../../../src/cli/main';
import { startDemoServers, type DemoServers } from '../../../src/core/demo';
import { tempDir } from '../../support/peers';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

interface Line {
  name?: string;
  exchange: { response?: { status: number }; error?: { phase: string; message: string } };
  bodyText?: string;
}

/** Runs an example file with the CLI against the demo servers (ports passed as variables) and returns its JSON lines. */
async function runExample(file: string, demo: DemoServers): Promise<Line[]> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env: {} };
  const [http, https] = demo.servers;
  await main(['run', path.join(EXAMPLES, file), '--env', 'local', '--json', '--var', `httpPort=${http.port}`, '--var', `httpsPort=${https.port}`], io);
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
    demo = await startDemoServers({ httpPort: 0, httpsPort: 0, certDir: dir });
  });
  after(async () => {
    await demo.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the local environment and $shared point at the demo servers\' default ports', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, '.vscode/settings.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const envs = JSON.parse(text)['netreq.environments'];
    for (const name of ['$shared', 'local']) assert.deepEqual(envs[name], { host: '127.0.0.1', httpPort: '8080', httpsPort: '8443' }, name);
    assert.ok(envs.public, 'the public hosts stay as an alternative');
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
});
