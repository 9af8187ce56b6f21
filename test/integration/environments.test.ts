import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, type LoopbackHttp, netreqApi, openNetreq, setWorkspaceSetting, startHttpServer, type TestedApi, waitFor } from './helpers';

describe('environments', () => {
  let api: TestedApi;
  let alpha: LoopbackHttp;
  let beta: LoopbackHttp;
  let restore: () => Promise<void>;
  let doc: vscode.TextDocument;

  before(async () => {
    api = await netreqApi();
    alpha = await startHttpServer();
    beta = await startHttpServer();
    restore = await setWorkspaceSetting('environments', {
      $shared: { host: '127.0.0.1' },
      alpha: { port: alpha.port, tag: 'alpha' },
      beta: { port: String(beta.port), tag: 'beta' },
    });
    doc = await openNetreq('environments.netreq', '### Which environment?\n# @name which\nGET http://{{host}}:{{port}}/env/{{tag}}\n');
  });
  after(async () => {
    await api?.setEnvironment(undefined);
    await restore?.();
    await alpha?.close();
    await beta?.close();
    await closeAllEditors();
  });

  it('the active environment decides the substituted values, and switching changes them', async () => {
    await api.setEnvironment('alpha');
    assert.equal(api.activeEnvironment(), 'alpha');
    const a = await api.sendRequest(doc.uri, 'which');
    assert.equal(a?.error, undefined, a?.error?.message);
    assert.equal(a?.response?.status, 200);
    assert.equal(a?.request.port, alpha.port);
    assert.equal(a?.request.url, `http://127.0.0.1:${alpha.port}/env/alpha`);
    assert.deepEqual(alpha.requests.map((r) => [r.url, r.headers.host]), [['/env/alpha', `127.0.0.1:${alpha.port}`]]);
    assert.equal(beta.requests.length, 0);

    await api.setEnvironment('beta');
    assert.equal(api.activeEnvironment(), 'beta');
    const b = await api.sendRequest(doc.uri, 'which');
    assert.equal(b?.error, undefined, b?.error?.message);
    assert.equal(b?.request.port, beta.port);
    assert.deepEqual(beta.requests.map((r) => [r.url, r.headers.host]), [['/env/beta', `127.0.0.1:${beta.port}`]]);
    assert.equal(alpha.requests.length, 1, 'alpha got a request meant for beta');
  });

  it('a variable no environment defines is reported, and nothing is sent', async () => {
    await api.setEnvironment(undefined);
    const before = alpha.requests.length + beta.requests.length;
    const x = await api.sendRequest(doc.uri, 'which');
    assert.equal(x, undefined, 'a request with undefined variables was sent');
    assert.equal(alpha.requests.length + beta.requests.length, before);
    const diags = await waitFor('an undefined-variable diagnostic', () => {
      const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'undefined-variable');
      return found.length > 0 ? found : undefined;
    });
    assert.ok(diags.some((d) => /port|tag/.test(d.message)), diags.map((d) => d.message).join('\n'));
  });

  it('before any pick, netreq.defaultEnvironment is the active one; picking "none" then sticks', async () => {
    const restoreDefault = await setWorkspaceSetting('defaultEnvironment', 'beta');
    try {
      await api.testing.forgetEnvironmentPick();
      assert.equal(api.activeEnvironment(), 'beta');
      const b = await api.sendRequest(doc.uri, 'which');
      assert.equal(b?.request.port, beta.port, b?.error?.message);
      await api.setEnvironment(undefined);
      assert.equal(api.activeEnvironment(), undefined, 'an explicit "No environment" is not replaced by the default');
    } finally {
      await restoreDefault();
    }
  });
});
