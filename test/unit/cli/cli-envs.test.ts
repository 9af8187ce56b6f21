import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './runCli';
import { tempDir } from '../../support/peers';
import { rawServer, type RawServer } from '../../support/servers';

describe('netreq CLI: environments from REST Client, JetBrains / httpyac and .env files', function () {
  this.timeout(20_000);
  let dir: string;
  let server: RawServer;

  before(async () => {
    dir = tempDir('cli-envs');
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
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

  /** Runs FILE with the arguments and returns the request line the server received. */
  async function sentPath(args: string[]): Promise<string> {
    const before = server.received.length;
    const r = await cli(['run', ...args]);
    assert.equal(r.code, 0, r.err);
    assert.equal(server.received.length, before + 1, 'one request expected');
    return server.received[before].toString('latin1').split('\r\n')[0];
  }

  it('--env finds rest-client.environmentVariables in a parent .vscode/settings.json ($shared, JSONC)', async () => {
    write('p1/package.json', '{}');
    write(
      'p1/.vscode/settings.json',
      `{\n  // REST Client's environments\n  "rest-client.environmentVariables": {\n    "$shared": { "version": "v1", "port": ${server.port} },\n    "local": { "version": "v2", "token": "{{$shared version}}-t", },\n  },\n}\n`,
    );
    const file = write('p1/requests/deep/a.http', 'GET http://127.0.0.1:{{port}}/{{version}}/{{token}}\n');
    assert.equal(await sentPath([file, '--env', 'local']), 'GET /v2/v1-t HTTP/1.1');
    const none = await cli(['run', file, '--env', 'nope']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no environment 'nope' for .*a\.http; known: local \(see 'netreq envs /);
  });

  it('--env finds http-client.env.json next to the file; the private file wins; .env / .env.NAME for .http files', async () => {
    write('p2/package.json', '{}');
    write('p2/api/http-client.env.json', `{"dev": {"port": ${server.port}, "who": "public", "token": "placeholder"}}`);
    write('p2/api/http-client.private.env.json', '{"dev": {"token": "private"}}');
    write('p2/api/.env', 'KEY=dotenv');
    write('p2/api/.env.stage', `port=${server.port}\nwho=stage`);
    const file = write('p2/api/b.http', 'GET http://127.0.0.1:{{port}}/{{who}}/{{token}}/{{KEY}}\n');
    assert.equal(await sentPath([file, '--env', 'dev']), 'GET /public/private/dotenv HTTP/1.1');
    const stage = write('p2/api/c.http', 'GET http://127.0.0.1:{{port}}/{{who}}/{{KEY}}\n');
    assert.equal(await sentPath([stage, '--env', 'stage']), 'GET /stage/dotenv HTTP/1.1');
    const rest = write('p2/api/e.rest', 'GET http://127.0.0.1:{{port}}/rest/{{KEY}}\n');
    assert.equal(await sentPath([rest, '--env', 'stage']), 'GET /rest/dotenv HTTP/1.1');
    // A .netreq file next to them sees the JSON environments but not the .env files ({{$dotenv}} reads those).
    const nr = write('p2/api/d.netreq', 'GET http://127.0.0.1:{{port}}/{{who}}/{{KEY}}\n');
    const r = await cli(['run', nr, '--env', 'dev']);
    assert.equal(r.code, 2);
    assert.match(r.err, /KEY/);
  });

  it('netreq.environments and --env-file win over the other tools\' files', async () => {
    write('p3/.vscode/settings.json', `{"netreq.environments": {"dev": {"who": "netreq"}}, "rest-client.environmentVariables": {"dev": {"port": ${server.port}, "who": "rc"}}}`);
    write('p3/http-client.env.json', '{"dev": {"who": "jetbrains"}}');
    const file = write('p3/e.http', 'GET http://127.0.0.1:{{port}}/{{who}}\n');
    assert.equal(await sentPath([file, '--env', 'dev']), 'GET /netreq HTTP/1.1');
    const envFile = write('p3-envs.json', '{"dev": {"who": "env-file"}}');
    assert.equal(await sentPath([file, '--env', 'dev', '--env-file', envFile]), 'GET /env-file HTTP/1.1');
  });

  it('netreq envs FILE lists each environment, its variables (secrets starred) and where it comes from', async () => {
    write('p4/package.json', '{}');
    write('p4/.vscode/settings.json', '{"rest-client.environmentVariables": {"$shared": {"v": "1"}, "local": {"h": "x"}}}');
    write('p4/http-client.env.json', '{"dev": {"host": "h", "token": "public"}}');
    write('p4/http-client.private.env.json', '{"dev": {"token": "secret-value"}}');
    const file = write('p4/f.http', 'GET http://{{host}}/\n');
    const r = await cli(['envs', file]);
    assert.equal(r.code, 0, r.err);
    const s = path.join(dir, 'p4');
    assert.equal(
      r.out,
      [
        `Environments for ${file} (sources listed lowest precedence first; * = secret, value not shown):`,
        '$shared: 1 variable (v)',
        `  from rest-client.environmentVariables in ${s}/.vscode/settings.json`,
        'local: 1 variable (h)',
        `  from rest-client.environmentVariables in ${s}/.vscode/settings.json`,
        'dev: 2 variables (host, token*)',
        `  from ${s}/http-client.env.json`,
        `  from ${s}/http-client.private.env.json`,
      ].join('\n'),
    );
    assert.doesNotMatch(r.out, /secret-value/);
  });

  it('a bad environment file stops the run with file:line:col, exit 2, nothing sent', async () => {
    write('p5/package.json', '{}');
    write('p5/http-client.env.json', '{\n  "dev": {\n    "port": 80\n    "x": 1\n  }\n}');
    const file = write('p5/g.http', `GET http://127.0.0.1:${server.port}/\n`);
    const before = server.received.length;
    const r = await cli(['run', file]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `netreq: ${path.join(dir, 'p5', 'http-client.env.json')}:4:5: expected ',' or '}', found '"'`);
    assert.equal(server.received.length, before);
    const e = await cli(['envs', file]);
    assert.equal(e.code, 2);
    assert.match(e.err, /http-client\.env\.json:4:5:/);
  });
});
