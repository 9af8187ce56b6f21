import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { closeAllEditors, type LoopbackHttp, netreqApi, openNetreq, startHttpServer, type TestedApi } from './helpers';

describe('request variables in the editor', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  let issued = 0;

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => {
      if (req.url === '/login') {
        issued++;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ token: `tok-${issued}` }));
        return;
      }
      const ok = req.headers.authorization === `Bearer tok-${issued}`;
      res.statusCode = ok ? 200 : 401;
      res.end(ok ? 'welcome' : 'bad token');
    });
    await closeAllEditors();
    doc = await openNetreq(
      'chain.netreq',
      `@token = {{login.response.body.$.token}}\n\n### login\n# @name login\nPOST http://127.0.0.1:${server.port}/login\n\n### use\n# @name use\nGET http://127.0.0.1:${server.port}/use\nAuthorization: Bearer {{token}}\n\n### broken\n# @name down\nGET http://127.0.0.1:1/\n\n### needs down\n# @name after\nGET http://127.0.0.1:${server.port}/after?v={{down.response.headers.x}}\n`,
    );
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  it('sending a block sends the request it refers to first (file variable → login), and its panel says so', async () => {
    const x = await api.sendRequest(doc.uri, 'use');
    assert.ok(x, 'use was not sent');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response?.status, 200, 'the server got the token it issued');
    assert.deepEqual(server.requests.map((r) => r.url), ['/login', '/use']);
    assert.deepEqual(x.response?.notes?.slice(0, 1), ["sent 'login' (line 5) first for {{login.response.body.$.token}}"]);
    const state = api.testing.responsePanelState(doc.uri, 1, 'use');
    assert.match(state?.exchange?.exchange.response?.notes?.[0] ?? '', /^sent 'login' \(line 5\) first/);
    assert.equal(api.lastExchange(doc.uri, 0)?.kind, 'http', 'login has its own exchange');
  });

  it('a second send uses the session\'s login: it is not sent again', async () => {
    const x = await api.sendRequest(doc.uri, 'use');
    assert.equal(x?.response?.status, 200);
    assert.deepEqual(server.requests.map((r) => r.url), ['/login', '/use', '/use']);
    assert.equal(x?.response?.notes?.some((n) => n.startsWith('sent ')) ?? false, false);
  });

  it('when the request referred to fails, the dependent one is not sent', async () => {
    const before = server.requests.length;
    const x = await api.sendRequest(doc.uri, 'after');
    assert.equal(x, undefined);
    assert.equal(server.requests.length, before, 'nothing reached the server for the dependent block');
    assert.equal(api.lastExchange(doc.uri, 3), undefined);
    assert.ok(api.lastExchange(doc.uri, 2)?.error, 'the failed request is recorded');
  });
});
