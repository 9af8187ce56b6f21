/**
 * Issue 5 in the real VS Code: the `netreq` tasks (proxy, multicast listener) through the task API, the
 * Start/Stop commands, the status bar, and the traffic view receiving what goes through them. Every peer
 * is on 127.0.0.1 (multicast pinned to the loopback interface); every wait is bounded; everything started
 * here is stopped here, and each port is bound again right after its task is terminated.
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { bodyText, closeAllEditors, codeLenses, netreqApi, sendCommand, setWorkspaceSetting, startHttpServer, type TestedApi, waitFor, workspaceDir } from './helpers';

async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Binds the port exclusively (no address reuse): proves nothing holds it any more. */
async function bindTcpAgain(port: number): Promise<void> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((r) => s.close(() => r()));
}

async function bindUdpAgain(port: number): Promise<void> {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, () => resolve());
  });
  await new Promise<void>((r) => s.close(() => r()));
}

/** Resolves with the exit code when the process of a task with this definition ends (bounded). Subscribe before executing. */
function ended(task: vscode.Task, timeoutMs = 15_000): Promise<number | undefined> {
  const def = JSON.stringify(task.definition);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the task ${task.name} did not end within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (JSON.stringify(e.execution.task.definition) !== def) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.exitCode);
    });
  });
}

async function netreqTask(match: (d: vscode.TaskDefinition, t: vscode.Task) => boolean, what: string, timeoutMs = 10_000): Promise<vscode.Task> {
  return waitFor(what, async () => (await vscode.tasks.fetchTasks({ type: 'netreq' })).find((t) => match(t.definition, t)), timeoutMs, 200);
}

function proxyRequest(proxyPort: number, url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'POST', path: url, agent: false, timeout: 10_000, headers: { Host: u.host, 'Content-Type': 'text/plain', 'X-Test': 'services' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('the proxy did not answer within 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function stopAllNetreqTasks(api: TestedApi): Promise<void> {
  for (const e of vscode.tasks.taskExecutions) if (e.task.definition.type === 'netreq') e.terminate();
  await waitFor('every NetReq service to stop', () => api.testing.services.running().length === 0, 15_000);
}

describe('services: proxy and multicast listener tasks', function () {
  this.timeout(90_000);
  let api: TestedApi;
  const restore: Array<() => Promise<void>> = [];

  before(async () => {
    api = await netreqApi();
  });

  afterEach(async () => {
    await stopAllNetreqTasks(api);
    while (restore.length) await restore.pop()!();
  });

  after(closeAllEditors);

  it('runs the proxy task: a flow in the log, the status bar and the traffic view; Open as .netreq and curl; the port is free at once after Terminate', async () => {
    const port = await freeTcpPort();
    restore.push(await setWorkspaceSetting('proxy.port', port));
    const task = await netreqTask((d) => d.service === 'proxy' && d.port === port, `the provided proxy task on port ${port}`);
    assert.equal(task.isBackground, true);
    assert.equal(task.source, 'netreq');
    assert.equal(task.definition.host, '127.0.0.1');

    await vscode.commands.executeCommand('netreq.showTraffic');
    await waitFor('the traffic view to say ready', () => api.testing.services.view().ready, 20_000);

    const execution = await vscode.tasks.executeTask(task);
    const session = await waitFor('the proxy to listen', () => api.testing.services.running().find((s) => s.kind === 'proxy' && s.address?.port === port));
    assert.equal(session.origin, 'provided');
    assert.equal(api.testing.services.statusText(), `$(broadcast) proxy :${port}`);

    const gzipped = zlib.gzipSync('{"seen":"through the proxy"}');
    const upstream = await startHttpServer((req, res, body) => {
      if (req.url === '/gz') res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': gzipped.length }).end(gzipped);
      else res.end(`echo ${req.method} ${body}`);
    });
    try {
      const url = `http://127.0.0.1:${upstream.port}/hello?x=1`;
      const r = await proxyRequest(port, url, 'ping');
      assert.deepEqual(r, { status: 200, body: 'echo POST ping' });
      assert.equal(upstream.requests[0].headers['x-test'], 'services');

      const row = await waitFor('the flow in the traffic store', () => api.testing.services.flows().find((f) => f.target === url && f.done));
      assert.equal(row.status, 200);
      assert.equal(row.bytesUp, 4);
      await waitFor('the traffic view to receive the flow', () => api.testing.services.view().posted.flows >= 1);
      await waitFor('the flow line in the terminal', () => api.testing.services.running()[0]?.lines.some((l) => l.includes(`POST ${url} → 200`)));

      const detail = (await api.testing.services.flowDetail(row.id))!;
      assert.equal(Buffer.from(detail.requestBody!, 'base64').toString(), 'ping');
      assert.ok(detail.requestHeaders.some(([k, v]) => k === 'X-Test' && v === 'services'));

      const curl = api.testing.services.flowAsCurl(row.id)!;
      assert.match(curl, new RegExp(`^curl '?http://127\\.0\\.0\\.1:${upstream.port}/hello\\?x=1'? \\\\`));
      assert.match(curl, /--data-binary ping/);

      // A gzip response: the detail the view gets has the headers as they came (Content-Length too) and the body decoded.
      const gzUrl = `http://127.0.0.1:${upstream.port}/gz`;
      assert.equal((await proxyRequest(port, gzUrl, '')).status, 200);
      const gzRow = await waitFor('the gzip flow', () => api.testing.services.flows().find((f) => f.target === gzUrl && f.done));
      const gzDetail = (await api.testing.services.flowDetail(gzRow.id))!;
      assert.ok(gzDetail.responseHeaders!.some(([k, v]) => k.toLowerCase() === 'content-length' && v === String(gzipped.length)), JSON.stringify(gzDetail.responseHeaders));
      assert.ok(Buffer.from(gzDetail.responseBody!, 'base64').equals(gzipped), 'the bytes as sent');
      assert.equal(gzDetail.responseDecoded?.encoding, 'gzip');
      assert.equal(Buffer.from(gzDetail.responseDecoded!.body!, 'base64').toString(), '{"seen":"through the proxy"}');

      const result = await api.testing.services.act('openFlow', row.id);
      assert.equal(result.ok, true, result.message);
      assert.equal(result.message, `Opened flow ${row.id} as a read-only .netreq document: Send works from it; to edit it, Save As .netreq File… (its title bar) keeps a copy as a file.`);
      const doc = await waitFor('the .netreq document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'netreq-replay' && d.getText().includes(`POST ${url}`)));
      assert.match(doc.getText(), /\nX-Test: services\n/);
      assert.match(doc.getText(), /\n\nping\n?$/);
      // Read-only and never dirty: closing it does not ask to save (an untitled document with text would).
      assert.equal(doc.languageId, 'netreq');
      assert.equal(doc.isUntitled, false);
      assert.equal(doc.isDirty, false);
      assert.equal(vscode.window.activeTextEditor?.document, doc);
      // Send works from it: its CodeLens, and the request goes out as it was (straight to the upstream).
      const lens = (await codeLenses(doc.uri, 1)).find((l) => l.command?.command === 'netreq.sendRequest');
      assert.ok(lens?.command, 'a Send CodeLens on the read-only document');
      const again = (await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []))) as Awaited<ReturnType<typeof sendCommand>>;
      assert.equal(again?.response?.status, 200, JSON.stringify(again?.error));
      assert.equal(bodyText(again), 'echo POST ping');
      // Save As .netreq File…: a file with the same text, opened to edit.
      const file = vscode.Uri.file(path.join(workspaceDir(), `replay-${row.id}.netreq`));
      restore.push(async () => fs.rmSync(file.fsPath, { force: true }));
      const saved = (await vscode.commands.executeCommand('netreq.saveReplayAs', doc.uri, file)) as { ok: boolean; message: string };
      assert.equal(saved.ok, true, saved.message);
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), doc.getText());
      await waitFor('the saved file in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === file.fsPath);
      assert.equal(vscode.window.activeTextEditor!.document.isDirty, false);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      const exitCode = ended(task);
      execution.terminate();
      await waitFor('the proxy to stop', () => api.testing.services.running().length === 0);
      await bindTcpAgain(port);
      await exitCode;
      assert.equal(api.testing.services.statusText(), undefined, 'the status bar item is hidden when nothing runs');
      const last = api.testing.services.sessions().at(-1)!;
      assert.equal(last.state, 'stopped');
      assert.match(last.lines.at(-1)!, /^Proxy stopped \(the task was terminated\)\.$/);
    } finally {
      await upstream.close();
    }
  });

  it('a proxy that cannot start (port in use) says why in its terminal and ends with exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      restore.push(await setWorkspaceSetting('proxy.port', port));
      const task = await netreqTask((d) => d.service === 'proxy' && d.port === port, 'the proxy task on the busy port');
      const exit = ended(task);
      await vscode.tasks.executeTask(task);
      assert.equal(await exit, 1);
      const s = api.testing.services.sessions().at(-1)!;
      assert.equal(s.state, 'failed');
      assert.ok(
        s.lines.some((l) => new RegExp(`Cannot start the proxy: port ${port} on 127\\.0\\.0\\.1 is already in use: stop what uses it, or choose another port`).test(l)),
        s.lines.join('\n'),
      );
      assert.deepEqual(api.testing.services.running(), []);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('runs the multicast listener task: a datagram in the log and the view; Open as .netreq; the group is left and the port freed on Terminate', async () => {
    const port = await freeUdpPort();
    const group = '239.255.0.77';
    restore.push(await setWorkspaceSetting('listener.group', group), await setWorkspaceSetting('listener.port', port));
    const task = await netreqTask((d) => d.service === 'multicastListener' && d.port === port, 'the provided listener task');
    assert.equal(task.definition.interface, '127.0.0.1');
    await vscode.commands.executeCommand('netreq.showTraffic');
    await waitFor('the traffic view to say ready', () => api.testing.services.view().ready, 20_000);
    const before = api.testing.services.view().posted.datagrams;
    const execution = await vscode.tasks.executeTask(task);
    await waitFor('the listener to join', () => api.testing.services.running().find((s) => s.kind === 'multicastListener'));
    assert.equal(api.testing.services.statusText(), '$(broadcast) 1 listener');

    const sender = dgram.createSocket('udp4');
    try {
      await new Promise<void>((r) => sender.bind(0, '127.0.0.1', r));
      sender.setMulticastInterface('127.0.0.1');
      sender.setMulticastLoopback(true);
      const payload = Buffer.from('hello\x01group');
      await new Promise<void>((resolve, reject) => sender.send(payload, port, group, (e) => (e ? reject(e) : resolve())));
      const row = await waitFor('the datagram in the traffic store', () => api.testing.services.datagrams().find((d) => d.size === payload.length));
      assert.equal(row.from, `127.0.0.1:${sender.address().port}`);
      assert.equal(row.listener, `${group}:${port} on 127.0.0.1`);
      await waitFor('the traffic view to receive the datagram', () => api.testing.services.view().posted.datagrams > before);
      await waitFor('the datagram line in the terminal', () => api.testing.services.running()[0]?.lines.some((l) => /11 B {2}hello\\x01group/.test(l)));
      const text = api.testing.services.datagramAsNetreq(row.id)!;
      assert.match(text, new RegExp(`\\nUDP 127\\.0\\.0\\.1:${sender.address().port}\\n`));
      assert.match(text, new RegExp(`# @interface 127\\.0\\.0\\.1\\n# @hex\\nMULTICAST ${group.replace(/\./g, '\\.')}:${port}\\n68 65 6c 6c 6f 01`));
    } finally {
      sender.close();
    }
    execution.terminate();
    await waitFor('the listener to stop', () => api.testing.services.running().length === 0);
    await bindUdpAgain(port);
    assert.match(api.testing.services.sessions().at(-1)!.lines.at(-1)!, /^Stopped \(the task was terminated\): 1 datagram, 11 B, .*left the group\.$/);
  });

  it('the commands start the proxy and several listeners, show them in the status bar, and stop one, then all', async () => {
    const proxyPort = await freeTcpPort();
    const [p1, p2] = [await freeUdpPort(), await freeUdpPort()];
    await vscode.commands.executeCommand('netreq.startProxy', { port: proxyPort });
    await vscode.commands.executeCommand('netreq.startMulticastListener', { group: '239.255.0.78', port: p1, interface: '127.0.0.1' });
    const key2 = await vscode.commands.executeCommand<string>('netreq.startMulticastListener', { group: '239.255.0.79', port: p2, interface: '127.0.0.1' });
    await waitFor('a proxy and two listeners', () => api.testing.services.running().length === 3, 15_000);
    assert.ok(api.testing.services.running().every((s) => s.origin === 'command'));
    assert.equal(api.testing.services.statusText(), `$(broadcast) proxy :${proxyPort} · 2 listeners`);
    assert.ok(vscode.tasks.taskExecutions.filter((e) => e.task.definition.type === 'netreq').length >= 3, 'they run as tasks');

    assert.equal(await vscode.commands.executeCommand('netreq.stopMulticastListener', key2), 1);
    await waitFor('one listener left', () => api.testing.services.running().filter((s) => s.kind === 'multicastListener').length === 1);
    await bindUdpAgain(p2);
    assert.equal(await vscode.commands.executeCommand('netreq.stopProxy'), 1);
    assert.equal(await vscode.commands.executeCommand('netreq.stopMulticastListener'), 1, 'the only one left: no question asked');
    await waitFor('everything stopped', () => api.testing.services.running().length === 0, 15_000);
    await bindTcpAgain(proxyPort);
    await bindUdpAgain(p1);
    assert.equal(api.testing.services.statusText(), undefined);
  });

  it("a tasks.json task with a wrong definition explains it in its terminal and exits 1 (no socket opened)", async () => {
    const dir = path.join(workspaceDir(), '.vscode');
    const file = path.join(dir, 'tasks.json');
    fs.writeFileSync(file, JSON.stringify({ version: '2.0.0', tasks: [{ type: 'netreq', service: 'multicastListener', group: '10.0.0.1', port: 5000, label: 'netreq bad group' }] }, null, 2));
    try {
      const task = await netreqTask((_d, t) => t.name === 'netreq bad group', 'the tasks.json task', 20_000);
      const exit = ended(task);
      await vscode.tasks.executeTask(task);
      assert.equal(await exit, 1);
      const s = api.testing.services.sessions().at(-1)!;
      assert.equal(s.origin, 'workspace');
      assert.ok(s.lines.some((l) => /This netreq task cannot start: "group" "10\.0\.0\.1" is not a multicast group/.test(l)), s.lines.join('\n'));
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
