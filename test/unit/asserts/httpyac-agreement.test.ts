// The same .http file of asserts run by httpyac 6.16.7 (the devDependency) and by NetReq against one nginx:
// every assert passes or fails in both tools alike (httpyac's conversions, quirks of includes, hashes in base64).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startNginx, tempDir, type Peer } from '../../support/peers';
import { runText } from './run';

const DATA = JSON.stringify({ a: 1, s: 'hello', ok: true, off: false, zero: 0, items: [{ id: 1 }, { id: 2 }], names: ['alpha', 'beta'], nums: [1, 2] });
const HTTPYAC = path.resolve(__dirname, '../../../../node_modules/.bin/httpyac');

function httpyac(file: string): Promise<Array<{ message: string; status: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(HTTPYAC, ['send', path.basename(file), '--all', '--json'], { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        const json = JSON.parse(out) as { requests: Array<{ testResults: Array<{ message: string; status: string }> }> };
        resolve(json.requests.flatMap((r) => r.testResults));
      } catch (e) {
        reject(new Error(`httpyac printed no JSON: ${out.slice(0, 500)} ${err.slice(0, 500)}`, { cause: e }));
      }
    });
  });
}

describe('?? asserts: NetReq and httpyac agree on a shared .http file', function () {
  this.timeout(90_000);
  let nginx: Peer;
  let dir: string;
  before(async () => {
    nginx = await startNginx({ files: { 'data.json': DATA }, serverExtra: 'add_header X-Multi a; add_header X-Multi b;' });
    dir = tempDir('asserts-httpyac');
  });
  after(async () => {
    await nginx.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every assert passes or fails alike', async () => {
    const b64 = (alg: string) => createHash(alg).update(DATA).digest('base64');
    const asserts = [
      'status == 200', 'status == 201', 'status equals 200', 'status != 404', 'status != 200', 'status > 199', 'status >= 200', 'status < 200', 'status <= 200',
      'status isNumber', 'status isString', 'status exists', 'status isTrue', 'status isFalse',
      'header content-type == application/json', 'header content-type startsWith application', 'header content-type endsWith json', 'header content-type contains json',
      'header content-type includes xml', 'header x-multi == a, b', 'header x-multi includes b', 'header x-nope exists', 'header x-nope isFalse',
      'body startsWith {', 'body endsWith }', 'body includes hello', 'body matches "s":"h.llo"', 'body matches ^\\[',
      `body sha256 ${b64('sha256')}`, `body md5 ${b64('md5')}`, `body sha512 ${b64('sha512')}`, 'body sha256 AAAA',
      'body a == 1', 'body a == 2', 'body a != 1', 'body a > 0', 'body a isNumber', 'body s == hello', 'body s startsWith hel', 'body s endsWith lo', 'body s isString',
      'body ok == true', 'body ok == false', 'body ok isBoolean', 'body ok isTrue', 'body off isFalse', 'body off exists', 'body zero exists', 'body missing exists', 'body missing isFalse',
      'body items isArray', 'body items.length == 2', 'body items[1].id == 2', 'body items == [{"id":1},{"id":2}]',
      'body names includes alpha', 'body names includes alp', 'body nums includes 1', 'body names.length >= 2',
      'duration < 30000', 'duration > 30000',
    ];
    const file = path.join(dir, 'shared.http');
    fs.writeFileSync(file, [`GET http://127.0.0.1:${nginx.port}/data.json`, '', ...asserts.map((a) => `?? ${a}`), ''].join('\n'));
    const theirs = await httpyac(file);
    const ours = await runText(fs.readFileSync(file, 'utf8'), { dialect: 'http' });
    assert.equal(theirs.length, asserts.length, 'httpyac ran every assert');
    const pairs = asserts.map((a, i) => [a, theirs[i].status === 'SUCCESS' ? 'passed' : 'failed', ours.blocks[0].outcomes[i].status]);
    assert.deepEqual(
      pairs.filter(([, t, o]) => t !== o),
      [],
      'asserts where the tools disagree: [assert, httpyac, NetReq]',
    );
    assert.ok(pairs.some(([, t]) => t === 'failed') && pairs.some(([, t]) => t === 'passed'));
  });
});
