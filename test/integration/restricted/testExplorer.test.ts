/** The Test Explorer in Restricted Mode: an untrusted workspace's files are not discovered (nothing to run from them). */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { netreqApi, workspaceDir } from '../helpers';

describe('Test Explorer in Restricted Mode', () => {
  it('an untrusted workspace gets no items for its files, even open ones with asserts', async () => {
    const api = await netreqApi();
    assert.equal(vscode.workspace.isTrusted, false);
    const uri = vscode.Uri.file(path.join(workspaceDir(), 'asserted.netreq'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.ok(doc.getText().includes('?? status == 200'));
    await api.testing.testExplorer.discover(true);
    assert.deepEqual(api.testing.testExplorer.snapshot(), []);
    assert.equal(api.testing.testExplorer.lastDiscovery, undefined, 'no workspace scan ran');
  });
});
