// The protocol registry: every list that names protocols is derived from it, and the copies it cannot
// reach (the grammar, the snippets, the webview's shared constant) are checked against it here.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import { DIRECTIVES } from '../../../src/core/netreq/directives';
import { PROTOCOL_WORDS, SERVICE_PORTS } from '../../../src/core/netreq/requestLine';
import { KINDS, PROTOCOL_WORD_LIST, kindForWord, kindSyntax } from '../../../src/core/protocols/kinds';
import { createEngines } from '../../../src/core/engines';
import { PROTOCOLS, describeSpec, moduleForExchange, moduleForProtocol, moduleForSpec, renderExchange, sendSpec, viewFor, viewForProtocol, wsModule } from '../../../src/core/protocols/registry';
import { PLAIN } from '../../../src/core/protocols/render';
import { newSocketExchange } from '../../../src/core/exchange';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { DEFAULT_OPTIONS, type TcpService } from '../../../src/core/request';
import { DATAGRAM_PROTOCOLS, isDatagramProtocol, protocolLabel } from '../../../src/shared/transcript';
import { startWsServer, text, wsSpec } from '../../support/ws';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const ctx = { processEnv: {}, readFile: (p: string) => fs.promises.readFile(p), defaults: { ...DEFAULT_OPTIONS } };

describe('protocol registry', () => {
  it('lists each kind in exactly one module, in the order of kinds.ts', () => {
    assert.deepEqual(
      PROTOCOLS.map((m) => m.id),
      ['http', 'stream', 'datagram', 'ws', 'dns'],
    );
    assert.deepEqual(
      PROTOCOLS.flatMap((m) => m.kinds.map((k) => k.id)),
      KINDS.map((k) => k.id),
    );
    assert.equal(new Set(KINDS.map((k) => k.id)).size, KINDS.length, 'no kind twice');
    for (const m of PROTOCOLS) for (const k of m.kinds) assert.equal(moduleForProtocol(k.id), m, k.id);
    const specKinds = PROTOCOLS.flatMap((m) => m.specKinds);
    assert.equal(new Set(specKinds).size, specKinds.length, 'each spec kind belongs to one module');
  });

  it('is frozen: no module, kind or directive rule can be changed at run time', () => {
    assert.ok(Object.isFrozen(PROTOCOLS));
    for (const m of PROTOCOLS) assert.ok(Object.isFrozen(m), m.id);
    assert.ok(Object.isFrozen(KINDS));
    for (const k of KINDS) assert.ok(Object.isFrozen(k) && Object.isFrozen(k.directives), k.id);
    assert.ok(Object.isFrozen(DIRECTIVES) && Object.isFrozen(DIRECTIVES.proxy));
    assert.throws(() => (PROTOCOLS as unknown[]).push({}), TypeError);
  });

  it("resolves each kind's example through its own module, whose engine, view and summary the spec then finds", async () => {
    const views: Record<string, string> = {};
    for (const k of KINDS) {
      const doc = parseNetreq(`${k.example}\n`);
      assert.deepEqual(doc.diagnostics, [], k.example);
      const block = doc.blocks[0];
      assert.equal(block.requestLine?.protocol, k.id, k.example);
      const r = await resolveBlock(doc, block, ctx);
      assert.ok(r.ok, `${k.example}: ${JSON.stringify(r.diagnostics)}`);
      const m = moduleForProtocol(k.id);
      assert.ok((m.specKinds as readonly string[]).includes(r.request.kind), `${k.id} → ${r.request.kind}`);
      assert.equal(moduleForSpec(r.request), m);
      assert.equal(viewFor(r.request), m.view);
      assert.equal(viewForProtocol(k.id), m.view);
      views[k.id] = m.view;
      // The summary starts with the word as written (the method for HTTP).
      assert.equal(describeSpec(r.request).method, k.word ?? 'GET', k.example);
    }
    assert.deepEqual(views, {
      http: 'response',
      tcp: 'transcript',
      tls: 'transcript',
      qotd: 'transcript',
      daytime: 'transcript',
      echo: 'transcript',
      udp: 'transcript',
      multicast: 'transcript',
      ws: 'session',
      dns: 'transcript',
    });
  });

  it('finds the module that made a socket exchange by its protocol (stream, datagram and DNS share the exchange kind), and renders it with that module', () => {
    const owners: Record<string, string> = {};
    for (const k of KINDS) {
      if (moduleForProtocol(k.id).exchangeKind !== 'socket') continue;
      const x = newSocketExchange({ protocol: k.id, host: '127.0.0.1', port: 9, target: '127.0.0.1:9', payloadBytes: 0 });
      owners[k.id] = moduleForExchange(x).id;
      assert.equal(moduleForExchange(x), moduleForProtocol(k.id));
      const text = renderExchange(x, PLAIN, { header: `### ${k.id}`, verbose: false });
      assert.equal(text.split('\n')[0], `### ${k.id}`);
    }
    assert.deepEqual(owners, { tcp: 'stream', tls: 'stream', qotd: 'stream', daytime: 'stream', echo: 'stream', udp: 'datagram', multicast: 'datagram', dns: 'dns' });
    const dns = newSocketExchange({ protocol: 'dns', host: '', port: 53, target: '', payloadBytes: 0 });
    dns.dns = { question: { name: 'a.test', type: 'MX' }, server: '127.0.0.1:53', serverFrom: 'directive', transport: 'udp', id: 1, recursionDesired: true, answers: [], authorities: [], additionals: [], notes: [] };
    assert.match(renderExchange(dns, PLAIN, { header: 'h', verbose: false }), /^DNS a\.test MX @127\.0\.0\.1:53 over UDP$/m, 'the DNS module renders the question, not a transcript');
  });

  it('derives the request-line words, examples and service ports as they were written before the registry', () => {
    assert.deepEqual({ ...PROTOCOL_WORDS }, { TCP: 'tcp', TLS: 'tls', QOTD: 'qotd', DAYTIME: 'daytime', ECHO: 'echo', UDP: 'udp', MULTICAST: 'multicast', WS: 'ws', DNS: 'dns' });
    assert.deepEqual(PROTOCOL_WORD_LIST, ['TCP', 'TLS', 'QOTD', 'DAYTIME', 'ECHO', 'UDP', 'MULTICAST', 'WS', 'DNS']);
    assert.deepEqual({ ...SERVICE_PORTS }, { qotd: 17, daytime: 13, echo: 7 });
    // The TcpService type is the stream kinds with a default port (a compile-time check as much as a run-time one).
    const services: TcpService[] = ['qotd', 'daytime', 'echo'];
    // @ts-expect-error TCP has no default port, so it is not a service
    const notService: TcpService = 'tcp';
    assert.deepEqual(services, Object.keys(SERVICE_PORTS));
    assert.equal(notService in SERVICE_PORTS, false);
    assert.equal(kindForWord('TCP')?.id, 'tcp');
    assert.equal(kindForWord('GET'), undefined);
    assert.equal(kindForWord('CONSTRUCTOR'), undefined);
    const unknown = parseNetreq('FROB x\n').diagnostics.find((d) => d.code === 'unknown-protocol');
    assert.match(unknown?.message ?? '', /one of TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST, WS, DNS$/);
  });

  it('derives where each directive applies from the kinds, the same sets as the table before the registry', () => {
    const stream = ['tcp', 'tls', 'qotd', 'daytime', 'echo'];
    const datagram = ['udp', 'multicast'];
    const before: Record<string, string[] | 'all'> = {
      name: 'all',
      timeout: 'all',
      insecure: ['http', 'tls', 'ws'],
      'no-pool': 'all',
      raw: ['http'],
      proxy: ['http', 'ws', ...stream],
      tls: ['http'],
      connect: ['http', 'ws'],
      eol: [...stream, ...datagram],
      hex: [...stream, ...datagram],
      'read-until': stream,
      idle: stream,
      'max-bytes': stream,
      'half-close': stream,
      replies: datagram,
      ttl: ['multicast'],
      interface: ['multicast'],
      loopback: ['multicast'],
      repeat: ['multicast'],
      wait: ['ws'],
      server: ['dns'],
      tcp: ['dns'],
      'no-recurse': ['dns'],
      health: 'all',
      note: 'all',
      'no-redirect': 'all',
      'no-cookie-jar': 'all',
      prompt: 'all',
      disabled: 'all',
    };
    assert.deepEqual(Object.keys(DIRECTIVES).sort(), Object.keys(before).sort());
    for (const [key, applies] of Object.entries(before)) {
      const got = DIRECTIVES[key].applies;
      assert.deepEqual(got === 'all' ? got : [...got].sort(), applies === 'all' ? applies : [...applies].sort(), key);
    }
    // Every directive a kind lists exists, and is not one every request takes anyway.
    for (const k of KINDS) for (const d of k.directives) assert.ok(DIRECTIVES[d] && DIRECTIVES[d].applies !== 'all', `${k.id}: @${d}`);
  });

  it('derives the payload and header rules from each kind’s body syntax', () => {
    const payload = KINDS.filter((k) => k.body === 'payload').map((k) => k.id);
    assert.deepEqual(payload, ['tcp', 'tls', 'qotd', 'daytime', 'echo', 'udp', 'multicast']);
    assert.deepEqual(
      KINDS.filter((k) => k.headers).map((k) => k.id),
      ['http', 'ws'],
    );
    // A payload kind keeps its trailing blank lines; WS and HTTP do not have them.
    assert.equal(parseNetreq('UDP 127.0.0.1:9\nhi\n\n\n').blocks[0].body?.trailingBlankLines, 2);
    assert.equal(parseNetreq('WS ws://127.0.0.1:9/\n\n> hi\n\n\n').blocks[0].body?.trailingBlankLines, undefined);
  });

  it("the grammar's request-line words are the registry's words", () => {
    const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/netreq.tmLanguage.json'), 'utf8')) as {
      repository: Record<string, { begin?: string }>;
    };
    const words = (rule: string): string[] => {
      const begin = grammar.repository[rule].begin ?? '';
      const m = /\(\?i:([A-Z|]+)\)/.exec(begin);
      assert.ok(m, `${rule} names its words in one (?i:…) group`);
      return m[1].split('|');
    };
    const inGrammar = [...words('socket-request'), ...words('ws-request'), ...words('dns-request')];
    assert.deepEqual([...inGrammar].sort(), [...PROTOCOL_WORD_LIST].sort());
    for (const w of inGrammar) assert.equal(kindForWord(w)?.target, w === 'WS' ? 'url' : w === 'DNS' ? 'name' : 'host:port', w);
  });

  it('every request-line word has a snippet whose body uses it', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets/netreq.json'), 'utf8')) as Record<string, { prefix: string | string[]; body: string | string[] }>;
    for (const w of PROTOCOL_WORD_LIST) {
      const found = Object.values(snippets).some((s) => ([] as string[]).concat(s.body).some((line) => line.startsWith(`${w} `)));
      assert.ok(found, `a snippet writes ${w}`);
    }
  });

  it("the webview's copies (datagram kinds, labels) equal the registry's", () => {
    const datagram = PROTOCOLS.find((m) => m.id === 'datagram')!;
    assert.deepEqual([...DATAGRAM_PROTOCOLS], datagram.kinds.map((k) => k.id));
    for (const k of KINDS) {
      assert.equal(isDatagramProtocol(k.id), datagram.kinds.includes(k), k.id);
      assert.equal(protocolLabel(k.id), kindSyntax(k.id).label, k.id);
    }
  });

  it('sends through the module a spec finds, to real loopback peers: the CLI engines (TCP), WS without a WsClient given (the module makes one), and a WS session from open()', async function () {
    this.timeout(10_000);
    const tcp = net.createServer((c) => c.end('hello from tcp\n'));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const ws = await startWsServer();
    const pool = new ConnectionPool();
    try {
      const port = (tcp.address() as net.AddressInfo).port;
      const doc = parseNetreq(`TCP 127.0.0.1:${port}\n`);
      const r = await resolveBlock(doc, doc.blocks[0], ctx);
      assert.ok(r.ok);
      const x = await createEngines({ pool }).send(r.request);
      assert.equal(x.kind, 'socket');
      assert.ok(x.kind === 'socket' && Buffer.concat(x.transcript.map((e) => e.data)).toString() === 'hello from tcp\n');

      // No clients.ws (as in the extension): the WS module makes its own client; the exchange is complete.
      const spec = wsSpec(ws.port, { messages: [text('hi')] });
      const clients = { http: { send: () => assert.fail('not HTTP') }, tcp: { send: () => assert.fail('not TCP') }, udp: { send: () => assert.fail('not UDP') }, multicast: { send: () => assert.fail('not MULTICAST') } };
      const wx = await sendSpec(spec, clients);
      assert.equal(wx.kind, 'ws');
      assert.ok(wx.kind === 'ws' && wx.handshake.status === 101 && wx.frames.some((f) => f.dir === 'received' && f.data.toString() === 'hi'), JSON.stringify(wx.kind === 'ws' && wx.error));

      // open(): a session not yet connected, for the interactive panel, with the frame bound it is given.
      const session = wsModule.open(wsSpec(ws.port), { keepFrames: 1 });
      assert.equal(session.state, 'connecting');
      assert.equal(await session.open(), true);
      session.sendText('one');
      session.sendText('two');
      await session.close();
      // Two sent, two close frames at least; it trims in steps (keep + a quarter, at least 1), so at most 2 stay.
      assert.ok(session.exchange.frames.length <= 2, String(session.exchange.frames.length));
      assert.ok((session.exchange.framesDropped ?? 0) >= 2, String(session.exchange.framesDropped));
    } finally {
      pool.dispose();
      await ws.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  });
});
