/** Runs first: the extension stays idle until a .netreq document is opened, then activates by itself. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, waitFor, workspaceUri } from './helpers';

describe('activation', () => {
  it('runs in a real VS Code with the extension under development loaded', () => {
    const ext = extension();
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(ext.packageJSON.name, 'netreq');
    assert.ok(ext.packageJSON.activationEvents.includes('onLanguage:netreq'));
  });

  it('is not active before a .netreq file is opened', () => {
    assert.deepEqual(
      vscode.workspace.textDocuments.filter((d) => d.languageId === 'netreq').map((d) => d.uri.toString()),
      [],
      'no .netreq document should be open yet',
    );
    assert.equal(extension().isActive, false, 'the extension activated before any .netreq file was opened');
  });

  it('activates when a .netreq file is opened and hands back its API', async () => {
    const ext = extension();
    const doc = await vscode.workspace.openTextDocument(workspaceUri('requests.netreq'));
    assert.equal(doc.languageId, 'netreq');
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('the extension to activate after opening requests.netreq', () => ext.isActive, 20_000);
    const api = ext.exports;
    for (const fn of ['sendRequest', 'lastExchange', 'isRunning', 'activeEnvironment', 'setEnvironment', 'responsePanelState', 'parseCount'] as const) {
      assert.equal(typeof api[fn], 'function', `API function ${fn}`);
    }
    assert.equal(typeof api.pool.snapshot, 'function');
    await waitFor('the document to be parsed', () => api.parseCount() >= 1);
  });
});
