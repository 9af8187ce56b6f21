import { strict as assert } from 'node:assert';
import * as dnsPacket from 'dns-packet';
import { runCheck } from '../../../../src/core/health/checks';
import { parseNetreq, resolveBlock } from '../../../../src/core/netreq';
import type { ResolveContext } from '../../../../src/core/netreq/types';
import { probeDns } from '../../../../src/core/protocols/dns/probe';
import type { DnsRequestSpec } from '../../../../src/core/protocols/dns/types';
import { DEFAULT_OPTIONS } from '../../../../src/core/request';
import { ConnectionPool } from '../../../../src/core/transport/pool';
import { blockCheckName, checkForSpec, healthDirective } from '../../../../src/extension/health/targets';
import type { Peer } from '../../../support/peers';
import { hostileUdp, startDnsmasq } from './peers';

// Every spec names a loopback # @server: no test here asks the system resolver.
function spec(name: string, type: DnsRequestSpec['type'], port: number, more: Partial<DnsRequestSpec> = {}): DnsRequestSpec {
  return { kind: 'dns', name, type, server: { host: '127.0.0.1', port }, tcp: false, recurse: true, timeoutMs: 30_000, options: { ...DEFAULT_OPTIONS }, ...more };
}

describe('DNS health probe against a real dnsmasq on loopback', function () {
  this.timeout(15_000);
  let dns: Peer;
  const pool = new ConnectionPool();
  before(async () => {
    dns = await startDnsmasq();
  });
  after(() => {
    pool.dispose();
    return dns?.stop();
  });

  it('A with an answer: healthy, the address as the summary; an expected address among them or not', async () => {
    const r = await probeDns(spec('example.test', 'A', dns.port), { timeoutMs: 3000 });
    assert.equal(r.state, 'healthy', r.error);
    assert.equal(r.summary, '127.0.0.42');
    assert.deepEqual(r.details, { server: `127.0.0.1:${dns.port}`, transport: 'udp', rcode: 'NOERROR', answers: ['127.0.0.42'] });
    const same = await probeDns(spec('example.test', 'A', dns.port, { tcp: true }), { timeoutMs: 3000, expect: { address: '127.0.0.42' } });
    assert.equal(same.state, 'healthy', same.error);
    const wrong = await probeDns(spec('example.test', 'A', dns.port), { timeoutMs: 3000, expect: { address: '192.0.2.1' } });
    assert.equal(wrong.state, 'unhealthy');
    assert.equal(wrong.error, `example.test A from 127.0.0.1:${dns.port}: 127.0.0.42, not 192.0.2.1`);
  });

  it('NXDOMAIN: unhealthy, the response code in words', async () => {
    const r = await probeDns(spec('nothing.test', 'A', dns.port), { timeoutMs: 3000 });
    assert.equal(r.state, 'unhealthy');
    assert.equal(r.summary, 'NXDOMAIN');
    assert.equal(r.error, `nothing.test A from 127.0.0.1:${dns.port}: NXDOMAIN (the name does not exist)`);
  });

  it('NOERROR without a record of the asked type: unhealthy, says which type is missing', async () => {
    // dnsmasq has a TXT record for txt.example.test and no MX one: NOERROR, no answer.
    const r = await probeDns(spec('txt.example.test', 'MX', dns.port), { timeoutMs: 3000 });
    assert.equal(r.state, 'unhealthy');
    assert.equal(r.summary, 'no MX records');
    assert.equal(r.error, `txt.example.test MX from 127.0.0.1:${dns.port}: NOERROR but no MX record in the answer`);
  });

  it('a pinned DNS block with # @server is checked as written: checkForSpec, then runCheck through the probe', async () => {
    const ctx: ResolveContext = { processEnv: {}, readFile: async () => Buffer.alloc(0), defaults: DEFAULT_OPTIONS, environments: {}, environmentName: undefined };
    for (const [text, state, summary] of [
      [`### mx\n# @health every 30s\n# @server 127.0.0.1:${dns.port}\n# @tcp\n# @timeout 2s\nDNS example.test MX`, 'healthy', '10 mail.example.test'],
      [`### gone\n# @health\n# @server 127.0.0.1:${dns.port}\nDNS gone.test`, 'unhealthy', 'NXDOMAIN'],
    ] as const) {
      const doc = parseNetreq(text);
      const block = doc.blocks[0];
      assert.ok(healthDirective(block));
      const r = await resolveBlock(doc, block, ctx);
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      const c = checkForSpec(blockCheckName(block, 'f.netreq'), r.request, { timeoutMs: 2000 });
      assert.ok(c.ok, JSON.stringify(c));
      assert.equal(c.config.spec?.kind, 'dns');
      const result = await runCheck(c.config, { pool });
      assert.equal(result.state, state, result.error);
      assert.equal(result.summary, summary);
      if (state === 'healthy') assert.equal(result.details?.transport, 'tcp');
    }
  });
});

describe('DNS health probe against hostile loopback peers', function () {
  this.timeout(10_000);

  it('a UDP peer that never answers: unhealthy, the timeout named in words', async () => {
    const silent = await hostileUdp(() => []);
    try {
      const r = await probeDns(spec('example.test', 'A', silent.port), { timeoutMs: 300 });
      assert.equal(r.state, 'unhealthy');
      assert.equal(r.summary, 'no answer');
      assert.equal(r.error, `No answer from 127.0.0.1:${silent.port} within 300 ms (over UDP)`);
      assert.ok(silent.queries >= 1);
    } finally {
      await silent.close();
    }
  });

  it('a truncated UDP answer (TC): unhealthy, and it says to add # @tcp', async () => {
    const peer = await hostileUdp((q) => {
      const query = dnsPacket.decode(q);
      const tc = 1 << 9;
      return [
        dnsPacket.encode({
          id: query.id,
          type: 'response',
          flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | tc,
          questions: query.questions,
          answers: [{ name: 'example.test', type: 'A', ttl: 60, data: '127.0.0.7' }],
        }),
      ];
    });
    try {
      const r = await probeDns(spec('example.test', 'A', peer.port), { timeoutMs: 2000 });
      assert.equal(r.state, 'unhealthy');
      assert.equal(r.summary, 'truncated');
      assert.equal(r.error, `the answer to example.test A from 127.0.0.1:${peer.port} was truncated (TC): add # @tcp to ask over TCP`);
    } finally {
      await peer.close();
    }
  });
});
