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
    // What other extensions get, exactly; the test probes sit under `testing` only (ExtensionMode.Test).
    assert.deepEqual(Object.keys(api).sort(), ['activeEnvironment', 'isRunning', 'lastExchange', 'sendRequest', 'setEnvironment', 'testing']);
    for (const fn of ['sendRequest', 'lastExchange', 'isRunning', 'activeEnvironment', 'setEnvironment'] as const) {
      assert.equal(typeof api[fn], 'function', `API function ${fn}`);
    }
    const testing = api.testing;
    assert.ok(testing, 'the test probes are there: this extension host runs in ExtensionMode.Test');
    for (const fn of ['responsePanelState', 'transcriptPanelState', 'wsSession', 'parseCount'] as const) {
      assert.equal(typeof testing[fn], 'function', `probe ${fn}`);
    }
    assert.equal(typeof testing.pool.snapshot, 'function');
    await waitFor('the document to be parsed', () => testing.parseCount() >= 1);
  });
});
