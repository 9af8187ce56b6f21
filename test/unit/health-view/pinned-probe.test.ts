/**
 * Issue #10 section 5: a block pinned with `# @health` is checked as written. Its resolved request goes through
 * its protocol module's probe, so what the loopback peers below receive is the block itself (method, headers,
 * body, `# @proxy`, `# @hex` bytes, WebSocket headers), not a GET of its URL. Targets from settings still send
 * what they sent before.
 */
import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import { runCheck, type HealthCheckConfig } from '../../../src/core/health/checks';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { ResolveContext } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { blockCheckName, checkForSpec, healthDirective, type BlockCheck } from '../../../src/extension/health/targets';
import { startConnectProxy, type TestProxy } from '../../support/proxy';
import { startWsServer, type WsTestServer } from '../../support/ws';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const ctx: ResolveContext = { processEnv: {}, readFile: async () => Buffer.alloc(0), defaults: DEFAULT_OPTIONS, environments: { local: { token: 's3cret' } }, environmentName: 'local' };

/** The check of the first pinned block of `text`, as the extension builds it (with the block's `# @timeout`). */
async function pinned(text: string): Promise<BlockCheck> {
  const doc = parseNetreq(text);
  const block = doc.blocks.find((b) => healthDirective(b));
  assert.ok(block, 'no pinned block');
  const r = await resolveBlock(doc, block, ctx);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return checkForSpec(blockCheckName(block, 'f.netreq'), r.request, { timeoutMs: 3000 });
}

function config(c: BlockCheck): HealthCheckConfig {
  assert.ok(c.ok, c.ok ? '' : c.reason);
  return c.config;
}

describe('health: pinned blocks are checked as written (through their module probe)', function () {
  this.timeout(20_000);
  const pool = new ConnectionPool();
  const deps = { pool };
  let web: http.Server;
  let port: number;
  const seen: Seen[] = [];
  let proxy: TestProxy;

  before(async () => {
    web = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 65_536) chunks.push(c);
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const ok = req.headers.authorization === 'Bearer s3cret' || req.method === 'GET';
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'text/plain' }).end(ok ? 'welcome' : 'who are you');
      });
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    port = (web.address() as net.AddressInfo).port;
    proxy = await startConnectProxy();
  });

  beforeEach(() => {
    seen.length = 0;
    proxy.tunnels.length = 0;
  });

  after(async () => {
    pool.dispose();
    await proxy.close();
    await new Promise((r) => web.close(r));
  });

  it('a pinned POST with Authorization and a body is received as written (method, header, body), and healthy', async () => {
    const cfg = config(await pinned(`### Login\n# @health every 10s\nPOST http://127.0.0.1:${port}/login?x=1\nAuthorization: Bearer {{token}}\nContent-Type: application/json\n\n{"user":"ada"}\n`));
    assert.equal(cfg.target, `http://127.0.0.1:${port}/login?x=1`);
    const r = await runCheck(cfg, deps);
    assert.equal(r.state, 'healthy', r.error);
    assert.match(r.summary, /^HTTP 200 in /);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'POST');
    assert.equal(seen[0].url, '/login?x=1');
    assert.equal(seen[0].headers.authorization, 'Bearer s3cret');
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.equal(seen[0].body, '{"user":"ada"}');
  });

  it('the status the pinned request gets decides: a 401 to the request as written is unhealthy, in words', async () => {
    const r = await runCheck(config(await pinned(`# @health\nPOST http://127.0.0.1:${port}/login\nAuthorization: Bearer wrong\n\n{}\n`)), deps);
    assert.equal(r.state, 'unhealthy');
    assert.equal(r.error, 'status 401 Unauthorized (expected 2xx or 3xx)');
    assert.equal(seen[0].headers.authorization, 'Bearer wrong');
  });

  it('a pinned block with # @proxy goes through the loopback CONNECT proxy (HTTP and TCP)', async () => {
    const viaHttp = await runCheck(config(await pinned(`# @health\n# @proxy http://127.0.0.1:${proxy.port}\nPUT http://127.0.0.1:${port}/via\nAuthorization: Bearer {{token}}\n\nput me\n`)), deps);
    assert.equal(viaHttp.state, 'healthy', viaHttp.error);
    assert.deepEqual(proxy.tunnels, [`127.0.0.1:${port}`], 'the request went through the proxy');
    assert.deepEqual([seen[0].method, seen[0].url, seen[0].body], ['PUT', '/via', 'put me']);

    const viaTcp = await runCheck(config(await pinned(`# @health\n# @proxy http://127.0.0.1:${proxy.port}\nTCP 127.0.0.1:${port}\n`)), deps);
    assert.equal(viaTcp.state, 'healthy', viaTcp.error);
    assert.equal(proxy.tunnels.length, 2, 'the TCP check connected through the proxy too');

    // A proxy that is not there is the check's failure, said as the request would say it.
    const gone = await runCheck(config(await pinned(`# @health\n# @proxy http://127.0.0.1:1\nGET http://127.0.0.1:${port}/\n`)), deps);
    assert.equal(gone.state, 'unhealthy');
    assert.match(gone.error ?? '', /127\.0\.0\.1:1/);
    assert.equal(seen.length, 1, 'nothing reached the server around the proxy');
  });

  it('TCP: a payload with # @read-until must be answered; a server that stays silent is unhealthy with its reason', async () => {
    const got: string[] = [];
    const srv = net.createServer((s) => {
      s.on('error', () => undefined);
      s.on('data', (d) => {
        got.push(d.toString('latin1'));
        if (d.includes('PING')) s.write('+PONG\r\n');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const p = (srv.address() as net.AddressInfo).port;
    try {
      const ok = await runCheck(config(await pinned(`# @health\n# @read-until +PONG\nTCP 127.0.0.1:${p}\nPING\n`)), deps);
      assert.equal(ok.state, 'healthy', ok.error);
      assert.match(ok.summary, /^answer in /);
      assert.deepEqual(got, ['PING'], 'the payload went out as written');
      const silent = { ...config(await pinned(`# @health\nTCP 127.0.0.1:${p}\nHELLO\n`)), timeoutMs: 300 };
      const r = await runCheck(silent, deps);
      assert.equal(r.state, 'unhealthy');
      assert.match(r.error ?? '', /sent 5 bytes, but 127\.0\.0\.1:\d+ sent nothing back/);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('UDP: # @hex bytes go out as written; a reply makes it healthy', async () => {
    const sock = dgram.createSocket('udp4');
    const got: Buffer[] = [];
    sock.on('message', (m, rinfo) => {
      got.push(m);
      sock.send(Buffer.from('ok'), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    try {
      const r = await runCheck(config(await pinned(`# @health\n# @hex\nUDP 127.0.0.1:${sock.address().port}\n00 01 ff\n`)), deps);
      assert.equal(r.state, 'healthy', r.error);
      assert.deepEqual(got.map((b) => [...b]), [[0x00, 0x01, 0xff]]);
    } finally {
      sock.close();
    }
  });

  describe('WebSocket', () => {
    let ws: WsTestServer;
    before(async () => (ws = await startWsServer()));
    after(() => ws.close());

    it('the handshake carries the block\'s headers; a 101 is healthy, a refused upgrade is not', async () => {
      const r = await runCheck(config(await pinned(`# @health\nWS ws://127.0.0.1:${ws.port}/chat\nAuthorization: Bearer {{token}}\n`)), deps);
      assert.equal(r.state, 'healthy', r.error);
      assert.match(r.summary, /^handshake in /);
      assert.equal(ws.handshakes.at(-1)?.authorization, 'Bearer s3cret');
      const refused = await runCheck(config(await pinned(`# @health\nWS ws://127.0.0.1:${port}/not-ws\n`)), deps);
      assert.equal(refused.state, 'unhealthy');
      assert.equal(refused.summary, 'handshake failed');
      assert.match(refused.error ?? '', /200/);
    });
  });

  it('MULTICAST cannot be a check, in words, at pin time and if run anyway', async () => {
    const c = await pinned('# @health\nMULTICAST 239.1.2.3:5000\nx\n');
    assert.equal(c.ok, false);
    assert.match((c as { reason: string }).reason, /MULTICAST requests cannot be health checks/);
    const doc = parseNetreq('MULTICAST 239.1.2.3:5000\nx\n');
    const spec = await resolveBlock(doc, doc.blocks[0], ctx);
    assert.ok(spec.ok);
    const r = await runCheck({ name: 'mc', target: 'udp://239.1.2.3:5000', spec: spec.request }, deps);
    assert.deepEqual([r.state, r.summary], ['unhealthy', 'not a check']);
    assert.match(r.error ?? '', /no one peer to answer/);
  });

  it('targets from settings send what they sent before: http(s):// is a GET with User-Agent NetReq-health', async () => {
    const r = await runCheck({ name: 'web', target: `http://127.0.0.1:${port}/health?q=1`, timeoutMs: 2000, expect: { bodyContains: 'welcome' } }, deps);
    assert.equal(r.state, 'healthy', r.error);
    assert.equal(seen.length, 1);
    assert.deepEqual([seen[0].method, seen[0].url, seen[0].headers['user-agent'], seen[0].headers.connection, seen[0].body], ['GET', '/health?q=1', 'NetReq-health', 'close', '']);
  });
});
