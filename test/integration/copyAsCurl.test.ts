import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { netreqApi, openNetreq } from './helpers';

type CopyResult = { ok: true; command: string; notes: string[]; message: string } | { ok: false; message: string };

describe('Copy as curl', () => {
  before(async () => {
    await netreqApi();
  });

  it('copies the HTTP block at the cursor (and a block by index) as a curl command, and says how long it is', async () => {
    const doc = await openNetreq('copy-as-curl.netreq', 'GET http://127.0.0.1:9/x\nX-A: 1\n\n### two\ncurl -d a http://127.0.0.1:9/y\n\n### three\nTCP 127.0.0.1:9\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const r = await vscode.commands.executeCommand<CopyResult>('netreq.copyAsCurl');
    assert.ok(r.ok, r.message);
    assert.equal(r.command, "curl --http1.1 -X GET -H User-Agent: -H Accept: -H 'X-A: 1' http://127.0.0.1:9/x");
    assert.equal(r.message, `Copied as curl (${Buffer.byteLength(r.command)} bytes)`);
    assert.equal(await vscode.env.clipboard.readText(), r.command);

    const curl = await vscode.commands.executeCommand<CopyResult>('netreq.copyAsCurl', doc.uri, 1);
    assert.ok(curl.ok, curl.message);
    assert.match(curl.command, /-X POST .*-H 'User-Agent: curl\/7\.88\.1' -H 'Accept: \*\/\*' .*--data-binary a http:\/\/127\.0\.0\.1:9\/y$/);

    const tcp = await vscode.commands.executeCommand<CopyResult>('netreq.copyAsCurl', doc.uri, 2);
    assert.equal(tcp.ok, false);
    assert.match(tcp.message, /works on HTTP requests; this block is a TCP request/);
  });
});
