/**
 * The traffic detail's decoded bodies: core's decodeStart (gzip, deflate zlib and raw, br, stacked codings,
 * the start of a body, hostile data and bombs, bounded), and a real flow through the proxy from a loopback
 * upstream that sends gzip: the detail carries the headers as they came (Content-Length included), the
 * bytes as sent and what they decode to.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as zlib from 'node:zlib';
import { decodeStart } from '../../../src/core/http/decode';
import { ProxyServer, type Flow } from '../../../src/core/proxy/server';
import { contentEncoding, DECODED_LIMIT, decodedFlowDetail, decodeFlowBody } from '../../../src/extension/traffic/flowDecode';
import { TrafficStore } from '../../../src/extension/traffic/trafficStore';
import { fakeFlow } from './fixtures';

const TEXT = Buffer.from('{"hello":"wörld","n":[1,2,3]}\n'.repeat(200));

describe('traffic detail: decoding bodies for display (decodeStart)', () => {
  it('decodes gzip, x-gzip, deflate (zlib and raw), br and stacked codings in the order they were applied', async () => {
    const cases: Array<[string, Buffer]> = [
      ['gzip', zlib.gzipSync(TEXT)],
      ['x-gzip', zlib.gzipSync(TEXT)],
      ['deflate', zlib.deflateSync(TEXT)],
      ['deflate', zlib.deflateRawSync(TEXT)],
      ['br', zlib.brotliCompressSync(TEXT)],
      // "gzip, br": gzip first, then br.
      ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(TEXT))],
      ['GZIP , identity', zlib.gzipSync(TEXT)],
    ];
    for (const [enc, raw] of cases) {
      const r = await decodeStart(raw, enc, 1 << 20);
      assert.equal(r.decoded, true, enc);
      assert.equal(r.error, undefined, `${enc}: ${r.error}`);
      assert.equal(r.cut, undefined, enc);
      assert.equal(r.partial, undefined, enc);
      assert.ok(r.body.equals(TEXT), enc);
    }
  });

  it('identity or no coding: the bytes as they are; an unknown coding: the raw bytes and the reason in words', async () => {
    assert.deepEqual(await decodeStart(TEXT, undefined, 10), { body: TEXT, decoded: true });
    assert.deepEqual(await decodeStart(TEXT, 'identity', 10), { body: TEXT, decoded: true });
    const r = await decodeStart(TEXT, 'gzip, zstd', 1 << 20);
    assert.deepEqual({ ...r, body: r.body === TEXT }, { body: true, decoded: false, error: "Content-Encoding 'zstd' is not supported" });
  });

  it('the start of a gzip body (a proxy preview) decodes as far as it goes and says it is partial', async () => {
    const big = Buffer.concat([TEXT, Buffer.from(randomBytes(100_000).toString('hex'))]);
    for (const [enc, comp] of [
      ['gzip', zlib.gzipSync(big)],
      ['br', zlib.brotliCompressSync(big)],
      ['deflate', zlib.deflateSync(big)],
    ] as const) {
      const start = comp.subarray(0, Math.floor(comp.length / 2));
      const r = await decodeStart(start, enc, 1 << 20);
      assert.equal(r.decoded, true, enc);
      assert.equal(r.partial, true, enc);
      assert.equal(r.error, undefined, enc);
      assert.ok(r.body.length > 0 && r.body.length < big.length, `${enc}: ${r.body.length}`);
      assert.ok(big.subarray(0, r.body.length).equals(r.body), `${enc}: the decoded start is the start of the body`);
    }
  });

  it('hostile data: not gzip, a corrupt stream, a cut before anything decodes — the raw bytes and the reason, never a throw', async () => {
    const junk = Buffer.from('this is not gzip at all');
    const a = await decodeStart(junk, 'gzip', 1 << 20);
    assert.equal(a.decoded, false);
    assert.ok(a.body.equals(junk));
    assert.match(a.error!, /^the gzip data is not valid \(.+\)$/);
    const good = zlib.gzipSync(TEXT);
    const corrupt = Buffer.from(good);
    for (let i = 20; i < corrupt.length - 8; i += 7) corrupt[i] ^= 0x5a;
    const b = await decodeStart(corrupt, 'gzip', 1 << 20);
    assert.ok(b.error, 'a corrupt stream says so');
    assert.match(b.error!, /gzip data is not valid/);
    const c = await decodeStart(good.subarray(0, 5), 'gzip', 1 << 20);
    assert.deepEqual({ decoded: c.decoded, error: c.error }, { decoded: false, error: 'the gzip data ends before anything could be decoded' });
    const d = await decodeStart(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]), 'br', 1 << 20);
    assert.equal(d.decoded, false);
    assert.match(d.error!, /br data/);
  });

  it('a gzip bomb (64 KB that would decode to 64 MB) keeps exactly the bound and says it was cut', async () => {
    const zeros = Buffer.alloc(64 << 20);
    const bomb = zlib.gzipSync(zeros, { level: 9 });
    assert.ok(bomb.length < 128 * 1024, `bomb is ${bomb.length} bytes`);
    for (const limit of [1, 1000, 16 * 1024, 100_000, DECODED_LIMIT]) {
      const r = await decodeStart(bomb, 'gzip', limit);
      assert.equal(r.decoded, true);
      assert.equal(r.cut, true, `limit ${limit}`);
      assert.equal(r.body.length, limit, `kept ${r.body.length} for a bound of ${limit}`);
    }
    // Nested: gzip inside gzip (1 MB of compressed bytes that itself decodes to 64 MB), and br of it.
    const nested = zlib.gzipSync(bomb);
    const r2 = await decodeStart(nested, 'gzip, gzip', DECODED_LIMIT);
    assert.deepEqual([r2.decoded, r2.cut, r2.body.length], [true, true, DECODED_LIMIT]);
    const brBomb = zlib.brotliCompressSync(zeros.subarray(0, 16 << 20));
    const r3 = await decodeStart(brBomb, 'br', 4096);
    assert.deepEqual([r3.decoded, r3.cut, r3.body.length], [true, true, 4096]);
  });

  it('exactly the bound with nothing after it is not cut', async () => {
    const body = Buffer.alloc(5000, 0x61);
    const r = await decodeStart(zlib.gzipSync(body), 'gzip', 5000);
    assert.deepEqual([r.decoded, r.cut, r.body.length], [true, undefined, 5000]);
  });

  it('contentEncoding reads every Content-Encoding header in order and leaves out identity', () => {
    assert.equal(contentEncoding([['Content-Encoding', 'gzip']]), 'gzip');
    assert.equal(contentEncoding([['content-encoding', 'gzip'], ['X', 'y'], ['Content-Encoding', ' br ']]), 'gzip, br');
    assert.equal(contentEncoding([['Content-Encoding', 'identity']]), undefined);
    assert.equal(contentEncoding([]), undefined);
    assert.equal(contentEncoding(undefined), undefined);
  });

  it('decodeFlowBody: the DecodedBody message (base64, cut, partial, error) for the webview', async () => {
    assert.equal(await decodeFlowBody(TEXT, [['Content-Type', 'text/plain']]), undefined, 'no coding: nothing to decode');
    assert.equal(await decodeFlowBody(undefined, [['Content-Encoding', 'gzip']]), undefined);
    const ok = (await decodeFlowBody(zlib.gzipSync(TEXT), [['Content-Encoding', 'gzip']]))!;
    assert.deepEqual({ ...ok, body: Buffer.from(ok.body!, 'base64').equals(TEXT) }, { encoding: 'gzip', body: true });
    const bomb = (await decodeFlowBody(zlib.gzipSync(Buffer.alloc(8 << 20)), [['Content-Encoding', 'gzip']], 1000))!;
    assert.deepEqual({ ...bomb, body: Buffer.from(bomb.body!, 'base64').length }, { encoding: 'gzip', body: 1000, cut: true });
    const bad = (await decodeFlowBody(Buffer.from('nope'), [['Content-Encoding', 'br']]))!;
    assert.equal(bad.body, undefined);
    assert.match(bad.error!, /^the br data is not valid/);
  });
});

describe('traffic detail: a gzip response through the proxy (real loopback upstream)', function () {
  this.timeout(15_000);
  let proxy: ProxyServer;
  let upstream: http.Server;
  const ended: Flow[] = [];
  const store = new TrafficStore();

  before(async () => {
    proxy = new ProxyServer({ port: 0, upstreamTimeoutMs: 3000 });
    proxy.on('flow-start', (f) => store.flowStarted(f, 'test'));
    proxy.on('flow-end', (f) => {
      store.flowEnded(f, 'test');
      ended.push(f);
    });
    await proxy.listen();
    upstream = http.createServer((req, res) => {
      const gz = zlib.gzipSync(TEXT);
      if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.write(gz.subarray(0, 10));
        res.end(gz.subarray(10));
      } else res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) }).end(gz);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  function viaProxy(path: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    const up = (upstream.address() as net.AddressInfo).port;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: proxy.address!.port, path: `http://127.0.0.1:${up}${path}`, headers: { Host: `127.0.0.1:${up}`, 'Accept-Encoding': 'gzip' }, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function flowFor(path: string) {
    const got = await viaProxy(path);
    for (let i = 0; i < 100 && !ended.some((f) => f.target.endsWith(path)); i++) await new Promise((r) => setTimeout(r, 10));
    const f = ended.find((x) => x.target.endsWith(path))!;
    const stored = store.flowRows().find((r) => r.target === f.target)!;
    return { got, detail: await decodedFlowDetail(store.flow(stored.id)!) };
  }

  it('Content-Length: the headers as the upstream sent them, the gzip bytes as sent, and the JSON they decode to', async () => {
    const { got, detail } = await flowFor('/length');
    assert.equal(got.headers['content-encoding'], 'gzip', 'the client got the body still encoded, as the proxy forwards it');
    const gz = zlib.gzipSync(TEXT);
    assert.ok(detail.responseHeaders!.some(([k, v]) => k === 'Content-Length' && v === String(gz.length)), JSON.stringify(detail.responseHeaders));
    assert.ok(detail.responseHeaders!.some(([k, v]) => k === 'Content-Encoding' && v === 'gzip'));
    assert.ok(Buffer.from(detail.responseBody!, 'base64').equals(gz), 'the bytes as sent');
    assert.equal(detail.responseDecoded!.encoding, 'gzip');
    assert.ok(Buffer.from(detail.responseDecoded!.body!, 'base64').equals(TEXT), 'what they decode to');
    assert.equal(detail.requestDecoded, undefined, 'a request without a body has nothing to decode');
  });

  it('chunked: Transfer-Encoding as it came, the body without the chunk framing, decoded', async () => {
    const { detail } = await flowFor('/chunked');
    assert.ok(detail.responseHeaders!.some(([k, v]) => k === 'Transfer-Encoding' && v === 'chunked'), JSON.stringify(detail.responseHeaders));
    assert.ok(Buffer.from(detail.responseDecoded!.body!, 'base64').equals(TEXT));
  });

  it('a flow whose body is longer than what the proxy kept: the decoded start, marked partial', async () => {
    const f = fakeFlow({ done: true, status: 200, responseHeaders: [['Content-Encoding', 'gzip']] });
    const big = Buffer.from(randomBytes(200_000).toString('hex'));
    f.responseBody = zlib.gzipSync(big).subarray(0, 64 * 1024);
    f.bytesDown = zlib.gzipSync(big).length;
    const s = new TrafficStore();
    const id = s.flowStarted(f, 'test');
    s.flowEnded(f, 'test');
    const d = await decodedFlowDetail(s.flow(id)!);
    assert.equal(d.responseDecoded!.partial, true);
    const bytes = Buffer.from(d.responseDecoded!.body!, 'base64');
    assert.ok(bytes.length > 64 * 1024 && big.subarray(0, bytes.length).equals(bytes));
  });
});
