import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, netreqApi, openNetreq, waitFor } from './helpers';

const badHeaders = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'bad-header');

describe('diagnostics', () => {
  before(async () => {
    await netreqApi();
  });
  after(closeAllEditors);

  it('a malformed header line gets an error, which goes away when the line is fixed', async () => {
    const doc = await openNetreq('diagnostics.netreq', '### Check\nGET http://127.0.0.1:9/\nAccept: text/plain\n');
    // Opening parses it: no problem in a well-formed file.
    await waitFor('the parser to run on the document', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri))?.length);
    assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);

    const broken = new vscode.WorkspaceEdit();
    broken.insert(doc.uri, new vscode.Position(2, 0), 'NoColonHere\n');
    assert.equal(await vscode.workspace.applyEdit(broken), true);
    const [d] = await waitFor('a bad-header diagnostic on line 3', () => {
      const found = badHeaders(doc.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(d.range.start.line, 2);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'netreq');
    assert.match(d.message, /Name: value/);

    const fixed = new vscode.WorkspaceEdit();
    fixed.replace(doc.uri, doc.lineAt(2).range, 'X-Fixed: yes');
    assert.equal(await vscode.workspace.applyEdit(fixed), true);
    await waitFor('the bad-header diagnostic to clear', () => badHeaders(doc.uri).length === 0);
    assert.equal(doc.lineAt(2).text, 'X-Fixed: yes');
    assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error), []);
    await doc.save();
  });
});
