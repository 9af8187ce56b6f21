import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, netreqApi, openNetreq, setWorkspaceSetting, startHttpServer, startSilentServer, type TestedApi, waitFor } from './helpers';

describe('settings', () => {
  let api: TestedApi;
  before(async () => {
    api = await netreqApi();
  });
  after(closeAllEditors);

  it('netreq.timeout ends a request the server never answers, naming the timeout', async () => {
    const silent = await startSilentServer();
    const restore = await setWorkspaceSetting('timeout', 400);
    try {
      const doc = await openNetreq('timeout.netreq', `### Never answered\n# @name silent\nGET http://127.0.0.1:${silent.port}/wait\n`);
      const t0 = Date.now();
      const x = await api.sendRequest(doc.uri, 'silent');
      const elapsed = Date.now() - t0;
      assert.ok(x, 'nothing was sent');
      assert.equal(x.response, undefined);
      assert.ok(x.error, 'no error on a request that was never answered');
      assert.equal(x.error.phase, 'wait');
      assert.equal(x.error.code, 'ETIMEDOUT');
      assert.match(x.error.message, /timed out after 400 ms/i);
      assert.ok(elapsed >= 380 && elapsed < 10_000, `the request took ${elapsed} ms with a 400 ms timeout`);
      assert.equal(silent.connections, 1);
      await waitFor('the request bytes at the silent server', () => silent.bytes > 0);
    } finally {
      await restore();
      await silent.close();
    }
    assert.equal(vscode.workspace.getConfiguration('netreq', null).get('timeout'), 30_000);
  });

  it('netreq.pool.enabled = false opens a new, unpooled connection for each request', async () => {
    const server = await startHttpServer();
    const doc = await openNetreq('pool.netreq', `### Pool\n# @name pool\nGET http://127.0.0.1:${server.port}/pool\n`);
    const restore = await setWorkspaceSetting('pool.enabled', false);
    try {
      await waitFor('the pool to switch off', () => api.testing.pool.snapshot().options.enabled === false);
      const a = await api.sendRequest(doc.uri, 'pool');
      const b = await api.sendRequest(doc.uri, 'pool');
      for (const x of [a, b]) {
        assert.equal(x?.error, undefined, x?.error?.message);
        assert.equal(x?.response?.status, 200);
        assert.equal(x?.connection?.pooled, false);
        assert.equal(x?.connection?.reused, false);
        assert.equal(x?.connection?.afterwards, 'closed');
      }
      assert.notEqual(a?.connection?.id, b?.connection?.id);
      assert.equal(server.connections, 2, 'the server should have seen one connection per request');
    } finally {
      await restore();
    }
    // Back on: the next two requests share one connection again.
    await waitFor('the pool to switch back on', () => api.testing.pool.snapshot().options.enabled === true);
    const c = await api.sendRequest(doc.uri, 'pool');
    const d = await api.sendRequest(doc.uri, 'pool');
    assert.equal(c?.connection?.pooled, true);
    assert.equal(d?.connection?.reused, true);
    assert.equal(d?.connection?.id, c?.connection?.id);
    assert.equal(server.connections, 3);
    await server.close();
  });
});
