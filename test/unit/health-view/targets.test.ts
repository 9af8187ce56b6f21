import { strict as assert } from 'node:assert';
import { parseTarget } from '../../../src/core/health/checks';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { ResolveContext } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import { blockCheckName, checkForSpec, checksKey, healthDirective, parseHealthValue, pinLine, requestTextFor, type BlockCheck } from '../../../src/extension/health/targets';

const ctx: ResolveContext = { processEnv: {}, readFile: async () => Buffer.alloc(0), defaults: DEFAULT_OPTIONS, environments: { local: { host: '127.0.0.1' } }, environmentName: 'local' };

/** The check the first pinned block of `text` becomes, as the extension builds it. */
async function checkOf(text: string): Promise<BlockCheck> {
  const doc = parseNetreq(text);
  const block = doc.blocks.find((b) => healthDirective(b));
  assert.ok(block, 'no pinned block');
  const r = await resolveBlock(doc, block, ctx);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const value = parseHealthValue(healthDirective(block)!.value);
  const timed = block.directives.some((d) => d.key === 'timeout');
  return checkForSpec(blockCheckName(block, 'f.netreq'), r.request, { intervalSeconds: value.intervalSeconds, timeoutMs: timed ? r.request.options.timeoutMs : undefined });
}

/** The check without the request it carries (compared on its own where it matters). */
function shown(c: BlockCheck): unknown {
  if (!c.ok) return c;
  const { spec, ...config } = c.config;
  assert.ok(spec, `${config.name}: a pinned check carries its resolved request`);
  return { ok: true, config };
}

describe('health view: blocks → check targets', () => {
  it('# @health takes nothing, "every 30s", "30s", "2m" or a bare number of seconds; anything else is an error in words', () => {
    assert.deepEqual(parseHealthValue(''), {});
    assert.deepEqual(parseHealthValue('every 30s'), { intervalSeconds: 30 });
    assert.deepEqual(parseHealthValue('2m'), { intervalSeconds: 120 });
    assert.deepEqual(parseHealthValue('45'), { intervalSeconds: 45 });
    assert.deepEqual(parseHealthValue('every 200ms'), { intervalSeconds: 1 });
    assert.match(parseHealthValue('often').error ?? '', /not a duration.*# @health every 30s/);
  });

  it('HTTP blocks check their URL (variables resolved), keep # @insecure, take # @timeout and the interval', async () => {
    const c = await checkOf('### API\n# @name api\n# @health every 10s\n# @insecure\n# @timeout 2s\nGET https://{{host}}:8443/health\n');
    assert.deepEqual(shown(c), { ok: true, config: { name: 'api', target: 'https://127.0.0.1:8443/health', intervalSeconds: 10, timeoutMs: 2000, insecure: true } });
    const plain = await checkOf('### Home page\n# @health\nGET http://127.0.0.1:8080/\n');
    assert.deepEqual(shown(plain), { ok: true, config: { name: 'Home page', target: 'http://127.0.0.1:8080/' } }, 'no @timeout: the check keeps its own 5 s, not the request 30 s');
  });

  it('a pinned block carries its request as resolved: method, headers, body, # @proxy and # @insecure, not a URL', async () => {
    const c = await checkOf('### Login\n# @health\n# @insecure\n# @proxy http://127.0.0.1:3128\nPOST https://{{host}}:8443/login\nAuthorization: Bearer t0k\nContent-Type: application/json\n\n{"user":"a"}\n');
    assert.ok(c.ok);
    const spec = c.config.spec;
    assert.equal(spec?.kind, 'http');
    if (spec?.kind !== 'http') return;
    assert.equal(spec.method, 'POST');
    assert.equal(spec.url, 'https://127.0.0.1:8443/login');
    assert.deepEqual(spec.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'Bearer t0k']);
    assert.equal(spec.body?.toString(), '{"user":"a"}');
    assert.equal(spec.options.proxy, 'http://127.0.0.1:3128');
    assert.equal(spec.options.insecure, true);
    assert.equal(c.config.target, 'https://127.0.0.1:8443/login', 'the target still names where it goes');
  });

  it('TCP, QOTD/DAYTIME/ECHO, TLS, IPv6 and WebSocket blocks map to tcp://, tls://, ws(s)://', async () => {
    assert.equal(((await checkOf('# @health\nTCP 127.0.0.1:6379\nPING\n')) as { config: { target: string } }).config.target, 'tcp://127.0.0.1:6379');
    assert.equal(((await checkOf('# @health\nQOTD 127.0.0.1\n')) as { config: { target: string } }).config.target, 'tcp://127.0.0.1:17');
    assert.equal(((await checkOf('# @health\nECHO [::1]\nhi\n')) as { config: { target: string } }).config.target, 'tcp://[::1]:7');
    assert.deepEqual(shown(await checkOf('# @health\n# @insecure\nTLS localhost:8443\n')), { ok: true, config: { name: 'f.netreq:3', target: 'tls://localhost:8443', insecure: true } });
    assert.equal(((await checkOf('# @health\nWS wss://127.0.0.1:9443/chat?x=1\n')) as { config: { target: string } }).config.target, 'wss://127.0.0.1:9443/chat?x=1');
  });

  it('UDP blocks send their payload as written, text or # @hex bytes; MULTICAST cannot be a check, said in words', async () => {
    const text = await checkOf('### dns-ish\n# @health\nUDP 127.0.0.1:9999\nhello\n');
    assert.deepEqual(shown(text), { ok: true, config: { name: 'dns-ish', target: 'udp://127.0.0.1:9999' } });
    assert.equal(text.ok && text.config.spec?.kind === 'udp' && text.config.spec.payload.toString(), 'hello');
    const bin = await checkOf('# @health\n# @hex\nUDP 127.0.0.1:53\n00 01 ff\n');
    assert.ok(bin.ok, 'binary payloads go out as the bytes written');
    assert.deepEqual(bin.config.spec?.kind === 'udp' && [...bin.config.spec.payload], [0x00, 0x01, 0xff]);
    const mc = await checkOf('# @health\nMULTICAST 239.1.2.3:5000\nx\n');
    assert.equal(mc.ok, false);
    assert.match((mc as { reason: string }).reason, /MULTICAST requests cannot be health checks/);
  });

  it('checksKey sees a pinned request change in its body bytes, and keeps bytes as a digest rather than a list of numbers', async () => {
    const a = await checkOf('# @health\nPOST http://127.0.0.1:8080/\n\nbody one\n');
    const b = await checkOf('# @health\nPOST http://127.0.0.1:8080/\n\nbody two\n');
    assert.notEqual(checksKey([a]), checksKey([b]));
    assert.equal(checksKey([a]), checksKey([await checkOf('# @health\nPOST http://127.0.0.1:8080/\n\nbody one\n')]));
    const big = { body: Buffer.alloc(100_000, 7) };
    assert.match(checksKey(big), /^\{"body":"bytes:100000:[0-9a-f]{64}"\}$/);
  });

  it('names: @name, else the ### title, else file:line of the request', () => {
    const doc = parseNetreq('### Titled\nGET http://a/\n\n###\n# @name named\nGET http://b/\n\n###\nGET http://c/\n');
    assert.deepEqual(
      doc.blocks.map((b) => blockCheckName(b, 'x.netreq')),
      ['Titled', 'named', 'x.netreq:9'],
    );
  });

  it('pinning goes above the request line, and refuses a block that has no request or is pinned already', () => {
    const doc = parseNetreq('### A\n# @name a\nGET http://a/\n\n### B\n# @health\nGET http://b/\n\n### C\n# only a comment\n');
    assert.deepEqual(pinLine(doc.blocks[0]), { line: 2 });
    assert.match((pinLine(doc.blocks[1]) as { error: string }).error, /pinned already/);
    assert.match((pinLine(doc.blocks[2]) as { error: string }).error, /no request line/);
  });

  it('"Open as Request" writes a block that resolves back to the same target, for every kind', async () => {
    const cases = [
      { name: 'web', target: 'http://127.0.0.1:8080/health?x=1', timeoutMs: 1500 },
      { name: 'secure', target: 'https://localhost:8443/', insecure: true },
      { name: 'tcp', target: 'tcp://127.0.0.1:6379' },
      { name: 'tls', target: 'tls://[::1]:8443' },
      { name: 'udp', target: 'udp://127.0.0.1:9999', expect: { payload: 'ping me' } },
      { name: 'udp-lines', target: 'udp://127.0.0.1:9999', expect: { payload: 'two\nlines' } },
      { name: 'ws', target: 'ws://127.0.0.1:9000/chat' },
      { name: 'dns', target: 'dns://example.com' },
    ];
    for (const cfg of cases) {
      const out = requestTextFor(cfg);
      assert.ok(out.ok, `${cfg.name}: ${JSON.stringify(out)}`);
      const text = out.text.replace(/^(GET|TCP|TLS|UDP|WS|DNS) /m, '# @health\n$&');
      const back = await checkOf(text);
      assert.ok(back.ok, `${cfg.name}: ${out.text}`);
      if (back.config.spec?.kind === 'dns') {
        // The block asks its question as written (type A, the first resolver in /etc/resolv.conf), and says so.
        assert.equal(back.config.target, 'dns://example.com A');
        assert.deepEqual([back.config.spec.name, back.config.spec.type, back.config.spec.server], ['example.com', 'A', undefined]);
        continue;
      }
      assert.equal(parseTarget(back.config.target).kind, parseTarget(cfg.target).kind);
      assert.equal(back.config.target.replace(/\/$/, ''), cfg.target.replace(/\/$/, ''), out.text);
      if (cfg.expect) assert.equal(back.config.spec?.kind === 'udp' && back.config.spec.payload.toString(), cfg.expect.payload, out.text);
      if (cfg.insecure) assert.equal(back.config.insecure, true);
      if (cfg.timeoutMs) assert.equal(back.config.timeoutMs, cfg.timeoutMs);
    }
    // A DNS block with its own server is checked as written: its question, to that server.
    const own = await checkOf('# @health\n# @server 127.0.0.1:5353\n# @tcp\nDNS example.com MX');
    assert.ok(own.ok);
    assert.equal(own.config.target, 'dns://example.com MX @127.0.0.1:5353');
    assert.deepEqual(own.config.spec?.kind === 'dns' && [own.config.spec.server, own.config.spec.type, own.config.spec.tcp], [{ host: '127.0.0.1', port: 5353 }, 'MX', true]);
    assert.match((requestTextFor({ name: 'x', target: 'gopher://a:70' }) as { reason: string }).reason, /Unknown check kind/);
  });

  it('a check name with line breaks cannot add lines (directives) to the generated request', () => {
    const out = requestTextFor({ name: 'evil\n# @proxy http://10.0.0.1:8080\r\nGET http://elsewhere/', target: 'tcp://127.0.0.1:1' });
    assert.ok(out.ok);
    const doc = parseNetreq(out.text);
    assert.equal(doc.blocks.length, 1);
    assert.deepEqual(doc.blocks[0].directives.map((d) => d.key), []);
    assert.equal(doc.blocks[0].requestLine?.text, 'TCP 127.0.0.1:1');
  });
});
