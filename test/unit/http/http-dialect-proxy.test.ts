/**
 * `.http` files through httpyac's `# @proxy`: a plain-HTTP request goes to the proxy in absolute form (as httpyac
 * sends it), not through a CONNECT tunnel; `.netreq` files keep NetReq's tunnel. And httpyac's client-certificate
 * headers are refused rather than sent as headers.
 */
import { strict as assert } from 'node:assert';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { DEFAULT_OPTIONS, type HttpRequestSpec } from '../../../src/core/request';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { httpModule } from '../../../src/core/protocols/http';
import type { Clients } from '../../../src/core/protocols/module';
import { rawServer, type RawServer } from '../../support/servers';

describe('.http: httpyac # @proxy and client-certificate headers', function () {
  this.timeout(10_000);
  let proxy: RawServer;
  let pool: ConnectionPool;
  beforeEach(async () => {
    pool = new ConnectionPool();
    proxy = await rawServer((s, req) => {
      if (req.toString('latin1').startsWith('CONNECT ')) s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      else s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
  });
  afterEach(async () => {
    pool.dispose();
    await proxy.close();
  });
  const ctx = () => ({ processEnv: {}, readFile: async () => Buffer.alloc(0), defaults: { ...DEFAULT_OPTIONS } });

  it('a .http file sends http:// requests to the proxy in absolute form, with the Host of the URL, and says so', async () => {
    const doc = parseNetreq(`# @proxy http://127.0.0.1:${proxy.port}\nGET http://api.example.test:8080/json?a=1\nAccept: */*\n`, { dialect: 'http' });
    const r = await resolveBlock(doc, doc.blocks[0], ctx());
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const spec = r.request as HttpRequestSpec;
    const x = await httpModule.send(spec, { http: new HttpClient({ pool }) } as unknown as Clients, {});
    assert.equal(x.error, undefined, x.error?.message);
    const head = proxy.received[0].toString('latin1');
    assert.match(head, /^GET http:\/\/api\.example\.test:8080\/json\?a=1 HTTP\/1\.1\r\n/);
    assert.match(head, /\r\nHost: api\.example\.test:8080\r\n/);
    assert.doesNotMatch(head, /CONNECT/);
    assert.ok(x.request.conversions?.some((c) => /in absolute form .* as httpyac sends http:\/\/ requests to a # @proxy/.test(c)));
  });

  it('a .netreq file keeps the CONNECT tunnel (the proxy here refuses it: the request never goes out in absolute form)', async () => {
    const doc = parseNetreq(`# @proxy http://127.0.0.1:${proxy.port}\nGET http://api.example.test:8080/json\n`);
    const r = await resolveBlock(doc, doc.blocks[0], ctx());
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const x = await httpModule.send(r.request as HttpRequestSpec, { http: new HttpClient({ pool }) } as unknown as Clients, {});
    assert.match(proxy.received[0].toString('latin1'), /^CONNECT api\.example\.test:8080 HTTP\/1\.1\r\n/);
    assert.equal(x.error?.phase, 'proxy');
  });

  it('X-ClientCert / ClientCert (httpyac: the client certificate to present) are refused in .http files, naming the feature', () => {
    for (const name of ['X-ClientCert', 'ClientCert']) {
      const doc = parseNetreq(`GET https://127.0.0.1:1/\n${name}: pfx: ./c.p12 passphrase: x\n`, { dialect: 'http' });
      const d = doc.diagnostics.find((x) => x.code === 'unsupported-feature');
      assert.ok(d, name);
      assert.equal(d.severity, 'error');
      assert.equal(d.span.start.line, 1);
      assert.match(d.message, /client certificate/);
    }
  });
});
