import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  combineLayers,
  fileLayers,
  findRoot,
  loadEnvSources,
  MAX_ENV_FILE_BYTES,
  nodeEnvReader,
  restClientLayer,
  secretVariables,
  type EnvReader,
} from '../../../src/core/netreq/envSources';
import { environmentVariables } from '../../../src/core/netreq/environments';
import { MAX_JSON_DEPTH, parseJsonc } from '../../../src/core/netreq/jsonc';
import { tempDir } from '../../support/peers';

/** An in-memory file tree (absolute POSIX paths) as an EnvReader; counts the reads. */
function memReader(files: Record<string, string>): EnvReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readText(p, max) {
      reads.push(p);
      const t = files[p];
      if (t === undefined) return undefined;
      if (Buffer.byteLength(t) > max) throw new Error(`${p} is too large`);
      return t;
    },
    list(dir) {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
      return [...names];
    },
  };
}

describe('environment sources (core loader)', () => {
  describe('JSONC', () => {
    it('accepts comments and trailing commas, keeps // inside strings', () => {
      assert.deepEqual(JSON.parse(JSON.stringify(parseJsonc('{\n // c\n "a": "//x", /* b */ "b": [1, 2,],\n}', 'f.json'))), { a: '//x', b: [1, 2] });
    });

    it('names file:line:col for bad JSON', () => {
      assert.throws(() => parseJsonc('{\n  "dev": {\n    "host": tru\n  }\n}', '/p/http-client.env.json'), /^Error: \/p\/http-client\.env\.json:3:13: expected a value, found 't'$/);
      assert.throws(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}', 'x.json'), /x\.json:3:3: expected ',' or '}', found '"'/);
      assert.throws(() => parseJsonc('{"a": "unterminated}', 'x.json'), /x\.json:1:7: a string is not closed/);
      assert.throws(() => parseJsonc('', 'x.json'), /x\.json:1:1: the file is empty/);
      assert.throws(() => parseJsonc('{} {}', 'x.json'), /x\.json:1:4: unexpected '\{' after the end/);
    });

    it('refuses nesting past the bound in words (no stack overflow)', () => {
      const deep = '['.repeat(200_000);
      assert.throws(() => parseJsonc(deep, 'deep.json'), new RegExp(`deep\\.json:1:${MAX_JSON_DEPTH + 1}: nested more than ${MAX_JSON_DEPTH} levels deep`));
      const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
      assert.ok(Array.isArray(parseJsonc(ok, 'ok.json')));
    });

    it('a "__proto__" key does not touch any prototype', () => {
      const v = parseJsonc('{"__proto__": {"polluted": "yes"}}', 'p.json') as Record<string, unknown>;
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      const envs = combineLayers([{ kind: 'http-client', file: 'p.json', environments: restClientLayer(v, 'p.json')!.environments, secret: false }]).environments;
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(Object.keys(envs), []);
    });
  });

  describe('rest-client.environmentVariables', () => {
    it('$shared applies to every environment, the environment wins, {{$env key}} reads its own environment (first occurrence)', () => {
      // REST Client's README example (README:442-465) plus a self reference.
      const raw = {
        $shared: { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' },
        local: { version: 'v2', host: 'localhost', token: '{{$shared nonProdToken}}', base: 'http://{{$local host}}/{{$local host}}' },
        production: { host: 'example.com', token: '{{$shared prodToken}}' },
      };
      const layer = restClientLayer(raw, 'settings')!;
      const envs = combineLayers([layer]).environments;
      assert.deepEqual(environmentVariables(envs, 'local'), {
        version: 'v2',
        prodToken: 'foo',
        nonProdToken: 'bar',
        host: 'localhost',
        token: '{{$shared nonProdToken}}', // the resolver's {{$shared}} reads $shared: 'bar'
        base: 'http://localhost/{{$local host}}', // REST Client's regex has no g flag
      });
      assert.equal(environmentVariables(envs, 'production').version, 'v1');
    });

    it('numbers and booleans become text; objects and null are skipped with a warning naming them', () => {
      const c = combineLayers([restClientLayer({ dev: { port: 8080, on: true, obj: { a: 1 }, nil: null } }, 'settings.json')]);
      assert.deepEqual(c.environments.dev, { port: '8080', on: 'true' });
      assert.deepEqual(c.warnings, [
        "settings.json: environment 'dev': 'obj' is an object (not a text value); skipped",
        "settings.json: environment 'dev': 'nil' is null (not a text value); skipped",
      ]);
    });
  });

  describe('files next to the request file', () => {
    const files = {
      '/w/package.json': '{}',
      '/w/http-client.env.json': '{"dev": {"host": "root.example", "rootOnly": "r"}}',
      '/w/api/http-client.env.json': '{"dev": {"host": "api.example", "token": "public"}, "$shared": {"s": "1"}}',
      '/w/api/http-client.private.env.json': '{"dev": {"token": "private-token"}}',
      '/w/api/.env': 'KEY=from-dotenv\nhost=dotenv-host',
      '/w/api/.env.staging': 'host=staging.example',
      '/w/api/qa.env': 'host=qa-from-qa.env',
      '/w/api/.env.qa': 'host=qa-from-.env.qa',
      '/w/api/env/http-client.env.json': '{"dev": {"sub": "from env/"}}',
      '/w/api/a.http': 'GET http://{{host}}/',
    };

    it('private beats public, nearer beats the root, .env.NAME beats NAME.env, secrets are marked', () => {
      const c = loadEnvSources({ file: '/w/api/a.http', reader: memReader(files), dotenv: true });
      assert.deepEqual(environmentVariables(c.environments, 'dev'), {
        KEY: 'from-dotenv',
        host: 'api.example',
        s: '1',
        rootOnly: 'r',
        token: 'private-token',
        sub: 'from env/',
      });
      assert.equal(environmentVariables(c.environments, 'staging').host, 'staging.example');
      assert.equal(environmentVariables(c.environments, 'qa').host, 'qa-from-.env.qa');
      assert.deepEqual([...secretVariables(c, 'dev')].sort(), ['KEY', 'token']);
      // staging's host comes from .env.staging: secret; $shared's host (from .env) is overridden there.
      assert.deepEqual([...secretVariables(c, 'staging')].sort(), ['KEY', 'host']);
      assert.deepEqual(
        c.origins.dev.map((o) => `${o.kind} ${o.file}`),
        ['http-client /w/http-client.env.json', 'http-client /w/api/http-client.env.json', 'http-client /w/api/env/http-client.env.json', 'http-client-private /w/api/http-client.private.env.json'],
      );
    });

    it('.env files are read only when asked (.http / .rest files), and never in Restricted Mode with the private file', () => {
      const netreq = loadEnvSources({ file: '/w/api/a.netreq', reader: memReader(files), dotenv: false });
      assert.deepEqual(Object.keys(netreq.environments).sort(), ['$shared', 'dev']);
      const restricted = loadEnvSources({ file: '/w/api/a.http', reader: memReader(files), dotenv: true, secrets: false });
      assert.equal(restricted.environments.dev.token, 'public');
      assert.deepEqual(Object.keys(restricted.environments).sort(), ['$shared', 'dev']);
      assert.equal(restricted.secretNames.dev?.size ?? 0, 0);
    });

    it('merge order: rest-client < .env < http-client.env.json < private < netreq.environments', () => {
      const c = loadEnvSources({
        file: '/w/api/a.http',
        reader: memReader(files),
        dotenv: true,
        restClient: { raw: { dev: { host: 'rc', rcOnly: 'x' } }, file: 'rest-client.environmentVariables' },
        netreq: { environments: { dev: { token: 'netreq-wins' } }, file: 'netreq.environments' },
      });
      assert.equal(c.environments.dev.host, 'api.example');
      assert.equal(c.environments.dev.rcOnly, 'x');
      assert.equal(c.environments.dev.token, 'netreq-wins');
      assert.equal(secretVariables(c, 'dev').has('token'), false, 'a public value over a private one is not secret');
      assert.deepEqual(c.origins.dev.map((o) => o.kind).slice(0, 1), ['rest-client']);
      assert.equal(c.origins.dev.at(-1)?.kind, 'netreq');
    });

    it('the walk stops at the project root (package.json, .git, httpyac config, .vscode/settings.json) or the limit', () => {
      const r = memReader({ '/a/b/c/x.http': '', '/a/package.json': '{}', '/http-client.env.json': '{"top": {"x": "1"}}' });
      assert.equal(findRoot('/a/b/c', r), '/a');
      assert.equal(findRoot('/a/b/c', r, '/a/b'), '/a/b');
      assert.deepEqual(Object.keys(combineLayers(fileLayers('/a/b/c/x.http', r, { dotenv: true })).environments), [], 'a file above the root was read');
      const none = memReader({ '/q/r/x.http': '', '/q/http-client.env.json': '{"up": {}}' });
      assert.equal(findRoot('/q/r', none), '/q/r', 'with no marker the folder alone is searched');
      // A home folder's .vscode (extensions only) is not a project root; a .vscode with settings.json is.
      const home = memReader({ '/home/u/p/x.http': '', '/home/u/.vscode/extensions/e/package.json': '{}', '/home/u/.env': 'AWS_SECRET=s' });
      assert.equal(findRoot('/home/u/p', home), '/home/u/p');
      assert.deepEqual(Object.keys(combineLayers(fileLayers('/home/u/p/x.http', home, { dotenv: true })).environments), []);
      const vs = memReader({ '/v/.vscode/settings.json': '{}', '/v/a/b/x.http': '' });
      assert.equal(findRoot('/v/a/b', vs), '/v');
    });

    it('a bad file is an error naming file:line:col', () => {
      const r = memReader({ '/w/package.json': '{}', '/w/http-client.private.env.json': '{\n  "dev": {"a": 1,, }\n}' });
      assert.throws(() => loadEnvSources({ file: '/w/a.http', reader: r, dotenv: true }), /\/w\/http-client\.private\.env\.json:2:18: expected a "name" or '\}', found ','/);
      const notObject = memReader({ '/w/package.json': '{}', '/w/http-client.env.json': '[1]' });
      assert.throws(() => loadEnvSources({ file: '/w/a.http', reader: notObject, dotenv: true }), /\/w\/http-client\.env\.json: expected an object of environment name → variables/);
    });

    it('hostile sizes: the reader is asked for at most MAX_ENV_FILE_BYTES; many NAME.env files are bounded', () => {
      const big = memReader({ '/w/package.json': '{}', '/w/http-client.env.json': `{"dev": {"x": "${'a'.repeat(MAX_ENV_FILE_BYTES)}"}}` });
      assert.throws(() => loadEnvSources({ file: '/w/a.http', reader: big, dotenv: true }), /too large/);
      const many: Record<string, string> = { '/w/package.json': '{}' };
      for (let i = 0; i < 500; i++) many[`/w/e${String(i).padStart(3, '0')}.env`] = `v=${i}`;
      const r = memReader(many);
      const c = loadEnvSources({ file: '/w/a.http', reader: r, dotenv: true });
      assert.equal(Object.keys(c.environments).length, 64);
      assert.ok(r.reads.length <= 64 + 2, `read ${r.reads.length} files`);
    });
  });

  describe('the disk reader', () => {
    let dir: string;
    before(() => {
      dir = tempDir('envsrc');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads a regular file, says undefined for none, refuses a file over the bound and a FIFO without waiting', function () {
      fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
      assert.equal(nodeEnvReader.readText(path.join(dir, '.env'), 100), 'A=1\n');
      assert.equal(nodeEnvReader.readText(path.join(dir, 'missing.json'), 100), undefined);
      assert.throws(() => nodeEnvReader.readText(path.join(dir, '.env'), 2), /is 4 bytes, more than the 2 an environment file may have; not read/);
      assert.ok(nodeEnvReader.list(dir).includes('.env'));
      assert.deepEqual(nodeEnvReader.list(path.join(dir, 'nope')), []);
      const fifo = path.join(dir, 'http-client.env.json');
      const made = spawnSync('mkfifo', [fifo]);
      if (made.status !== 0) this.skip(); // mkfifo is part of coreutils on every Linux this runs on
      assert.throws(() => nodeEnvReader.readText(fifo, 100), /is not a regular file; not read/);
    });
  });
});
