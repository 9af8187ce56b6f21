/**
 * Issue #9 §6: variable expansion under abuse. Every case used to build hundreds of MB, overflow
 * the stack or end in an internal error; each must now be a diagnostic with a stable code, a
 * position and words that name the variable.
 */
import { strict as assert } from 'node:assert';
import { MAX_EXPANSION_CHARS, MAX_VALUE_CHARS, MAX_VARIABLE_DEPTH, parseNetreq, resolveVariable, substitute } from '../../../src/core/netreq';
import type { HttpRequestSpec, TcpRequestSpec } from '../../../src/core/request';
import { assertReadable, ctx, expectDiag, resolveFail, resolveOk, resolveText, withCode } from './helpers';

/** `@v0 = ab` and `@vK = {{vK-1}}{{vK-1}}` for K = 1..n: vK is 2^(K+1) characters long. */
function doubling(n: number): string {
  let s = '@v0 = ab\n';
  for (let k = 1; k <= n; k++) s += `@v${k} = {{v${k - 1}}}{{v${k - 1}}}\n`;
  return s;
}

/** `@v0 = x` and `@vK = {{vK-1}}` for K = 1..n. */
function chain(n: number): string {
  const parts = ['@v0 = x'];
  for (let k = 1; k <= n; k++) parts.push(`@v${k} = {{v${k - 1}}}`);
  return `${parts.join('\n')}\n`;
}

describe('netreq expansion limits (issue #9 §6)', () => {
  it('the limits are 1 MiB per variable, 16 MiB per request and 64 levels', () => {
    assert.equal(MAX_VALUE_CHARS, 1_048_576);
    assert.equal(MAX_EXPANSION_CHARS, 16_777_216);
    assert.equal(MAX_VARIABLE_DEPTH, 64);
  });

  it('a variable that doubles itself 24 times stops at 1 MiB with value-too-large naming it (was a 268 M-character value)', async () => {
    const text = `${doubling(24)}GET http://h/{{v24}}\n`;
    assert.deepEqual(parseNetreq(text).diagnostics, [], 'the file itself is fine');
    const r = await resolveText(text);
    assert.equal(r.ok, false);
    // v19 is exactly 1,048,576 characters (allowed); v20 is the first over the limit.
    const d = expectDiag(r.diagnostics, 'value-too-large', 25, 13, 'error', /^The value of 'v20' \(reached through v24 → v23 → v22 → v21 → v20\) expands to more than 1,048,576 characters \(1 MiB\), the limit for one variable/);
    assert.deepEqual([d.span.end.line, d.span.end.col], [25, 20]);
    assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
    // What was kept is small: no request, and diagnostics of a few hundred characters.
    assert.ok(JSON.stringify(r).length < 2000);
  });

  it('a variable of exactly 1 MiB is used; one character more is value-too-large', async () => {
    const spec = (await resolveOk(`${doubling(19)}POST http://h/\n\n{{v19}}\n`)) as HttpRequestSpec;
    assert.equal(spec.body?.length, MAX_VALUE_CHARS);
    const diags = await resolveFail(`${doubling(19)}@w = {{v19}}!\nPOST http://h/\n\n{{w}}\n`);
    expectDiag(diags, 'value-too-large', 23, 0, 'error', /'w' expands to more than 1,048,576 characters/);
  });

  it('a value written without references is used as written, however long (the limit is on growth)', async () => {
    const big = 'x'.repeat(MAX_VALUE_CHARS + 10);
    const spec = (await resolveOk('POST http://h/\n\n{{big}}\n', { overrides: { big } })) as HttpRequestSpec;
    assert.equal(spec.body?.length, big.length);
  });

  it('substitutions that insert more than 16 MiB in one request stop with expansion-too-large at the line that crossed it', async () => {
    const body = Array.from({ length: 30 }, () => '{{big}}').join('\n');
    const diags = await resolveFail(`POST http://h/\n\n${body}\n`, { overrides: { big: 'y'.repeat(600_000) } });
    // 27 × 600,000 = 16,200,000 fits; the 28th body line (line 29) crosses 16,777,216.
    expectDiag(diags, 'expansion-too-large', 29, 0, 'error', /^Substituting variables in this request would insert more than 16,777,216 characters \(16 MiB\), the limit for one request/);
  });

  it('a 4,000-deep variable chain is variable-chain-too-deep naming the chain (was a stack overflow)', async () => {
    const text = `${chain(4000)}GET http://h/{{v4000}}\n`;
    const r = await resolveText(text);
    assert.equal(r.ok, false);
    assert.equal(withCode(r, 'internal-error').length, 0, JSON.stringify(r.diagnostics));
    expectDiag(
      r.diagnostics,
      'variable-chain-too-deep',
      4001,
      13,
      'error',
      /^Variables refer to each other more than 64 levels deep \(v4000 → v3999 → v3998 → v3997 → … → v3938 → v3937 → v3936\); NetReq stops there/,
    );
  });

  it('a 100,000-deep variable chain is a diagnostic too, in the resolver, the hover and substitute()', async () => {
    const text = `${chain(100_000)}GET http://h/{{v100000}}\n`;
    const doc = parseNetreq(text);
    const r = await resolveText(text);
    assert.equal(r.ok, false);
    expectDiag(r.diagnostics, 'variable-chain-too-deep', 100_001, 13, 'error', /v100000 → v99999/);
    const hover = await resolveVariable(doc, undefined, ctx(), 'v100000');
    assert.deepEqual(hover.diagnostics.map((d) => d.code), ['variable-chain-too-deep']);
    const sub = await substitute(doc, undefined, ctx(), 'a {{v100000}} b');
    assert.deepEqual(sub.diagnostics.map((d) => d.code), ['variable-chain-too-deep']);
  });

  it('a chain of 64 variables resolves; 65 is too deep', async () => {
    const ok = (await resolveOk(`${chain(63)}GET http://h/{{v63}}\n`)) as HttpRequestSpec;
    assert.equal(ok.target, '/x');
    const diags = await resolveFail(`${chain(64)}GET http://h/{{v64}}\n`);
    expectDiag(diags, 'variable-chain-too-deep', 65, 13, 'error');
  });

  it('{{%v}} with a lone surrogate encodes U+FFFD and warns lone-surrogate (was "URI malformed")', async () => {
    const text = '@v = a\ud800b\nGET http://h/?q={{%v}}\n';
    const r = await resolveText(text);
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    assert.equal((r.request as HttpRequestSpec).target, '/?q=a%EF%BF%BDb');
    expectDiag(r.diagnostics, 'lone-surrogate', 1, 16, 'warning', /^The value of 'v' holds a lone UTF-16 surrogate \(U\+D800 at character 2\), which is not text: \{\{%v\}\} encodes it as U\+FFFD/);
    // From --var too, a low surrogate alone, and at the end.
    const spec = (await resolveOk('GET http://h/?q={{%v}}', { overrides: { v: '\udc00x\ud83d' } })) as HttpRequestSpec;
    assert.equal(spec.target, '/?q=%EF%BF%BDx%EF%BF%BD');
    // A surrogate pair is text: no warning.
    const pair = await resolveText('GET http://h/?q={{%v}}', { overrides: { v: '😀' } });
    assert.ok(pair.ok);
    assert.equal((pair.request as HttpRequestSpec).target, '/?q=%F0%9F%98%80');
    assert.deepEqual(pair.diagnostics, []);
  });

  it("'{{' nested inside system-variable arguments is a nested-variable error in the parser", () => {
    const cases: Array<[string, RegExp]> = [
      ['{{$datetime "{{x}}"}}', /^\{\{\$datetime …\}\} cannot hold another '\{\{': the arguments of a system variable are used as written$/],
      ['{{$processEnv {{x}}}}', /to take the name from a variable write \{\{\$processEnv %variableHoldingTheName\}\}/],
      ['{{$dotenv %{{x}}}}', /\{\{\$dotenv %variableHoldingTheName\}\}/],
      ['{{$randomInt {{a}} 10}}', /^\{\{\$randomInt …\}\}/],
      ['{{ {{x}} }}', /^A \{\{…\}\} reference cannot hold another '\{\{'/],
    ];
    for (const [ref, re] of cases) {
      const doc = parseNetreq(`@x = 1\nGET http://h/\nX-A: ${ref}\n`);
      const d = expectDiag(doc.diagnostics, 'nested-variable', 2, 5, 'error', re);
      assert.equal(d.span.end.col, 5 + ref.length, ref);
    }
  });

  it("'{{' nested inside a reference in a <@ body file is a nested-variable error from the resolver, naming the file", async () => {
    const diags = await resolveFail('POST http://h/\n\n<@ ./body.txt\n', { readFile: async () => Buffer.from('{"at": "{{$datetime "{{x}}"}}"}') });
    expectDiag(diags, 'nested-variable', 2, 3, 'error', /\{\{\$datetime …\}\} cannot hold another '\{\{'.* \(in \.\/body\.txt\)$/);
    assert.equal(diags.filter((d) => d.code === 'internal-error').length, 0);
    const sub = await substitute(parseNetreq(''), undefined, ctx(), 'a {{$guid {{x}} }} {{ok}} b', { line: 3, col: 4 });
    assert.deepEqual(sub.diagnostics.map((d) => [d.code, d.span.start.col]), [['nested-variable', 6], ['undefined-variable', 23]]);
  });

  it('names of Object.prototype members are not directives or values (# @toString threw; {{$shared constructor}} gave function source)', async () => {
    assert.equal(parseNetreq('# @__proto__ x\nGET http://h/\n').blocks.length, 1); // not a directive: a key starts with a letter
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      const doc = parseNetreq(`# @${key} x\nGET http://h/\n`);
      assert.equal(doc.blocks.length, 1, key);
      expectDiag(doc.diagnostics, 'unknown-directive', 0, 2, 'warning', new RegExp(`Unknown directive '@${key}'`));
      assert.ok((await resolveText(`# @${key} x\nGET http://h/\n`)).ok, key);
    }
    const shared = await resolveFail('GET http://h/{{$shared constructor}}', { environments: { $shared: { a: '1' } } });
    expectDiag(shared, 'undefined-variable', 0, 13, 'error', /'constructor' is not defined in the \$shared environment/);
    const env = await resolveText('GET http://h/x{{$processEnv toString}}');
    assert.ok(env.ok);
    assert.equal((env.request as HttpRequestSpec).target, '/x');
    expectDiag(env.diagnostics, 'env-var-not-set', 0, 14, 'warning');
    const dotenv = await resolveFail('GET http://h/{{$dotenv valueOf}}', { baseDir: '/nowhere', readFile: async () => Buffer.from('A=1\n') });
    assert.deepEqual(
      dotenv.map((d) => [d.code, d.span.start.line, d.span.start.col, d.message]),
      [['dotenv-error', 0, 13, 'valueOf is not defined in the .env file']],
    );
  });

  it('every new diagnostic reads as a sentence', async () => {
    const r = await resolveText(`${doubling(21)}TCP h:1\n\n{{v21}}\n`);
    for (const d of r.diagnostics) assertReadable(d.message);
    const tcp = await resolveText(`${chain(70)}TCP h:1\n\n{{v70}}\n`);
    assert.equal(tcp.ok, false);
    for (const d of tcp.diagnostics) assertReadable(d.message);
    assert.equal((tcp as { request?: TcpRequestSpec }).request, undefined);
  });
});
