import { strict as assert } from 'node:assert';
import { parseNetreq, resolveVariable, substitute, unescapeValue } from '../../../src/core/netreq';
import type { HttpRequestSpec } from '../../../src/core/request';
import { resolveBlockWith } from '../../../src/core/netreq/resolve';
import { NOW, ctx, expectDiag, resolveFail, resolveOk } from './helpers';

/** Resolves `GET http://h/?v=<expr>` and returns what the query became. */
async function expand(expr: string, over: Parameters<typeof ctx>[0] = {}, pre = ''): Promise<string> {
  const spec = (await resolveOk(`${pre}GET http://h/?v=${expr}`, over)) as HttpRequestSpec;
  return decodeURIComponent(spec.target.slice('/?v='.length));
}

describe('netreq variables: system variables', () => {
  it('$guid is a fresh v4 UUID each time', async () => {
    const spec = (await resolveOk('GET http://h/{{$guid}}/{{$guid}}')) as HttpRequestSpec;
    const [, a, b] = spec.target.split('/');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });

  it('$timestamp with and without offsets', async () => {
    const s = Math.floor(NOW.getTime() / 1000);
    assert.equal(await expand('{{$timestamp}}'), String(s));
    assert.equal(await expand('{{$timestamp -1 d}}'), String(s - 86400));
    assert.equal(await expand('{{$timestamp 2 h}}'), String(s + 7200));
    assert.equal(await expand('{{$timestamp 1 w}}'), String(s + 7 * 86400));
    assert.equal(await expand('{{$timestamp 90 s}}'), String(s + 90));
    assert.equal(await expand('{{$timestamp 1500 ms}}'), String(Math.floor((NOW.getTime() + 1500) / 1000)));
    assert.equal(await expand('{{$timestamp -3 m}}'), String(s - 180));
  });

  it('$datetime rfc1123 / iso8601 / custom formats, with offsets (months clamp like moment)', async () => {
    assert.equal(await expand('{{$datetime rfc1123}}'), 'Thu, 31 Jan 2030 12:34:56 GMT');
    assert.equal(await expand('{{$datetime iso8601}}'), '2030-01-31T12:34:56.789Z');
    assert.equal(await expand('{{$datetime iso8601 1 M}}'), '2030-02-28T12:34:56.789Z');
    assert.equal(await expand('{{$datetime iso8601 1 Q}}'), '2030-04-30T12:34:56.789Z');
    assert.equal(await expand('{{$datetime iso8601 -1 y}}'), '2029-01-31T12:34:56.789Z');
    assert.equal(await expand('{{$datetime rfc1123 1 d}}'), 'Fri, 01 Feb 2030 12:34:56 GMT');
    assert.equal(await expand('{{$datetime "YYYY-MM-DD HH:mm:ss.SSS [at] ddd Do MMMM"}}'), '2030-01-31 12:34:56.789 at Thu 31st January');
    assert.equal(await expand("{{$datetime 'DD/MM/YY h:mm A' -1 y}}"), '31/01/29 12:34 PM');
    assert.equal(await expand('{{$datetime "X x Z ZZ dddd D M"}}'), `${Math.floor(NOW.getTime() / 1000)} ${NOW.getTime()} +00:00 +0000 Thursday 31 1`);
  });

  it('$localDatetime uses the local time zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      assert.equal(await expand('{{$localDatetime rfc1123}}'), 'Thu, 31 Jan 2030 18:04:56 +0530');
      assert.equal(await expand('{{$localDatetime iso8601}}'), '2030-01-31T18:04:56.789+05:30');
      assert.equal(await expand('{{$localDatetime "HH:mm" 1 h}}'), '19:04');
      process.env.TZ = 'America/New_York';
      assert.equal(await expand('{{$localDatetime iso8601}}'), '2030-01-31T07:34:56.789-05:00');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('$randomInt min max: min included, max excluded', async () => {
    const doc = parseNetreq('GET http://h/{{$randomInt 10 13}}');
    const seen = new Set<string>();
    for (const r of [0, 0.5, 0.9999]) {
      const res = await resolveBlockWith(doc, doc.blocks[0], ctx(), { random: () => r });
      assert.ok(res.ok);
      seen.add((res.request as HttpRequestSpec).target);
    }
    assert.deepEqual([...seen], ['/10', '/11', '/12']);
    for (let i = 0; i < 50; i++) {
      const n = Number(await expand('{{$randomInt -3 3}}'));
      assert.ok(Number.isInteger(n) && n >= -3 && n < 3, String(n));
    }
  });

  it('$processEnv NAME and %NAME (indirect through a variable); unset is empty with a warning', async () => {
    const env = { processEnv: { API_TOKEN: 'tok', OTHER: 'o' } };
    assert.equal(await expand('{{$processEnv API_TOKEN}}', env), 'tok');
    assert.equal(await expand('{{$processEnv %which}}', { ...env, environments: { dev: { which: 'OTHER' } }, environmentName: 'dev' }), 'o');
    const doc = parseNetreq('GET http://h/?v={{$processEnv MISSING}}');
    const r = await resolveBlockWith(doc, doc.blocks[0], ctx(), {});
    assert.ok(r.ok);
    assert.equal((r.request as HttpRequestSpec).target, '/?v=');
    expectDiag(r.diagnostics, 'env-var-not-set', 0, 16, 'warning', /Environment variable MISSING is not set/);
  });

  it('$dotenv reads .env next to the file', async () => {
    assert.equal(await expand('{{$dotenv API_KEY}}'), 'secret-123');
    assert.equal(await expand('{{$dotenv QUOTED}}'), 'line1\nline2');
    assert.equal(await expand('{{$dotenv SINGLE}}'), 'raw\\n');
    assert.equal(await expand('{{$dotenv WITH_COMMENT}}'), 'value');
    assert.equal(await expand('{{$dotenv %key}}', {}, '@key = API_KEY\n'), 'secret-123');
    const missing = await resolveFail('GET http://h/{{$dotenv NOPE}}');
    expectDiag(missing, 'dotenv-error', 0, 13, 'error', /NOPE is not defined in the \.env file/);
    const noFile = await resolveFail('GET http://h/{{$dotenv A}}', { baseDir: '/nonexistent-dir' });
    expectDiag(noFile, 'dotenv-error', 0, 13, 'error', /Cannot read \/nonexistent-dir\/\.env: no such file/);
    const unsaved = await resolveFail('GET http://h/{{$dotenv A}}', { baseDir: undefined });
    expectDiag(unsaved, 'dotenv-error', 0, 13, 'error', /has not been saved/);
  });

  it('$shared NAME reads the $shared environment (REST Client)', async () => {
    assert.equal(await expand('{{$shared v}}', { environments: { $shared: { v: '1' }, dev: { v: '2' } }, environmentName: 'dev' }), '1');
  });
});

describe('netreq variables: file, environment, precedence', () => {
  const envs = { $shared: { a: 'shared', b: 'shared', c: 'shared', d: 'shared' }, dev: { a: 'env', b: 'env', c: 'env' } };

  it('precedence: overrides > request > file > environment > $shared', async () => {
    const text = '@a = file\n@b = file\nGET http://h/{{a}}/{{b}}/{{c}}/{{d}}';
    const doc = parseNetreq(text);
    const block = doc.blocks[0];
    block.variables.push({ name: 'b', value: 'request', line: 0, span: { start: { line: 0, col: 0 }, end: { line: 0, col: 0 } } });
    const r = await resolveBlockWith(doc, block, ctx({ environments: envs, environmentName: 'dev', overrides: { a: 'override' } }), {});
    assert.ok(r.ok);
    assert.equal((r.request as HttpRequestSpec).target, '/override/request/env/shared');
    const noEnv = (await resolveOk(text, { environments: envs })) as HttpRequestSpec;
    assert.equal(noEnv.target, '/file/file/shared/shared');
  });

  it('file variables hold other variables, at any depth and in any order, with REST Client escapes', async () => {
    const spec = (await resolveOk('@url = http://{{host}}:{{port}}\n@host = {{name}}\n@name = example.com\n@port = 81\nGET {{url}}/x')) as HttpRequestSpec;
    assert.deepEqual([spec.host, spec.port, spec.target], ['example.com', 81, '/x']);
    assert.equal(unescapeValue('a\\nb\\tc\\\\d\\q'), 'a\nb\tc\\dq');
    const body = (await resolveOk('@v = one\\ntwo\nPOST http://h/\n\n{{v}}')) as HttpRequestSpec;
    assert.equal(body.body?.toString(), 'one\ntwo');
  });

  it('environment values may reference variables too; numbers in settings become text', async () => {
    const spec = (await resolveOk('GET http://{{host}}:{{port}}/', {
      environments: { dev: { host: '{{base}}', base: '127.0.0.1', port: 8080 as unknown as string } },
      environmentName: 'dev',
    })) as HttpRequestSpec;
    assert.deepEqual([spec.host, spec.port], ['127.0.0.1', 8080]);
  });

  it('the last definition of a duplicated file variable wins (REST Client), even below the request', async () => {
    const spec = (await resolveOk('@a = first\n@a = second\nGET http://h/{{a}}')) as HttpRequestSpec;
    assert.equal(spec.target, '/second');
    const later = (await resolveOk('@a = first\n###\nGET http://h/{{a}}\n###\n@a = third\nGET http://h/x')) as HttpRequestSpec;
    assert.equal(later.target, '/third');
  });

  it('{{%name}} percent-encodes the value', async () => {
    const spec = (await resolveOk('@q = a b&c=d/é\nGET http://h/?q={{%q}}&raw={{q}}')) as HttpRequestSpec;
    assert.equal(spec.target, '/?q=a%20b%26c%3Dd%2F%C3%A9&raw=a%20b&c=d/%C3%A9');
  });

  it('undefined variables are errors at resolve time, naming where variables come from', async () => {
    const d = await resolveFail('GET http://h/{{missing}}', { environmentName: 'dev', environments: { dev: {} } });
    expectDiag(d, 'undefined-variable', 0, 13, 'error', /Variable 'missing' is not defined: define it in this file \(@missing = value\), in the active environment 'dev' or \$shared, or pass --var missing=value/);
    const nested = await resolveFail('@a = x{{b}}\nGET http://h/{{a}}');
    expectDiag(nested, 'undefined-variable', 1, 13, 'error', /Variable 'b' \(used by 'a'\) is not defined/);
    const hdr = await resolveFail('GET http://h/\nX-Token: {{tok}}');
    expectDiag(hdr, 'undefined-variable', 1, 9, 'error', /none is active/);
  });

  it('detects cycles with a clear error', async () => {
    const d = await resolveFail('@a = {{b}}\n@b = x{{c}}\n@c = {{a}}\nGET http://h/{{a}}');
    expectDiag(d, 'variable-cycle', 3, 13, 'error', /Variables refer to each other in a loop: a → b → c → a/);
    const self = await resolveFail('@a = {{a}}\nGET http://h/{{a}}');
    expectDiag(self, 'variable-cycle', 1, 13, 'error', /a → a/);
  });

  it('a request variable whose request has not been sent is an error naming both blocks', async () => {
    const d = await resolveFail('### a\n# @name login\nGET http://h/\n### b\nGET http://h/{{login.response.body.$.id}}', {}, 1);
    expectDiag(d, 'request-not-sent', 4, 13, 'error', /\{\{login\.response\.body\.\$\.id\}\} needs the response of 'login' \(line 3\), which has not been sent yet/);
  });

  it('an unknown environment is a warning; $shared still applies', async () => {
    const r = await resolveOk('GET http://{{h}}/', { environments: { $shared: { h: 'x' } }, environmentName: 'prod' });
    assert.equal((r as HttpRequestSpec).host, 'x');
    const doc = parseNetreq('GET http://{{h}}/');
    const res = await resolveBlockWith(doc, doc.blocks[0], ctx({ environments: { $shared: { h: 'x' } }, environmentName: 'prod' }), {});
    expectDiag(res.diagnostics, 'unknown-environment', 0, 4, 'warning', /Environment 'prod' is not defined/);
  });

  it('substitute() and resolveVariable() helpers', async () => {
    const doc = parseNetreq('@a = {{b}}!\n@b = hi\n');
    const s = await substitute(doc, undefined, ctx(), 'say {{a}} {{%a}}');
    assert.deepEqual(s, { text: 'say hi! hi!', diagnostics: [] });
    const bad = await substitute(doc, undefined, ctx(), '{{nope}}', { line: 7, col: 2 });
    assert.equal(bad.text, '{{nope}}');
    expectDiag(bad.diagnostics, 'undefined-variable', 7, 2, 'error');
    assert.deepEqual(await resolveVariable(doc, undefined, ctx(), 'a'), { value: 'hi!', source: 'file', diagnostics: [] });
    const env = await resolveVariable(doc, undefined, ctx({ environments: { $shared: { z: '1' } } }), 'z');
    assert.equal(env.source, 'shared');
  });
});
