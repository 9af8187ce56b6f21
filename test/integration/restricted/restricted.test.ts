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
import type { NetreqApi } from '../../../src/extension/extension';
import { closeAllEditors, extension, netreqApi, openNetreq, responseTabs, sendCommand, startHttpServer, waitFor, workspaceDir, type LoopbackHttp } from '../helpers';

describe('Restricted Mode (Workspace Trust on, untrusted folder)', () => {
  let api: NetreqApi;
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  let outsideFile: string;

  before(async () => {
    server = await startHttpServer();
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
      ].join('\n'),
    );
  });
  after(async () => {
    await server?.close();
    await closeAllEditors();
  });

  it('the folder is untrusted and NetReq is active in it (untrustedWorkspaces: limited)', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner should have opened this folder untrusted (security.workspace.trust.enabled: true)');
    assert.equal(extension().isActive, true);
    assert.equal(extension().packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');
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
      const state = api.responsePanelState(doc.uri, -1, name);
      assert.ok(state?.refused, `the block's response panel shows no refusal: ${JSON.stringify(state)}`);
      assert.equal(state.refused.restricted, true);
      assert.equal(state.exchange, undefined);
      assert.ok(state.refused.problems.some((p) => words.test(p)), state.refused.problems.join('\n'));
      assert.ok(state.refused.problems.every((p) => p.startsWith('restricted.netreq:')), 'each problem names file:line:col');
      assert.ok(responseTabs().length > 0, 'no response panel tab is open');
      // The editor shows the same refusal, with its stable code.
      const diags = await waitFor(`a ${code} diagnostic in the editor`, () => {
        const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === code && d.severity === vscode.DiagnosticSeverity.Error);
        return found.length > 0 ? found : undefined;
      });
      assert.ok(diags.some((d) => words.test(d.message)), diags.map((d) => d.message).join('\n'));
    });
  }

  it('sends a body file inside the workspace, and ignores the workspace’s netreq.tls.caFiles', async () => {
    const tls = vscode.workspace.getConfiguration('netreq').inspect<string[]>('tls.caFiles');
    assert.deepEqual(tls?.workspaceValue, ['/nonexistent/netreq-restricted-test-ca.pem'], 'the workspace sets a CA file that does not exist');
    const x = await sendCommand(doc.uri, 'inside');
    assert.ok(x, 'the block inside the workspace was not sent');
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response?.status, 200);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].url, '/inside');
    assert.equal(server.requests[0].body, 'a body file inside the workspace\n');
    const state = api.responsePanelState(doc.uri, -1, 'inside');
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
});
