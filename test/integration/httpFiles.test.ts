import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, codeLenses, netreqApi, setWorkspaceSetting, startHttpServer, waitFor, workspaceDir, type LoopbackHttp, type TestedApi } from './helpers';

/** Writes a file under the workspace folder (folders made as needed) and returns its Uri. */
function put(rel: string, text: string): vscode.Uri {
  const p = path.join(workspaceDir(), rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return vscode.Uri.file(p);
}

async function openHttp(rel: string, text: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(put(rel, text));
  assert.equal(doc.languageId, 'http', `${rel} did not open as an http document`);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

describe('.http files and the other tools\' environments', () => {
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

  it('a .http file gets "NetReq: Send" lenses, NetReq diagnostics, and Send sends it', async () => {
    assert.equal(vscode.extensions.getExtension('humao.rest-client'), undefined, 'this test expects REST Client not installed (auto shows the lenses)');
    const doc = await openHttp('httpfiles/plain.http', `GET http://127.0.0.1:${server.port}/first\n\n###\n\nGET http://127.0.0.1:${server.port}/second/{{notDefinedAnywhere}}\n`);
    const lenses = await codeLenses(doc.uri, 3);
    const titles = lenses.map((l) => l.command?.title);
    assert.deepEqual(titles.filter((t) => t === 'NetReq: Send').length, 2, JSON.stringify(titles));
    assert.ok(titles.includes('NetReq: Send All'), JSON.stringify(titles));
    const diags = await waitFor('an undefined-variable diagnostic on the .http file', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'undefined-variable' && x.source === 'netreq');
      return d.length ? d : undefined;
    });
    assert.equal(diags[0].range.start.line, 4);
    const before = server.requests.length;
    const x = await api.sendRequest(doc.uri, 0);
    assert.equal(x?.error, undefined, x?.error?.message);
    assert.equal(x?.response?.status, 200);
    assert.deepEqual(server.requests.slice(before).map((r) => r.url), ['/first']);
  });

  it('netreq.httpFiles.codeLens never hides the lenses; netreq.httpFiles.enabled false takes every NetReq feature off .http files', async () => {
    const doc = await openHttp('httpfiles/toggle.http', 'GET http://127.0.0.1:9/{{undefinedHere}}\n');
    await codeLenses(doc.uri, 1);
    await waitFor('the undefined-variable diagnostic', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'netreq'));
    const lensesNow = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? []).filter((l) => l.command?.command.startsWith('netreq.'));
    const restoreLens = await setWorkspaceSetting('httpFiles.codeLens', 'never');
    try {
      await waitFor('no NetReq lens with codeLens: never', async () => (await lensesNow()).length === 0);
    } finally {
      await restoreLens();
    }
    const restoreEnabled = await setWorkspaceSetting('httpFiles.enabled', false);
    try {
      await waitFor('no NetReq diagnostic with httpFiles.enabled: false', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'netreq'));
      assert.equal((await lensesNow()).length, 0);
      const x = await vscode.commands.executeCommand('netreq.sendRequest', doc.uri, 0);
      assert.equal(x, undefined, 'a disabled .http file was sent');
    } finally {
      await restoreEnabled();
    }
    await waitFor('the diagnostic back once enabled', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'netreq'));
  });

  it('the environment picker lists an http-client.env.json environment (with its source), and Send uses it', async () => {
    put('httpfiles/http-client.env.json', JSON.stringify({ jbdev: { port: server.port, who: 'jetbrains' } }));
    put('httpfiles/http-client.private.env.json', JSON.stringify({ jbdev: { token: 'private-tok' } }));
    const doc = await openHttp('httpfiles/env.http', '# @name jb\nGET http://127.0.0.1:{{port}}/{{who}}/{{token}}\n');
    const item = await waitFor('the jbdev environment in the picker', () => api.testing.environmentItems().find((i) => i.label === 'jbdev'));
    assert.match(item.description ?? '', /2 variables|3 variables/);
    assert.match(item.description ?? '', /http-client\.env\.json, http-client\.private\.env\.json/);
    await api.setEnvironment('jbdev');
    const before = server.requests.length;
    const x = await api.sendRequest(doc.uri, 'jb');
    assert.equal(x?.error, undefined, x?.error?.message);
    assert.deepEqual(server.requests.slice(before).map((r) => r.url), ['/jetbrains/private-tok']);
  });

  it('a bad http-client.env.json is named with file:line:col in the picker, and the file still gets its features', async () => {
    put('httpbad/http-client.env.json', '{\n  "dev": {\n    "port": 1\n    "x": 2\n  }\n}\n');
    const doc = await openHttp('httpbad/bad.http', `GET http://127.0.0.1:${server.port}/bad\n`);
    const first = await waitFor('the picker to say why', () => {
      const items = api.testing.environmentItems();
      return items[0]?.detail?.startsWith('Not read:') ? items[0] : undefined;
    });
    assert.equal(first.detail, `Not read: ${path.join(workspaceDir(), 'httpbad', 'http-client.env.json')}:4:5: expected ',' or '}', found '"'`);
    assert.equal(doc.languageId, 'http');
    await codeLenses(doc.uri, 1);
  });

  it('rest-client.environmentVariables from the workspace settings ($shared included) is used', async () => {
    // Not a registered setting without REST Client, so VS Code's API cannot write it: the settings file is edited as a person would.
    const settings = path.join(workspaceDir(), '.vscode', 'settings.json');
    const had = fs.existsSync(settings) ? fs.readFileSync(settings, 'utf8') : undefined;
    const entry = `"rest-client.environmentVariables": ${JSON.stringify({ $shared: { rcPort: server.port }, rclocal: { path: 'from-rest-client' } })}`;
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    // The file is JSONC (comments): the entry goes right after its opening brace.
    fs.writeFileSync(settings, had ? had.replace('{', `{\n  ${entry},`) : `{\n  ${entry}\n}\n`);
    try {
      await waitFor('rest-client.environmentVariables to read back', () => vscode.workspace.getConfiguration('rest-client').get<Record<string, unknown>>('environmentVariables')?.rclocal);
      const doc = await openHttp('httpfiles/rc.http', '# @name rc\nGET http://127.0.0.1:{{rcPort}}/{{path}}\n');
      const item = await waitFor('rclocal in the picker', () => api.testing.environmentItems().find((i) => i.label === 'rclocal'));
      assert.match(item.description ?? '', /rest-client\.environmentVariables/);
      await api.setEnvironment('rclocal');
      const before = server.requests.length;
      const x = await api.sendRequest(doc.uri, 'rc');
      assert.equal(x?.error, undefined, x?.error?.message);
      assert.deepEqual(server.requests.slice(before).map((r) => r.url), ['/from-rest-client']);
    } finally {
      if (had === undefined) fs.rmSync(settings);
      else fs.writeFileSync(settings, had);
    }
  });
});
