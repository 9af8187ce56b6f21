import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { makeCaSigned, makeSelfSigned, startOpensslServer, tempDir, type Peer } from '../../support/peers';
import { httpSpec, rawServer } from '../../support/servers';

/** YYMMDDHHMMSSZ, as `openssl ca -startdate/-enddate` wants. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

describe('HTTPS against openssl s_server (real TLS peer)', function () {
  this.timeout(30_000);
  let dir: string;
  let pool: ConnectionPool;
  let client: HttpClient;
  const peers: Peer[] = [];

  before(() => {
    dir = tempDir('certs');
  });
  after(async () => {
    for (const p of peers) await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    pool = new ConnectionPool();
    client = new HttpClient({ pool });
  });
  afterEach(() => pool.dispose());

  async function serve(cert: Parameters<typeof startOpensslServer>[0]) {
    const p = await startOpensslServer(cert);
    peers.push(p);
    return p;
  }

  it('refuses a self-signed certificate by default, and says so with the certificate details', async () => {
    const peer = await serve(makeSelfSigned(dir, 'self'));
    const x = await client.send(httpSpec(peer.port, { tls: true, host: '127.0.0.1', servername: 'localhost' }));
    assert.equal(x.error?.phase, 'tls');
    assert.match(x.error!.message, /^TLS handshake failed: self-signed certificate \(trust its CA with --cacert \/ netreq.tls.caFiles, or accept any certificate with # @insecure\)$/);
    assert.ok(x.timings.tcpConnect! >= 0 && x.timings.tlsHandshake! > 0, 'the phases that ran keep their timings');
    assert.equal(x.tls?.authorized, false);
    assert.equal(x.tls?.chain[0].subject, 'CN=localhost');
    assert.equal(x.response, undefined);
  });

  it('a server that requires a client certificate: OpenSSL\'s alert in words, without its source file or a line break', async () => {
    const cert = makeSelfSigned(dir, 'needs-client-cert');
    const peer = await startOpensslServer(cert, ['-Verify', '1']);
    peers.push(peer);
    const x = await client.send(httpSpec(peer.port, { tls: true, servername: 'localhost' }, { insecure: true }));
    assert.ok(x.error, 'the server refused the handshake');
    assert.doesNotMatch(x.error.message, /\n|\.\.\/deps|routines/, x.error.message);
    assert.match(x.error.message, /alert (certificate required|handshake failure)/i, x.error.message);
  });

  it('@insecure accepts it and reports protocol, cipher, ALPN and the chain', async () => {
    const peer = await serve(makeSelfSigned(dir, 'self2'));
    const x = await client.send(httpSpec(peer.port, { tls: true, servername: 'localhost' }, { insecure: true }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.response!.status, 200);
    assert.match(x.response!.body.toString(), /s_server/);
    const t = x.tls!;
    assert.equal(t.verify, false);
    assert.equal(t.authorized, false);
    assert.match(t.authorizationError!, /self-signed/);
    assert.match(t.protocol!, /^TLSv1\.[23]$/);
    assert.ok(t.cipher);
    assert.equal(t.servername, 'localhost');
    const leaf = t.chain[0];
    assert.deepEqual(leaf.subjectAltNames, ['DNS:localhost', 'IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1']);
    assert.match(leaf.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(new Date(leaf.validTo).getTime() > Date.now());
    assert.ok(leaf.selfSigned);
    assert.ok(x.timings.tlsHandshake! > 0);
  });

  it('verifies a certificate from a trusted CA, and the Connection records the session', async () => {
    const c = makeCaSigned(dir, { name: 'good', cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
    const peer = await serve(c);
    const x = await client.send(httpSpec(peer.port, { tls: true, host: 'localhost' }, { ca: [c.ca] }));
    assert.equal(x.error, undefined, x.error?.message);
    assert.equal(x.tls!.authorized, true);
    assert.equal(x.tls!.chain.length, 2);
    assert.equal(x.tls!.chain[1].subject, 'CN=NetReq Test CA');
  });

  it('says "certificate has expired" for an expired certificate', async () => {
    const day = 86_400_000;
    const c = makeCaSigned(dir, {
      name: 'expired',
      cn: 'localhost',
      san: 'DNS:localhost,IP:127.0.0.1',
      start: asn1Time(new Date(Date.now() - 10 * day)),
      end: asn1Time(new Date(Date.now() - day)),
    });
    const peer = await serve(c);
    const x = await client.send(httpSpec(peer.port, { tls: true, host: 'localhost' }, { ca: [c.ca] }));
    assert.equal(x.error?.phase, 'tls');
    assert.equal(x.error?.message, 'TLS handshake failed: certificate has expired');
  });

  it('says "hostname mismatch" when the certificate names another host', async () => {
    const c = makeCaSigned(dir, { name: 'other', cn: 'other.test', san: 'DNS:other.test' });
    const peer = await serve(c);
    const x = await client.send(httpSpec(peer.port, { tls: true, host: 'localhost' }, { ca: [c.ca] }));
    assert.equal(x.error?.phase, 'tls');
    assert.match(x.error!.message, /^TLS handshake failed: hostname mismatch/);
    assert.match(x.error!.message, /other\.test/);
  });

  it('names the TLS phase when a plain-TCP server never answers the handshake', async () => {
    const srv = await rawServer(() => undefined);
    const x = await client.send(httpSpec(srv.port, { tls: true }, { timeoutMs: 500 }));
    await srv.close();
    assert.equal(x.error?.phase, 'tls');
    assert.equal(x.error?.message, `Timed out after 500 ms during TLS handshake (no answer from 127.0.0.1:${srv.port})`);
  });

  it('explains a TLS handshake answered with plain HTTP', async () => {
    const srv = await rawServer(() => undefined);
    srv.onConnect = (s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    const x = await client.send(httpSpec(srv.port, { tls: true }, { timeoutMs: 2000 }));
    await srv.close();
    assert.equal(x.error?.phase, 'tls');
    assert.match(x.error!.message, /^TLS handshake failed: /);
    assert.doesNotMatch(x.error!.message, /Timed out/);
  });
});
