import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dnsPacket from 'dns-packet';
import { main, type Io } from '../../../../src/cli/main';
import type { SocketExchange } from '../../../../src/core/exchange';
import { firstNameserver, sendDns } from '../../../../src/core/protocols/dns/engine';
import { reverseName } from '../../../../src/core/protocols/dns/resolve';
import type { DnsRequestSpec } from '../../../../src/core/protocols/dns/types';
import { DEFAULT_OPTIONS } from '../../../../src/core/request';
import { requireBinary, tempDir, type Peer } from '../../../support/peers';
import { hostileTcp, hostileUdp, startDnsmasq } from './peers';

function spec(name: string, type: DnsRequestSpec['type'], port: number, more: Partial<DnsRequestSpec> = {}): DnsRequestSpec {
  return { kind: 'dns', name, type, server: { host: '127.0.0.1', port }, tcp: false, recurse: true, timeoutMs: 3000, options: { ...DEFAULT_OPTIONS }, ...more };
}

const sent = (x: SocketExchange) => x.transcript.find((e) => e.dir === 'sent')!.data;
const got = (x: SocketExchange) => x.transcript.filter((e) => e.dir === 'received').map((e) => e.data);

describe('DNS against a real dnsmasq on loopback', function () {
  this.timeout(15_000);
  let dns: Peer;
  before(async () => {
    dns = await startDnsmasq();
  });
  after(() => dns?.stop());

  it('A over UDP: the record with its TTL, the header flags, the server and the exact bytes both ways', async () => {
    const x = await sendDns(spec('example.test', 'A', dns.port));
    assert.equal(x.error, undefined, JSON.stringify(x.error));
    const d = x.dns!;
    assert.deepEqual(d.answers, [{ name: 'example.test', type: 'A', class: 'IN', ttl: 0, data: '127.0.0.42' }]);
    assert.equal(d.header?.rcode, 'NOERROR');
    assert.deepEqual([d.header?.qr, d.header?.tc, d.header?.rd], [true, false, true]);
    assert.equal(d.server, `127.0.0.1:${dns.port}`);
    assert.equal(d.serverFrom, 'directive');
    assert.equal(d.transport, 'udp');
    // The bytes kept are the bytes on the wire: they decode to this question and this answer.
    const q = dnsPacket.decode(sent(x));
    assert.equal(q.id, d.id);
    assert.deepEqual(q.questions, [{ name: 'example.test', type: 'A', class: 'IN' }]);
    const [answer] = got(x);
    assert.equal(dnsPacket.decode(answer).id, d.id);
    assert.equal(x.sentBytes, sent(x).length);
    assert.equal(x.receivedBytes, answer.length);
    assert.equal(x.stop, 'replies');
    assert.match(x.stopDetail, /^NOERROR \(the server answered\): 1 answer, 0 authority records, 0 additional records$/);
    assert.ok(x.timings.total > 0 && x.timings.firstByte !== undefined);
  });

  it('TXT and MX: the data in words', async () => {
    const txt = await sendDns(spec('txt.example.test', 'TXT', dns.port));
    assert.deepEqual(txt.dns!.answers.map((r) => r.data), ['"hello dns"']);
    const mx = await sendDns(spec('example.test', 'MX', dns.port));
    assert.deepEqual(mx.dns!.answers.map((r) => r.data), ['10 mail.example.test']);
  });

  it('over TCP (# @tcp): a 2-byte length before the query, the same answer', async () => {
    const x = await sendDns(spec('example.test', 'MX', dns.port, { tcp: true }));
    assert.equal(x.error, undefined, JSON.stringify(x.error));
    assert.equal(x.dns!.transport, 'tcp');
    const framed = sent(x);
    assert.equal(framed.readUInt16BE(0), framed.length - 2);
    assert.deepEqual(x.dns!.answers.map((r) => r.data), ['10 mail.example.test']);
    assert.ok(x.timings.tcpConnect !== undefined);
  });

  it('NXDOMAIN in words', async () => {
    const x = await sendDns(spec('nothing.test', 'A', dns.port));
    assert.equal(x.error, undefined);
    assert.equal(x.dns!.header?.rcode, 'NXDOMAIN');
    assert.match(x.stopDetail, /^NXDOMAIN \(the name does not exist\): 0 answers/);
  });

  it('# @no-recurse: the query goes without RD', async () => {
    const x = await sendDns(spec('example.test', 'A', dns.port, { recurse: false }));
    assert.equal(dnsPacket.decode(sent(x)).flag_rd, false);
    assert.equal(x.dns!.header?.rd, false);
    assert.equal(x.dns!.recursionDesired, false);
  });

  it('has the same answer records as dig', async () => {
    const dig = spawnSync(requireBinary('dig', 'dnsutils'), [`@127.0.0.1`, '-p', String(dns.port), '+short', '+time=2', '+tries=1', 'example.test', 'MX'], { encoding: 'utf8', timeout: 5000 });
    assert.equal(dig.status, 0, dig.stderr);
    const x = await sendDns(spec('example.test', 'MX', dns.port));
    const ours = x.dns!.answers.map((r) => `${r.data}.`);
    assert.deepEqual(ours, dig.stdout.trim().split('\n'));
  });

  it('the CLI prints the answer like dig, and --json carries the records and the bytes', async () => {
    const dir = tempDir('dns-cli');
    try {
      const f = path.join(dir, 'a.netreq');
      fs.writeFileSync(f, `### mx\n# @server 127.0.0.1:${dns.port}\n# @tcp\nDNS example.test MX\n\n### nx\n# @server 127.0.0.1:${dns.port}\nDNS nothing.test\n`);
      const run = async (args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env: {} };
        const code = await main(args, io);
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const r = await run(['run', f]);
      assert.equal(r.code, 0, r.err + r.out);
      assert.match(r.out, new RegExp(`DNS example\\.test MX @127\\.0\\.0\\.1:${dns.port} over TCP\\n`));
      assert.match(r.out, /NOERROR \(the server answered\) · flags: qr aa rd ra · id \d+\n;; ANSWER \(1\)\nexample\.test\. +0 {2}IN {2}MX +10 mail\.example\.test\n/);
      assert.match(r.out, /NXDOMAIN \(the name does not exist\)/);
      const j = await run(['run', f, '--json']);
      const lines = j.out.trim().split('\n').map((l) => JSON.parse(l) as { exchange: { dns: SocketExchange['dns']; transcript: Array<{ dir: string; data: { base64: string } }> } });
      assert.equal(lines.length, 2);
      assert.deepEqual(lines[0].exchange.dns!.answers, [{ name: 'example.test', type: 'MX', class: 'IN', ttl: 0, data: '10 mail.example.test' }]);
      const answer = Buffer.from(lines[0].exchange.transcript.find((e) => e.dir === 'received')!.data.base64, 'base64');
      assert.equal(dnsPacket.decode(answer.subarray(2)).answers?.length, 1);
      assert.equal(lines[1].exchange.dns!.header!.rcode, 'NXDOMAIN');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DNS against hostile loopback peers', function () {
  this.timeout(10_000);
  const answerTo = (query: Buffer, flags = 0, id?: number) => {
    const q = dnsPacket.decode(query);
    return dnsPacket.encode({ type: 'response', id: id ?? q.id, flags: dnsPacket.RECURSION_AVAILABLE | flags, questions: q.questions, answers: [{ type: 'A', name: 'x.test', ttl: 60, data: '10.0.0.1' }] });
  };

  it('an answer that is not a DNS message: a parse error in words, the bytes kept', async () => {
    const peer = await hostileUdp((q) => [Buffer.concat([q.subarray(0, 2), Buffer.from([0xff, 0xff, 0xff])])]);
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port));
      assert.equal(x.error?.phase, 'parse');
      assert.match(x.error!.message, /^The answer is not a DNS message \(.+\); its 5 bytes are in the transcript$/);
      assert.equal(got(x)[0].length, 5);
    } finally {
      await peer.close();
    }
  });

  it('a truncated answer (TC) says so and suggests # @tcp', async () => {
    const peer = await hostileUdp((q) => [answerTo(q, dnsPacket.TRUNCATED_RESPONSE)]);
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port));
      assert.equal(x.error, undefined);
      assert.equal(x.dns!.header?.tc, true);
      assert.match(x.stopDetail, /truncated \(TC\)$/);
      assert.ok(x.dns!.notes.some((n) => /truncated \(TC\).*add # @tcp to ask over TCP/.test(n)), x.dns!.notes.join('|'));
    } finally {
      await peer.close();
    }
  });

  it('an answer with the wrong id is ignored (kept and counted); the right one is read', async () => {
    const peer = await hostileUdp((q) => [answerTo(q, 0, q.readUInt16BE(0) ^ 1), answerTo(q)]);
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port));
      assert.equal(x.error, undefined, JSON.stringify(x.error));
      assert.deepEqual(x.dns!.answers.map((r) => [r.data, r.ttl]), [['10.0.0.1', 60]]);
      assert.equal(got(x).length, 2);
      assert.ok(x.dns!.notes.some((n) => /^1 datagram from the server did not carry the query's id \d+ and were ignored$/.test(n)), x.dns!.notes.join('|'));
    } finally {
      await peer.close();
    }
  });

  it('a flood of wrong ids is bounded: the first 8 kept, the rest counted, then the timeout', async () => {
    const peer = await hostileUdp((q) => Array.from({ length: 30 }, () => answerTo(q, 0, q.readUInt16BE(0) ^ 1)));
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port, { timeoutMs: 400 }));
      assert.equal(x.error?.phase, 'wait');
      assert.equal(got(x).length, 8);
      assert.ok(x.dns!.notes.some((n) => /^30 datagrams .* \(the first 8 are in the transcript\)$/.test(n)), x.dns!.notes.join('|'));
    } finally {
      await peer.close();
    }
  });

  it('a server that never answers: a timeout named in words', async () => {
    const peer = await hostileUdp(() => []);
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port, { timeoutMs: 300 }));
      assert.equal(peer.queries, 1);
      assert.equal(x.stop, 'timeout');
      assert.deepEqual([x.error?.phase, x.error?.code], ['wait', 'ETIMEDOUT']);
      assert.equal(x.error?.message, `No answer from 127.0.0.1:${peer.port} within 300 ms (over UDP)`);
    } finally {
      await peer.close();
    }
  });

  it('TCP: a server that announces more than it sends, then closes', async () => {
    const peer = await hostileTcp(Buffer.concat([Buffer.from([0, 100]), Buffer.alloc(10)]));
    try {
      const x = await sendDns(spec('x.test', 'A', peer.port, { tcp: true }));
      assert.equal(x.error?.phase, 'receive');
      assert.equal(x.error?.message, `127.0.0.1:${peer.port} closed the connection after 10 of the 100 bytes it announced`);
    } finally {
      await peer.close();
    }
  });

  it('a closed UDP port: no one is listening, in words (ICMP), not a timeout', async () => {
    const peer = await hostileUdp(() => []);
    const port = peer.port;
    await peer.close();
    const x = await sendDns(spec('x.test', 'A', port, { timeoutMs: 3000 }));
    assert.deepEqual([x.error?.phase, x.error?.code, x.stop], ['receive', 'ECONNREFUSED', 'error']);
    assert.equal(x.error?.message, `No one is listening on 127.0.0.1:${port}: the host answered "port unreachable" (ICMP)`);
  });

  it('a cancelled question ends at once with phase cancelled', async () => {
    const peer = await hostileUdp(() => []);
    try {
      const ac = new AbortController();
      const p = sendDns(spec('x.test', 'A', peer.port, { timeoutMs: 5000 }), { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      const x = await p;
      assert.deepEqual([x.stop, x.error?.phase], ['cancelled', 'cancelled']);
    } finally {
      await peer.close();
    }
  });
});

describe('DNS: the default server', () => {
  it('is the first nameserver line of resolv.conf (comments, zone ids and junk skipped)', () => {
    assert.equal(firstNameserver('# c\nsearch x\nnameserver fe80::1%eth0\nnameserver 10.0.0.1\n'), 'fe80::1');
    assert.equal(firstNameserver('nameserver not-an-ip\nnameserver 127.0.0.53\n'), '127.0.0.53');
    assert.equal(firstNameserver('search only\n'), undefined);
  });

  it('says in words when resolv.conf has none, and where it looked', async () => {
    const dir = tempDir('dns-resolv');
    try {
      const f = path.join(dir, 'resolv.conf');
      fs.writeFileSync(f, 'search example\n');
      const s = spec('x.test', 'A', 53);
      delete s.server;
      const x = await sendDns(s, {}, { resolvConf: f });
      assert.equal(x.dns!.serverFrom, 'resolv.conf');
      assert.deepEqual([x.error?.phase, x.error?.message], ['resolve', `No DNS server: ${f} has no nameserver line; write # @server host[:port]`]);
      const missing = await sendDns(s, {}, { resolvConf: path.join(dir, 'nope') });
      assert.match(missing.error!.message, /^No DNS server: .*nope cannot be read \(ENOENT\); write # @server host\[:port\]$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reverses an address for PTR', () => {
    assert.equal(reverseName('127.0.0.1'), '1.0.0.127.in-addr.arpa');
    assert.equal(reverseName('::1'), `1.${'0.'.repeat(31)}ip6.arpa`);
  });
});
