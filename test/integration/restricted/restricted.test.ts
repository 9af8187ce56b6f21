/**
 * Restricted Mode in the real VS Code: Workspace Trust on, this folder untrusted (the runner sets it up).
 * A Send that would read a file outside the workspace, an environment variable or a .env value is refused
 * before any socket opens — the loopback server below sees no connection at all — and the block's response
 * panel says why with Manage Workspace Trust; a body file inside the workspace still goes out.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { panelCheckFiles } from '../report';
import {
  closeAllEditors,
  extension,
  netreqApi,
  openNetreq,
  responseTabs,
  sendCommand,
  startHttpServer,
  startSilentServer,
  waitFor,
  workspaceDir,
  type LoopbackHttp,
  type TestedApi,
} from '../helpers';

describe('Restricted Mode (Workspace Trust on, untrusted folder)', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let doc: vscode.TextDocument;
  let outsideFile: string;

  before(async () => {
    server = await startHttpServer();
    silent = await startSilentServer();
    const dir = workspaceDir();
    // A file beside the workspace folder, and a link inside it that leads there.
    outsideFile = path.join(path.dirname(dir), 'outside-secret.txt');
    fs.writeFileSync(outsideFile, 'a secret outside the workspace');
    fs.rmSync(path.join(dir, 'data', 'link-out.txt'), { force: true });
    fs.symlinkSync(outsideFile, path.join(dir, 'data', 'link-out.txt'));
    api = await netreqApi();
    await closeAllEditors();
    const base = `http://127.0.0.1:${server.port}`;
    doc = await openNetreq(
      'restricted.netreq',
      [
        '### Passwd',
        '# @name passwd',
        `POST ${base}/passwd`,
        '',
        '< /etc/passwd',
        '',
        '### Climb out',
        '# @name climb',
        `POST ${base}/climb`,
        '',
        '< ../outside-secret.txt',
        '',
        '### Link out',
        '# @name link',
        `POST ${base}/link`,
        '',
        '<@ ./data/link-out.txt',
        '',
        '### Environment variable',
        '# @name env',
        `GET ${base}/env`,
        'X-Report: {{$processEnv NETREQ_TEST_REPORT}}',
        '',
        '### Dotenv through the $shared environment',
        '# @name dotenv',
        `GET ${base}/dotenv?v={{fromDotenv}}`,
        '',
        '### Inside',
        '# @name inside',
        `POST ${base}/inside`,
        'Content-Type: text/plain',
        '',
        '< ./data/inside.txt',
        '',
        '### TCP with a file outside',
        '# @name tcp',
        `TCP 127.0.0.1:${silent.port}`,
        '',
        '< /etc/passwd',
        '',
      ].join('\n'),
    );
  });
  // Editors stay open: the runner then checks the refused block's panel in the page (test/harness/restricted-page.ts).
  after(async () => {
    await server?.close();
    await silent?.close();
  });

  it('the folder is untrusted and NetReq is active in it (untrustedWorkspaces: limited)', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner should have opened this folder untrusted (security.workspace.trust.enabled: true)');
    assert.equal(extension().isActive, true);
    assert.equal(extension().packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('the editor flags what a Send would refuse before anything is sent', async () => {
    const found = await waitFor('Restricted Mode squiggles in restricted.netreq', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => String(x.code).startsWith('restricted-'));
      return d.length >= 4 ? d : undefined;
    });
    const at = (code: string) => found.filter((x) => x.code === code).map((x) => doc.lineAt(x.range.start.line).text.slice(x.range.start.character, x.range.end.character));
    assert.deepEqual(at('restricted-file'), ['/etc/passwd', '../outside-secret.txt', '/etc/passwd']);
    assert.deepEqual(at('restricted-variable'), ['{{$processEnv NETREQ_TEST_REPORT}}']);
    assert.ok(found.every((x) => x.severity === vscode.DiagnosticSeverity.Error && x.message.startsWith('Restricted Mode: ')));
    assert.equal(server.connections, 0);
  });

  for (const [name, code, words] of [
    ['passwd', 'restricted-file', /Restricted Mode: body file \/etc\/passwd is not sent: in an untrusted workspace it is outside the workspace folder/],
    ['climb', 'restricted-file', /Restricted Mode: body file \.\.\/outside-secret\.txt is not sent/],
    ['link', 'restricted-file', /Restricted Mode: body file \.\/data\/link-out\.txt is not sent: .*it leads to .*outside-secret\.txt/],
    ['env', 'restricted-variable', /Restricted Mode: \$processEnv is not available in an untrusted workspace/],
    ['dotenv', 'restricted-variable', /Restricted Mode: \$dotenv is not available in an untrusted workspace/],
  ] as const) {
    it(`refuses block @${name} before any socket opens, and says why in its panel`, async () => {
      const x = await sendCommand(doc.uri, name);
      assert.equal(x, undefined, 'a refused block returns no exchange');
      assert.equal(server.connections, 0, 'the loopback server saw a connection');
      assert.equal(server.requests.length, 0, 'the loopback server received a request');
      const state = api.testing.responsePanelState(doc.uri, -1, name);
      assert.ok(state?.refused, `the block's response panel shows no refusal: ${JSON.stringify(state)}`);
      assert.equal(state.refused.restricted, true);
      assert.equal(state.exchange, undefined);
      assert.ok(state.refused.problems.some((p) => words.test(p)), state.refused.problems.join('\n'));
      assert.ok(state.refused.problems.every((p) => p.startsWith('restricted.netreq:')), 'each problem names file:line:col');
      await waitFor('the block’s response panel tab', () => responseTabs().find((t) => t.label.includes(state.refused!.title)));
      // The editor shows the same refusal, with its stable code.
      const diags = await waitFor(`a ${code} diagnostic in the editor`, () => {
        const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === code && d.severity === vscode.DiagnosticSeverity.Error);
        return found.length > 0 ? found : undefined;
      });
      assert.ok(diags.some((d) => words.test(d.message)), diags.map((d) => d.message).join('\n'));
    });
  }

  it('refuses a TCP block’s payload file outside before connecting; its transcript panel says why', async () => {
    const x = await vscode.commands.executeCommand('netreq.sendRequest', doc.uri, 'tcp');
    assert.equal(x, undefined);
    assert.equal(silent.connections, 0, 'the TCP server saw a connection');
    assert.equal(silent.bytes, 0);
    const state = Array.from({ length: 10 }, (_, i) => api.testing.transcriptPanelState(doc.uri, i)).find((st) => st?.refused);
    assert.ok(state?.refused, 'no transcript panel shows the refusal');
    assert.equal(state.refused.restricted, true);
    assert.ok(state.refused.problems.some((p) => /Restricted Mode: body file \/etc\/passwd is not sent/.test(p)), state.refused.problems.join('\n'));
  });

  it('sends a body file inside the workspace, and ignores the workspace’s netreq.tls.caFiles', async () => {
    // The workspace names a CA file that does not exist; VS Code leaves this restricted setting out of an untrusted workspace.
    assert.match(fs.readFileSync(path.join(workspaceDir(), '.vscode', 'settings.json'), 'utf8'), /"netreq\.tls\.caFiles": \["\/nonexistent\//);
    assert.equal(vscode.workspace.getConfiguration('netreq').inspect<string[]>('tls.caFiles')?.workspaceValue, undefined);
    const x = await sendCommand(doc.uri, 'inside');
    assert.ok(x, 'the block inside the workspace was not sent');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response?.status, 200);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].url, '/inside');
    assert.equal(server.requests[0].body, 'a body file inside the workspace\n');
    const state = api.testing.responsePanelState(doc.uri, -1, 'inside');
    assert.equal(state?.refused, undefined);
    assert.equal(state?.exchange?.exchange.response?.status, 200);
  });

  it('nothing outside the workspace reached the server in all of this', () => {
    assert.equal(server.requests.length, 1);
    for (const r of server.requests) {
      assert.doesNotMatch(r.body, /root:|secret/);
      assert.equal(r.headers['x-report'], undefined);
    }
  });

  it('leaves the refusal of @passwd in view while the runner clicks its Manage Workspace Trust button in the page', async function () {
    this.timeout(90_000);
    assert.equal(await sendCommand(doc.uri, 'passwd'), undefined);
    assert.equal(server.connections, 1, 'only the block inside the workspace ever connected');
    const state = api.testing.responsePanelState(doc.uri, -1, 'passwd');
    assert.ok(state?.refused?.restricted);
    const tab = await waitFor('the @passwd panel tab', () => responseTabs().find((t) => t.label.includes('Passwd')));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    const report = process.env.NETREQ_TEST_REPORT;
    assert.ok(report, 'NETREQ_TEST_REPORT is not set');
    const files = panelCheckFiles(report);
    fs.writeFileSync(files.ready, '');
    await waitFor('the runner to check the panel in the page', () => fs.existsSync(files.checked), 75_000, 200);
    assert.equal(fs.readFileSync(files.checked, 'utf8'), 'passed', 'the page check failed (its own result says why)');
    // The button opened VS Code's Workspace Trust editor.
    await waitFor('a Workspace Trust editor tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /Workspace Trust/i.test(t.label)));
  });
});
