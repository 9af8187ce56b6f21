/**
 * Restricted Mode (an untrusted workspace): `$processEnv` and `$dotenv` are refused, body files are read
 * only inside the workspace folders after `..` and symbolic links are resolved, and every refusal is an
 * error diagnostic with a stable code and words saying how to lift it. Real files in a temp folder.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Codes } from '../../../src/core/netreq';
import { parseNetreq } from '../../../src/core/netreq';
import { isInside, isRestrictedDiagnostic, RESTRICTED_PREFIX, restrictedProblems } from '../../../src/core/netreq/restricted';
import type { ResolveContext } from '../../../src/core/netreq/types';
import type { HttpRequestSpec, TcpRequestSpec } from '../../../src/core/request';
import { assertReadable, expectDiag, resolveFail, resolveOk } from './helpers';

describe('netreq: Restricted Mode', () => {
  let top: string;
  let ws: string;
  let outside: string;
  /** Every path the resolver asked to read. */
  let reads: string[];
  let restricted: Partial<ResolveContext>;

  before(() => {
    top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-restricted-')));
    ws = path.join(top, 'workspace');
    outside = path.join(top, 'outside');
    fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(ws, 'body.txt'), 'inside body');
    fs.writeFileSync(path.join(ws, 'sub', 'nested.txt'), 'nested body');
    fs.writeFileSync(path.join(ws, 'template.txt'), 'user={{user}} home={{$processEnv HOME}}');
    fs.writeFileSync(path.join(ws, '.env'), 'SECRET=from-dotenv\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside secret');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));
    fs.symlinkSync(outside, path.join(ws, 'linkdir'));
    fs.symlinkSync(path.join(ws, 'body.txt'), path.join(ws, 'inner-link.txt'));
  });
  after(() => fs.rmSync(top, { recursive: true, force: true }));
  beforeEach(() => {
    reads = [];
    restricted = {
      baseDir: ws,
      processEnv: { HOME: '/home/someone', TOKEN: 'secret-token' },
      readFile: (p) => {
        reads.push(p);
        return fs.promises.readFile(p);
      },
      restricted: { folders: [ws] },
    };
  });

  const body = (s: unknown) => (s as HttpRequestSpec).body?.toString('utf8');

  describe('system variables', () => {
    it('refuses {{$processEnv NAME}} with an error that says why and how to lift it', async () => {
      const d = await resolveFail('GET http://127.0.0.1:1/\nX-Token: {{$processEnv TOKEN}}', restricted);
      const r = expectDiag(d, Codes.restrictedVariable, 1, 9, 'error', /^Restricted Mode: \$processEnv is not available in an untrusted workspace/);
      assert.match(r.message, /trust the workspace to use it/);
      assert.ok(isRestrictedDiagnostic(r));
    });

    it('refuses {{$processEnv %name}} before looking the indirection up', async () => {
      const d = await resolveFail('@which = TOKEN\nGET http://127.0.0.1:1/{{$processEnv %which}}', restricted);
      expectDiag(d, Codes.restrictedVariable, 1, 23, 'error', /\$processEnv/);
    });

    it('refuses {{$dotenv NAME}} without reading the .env file', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\nsecret={{$dotenv SECRET}}', restricted);
      expectDiag(d, Codes.restrictedVariable, 2, 7, 'error', /^Restricted Mode: \$dotenv is not available in an untrusted workspace/);
      assert.deepEqual(reads, [], 'the .env file was read');
    });

    it('refuses them wherever they hide: file variables, environments, socket payloads', async () => {
      const viaVar = await resolveFail('@home = {{$processEnv HOME}}\nGET http://127.0.0.1:1/?h={{home}}', restricted);
      assert.equal(viaVar.filter((x) => x.code === Codes.restrictedVariable).length, 1);
      const viaEnv = await resolveFail('GET http://127.0.0.1:1/?t={{token}}', {
        ...restricted,
        environments: { $shared: { token: '{{$dotenv SECRET}}' } },
      });
      assert.equal(viaEnv.filter((x) => x.code === Codes.restrictedVariable).length, 1);
      const tcp = await resolveFail('TCP 127.0.0.1:1\n\n{{$processEnv TOKEN}}', restricted);
      expectDiag(tcp, Codes.restrictedVariable, 2, 0, 'error');
    });

    it('leaves the other system variables alone', async () => {
      const s = await resolveOk('GET http://127.0.0.1:1/{{$timestamp}}\nX-Id: {{$guid}}', restricted);
      assert.match((s as HttpRequestSpec).target, /^\/\d+$/);
    });

    it('a trusted workspace (no restriction) still reads both', async () => {
      const s = await resolveOk('POST http://127.0.0.1:1/\n\n{{$processEnv TOKEN}} {{$dotenv SECRET}}', { ...restricted, restricted: undefined });
      assert.equal(body(s), 'secret-token from-dotenv');
    });
  });

  describe('body files', () => {
    it('reads < and <@ files inside the workspace folder (relative, nested, absolute, via an inner link)', async () => {
      assert.equal(body(await resolveOk('POST http://127.0.0.1:1/\n\n< ./body.txt', restricted)), 'inside body');
      assert.equal(body(await resolveOk('POST http://127.0.0.1:1/\n\n< sub/nested.txt', restricted)), 'nested body');
      assert.equal(body(await resolveOk('POST http://127.0.0.1:1/\n\n< sub/../body.txt', restricted)), 'inside body');
      assert.equal(body(await resolveOk(`POST http://127.0.0.1:1/\n\n< ${path.join(ws, 'body.txt')}`, restricted)), 'inside body');
      assert.equal(body(await resolveOk('POST http://127.0.0.1:1/\n\n< ./inner-link.txt', restricted)), 'inside body');
      const tcp = (await resolveOk('TCP 127.0.0.1:1\n\n< ./body.txt', restricted)) as TcpRequestSpec;
      assert.equal(tcp.payload.toString(), 'inside body');
    });

    it('refuses an absolute path outside (< /etc/passwd) without reading it', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\n< /etc/passwd', restricted);
      const r = expectDiag(d, Codes.restrictedFile, 2, 2, 'error', /^Restricted Mode: body file \/etc\/passwd is not sent: in an untrusted workspace it is outside the workspace folder/);
      assert.match(r.message, /trust the workspace to use it/);
      assert.deepEqual(reads, []);
    });

    it('refuses ../ that climbs out of the folder', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\n< ../outside/secret.txt', restricted);
      expectDiag(d, Codes.restrictedFile, 2, 2, 'error', /\.\.\/outside\/secret\.txt is not sent/);
      const deep = await resolveFail('POST http://127.0.0.1:1/\n\n<@ sub/../../outside/secret.txt', restricted);
      expectDiag(deep, Codes.restrictedFile, 2, 3, 'error');
      assert.deepEqual(reads, []);
    });

    it('refuses a symbolic link inside that leads outside (file or folder), naming where it leads', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\n< ./link.txt', restricted);
      const r = expectDiag(d, Codes.restrictedFile, 2, 2, 'error');
      assert.ok(r.message.includes(`it leads to ${path.join(outside, 'secret.txt')}`), r.message);
      await resolveFail('TCP 127.0.0.1:1\n\n< linkdir/secret.txt', restricted);
      assert.deepEqual(reads, []);
    });

    it('refuses a path built from variables once it is expanded', async () => {
      const d = await resolveFail('@up = ..\nPOST http://127.0.0.1:1/\n\n< {{up}}/outside/secret.txt', restricted);
      assert.equal(d.filter((x) => x.code === Codes.restrictedFile).length, 1);
      assert.deepEqual(reads, []);
    });

    it('refuses $processEnv inside a <@ file that is itself allowed', async () => {
      const d = await resolveFail('@user = me\nPOST http://127.0.0.1:1/\n\n<@ ./template.txt', restricted);
      const r = d.find((x) => x.code === Codes.restrictedVariable);
      assert.ok(r, JSON.stringify(d));
      assert.match(r.message, /\(in \.\/template\.txt\)$/);
    });

    it('refuses a FIFO inside the folder (reading it would hang) without opening it', async function () {
      if (process.platform === 'win32') this.skip(); // no mkfifo on Windows
      const fifo = path.join(ws, 'pipe');
      execFileSync('mkfifo', [fifo]);
      try {
        const d = await resolveFail('POST http://127.0.0.1:1/\n\n< ./pipe', restricted);
        expectDiag(d, Codes.restrictedFile, 2, 2, 'error', /only regular files are read/);
        assert.deepEqual(reads, []);
      } finally {
        fs.rmSync(fifo);
      }
    });

    it('with no workspace folder open, reads no body file at all', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\n< ./body.txt', { ...restricted, restricted: { folders: [] } });
      expectDiag(d, Codes.restrictedFile, 2, 2, 'error', /no workspace folder is open/);
    });

    it('a folder given by a symbolic link to it still counts as the folder', async () => {
      const alias = path.join(top, 'alias');
      fs.symlinkSync(ws, alias);
      try {
        const s = await resolveOk('POST http://127.0.0.1:1/\n\n< ./body.txt', { ...restricted, baseDir: alias, restricted: { folders: [alias] } });
        assert.equal(body(s), 'inside body');
      } finally {
        fs.rmSync(alias);
      }
    });

    it('a missing file inside the folder is still "no such file", not a Restricted Mode refusal', async () => {
      const d = await resolveFail('POST http://127.0.0.1:1/\n\n< ./missing.txt', restricted);
      expectDiag(d, Codes.bodyFileUnreadable, 2, 2, 'error', /no such file/);
    });

    it('a trusted workspace (no restriction) reads files anywhere, as before', async () => {
      const s = await resolveOk('POST http://127.0.0.1:1/\n\n< ../outside/secret.txt', { ...restricted, restricted: undefined });
      assert.equal(body(s), 'outside secret');
    });
  });

  describe('restrictedProblems (the editor, before a Send)', () => {
    const problems = (text: string, folders: string[] = [ws], baseDir: string | undefined = ws) => restrictedProblems(text, parseNetreq(text), { baseDir, folders });

    it('flags every $processEnv / $dotenv outside comments, at the reference', () => {
      const text = [
        '@home = {{$processEnv HOME}}',
        '# a comment about {{$processEnv HOME}} is not flagged',
        '// {{$dotenv X}} neither',
        '# @note {{$dotenv X}} (a directive is)',
        'GET http://127.0.0.1:1/{{$guid}}?t={{$dotenv TOKEN}}',
        'X-A: {{ $processEnv %which }}',
      ].join('\n');
      const d = problems(text);
      assert.deepEqual(
        d.map((x) => [x.code, x.span.start.line, x.span.start.col, x.span.end.col]),
        [
          [Codes.restrictedVariable, 0, 8, 28],
          [Codes.restrictedVariable, 3, 8, 21],
          [Codes.restrictedVariable, 4, 35, 52],
          [Codes.restrictedVariable, 5, 5, 29],
        ],
      );
      for (const x of d) {
        assert.equal(x.severity, 'error');
        assert.ok(x.message.startsWith(RESTRICTED_PREFIX), x.message);
      }
    });

    it('flags body files outside the folders by their text, not those inside or built from variables', () => {
      const text = 'POST http://h/\n\n< /etc/passwd\n\n###\nPOST http://h/\n\n< ../outside/secret.txt\n\n###\nPOST http://h/\n\n< ./body.txt\n\n###\nPOST http://h/\n\n< {{f}}/x\n';
      const d = problems(text);
      assert.deepEqual(
        d.map((x) => [x.code, x.span.start.line, x.span.start.col]),
        [
          [Codes.restrictedFile, 2, 2],
          [Codes.restrictedFile, 7, 2],
        ],
      );
      assert.match(d[0].message, /^Restricted Mode: body file \/etc\/passwd is not sent: in an untrusted workspace it is outside the workspace folder \(\/etc\/passwd\)/);
      assert.equal(problems(text, [])[0].message.includes('no workspace folder is open'), true);
      assert.deepEqual(problems('POST http://h/\n\n< ./body.txt', [ws], undefined), [], 'an unsaved file has no folder to resolve against: the Send says so');
    });

    it('agrees with the resolver: each one it flags, a Send refuses with the same code at the same place', async () => {
      for (const text of ['POST http://127.0.0.1:1/\n\n< ../outside/secret.txt', 'GET http://127.0.0.1:1/\nX-T: {{$processEnv TOKEN}}']) {
        const [mine] = problems(text);
        const sent = await resolveFail(text, restricted);
        assert.ok(
          sent.some((x) => x.code === mine.code && x.span.start.line === mine.span.start.line && x.span.start.col === mine.span.start.col),
          JSON.stringify({ mine, sent }),
        );
      }
    });
  });

  it('isInside: strictly below the root, never the root itself nor a sibling with the same prefix', () => {
    assert.equal(isInside('/w/a', '/w/a/x'), true);
    assert.equal(isInside('/w/a', '/w/a/x/../y'), true);
    assert.equal(isInside('/w/a', '/w/a'), false);
    assert.equal(isInside('/w/a', '/w/ab/x'), false);
    assert.equal(isInside('/w/a', '/w/a/../b'), false);
    assert.equal(isInside('/w/a', '/etc/passwd'), false);
    assert.equal(isInside('/w/a', '/w/a/..x'), true);
  });

  it('every refusal starts with the same words', () => {
    assertReadable(`${RESTRICTED_PREFIX}x is not sent`);
    assert.equal(RESTRICTED_PREFIX, 'Restricted Mode: ');
  });
});
