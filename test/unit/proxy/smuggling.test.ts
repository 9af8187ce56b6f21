/**
 * A bounded request-smuggling sweep through the real proxy: a few hundred generated vectors (CL.TE, TE.CL,
 * Transfer-Encoding obfuscations sent three ways, Content-Length oddities, bad chunk sizes, bare LF and CR,
 * NUL and control bytes, odd targets, pipelining after errors; see ./smugglingVectors.ts), each on its own
 * client connection, to a strict recording origin (./strictOrigin.ts) over the proxy's pooled upstream
 * connections. Asserted for every vector: the origin never sees a request the client did not send it in
 * absolute form (no smuggled request), the client never gets a response belonging to another request (no
 * desync, also across vectors sharing a pooled connection), nothing is forwarded after the proxy refused a
 * request, the origin never has to refuse what the proxy forwarded as malformed, and every connection ends.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startNginx, tempDir, type Peer } from '../../support/peers';
import { start } from './hostilePeers';
import { smugglingVectors, type Vector } from './smugglingVectors';
import { startStrictOrigin, type StrictOrigin } from './strictOrigin';

interface Reply {
  status: number;
  headers: Map<string, string>;
}

/** The responses in what the client got (each with Content-Length or none); `rest` is what could not be read as one. */
export function splitResponses(text: string, heads: string[]): { replies: Reply[]; rest: string } {
  const replies: Reply[] = [];
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = text.slice(at, end).split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]);
    if (!m) break;
    const headers = new Map<string, string>();
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      headers.set(l.slice(0, c).toLowerCase(), l.slice(c + 1).trim());
    }
    const bodyless = heads[i] === 'HEAD' || m[1] === '204' || m[1] === '304';
    const len = bodyless ? 0 : Number(headers.get('content-length') ?? NaN);
    if (!Number.isInteger(len) || end + 4 + len > text.length) break;
    replies.push({ status: Number(m[1]), headers });
    at = end + 4 + len;
    i++;
  }
  return { replies, rest: text.slice(at) };
}

/** Sends `bytes` on a fresh connection, then FIN; what came back by the time the proxy closed (bounded). */
function exchange(port: number, bytes: Buffer, ms = 4000): Promise<{ text: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(bytes));
    let text = '';
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      s.destroy();
    }, ms);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(t);
      resolve({ text, timedOut });
    });
  });
}

interface Outcome {
  v: Vector;
  id: number;
  problems: string[];
}

/** Runs every vector (`parallel` at a time) and returns what went wrong with each, in words. */
async function sweep(vectors: Vector[], proxyPort: number, origin: { port: number; seenBy: (prefix: string) => string[] }, parallel: number): Promise<Outcome[]> {
  const O = `127.0.0.1:${origin.port}`;
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < vectors.length) {
      const id = next++;
      const v = vectors[id];
      const V = `/v${id}`;
      const bytes = Buffer.from(v.bytes(O, V).replaceAll('{P}', `127.0.0.1:${proxyPort}`), 'latin1');
      const r = await exchange(proxyPort, bytes);
      const problems: string[] = [];
      if (r.timedOut) problems.push('the proxy did not close the connection');
      const { replies, rest } = splitResponses(r.text, [/^HEAD /.test(bytes.toString('latin1')) ? 'HEAD' : 'GET']);
      if (rest.length > 0) problems.push(`the client got bytes it cannot read as a response: ${JSON.stringify(rest.slice(0, 120))}`);
      if (replies.length > 2) problems.push(`the client got ${replies.length} responses for at most 2 requests`);
      const paths: string[] = [];
      let refusedAt = -1;
      replies.forEach((reply, i) => {
        const path = reply.headers.get('x-path');
        if (refusedAt >= 0) problems.push(`a response (${reply.status}) came after the proxy refused a request`);
        if (!reply.headers.has('x-origin')) refusedAt = i; // the proxy's own answer: it closes after it
        if (path !== undefined) paths.push(path);
      });
      // Which of this vector's requests a path names (`a`, `b`, `SMUGGLED`...), however the target was spelt
      // (dot segments, percent-encoding); a path of another vector is named as it is.
      const which = (p: string) => new RegExp(`${V}/([A-Za-z]+)(?![\\s\\S]*${V}/)`).exec(p)?.[1] ?? p;
      const got = paths.map(which);
      if (got.some((p) => p !== 'a' && p !== 'b')) problems.push(`the client got a response for another request: ${paths.join(', ')}`);
      if (got.length === 2 && got[0] !== 'a') problems.push(`responses out of order: ${paths.join(', ')}`);
      // What the origin saw; settle briefly first (a forwarded request may still be on its way when the client closes).
      await new Promise((res) => setTimeout(res, 5));
      const seen = origin.seenBy(`${V}/`);
      const extra = seen.filter((p) => which(p) !== 'a' && which(p) !== 'b');
      if (extra.length > 0) problems.push(`the origin saw requests the client never sent it: ${extra.join(', ')}`);
      if (refusedAt === 0 && seen.some((p) => which(p) === 'b')) problems.push('the request after a refused one was forwarded');
      outcomes.push({ v, id, problems });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return outcomes.sort((a, b) => a.id - b.id);
}

function report(outcomes: Outcome[]): string {
  const bad = outcomes.filter((o) => o.problems.length > 0);
  return bad
    .slice(0, 20)
    .map((o) => `#${o.id} ${o.v.family} / ${o.v.name}: ${o.problems.join('; ')}`)
    .join('\n');
}

function families(vectors: Vector[]): string {
  const n = new Map<string, number>();
  for (const v of vectors) n.set(v.family, (n.get(v.family) ?? 0) + 1);
  return [...n].map(([f, c]) => `${f} ${c}`).join(', ');
}

describe('ProxyServer: request-smuggling sweep (generated vectors, strict origin)', function () {
  this.timeout(30_000);
  let origin: StrictOrigin;
  const vectors = smugglingVectors();

  before(async () => {
    origin = await startStrictOrigin();
  });
  after(() => origin.close());

  it(`${vectors.length} vectors: no smuggled request, no desync, nothing forwarded after a refusal, nothing malformed forwarded`, async () => {
    const { proxy, port } = await start({});
    try {
      const seenBy = (prefix: string) => origin.seen.filter((s) => s.path.includes(prefix)).map((s) => s.path);
      const outcomes = await sweep(vectors, port, { port: origin.port, seenBy }, 8);
      const bad = outcomes.filter((o) => o.problems.length > 0);
      assert.equal(bad.length, 0, `${bad.length} of ${vectors.length} vectors went wrong (${families(vectors)}):\n${report(outcomes)}`);
      assert.deepEqual(
        origin.malformed.map((m) => m.why),
        [],
        `the proxy forwarded what a strict origin refuses:\n${origin.malformed
          .slice(0, 10)
          .map((m) => `${m.why}: ${JSON.stringify(m.bytes.slice(-300))}`)
          .join('\n')}`,
      );
      // Also what arrived after its vector was checked (a request forwarded just before a refusal).
      await new Promise((res) => setTimeout(res, 100));
      assert.deepEqual(origin.seen.filter((s) => /\/(SMUGGLED|AFTER)/.test(s.path)), [], 'never a smuggled request, however late');
      assert.ok(origin.seen.some((s) => s.path.endsWith('/b')), 'plain pipelined requests did reach the origin');
      // The pooled upstream connections are still in step: plain requests get their own responses.
      const O = `127.0.0.1:${origin.port}`;
      for (let i = 0; i < 20; i++) {
        const r = await exchange(port, Buffer.from(`GET http://${O}/after/${i} HTTP/1.1\r\nHost: ${O}\r\n\r\n`));
        assert.match(r.text, new RegExp(`^HTTP/1\\.1 200 OK\\r\\n[\\s\\S]*X-Path: /after/${i}\\r\\n`));
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('ProxyServer: request-smuggling sweep (generated vectors, Debian nginx as the origin)', function () {
  this.timeout(30_000);
  let nginx: Peer;
  let logDir: string;
  const vectors = smugglingVectors();

  before(async () => {
    logDir = tempDir('smuggling-log');
    // Every request nginx parses is in its access log (the request line); each answer names its path.
    nginx = await startNginx({
      serverExtra: `access_log ${path.join(logDir, 'access.log')};\n    add_header X-Origin nginx always;\n    add_header X-Path $request_uri always;\n    location / { return 200 "$request_uri\\n"; }`,
    });
  });
  after(async () => {
    await nginx?.stop();
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it(`${vectors.length} vectors: nginx never sees a smuggled request, and no response goes to the wrong request`, async () => {
    const { proxy, port } = await start({});
    const log = () => {
      try {
        return fs.readFileSync(path.join(logDir, 'access.log'), 'latin1');
      } catch {
        return '';
      }
    };
    const requests = () => [...log().matchAll(/"[^" ]+ (\S+) HTTP\/1\.[01]" (\d{3})/g)].map((m) => ({ path: m[1], status: m[2] }));
    try {
      const seenBy = (prefix: string) => requests().filter((r) => r.path.includes(prefix)).map((r) => r.path);
      const outcomes = await sweep(vectors, port, { port: nginx.port, seenBy }, 8);
      const bad = outcomes.filter((o) => o.problems.length > 0);
      assert.equal(bad.length, 0, `${bad.length} of ${vectors.length} vectors went wrong:\n${report(outcomes)}`);
      // nginx takes only upper-case methods; "get" is a valid token (methods are case-sensitive) that the proxy passes on.
      const lowerCase = `/v${vectors.findIndex((v) => v.name === 'lower-case method')}/a`;
      const refused = requests().filter((r) => r.status === '400' && r.path !== lowerCase);
      assert.deepEqual(refused, [], 'nginx refused (400) nothing the proxy forwarded');
      await new Promise((res) => setTimeout(res, 100));
      assert.deepEqual(requests().filter((r) => /\/(SMUGGLED|AFTER)/.test(r.path)), [], 'never a smuggled request, however late');
      assert.ok(requests().some((r) => r.path.endsWith('/b')), 'plain pipelined requests did reach nginx');
    } finally {
      await proxy.close();
    }
  });
});
