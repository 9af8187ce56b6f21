import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { closeAllEditors, codeLenses, type LoopbackHttp, netreqApi, openNetreq, sendCommand, startHttpServer, type TestedApi } from './helpers';
import type { PreSendUi } from '../../src/extension/requests/preSend';

/**
 * # @disabled, # @prompt and # @note in the real editor. VS Code's modal dialogs cannot be clicked from a test, so
 * the dialogs are answered through NetreqTestingApi.setPreSendUi (the same PreSendUi the real ones implement; the
 * decision itself is unit-tested in test/unit/extension/pre-send.test.ts).
 */
describe('Send: # @disabled, # @prompt, # @note', () => {
  let api: TestedApi;
  let server: LoopbackHttp;
  let doc: vscode.TextDocument;
  const asked: unknown[] = [];
  let inputs: Array<string | undefined> = [];
  let answer: string | undefined;
  const ui: PreSendUi = {
    showInputBox: async (o) => {
      asked.push(o);
      return inputs.shift();
    },
    confirm: async (message) => {
      asked.push(message);
      return answer;
    },
  };

  before(async () => {
    api = await netreqApi();
    server = await startHttpServer((req, res) => res.end(`got ${req.method} ${req.url}`));
    await closeAllEditors();
    const base = `http://127.0.0.1:${server.port}`;
    doc = await openNetreq(
      'presend.netreq',
      [`# @name off`, '# @disabled', `DELETE ${base}/users/1`, '###', '# @name wipe', '# @note', `DELETE ${base}/all`, '###', '# @name login', '# @prompt user', '# @prompt password', `POST ${base}/login?u={{user}}&p={{password}}`, ''].join('\n'),
    );
    api.testing.setPreSendUi(ui);
  });
  after(async () => {
    api?.testing.setPreSendUi(undefined);
    await server?.close();
    await closeAllEditors();
  });
  beforeEach(() => {
    asked.length = 0;
    server.requests.length = 0;
  });

  it('# @disabled: nothing is sent and the CodeLens says so', async () => {
    assert.equal(await sendCommand(doc.uri, 'off'), undefined);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(asked, []);
    const lenses = await codeLenses(doc.uri, 3);
    assert.ok(lenses.some((l) => l.command?.title === '⊘ Skipped: # @disabled'), lenses.map((l) => l.command?.title).join(', '));
  });

  it("# @note: REST Client's question; No sends nothing, Yes sends", async () => {
    answer = 'No';
    assert.equal(await sendCommand(doc.uri, 'wipe'), undefined);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(asked, ['Are you sure you want to send the request "wipe"?']);
    answer = 'Yes';
    const x = await sendCommand(doc.uri, 'wipe');
    assert.equal(x?.kind, 'http');
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url}`), ['DELETE /all']);
  });

  it('# @prompt: an input box per prompt (hidden for password), the values in the request; Escape sends nothing', async () => {
    inputs = ['alice', 's3cret'];
    const x = await sendCommand(doc.uri, 'login');
    assert.equal(x?.kind, 'http');
    assert.deepEqual(server.requests.map((r) => r.url), ['/login?u=alice&p=s3cret']);
    assert.deepEqual(
      asked.map((o) => [(o as { prompt: string }).prompt, (o as { password: boolean }).password]),
      [
        ['Input value for "user"', false],
        ['Input value for "password"', true],
      ],
    );
    inputs = [undefined];
    assert.equal(await sendCommand(doc.uri, 'login'), undefined);
    assert.equal(server.requests.length, 1);
  });
});
