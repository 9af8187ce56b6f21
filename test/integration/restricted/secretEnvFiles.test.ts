/**
 * Restricted Mode and the other tools' environment files: http-client.env.json is read (as netreq.environments
 * is), but the secret files — http-client.private.env.json and .env files — are not, as {{$dotenv}} is refused.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, netreqApi, startHttpServer, waitFor, workspaceDir, type LoopbackHttp, type TestedApi } from '../helpers';

describe('Restricted Mode: environment files of .http files', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  before(async () => {
    api = await netreqApi();
    server = await startHttpServer();
  });
  after(async () => {
    await api?.setEnvironment(undefined);
    await server?.close();
    await closeAllEditors();
  });

  it('reads http-client.env.json but not http-client.private.env.json or .env', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const dir = path.join(workspaceDir(), 'envsecrets');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'http-client.env.json'), JSON.stringify({ dev: { port: server.port, token: 'public' } }));
    fs.writeFileSync(path.join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { token: 'private-secret' } }));
    fs.writeFileSync(path.join(dir, '.env.dotsecret'), 'token=dotenv-secret');
    const file = path.join(dir, 's.http');
    fs.writeFileSync(file, '# @name s\nGET http://127.0.0.1:{{port}}/{{token}}\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
    const dev = await waitFor('dev in the picker', () => api.testing.environmentItems().find((i) => i.label === 'dev'));
    assert.match(dev.description ?? '', /http-client\.env\.json/);
    assert.doesNotMatch(dev.description ?? '', /private/);
    assert.equal(api.testing.environmentItems().find((i) => i.label === 'dotsecret'), undefined, '.env.dotsecret was read in Restricted Mode');
    await api.setEnvironment('dev');
    const x = await api.sendRequest(doc.uri, 's');
    assert.equal(x?.error, undefined, x?.error?.message);
    assert.deepEqual(server.requests.map((r) => r.url), ['/public']);
  });
});
