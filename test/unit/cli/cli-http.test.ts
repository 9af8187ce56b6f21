// netreq run on .http files: # @disabled skips, # @note needs --yes, # @prompt takes --var, comment lines leave
// the body, other tools' features are refused before anything is sent. A recording server checks the bytes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './runCli';
import { tempDir } from '../../support/peers';
import { rawServer, type RawServer } from '../../support/servers';

describe('netreq run: .http files (REST Client / httpyac directives)', function () {
  this.timeout(20_000);
  let dir: string;
  let server: RawServer;

  before(async () => {
    dir = tempDir('cli-http');
    server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const requestLines = (from: number) => server.received.slice(from).map((b) => b.toString('latin1').split('\r\n')[0]);

  it('# @disabled: the block is skipped with a line saying so; the others are sent; exit 0', async () => {
    const file = write('disabled.http', `# @disabled\nDELETE http://127.0.0.1:${server.port}/users/1\n###\nGET http://127.0.0.1:${server.port}/users\n`);
    const before = server.received.length;
    const r = await cli(['run', file, '--no-pool']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(requestLines(before), ['GET /users HTTP/1.1']);
    assert.match(r.out, new RegExp(`### ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: skipped: # @disabled`));
    const j = await cli(['run', file, '--no-pool', '--json']);
    assert.deepEqual(JSON.parse(j.out.split('\n')[0]), { file, line: 2, skipped: true, reason: '# @disabled' });
  });

  it('# @note: refused before anything is sent without --yes (REST Client asks first); sent with --yes, saying so', async () => {
    const file = write('note.http', `GET http://127.0.0.1:${server.port}/first\n###\n# @name wipe\n# @note\nDELETE http://127.0.0.1:${server.port}/all\n`);
    const before = server.received.length;
    const r = await cli(['run', file, '--no-pool']);
    assert.equal(r.code, 2);
    assert.equal(server.received.length, before, 'nothing sent');
    assert.equal(r.err, `netreq: ${file}:5: # @note: REST Client asks "Are you sure you want to send the request "wipe"?" before sending; the CLI cannot ask: pass --yes to send it`);
    const y = await cli(['run', file, '--no-pool', '--yes']);
    assert.equal(y.code, 0, y.err);
    assert.deepEqual(requestLines(before), ['GET /first HTTP/1.1', 'DELETE /all HTTP/1.1']);
    assert.match(y.err, /note\.http:5: # @note: sent without asking \(--yes\)/);
  });

  it('# @prompt: --var supplies the value; without it an error names the prompt (file:line:col) and the flag', async () => {
    const file = write('prompt.http', `# @prompt token Your API token\nGET http://127.0.0.1:${server.port}/me\nAuthorization: Bearer {{token}}\n`);
    const before = server.received.length;
    const r = await cli(['run', file, '--no-pool']);
    assert.equal(r.code, 2);
    assert.equal(server.received.length, before);
    assert.match(r.err, /prompt\.http:1:1: error: # @prompt token needs a value: the CLI cannot ask, pass --var token=VALUE/);
    const ok = await cli(['run', file, '--no-pool', '--var', 'token=abc']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(server.received[before].toString('latin1'), /\r\nAuthorization: Bearer abc\r\n/);
  });

  it('comment lines leave a .http body (a JSON body with // comments arrives as valid JSON); a .netreq body keeps them', async () => {
    const text = `POST http://127.0.0.1:${server.port}/json\nContent-Type: application/json\n\n{\n  // the id\n  "id": 1\n}\n`;
    const before = server.received.length;
    assert.equal((await cli(['run', write('c.http', text), '--no-pool'])).code, 0);
    assert.equal((await cli(['run', write('c.netreq', text), '--no-pool'])).code, 0);
    const bodies = server.received.slice(before).map((b) => b.toString('latin1').split('\r\n\r\n')[1]);
    assert.deepEqual(JSON.parse(bodies[0]), { id: 1 });
    assert.equal(bodies[1], '{\r\n  // the id\r\n  "id": 1\r\n}');
  });

  it("another tool's feature is refused by name before anything is sent (exit 2)", async () => {
    const file = write('handler.http', `GET http://127.0.0.1:${server.port}/a\n###\nGET http://127.0.0.1:${server.port}/b\n\n> {% client.global.set("t", response.body.t); %}\n`);
    const before = server.received.length;
    const r = await cli(['run', file, '--no-pool']);
    assert.equal(r.code, 2);
    assert.equal(server.received.length, before);
    assert.match(r.err, /handler\.http:5:1: error: JetBrains response handlers \(> \{% … %\}\) are JavaScript and not supported by NetReq/);
  });
});
