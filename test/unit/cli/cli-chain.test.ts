/**
 * `netreq run` with request variables: login → token → use against a local server that checks the token it gets;
 * a reference to a later or failed request is an error naming both blocks, and the dependent block is not sent.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as path from 'node:path';
import { cli } from './runCli';
import { planChain, requestRefs, parseNetreq } from '../../../src/core/netreq';
import { tempDir } from '../../support/peers';

describe('netreq run: request variables (chaining)', function () {
  this.timeout(20_000);
  let dir: string;
  let server: http.Server;
  let port: number;
  const issued: string[] = [];
  const seen: Array<{ path: string; auth?: string; status: number }> = [];

  before(async () => {
    dir = tempDir('cli-chain');
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/login' && req.method === 'POST') {
          const token = `T-${issued.length + 1}-${Math.random().toString(36).slice(2)}`;
          issued.push(token);
          res.writeHead(200, { 'Content-Type': 'application/json', 'X-Session': 's-42' });
          res.end(JSON.stringify({ token, user: { id: 7 } }));
          seen.push({ path: '/login', status: 200 });
          return;
        }
        const ok = req.headers.authorization === `Bearer ${issued[issued.length - 1]}` && req.headers['x-session'] === 's-42';
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, status: ok ? 200 : 401 });
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'text/plain' });
        res.end(ok ? 'welcome' : 'bad token');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text.replace(/PORT/g, String(port)));
    return p;
  }

  const LOGIN = '### login\n# @name login\nPOST http://127.0.0.1:PORT/login\nContent-Type: application/json\n\n{"user": "ada"}\n';
  const USE = '### use\n# @name use\nGET http://127.0.0.1:PORT/use/{{login.response.body.$.user.id}}\nAuthorization: Bearer {{token}}\nX-Session: {{login.response.headers.x-session}}\n';

  it('login → token → use: the server gets the token it issued, through a file variable', async () => {
    const file = write('flow.http', `@token = {{login.response.body.token}}\n\n${LOGIN}\n${USE}`);
    const before = seen.length;
    const r = await cli(['run', file]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      seen.slice(before).map((s) => [s.path, s.status]),
      [
        ['/login', 200],
        ['/use/7', 200],
      ],
    );
    assert.equal(seen[seen.length - 1].auth, `Bearer ${issued[issued.length - 1]}`);
    assert.match(r.out, /welcome/);
  });

  it('a reference to a later request is an error naming both blocks (file:line:col); nothing is sent for it', async () => {
    const file = write('later.http', `@token = {{login.response.body.token}}\n\n${USE}\n${LOGIN}`);
    const before = seen.length;
    const r = await cli(['run', file]);
    assert.equal(r.code, 2);
    assert.equal(seen.length, before, 'neither block was sent: the first one does not resolve');
    const col = 'GET http://127.0.0.1:PORT/use/'.replace('PORT', String(port)).length + 1;
    assert.ok(
      r.err.includes(
        `${file}:5:${col}: error: {{login.response.body.$.user.id}} needs the response of 'login' (line 11), which has not been sent in this run: it comes after this request (line 5), and requests are sent in file order; move 'login' above this one`,
      ),
      r.err,
    );
    assert.ok(r.err.includes(`${file}:6:23: error: {{login.response.body.token}} needs the response of 'login' (line 11)`), r.err);
    assert.match(r.err, /\(used by 'token'\)/);
  });

  it('a reference to a failed request is an error naming both; the dependent request is not sent', async () => {
    const file = write('failed.http', `${LOGIN.replace(':PORT/login', ':1/login')}\n${USE.replace('Bearer {{token}}', 'Bearer x')}`);
    const before = seen.length;
    const r = await cli(['run', file]);
    assert.equal(r.code, 2);
    assert.equal(seen.length, before);
    assert.match(r.err, /failed\.http:10:\d+: error: \{\{login\.response\.body\.\$\.user\.id\}\} needs the response of 'login' \(line 3\), whose request failed \(connect: /);
  });

  it('--name use sends the requests it refers to first, and says so', async () => {
    const file = write('named.http', `@token = {{login.response.body.token}}\n\n### other\nGET http://127.0.0.1:PORT/other\n\n${LOGIN}\n${USE}`);
    const before = seen.length;
    const r = await cli(['run', file, '--name', 'use']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(seen.slice(before).map((s) => [s.path, s.status]), [['/login', 200], ['/use/7', 200]]);
    assert.match(r.err, /netreq: sending 'login' \(line 8\) first for \{\{login\.response\.body\.\$\.user\.id\}\} \(line 15\)/);
  });

  it('planChain: file order, each once, through variables; a loop is an error naming the requests', () => {
    const doc = parseNetreq(
      '@t = {{b.response.body.*}}\n\n# @name a\nGET http://h/{{t}}/{{c.response.body.*}}\n\n###\n# @name b\nGET http://h/{{c.response.headers.x}}\n\n###\n# @name c\nGET http://h/\n\n###\n# @name d\nGET http://h/{{a.response.body.*}}\n',
    );
    const refs = (b: (typeof doc.blocks)[number]) => requestRefs(b, (n) => doc.variables.find((v) => v.name === n)?.value);
    const plan = planChain(doc, doc.blocks[3], () => false, refs);
    assert.ok(plan.ok);
    assert.deepEqual(plan.steps.map((s) => [s.block.name, s.for.name, s.ref]), [['c', 'b', 'c.response.headers.x'], ['b', 'a', 'b.response.body.*'], ['a', 'd', 'a.response.body.*']]);
    const sentC = planChain(doc, doc.blocks[3], (n) => n === 'c', refs);
    assert.ok(sentC.ok);
    assert.deepEqual(sentC.steps.map((s) => s.block.name), ['b', 'a']);
    const loop = parseNetreq('# @name a\nGET http://h/{{b.response.body.*}}\n\n###\n# @name b\nGET http://h/{{a.response.body.*}}\n');
    const p = planChain(loop, loop.blocks[0], () => false, (b) => requestRefs(b, () => undefined));
    assert.equal(p.ok, false);
    assert.equal(!p.ok && p.message, "requests need each other's responses in a loop ('a' (line 2) → 'b' (line 6) → 'a' (line 2), through {{a.response.body.*}}); send one of them on its own first");
  });
});
