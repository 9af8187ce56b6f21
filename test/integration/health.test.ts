/**
 * Issue 6 in the real VS Code: checks from workspace settings and from `# @health` blocks of workspace
 * files, their states in the Network Health tree and the status bar, following loopback servers the
 * tests start and stop; pause/resume, Check Now, Add Check, Remove, Open as Request, Pin; a pinned HTTPS
 * block checked with netreq.tls.caFiles, as Send sends it.
 * Every wait is bounded; settings and files are put back, servers closed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HealthApi } from '../../src/extension/health';
import { closeAllEditors, type LoopbackHttp, netreqApi, openNetreq, setWorkspaceSetting, sleep, startHttpServer, type TestedApi, waitFor, workspaceUri } from './helpers';

const CHECK_WAIT_MS = 20_000;

/** A TCP server on 127.0.0.1 that accepts and closes; stop() and start() again on the same port. */
class Peer {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async start(): Promise<this> {
    const server = net.createServer((s) => {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
      s.end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const c of this.sockets) c.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

const row = async (h: HealthApi, name: string) => (await h.rows()).find((r) => r.label === name);
const stateOf = (h: HealthApi, name: string) => h.entries().find((e) => e.name === name)?.state;
const waitState = (h: HealthApi, name: string, state: string) => waitFor(`check "${name}" to be ${state} (it is ${stateOf(h, name)})`, () => stateOf(h, name) === state, CHECK_WAIT_MS);

describe('network health', function () {
  this.timeout(90_000);
  let api: TestedApi;
  let h: HealthApi;
  let web: LoopbackHttp;
  const tcp = new Peer();
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async () => {
    api = await netreqApi();
    h = api.testing.health;
    web = await startHttpServer();
    await tcp.start();
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c();
    if (h.paused) await vscode.commands.executeCommand('netreq.health.resume');
    await tcp.stop();
    await web?.close();
    await closeAllEditors();
  });

  it('without checks nothing runs and the status-bar item is hidden; showing the view (its status-bar click) starts it, empty', async () => {
    assert.deepEqual(h.entries(), []);
    assert.equal(h.started, false, 'no checks in settings and the view not shown: nothing started at activation');
    await waitFor('the status-bar item to be hidden', () => h.statusBarText() === undefined);
    assert.ok((await vscode.commands.getCommands(true)).includes('netreq.health.focus'), 'the view is contributed (its focus command exists)');
    await vscode.commands.executeCommand('netreq.health.focus');
    await waitFor('the shown view to start the health checks', () => h.started);
    assert.deepEqual(await h.rows(), [], 'an empty tree, so the welcome text with "Add Health Check" shows');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('checks from workspace settings show their states in the tree and the status bar, and follow a server going down and back up', async () => {
    const restore = await setWorkspaceSetting('health.checks', [
      { name: 'web', target: `http://127.0.0.1:${web.port}/health`, intervalSeconds: 1, timeoutMs: 2000 },
      { name: 'tcp', target: `tcp://127.0.0.1:${tcp.port}`, intervalSeconds: 1, timeoutMs: 2000 },
    ]);
    cleanups.push(restore);
    assert.ok(h.started || (await waitFor('the checks to start', () => h.started)), 'checks in settings start the scheduler');
    await waitState(h, 'web', 'healthy');
    await waitState(h, 'tcp', 'healthy');
    await waitFor('the status bar to say 2/2', () => h.statusBarText() === '$(pulse) 2/2');
    assert.equal(h.statusBar()?.background, undefined);
    assert.ok(web.requests.some((r) => r.url === '/health' && r.headers['user-agent'] === 'NetReq-health'), 'the HTTP check reached the server');

    const rows = await h.rows();
    assert.deepEqual(rows.map((r) => r.label), ['web', 'tcp']);
    for (const r of rows) {
      assert.equal(r.icon, 'pass', JSON.stringify(r));
      assert.equal(r.color, 'testing.iconPassed');
      assert.equal(r.contextValue, 'check.setting');
      assert.match(r.description ?? '', /^\d+(\.\d{1,2})? (ms|s) · (just now|\d+ s ago)/);
      assert.match(r.tooltip ?? '', /Target: /);
      assert.match(r.tooltip ?? '', /Defined in: workspace settings/);
    }

    const notify = await setWorkspaceSetting('health.notifyOnUnhealthy', true);
    cleanups.push(notify);
    assert.deepEqual(h.notifications(), [], 'no notification while all is well (and none before the setting was on)');
    await tcp.stop();
    await waitState(h, 'tcp', 'unhealthy');
    await waitFor('the status bar to say 1/2 on red', () => h.statusBarText() === '$(pulse) 1/2' && h.statusBar()?.background === 'statusBarItem.errorBackground');
    const error = h.statuses().find((s) => s.config.name === 'tcp')?.last?.error ?? '';
    assert.match(error, /refused|ECONNREFUSED/i, 'the error says why, in words');
    assert.match(h.statusBar()?.tooltip ?? '', /✕ \*\*tcp\*\* unhealthy: /);
    const notice = await waitFor('the "unhealthy" notification', () => h.notifications()[0]);
    assert.equal(notice, `NetReq: health check "tcp" is unhealthy: ${error}`);
    await notify();
    const down = await waitFor('the tcp row to show the failure', async () => {
      const r = await row(h, 'tcp');
      return r?.icon === 'error' && r.children[0]?.icon === 'error' ? r : undefined;
    });
    assert.equal(down.color, 'testing.iconFailed');
    assert.match(down.tooltip ?? '', /Error: /);
    assert.match(down.tooltip ?? '', /History: .*✕.* \(up [\d.]+% of the last \d+ checks\)/);
    assert.ok(down.children.length >= 2 && down.children.length <= 10, `${down.children.length} recent results`);

    await tcp.start(); // the same port again
    await waitState(h, 'tcp', 'healthy');
    await waitFor('the status bar to say 2/2 again', () => h.statusBarText() === '$(pulse) 2/2' && h.statusBar()?.background === undefined);
  });

  it('Pause stops the checks (the status bar says so), Check Now still runs one, Resume starts them again', async () => {
    await vscode.commands.executeCommand('netreq.health.pause');
    assert.equal(h.paused, true);
    await waitFor('the paused status bar', () => h.statusBarText() === '$(debug-pause) 2/2');
    await waitFor('checks that were already running to finish', () => h.statuses().every((s) => !s.running), CHECK_WAIT_MS);
    const count = () => h.statuses().find((s) => s.config.name === 'web')!.history.length;
    const before = count();
    await sleep(2500);
    assert.equal(count(), before, 'no check ran while paused');
    assert.match((await row(h, 'web'))?.description ?? '', /paused$/);

    const outcome = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.checkNow', { kind: 'check', name: 'web' });
    assert.deepEqual([outcome.ok, count()], [true, before + 1], outcome.message);
    assert.match(outcome.message, /^web: healthy/);

    await vscode.commands.executeCommand('netreq.health.resume');
    assert.equal(h.paused, false);
    await waitFor('checks to run again after Resume', () => count() >= before + 3, CHECK_WAIT_MS);
    const all = await vscode.commands.executeCommand<Array<{ state: string }>>('netreq.health.checkAll');
    assert.deepEqual(all.map((s) => s.state), ['healthy', 'healthy']);
  });

  it('a # @health block in a workspace .netreq file is picked up: pinned with the command, removed again with Remove', async () => {
    const file = 'health-pinned.netreq';
    cleanups.push(() => fs.rmSync(workspaceUri(file).fsPath, { force: true }));
    const doc = await openNetreq(file, `### Pinned TCP\n# @name pinned\nTCP 127.0.0.1:${tcp.port}\n`);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document, doc);
    editor.selection = new vscode.Selection(2, 3, 2, 3);
    const pinned = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.pinRequest');
    assert.equal(pinned.ok, true, pinned.message);
    assert.equal(doc.getText(), `### Pinned TCP\n# @name pinned\n# @health\nTCP 127.0.0.1:${tcp.port}\n`);
    await doc.save();
    await waitFor('the pinned block in the view', () => h.entries().find((e) => e.name === 'pinned' && e.source === `${file}:4`), CHECK_WAIT_MS);
    await waitState(h, 'pinned', 'healthy');
    assert.equal((await row(h, 'pinned'))?.contextValue, 'check.file');
    await waitFor('the status bar to count the pinned check', () => h.statusBarText() === '$(pulse) 3/3');
    const again = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.pinRequest');
    assert.deepEqual([again.ok, /pinned already/.test(again.message)], [false, true], again.message);

    const removed = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.remove', { kind: 'check', name: 'pinned' });
    assert.equal(removed.ok, true, removed.message);
    assert.doesNotMatch(doc.getText(), /@health/);
    assert.equal(doc.isDirty, false, 'the file was saved after unpinning');
    await waitFor('the unpinned block to leave the view', () => !h.entries().some((e) => e.name === 'pinned'), CHECK_WAIT_MS);
  });

  it('a .netreq file written to disk with # @health (variables from the environment) is found by the file watcher and checked as written', async () => {
    const file = 'health-disk.netreq';
    cleanups.push(() => fs.rmSync(workspaceUri(file).fsPath, { force: true }));
    fs.writeFileSync(
      workspaceUri(file).fsPath,
      `@port = ${web.port}\n\n### From disk\n# @health every 2s\nPOST http://127.0.0.1:{{port}}/disk\nAuthorization: Bearer disk-token\n\nchecked as written\n`,
    );
    const e = await waitFor('the check from the file on disk', () => h.entries().find((x) => x.name === 'From disk'), CHECK_WAIT_MS);
    assert.equal(e.target, `http://127.0.0.1:${web.port}/disk`);
    await waitState(h, 'From disk', 'healthy');
    const seen = web.requests.filter((r) => r.url === '/disk');
    assert.ok(seen.length > 0, 'the pinned check reached the server');
    for (const r of seen) assert.deepEqual([r.method, r.headers.authorization, r.body], ['POST', 'Bearer disk-token', 'checked as written'], 'the pinned request went out as written, not as a GET of its URL');
    assert.equal(h.statuses().find((s) => s.config.name === 'From disk')?.config.intervalSeconds, 2);
    fs.rmSync(workspaceUri(file).fsPath);
    await waitFor('the deleted file’s check to go', () => !h.entries().some((x) => x.name === 'From disk'), CHECK_WAIT_MS);
  });

  it('a pinned HTTPS block is checked with netreq.tls.caFiles, as Send sends it; an unreadable CA file is said in words', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netreq-pinned-ca-'));
    const crt = path.join(dir, 'server.crt');
    const key = path.join(dir, 'server.key');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    assert.equal(made.status, 0, `openssl (Debian package openssl) made no certificate: ${made.stderr ?? made.error?.message}`);
    const seen: string[] = [];
    const server = https.createServer({ cert: fs.readFileSync(crt), key: fs.readFileSync(key) }, (req, res) => {
      seen.push(req.url ?? '');
      res.end('ok');
    });
    server.on('tlsClientError', () => undefined); // an untrusting client hangs up mid-handshake: expected below
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const file = 'health-ca.netreq';
    const caFile = 'health-ca.crt'; // relative: resolved against the workspace folder, as for Send
    fs.copyFileSync(crt, workspaceUri(caFile).fsPath);
    let restoreCa: (() => Promise<void>) | undefined;
    try {
      restoreCa = await setWorkspaceSetting('tls.caFiles', [caFile]);
      fs.writeFileSync(workspaceUri(file).fsPath, `### Pinned HTTPS\n# @health every 1s\nGET https://127.0.0.1:${port}/pinned\n`);
      await waitFor('the pinned HTTPS check', () => h.entries().find((x) => x.name === 'Pinned HTTPS'), CHECK_WAIT_MS);
      await waitState(h, 'Pinned HTTPS', 'healthy');
      assert.ok(seen.includes('/pinned'), 'the check reached the server over TLS');
      assert.equal(h.statuses().find((st) => st.config.name === 'Pinned HTTPS')?.config.ca?.length, 1, 'the check carries the CA file Send would use');
      const x = await api.sendRequest(workspaceUri(file), 0);
      assert.equal(x?.response?.status, 200, `Send trusts the same CA: ${x?.error?.message}`);

      await vscode.workspace.getConfiguration('netreq', null).update('tls.caFiles', ['missing-ca.crt'], vscode.ConfigurationTarget.Workspace);
      const broken = await waitFor('the check to say the CA file cannot be read', () => h.entries().find((x) => x.name === 'Pinned HTTPS' && x.problem), CHECK_WAIT_MS);
      assert.match(broken.problem!, /^the request cannot be prepared: netreq\.tls\.caFiles: cannot read .*missing-ca\.crt: no such file$/);

      // A file that is there but holds no PEM certificate (Node would ignore it without a word): said in words too.
      fs.writeFileSync(workspaceUri('not-pem.crt').fsPath, 'not a certificate\n');
      await vscode.workspace.getConfiguration('netreq', null).update('tls.caFiles', ['not-pem.crt'], vscode.ConfigurationTarget.Workspace);
      const notPem = await waitFor('the check to say the CA file has no certificate', () => h.entries().find((x) => x.name === 'Pinned HTTPS' && x.problem?.includes('not-pem.crt')), CHECK_WAIT_MS);
      assert.match(notPem.problem!, /^the request cannot be prepared: netreq\.tls\.caFiles: .*not-pem\.crt: no PEM certificate in it/);

      await vscode.workspace.getConfiguration('netreq', null).update('tls.caFiles', [], vscode.ConfigurationTarget.Workspace);
      await waitState(h, 'Pinned HTTPS', 'unhealthy');
      const error = h.statuses().find((st) => st.config.name === 'Pinned HTTPS')?.last?.error ?? '';
      assert.match(error, /self[- ]signed|not trusted|unable to verify/i, 'without the CA file the certificate is not trusted, in words');
    } finally {
      fs.rmSync(workspaceUri(file).fsPath, { force: true });
      fs.rmSync(workspaceUri(caFile).fsPath, { force: true });
      fs.rmSync(workspaceUri('not-pem.crt').fsPath, { force: true });
      await restoreCa?.();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await waitFor('the deleted file’s check to go', () => !h.entries().some((x) => x.name === 'Pinned HTTPS'), CHECK_WAIT_MS);
  });

  it('Add Check writes the workspace setting (a bad target is refused in words); Remove takes it out of the same settings', async () => {
    const bad = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.addCheck', { name: 'bad', target: '127.0.0.1:80' });
    assert.equal(bad.ok, false);
    assert.match(bad.message, /has no scheme: write tcp:\/\/host:port/);
    const taken = await h.addCheck({ name: 'web', target: 'tcp://127.0.0.1:1' });
    assert.match(taken.message, /already a check named "web"/);

    const added = await h.addCheck({ name: 'added', target: `tcp://127.0.0.1:${tcp.port}`, intervalSeconds: 1, scope: 'workspace' });
    assert.equal(added.ok, true, added.message);
    const inWorkspace = () => (vscode.workspace.getConfiguration('netreq', null).inspect<Array<{ name: string }>>('health.checks')?.workspaceValue ?? []).map((c) => c.name);
    assert.deepEqual(inWorkspace(), ['web', 'tcp', 'added']);
    await waitState(h, 'added', 'healthy');

    const removed = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.remove', { kind: 'check', name: 'added' });
    assert.equal(removed.ok, true, removed.message);
    assert.deepEqual(inWorkspace(), ['web', 'tcp']);
    await waitFor('the removed check to leave the view', () => !h.entries().some((e) => e.name === 'added'));
    assert.equal(vscode.workspace.getConfiguration('netreq', null).inspect('health.checks')?.globalValue, undefined, 'user settings were not touched');
  });

  it('Open as Request opens a read-only .netreq document (never dirty, closes without asking) whose block sends to the check’s target', async () => {
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('netreq.health.openAsRequest', { kind: 'check', name: 'web' });
    assert.equal(outcome.ok, true, outcome.message);
    assert.match(outcome.message, /read-only/);
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'a document is active');
    assert.equal(doc.uri.scheme, 'netreq-replay', 'a virtual read-only document, not an untitled one');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false, 'nothing to save: closing it does not prompt');
    assert.equal(doc.languageId, 'netreq');
    assert.match(doc.getText(), new RegExp(`^### web\\n[^]*\\nGET http://127\\.0\\.0\\.1:${web.port}/health\\n`));
    const x = await api.sendRequest(doc.uri, 0);
    assert.equal(x?.response?.status, 200, x?.error?.message);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === doc.uri.toString()), 'closed without a save prompt');
  });

  it('with the settings put back and the files gone, the view empties and the status-bar item hides', async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await waitFor('no checks', () => h.entries().length === 0, CHECK_WAIT_MS);
    await waitFor('the status-bar item to hide', () => h.statusBarText() === undefined);
    assert.deepEqual(h.statuses(), []);
    assert.deepEqual(await h.rows(), []);
  });
});
