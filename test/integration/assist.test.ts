// Help while typing in the real editor: completion, hover and the language's editor defaults, through VS Code's
// own provider commands (what the suggest widget and the hover ask for).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, netreqApi, openNetreq, setWorkspaceSetting, type TestedApi, waitFor } from './helpers';

const TEXT = ['@base = http://{{host}}:{{port}}', '###', '# @ti', 'GET {{base}}/x', 'Content-Type: app', '', '{"a": 1}', '### ws', 'WS ws://{{host}}:{{wsPort}}/', 'Sec-'].join('\n');

async function complete(doc: vscode.TextDocument, line: number, character: number, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, character), trigger);
  return list.items;
}
const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const hoverText = (hs: vscode.Hover[]) => hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('help while typing', () => {
  let api: TestedApi;
  let restore: () => Promise<void>;
  let doc: vscode.TextDocument;

  before(async () => {
    api = await netreqApi();
    restore = await setWorkspaceSetting('environments', { $shared: { host: '127.0.0.1', port: '8080' }, dev: { port: '9090', wsPort: '8081' } });
    await api.setEnvironment('dev');
    doc = await openNetreq('assist.netreq', TEXT);
  });
  after(async () => {
    await api?.setEnvironment(undefined);
    await restore?.();
    await closeAllEditors();
  });

  it('completes directives after # @ with their documentation, replacing what was typed', async () => {
    const items = await complete(doc, 2, 5, '@');
    const timeout = items.find((i) => label(i) === '@timeout');
    assert.ok(timeout, `no @timeout in ${items.map(label).slice(0, 10).join(', ')}`);
    assert.equal(timeout.insertText, '@timeout ');
    assert.match((timeout.documentation as vscode.MarkdownString).value, /Bound on the whole request/);
    assert.deepEqual((timeout.range as vscode.Range).start, new vscode.Position(2, 2));
  });

  it('completes variables inside {{ with the active environment’s values, closing the braces', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(3, 14), '?q={{');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const items = await complete(doc, 3, 19, '{');
      const port = items.find((i) => label(i) === 'port');
      assert.ok(port, items.map(label).join(', '));
      assert.equal(port.detail, '9090');
      assert.equal(port.insertText, 'port}}');
      assert.ok(items.some((i) => label(i) === 'base') && items.some((i) => label(i) === '$guid'));
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.delete(doc.uri, new vscode.Range(3, 14, 3, 19));
      await vscode.workspace.applyEdit(back);
    }
  });

  it('completes header names and Content-Type values, and the protocol words on a new request line', async () => {
    const values = await complete(doc, 4, 17);
    assert.ok(values.some((i) => label(i) === 'application/json'), values.map(label).join(', '));
    const ws = await complete(doc, 9, 4);
    assert.ok(ws.some((i) => label(i) === 'Sec-WebSocket-Protocol'), ws.map(label).join(', '));
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, end, '\n### new\nQO');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const words = await complete(doc, doc.lineCount - 1, 2);
      assert.ok(words.some((i) => label(i) === 'QOTD') && words.some((i) => label(i) === 'GET'), words.map(label).join(', '));
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.delete(doc.uri, new vscode.Range(end, doc.lineAt(doc.lineCount - 1).range.end));
      await vscode.workspace.applyEdit(back);
    }
  });

  it('hovers: a variable’s value and origin, a directive’s documentation', async () => {
    const base = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(3, 7)));
    assert.match(base, /`base` = `http:\/\/\{\{host\}\}:\{\{port\}\}`/);
    assert.match(base, /file variable, line 1/);
    const ws = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 22)));
    assert.match(ws, /`wsPort` = `8081`[\s\S]*environment `dev`/);
    const dir = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 3)));
    assert.equal(dir, '', 'an unknown directive (@ti) has no hover; its diagnostic speaks');
  });

  it('quick fixes: "did you mean" applied from the light bulb', async () => {
    const fixDoc = await openNetreq('quickfix.netreq', '# @timout 5s\nGET http://127.0.0.1:1/\n');
    const shown = await waitFor('the unknown-directive warning', () => vscode.languages.getDiagnostics(fixDoc.uri).find((d) => d.code === 'unknown-directive'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', fixDoc.uri, shown.range, vscode.CodeActionKind.QuickFix.value);
    const change = actions.find((a) => a.title === 'Change to @timeout');
    assert.ok(change?.edit, actions.map((a) => a.title).join(', '));
    assert.equal(change.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.equal(fixDoc.lineAt(0).text, '# @timeout 5s');
    await waitFor('the warning to go', () => (vscode.languages.getDiagnostics(fixDoc.uri).some((d) => d.code === 'unknown-directive') ? undefined : true));
  });

  it('no word-based suggestions in .netreq files (the language default)', () => {
    const cfg = vscode.workspace.getConfiguration('editor', { languageId: 'netreq' });
    assert.equal(cfg.get('wordBasedSuggestions'), 'off');
  });
});
