/**
 * The anchor of issue 13: NetReq's and httpyac's JUnit pass/fail counts agree on a shared `.http` file with passing
 * and failing asserts. httpyac 6.16.7 (a devDependency) runs as its own process, with the file in its working
 * directory as it requires; NetReq runs in-process. Both write one testcase per `??` line.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { main } from '../../../src/cli/main';
import { tempDir } from '../../support/peers';

const HTTPYAC = path.resolve(__dirname, '../../../../node_modules/.bin/httpyac');

interface Case {
  block: string;
  name: string;
  passed: boolean;
}

function junitCases(xml: string, tool: 'netreq' | 'httpyac'): { tests: number; failed: number; cases: Case[] } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.getElementsByTagName('testsuites')[0];
  const cases = Array.from(doc.getElementsByTagName('testcase')).map((c) => {
    const passed = c.getElementsByTagName('failure').length + c.getElementsByTagName('error').length === 0;
    const full = c.getAttribute('name')!;
    // httpyac: classname = the request's name, name = the assert; NetReq: name = "block: assert".
    return tool === 'httpyac' ? { block: c.getAttribute('classname')!, name: full, passed } : { block: full.slice(0, full.indexOf(': ')), name: full.slice(full.indexOf(': ') + 2), passed };
  });
  const failed = Number(root.getAttribute('failures')) + Number(root.getAttribute('errors'));
  return { tests: Number(root.getAttribute('tests')), failed, cases };
}

async function both(dir: string, file: string): Promise<{ netreq: ReturnType<typeof junitCases>; httpyac: ReturnType<typeof junitCases>; codes: [number, number] }> {
  // Not spawnSync: the peer server runs in this process and must answer while httpyac waits.
  const hy = await new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve, reject) => {
    const p = spawn(HTTPYAC, ['send', path.basename(file), '--all', '--junit'], { cwd: dir, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (status) => resolve({ stdout, stderr, status }));
  });
  assert.ok(hy.stdout.includes('<testsuites'), `httpyac wrote no JUnit: ${hy.stderr}`);
  const junit = path.join(dir, 'netreq.xml');
  const code = await main(['test', file, '--junit', junit], { out: () => undefined, err: () => undefined, color: false, env: {} });
  return { netreq: junitCases(fs.readFileSync(junit, 'utf8'), 'netreq'), httpyac: junitCases(hy.stdout, 'httpyac'), codes: [code, hy.status ?? -1] };
}

const key = (c: Case) => `${c.block} | ${c.name} | ${c.passed ? 'pass' : 'FAIL'}`;

describe('netreq test and httpyac agree on JUnit counts', function () {
  this.timeout(90_000);
  let dir: string;
  let server: http.Server;
  let port = 0;

  before(async function () {
    if (!fs.existsSync(HTTPYAC)) throw new Error(`httpyac is a devDependency (6.16.7) but ${HTTPYAC} is missing: run npm install`);
    dir = tempDir('httpyac-agree');
    server = http.createServer((req, res) => {
      const status = req.url?.startsWith('/missing') ? 404 : req.url?.startsWith('/created') ? 201 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-Api': 'v2' });
      res.end(JSON.stringify({ ok: status < 400, path: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('status == and != asserts, passing and failing, over several requests', async () => {
    const file = path.join(dir, 'status.http');
    fs.writeFileSync(
      file,
      [
        '### ok',
        '# @name ok',
        `GET http://127.0.0.1:${port}/ok`,
        '?? status == 200',
        '?? status != 404',
        '',
        '### missing',
        '# @name missing',
        `GET http://127.0.0.1:${port}/missing`,
        '?? status == 200',
        '?? status != 404',
        '?? status == 404',
        '',
        '### created',
        '# @name created',
        `POST http://127.0.0.1:${port}/created`,
        'Content-Type: application/json',
        '',
        '{"a": 1}',
        '',
        '?? status == 201',
        '?? status != 201',
        '',
      ].join('\n'),
    );
    const r = await both(dir, file);
    assert.deepEqual({ tests: r.netreq.tests, failed: r.netreq.failed }, { tests: 7, failed: 3 });
    assert.deepEqual({ tests: r.netreq.tests, failed: r.netreq.failed }, { tests: r.httpyac.tests, failed: r.httpyac.failed }, 'the totals agree');
    assert.deepEqual(r.netreq.cases.map(key).sort(), r.httpyac.cases.map(key).sort(), 'each assert passes or fails in both');
    assert.equal(r.codes[0], 1, 'NetReq: 1 when an assert failed');
    assert.equal(r.codes[1], 20, 'httpyac: 20 when an assert failed');
  });

  it('header and body asserts: the same verdict per assert as httpyac (§2.2)', async () => {
    const file = path.join(dir, 'fields.http');
    fs.writeFileSync(
      file,
      [
        '### ok',
        '# @name ok',
        `GET http://127.0.0.1:${port}/ok`,
        '?? header content-type == application/json',
        '?? header x-api == v1',
        '?? header content-type includes json',
        '?? body includes "ok":true',
        '?? body startsWith {"ok"',
        '?? body endsWith nope',
        '?? status < 300',
        '?? status >= 400',
        '',
      ].join('\n'),
    );
    const r = await both(dir, file);
    assert.deepEqual({ tests: r.netreq.tests, failed: r.netreq.failed }, { tests: 8, failed: 3 });
    assert.deepEqual({ tests: r.netreq.tests, failed: r.netreq.failed }, { tests: r.httpyac.tests, failed: r.httpyac.failed });
    // httpyac names header asserts without the word `header` and `includes` as `contains`: compare the verdicts in file order.
    const verdicts = (cs: Case[]) => cs.map((c) => `${c.block} | ${c.passed ? 'pass' : 'FAIL'}`);
    assert.deepEqual(verdicts(r.netreq.cases), verdicts(r.httpyac.cases));
  });
});
