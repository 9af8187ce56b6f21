/**
 * A block pinned with `# @health` is checked with the CA files its request would be sent with
 * (`netreq.tls.caFiles`, which the extension's one ResolveContext builder puts in `defaults.ca`):
 * against a real openssl s_server on 127.0.0.1 whose certificate a test CA signed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { runCheck } from '../../../src/core/health/checks';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { ResolveContext } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { blockCheckName, checkForSpec, healthDirective } from '../../../src/extension/health/targets';
import { makeCaSigned, startOpensslServer, tempDir, type Peer } from '../../support/peers';

describe('health view: pinned blocks keep the CA files of their request', function () {
  this.timeout(30_000);
  let dir: string;
  let peer: Peer;
  let ca: Buffer;
  const pool = new ConnectionPool();

  before(async () => {
    dir = tempDir('pinned-ca');
    const cert = makeCaSigned(dir, { name: 'pinned', cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
    ca = cert.ca;
    peer = await startOpensslServer(cert);
  });

  after(async () => {
    pool.dispose();
    await peer?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The checks of every pinned block of `text`, resolved with `defaults.ca` as the extension's context gives it. */
  async function checksOf(text: string, withCa: boolean) {
    const ctx: ResolveContext = { processEnv: {}, readFile: async () => Buffer.alloc(0), defaults: { ...DEFAULT_OPTIONS, ca: withCa ? [ca] : undefined } };
    const doc = parseNetreq(text);
    const out = [];
    for (const block of doc.blocks.filter((b) => healthDirective(b))) {
      const r = await resolveBlock(doc, block, ctx);
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      const c = checkForSpec(blockCheckName(block, 'f.netreq'), r.request, { timeoutMs: 3000 });
      assert.ok(c.ok, c.ok ? '' : c.reason);
      out.push(c.config);
    }
    return out;
  }

  it('HTTPS and TLS blocks resolved with netreq.tls.caFiles trust the server that CA signed; without them the check says "certificate not trusted"', async () => {
    const text = `### api\n# @health\nGET https://127.0.0.1:${peer.port}/\n\n### tls\n# @health\nTLS 127.0.0.1:${peer.port}\n`;
    const trusted = await checksOf(text, true);
    assert.deepEqual(trusted.map((c) => [c.name, c.target]), [['api', `https://127.0.0.1:${peer.port}/`], ['tls', `tls://127.0.0.1:${peer.port}`]]);
    for (const c of trusted) {
      assert.deepEqual(c.ca, [ca], `${c.name}: the check carries the request's CA`);
      const r = await runCheck(c, { pool });
      assert.notEqual(r.state, 'unhealthy', `${c.name}: ${r.error}`);
      assert.doesNotMatch(r.error ?? '', /not trusted/);
    }
    for (const c of await checksOf(text, false)) {
      assert.equal(c.ca, undefined, `${c.name}: no CA files, none carried`);
      const r = await runCheck(c, { pool });
      assert.equal(r.state, 'unhealthy', c.name);
      assert.match(r.error ?? '', /not trusted|self[- ]signed|unable to (get|verify)/i, `${c.name}: ${r.error}`);
    }
  });

  it('a TLS block that sends a payload is sent by the engine with its CA files: answered and trusted, or "not trusted" without them', async () => {
    const text = `### tls-get\n# @health\n# @eol crlf\n# @read-until HTTP/1.0 200\nTLS 127.0.0.1:${peer.port}\nGET / HTTP/1.0\n\n`;
    const [trusted] = await checksOf(text, true);
    assert.equal(trusted.spec?.kind === 'tls' && trusted.spec.payload.length > 0, true, 'the check carries the payload');
    const r = await runCheck(trusted, { pool });
    assert.equal(r.state, 'healthy', r.error);
    assert.match(r.summary, /^answer in .*, certificate valid \d+ more days$/);
    const [untrusted] = await checksOf(text, false);
    const bad = await runCheck(untrusted, { pool });
    assert.equal(bad.state, 'unhealthy');
    assert.equal(bad.summary, 'certificate not trusted', bad.error);
  });

  it('TCP and UDP blocks carry no CA (nothing to verify)', async () => {
    const [tcp, udp] = await checksOf('# @health\nTCP 127.0.0.1:9\n\n###\n# @health\nUDP 127.0.0.1:9\nping\n', true);
    assert.equal(tcp.ca, undefined);
    assert.equal(udp.ca, undefined);
  });
});
