/**
 * History entries from real exchanges on loopback: what is stored (redacted, cut), what the row says, and what
 * comes back for the panels and the diff editor.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { HttpExchange, SocketExchange, WsExchange } from '../../../src/core/exchange';
import { HttpClient } from '../../../src/core/http/client';
import { TcpClient } from '../../../src/core/sockets/tcp';
import { WsSession } from '../../../src/core/sockets/ws';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { comparisonText } from '../../../src/extension/history/compare';
import { buildEntry, type HistoryMeta, type HistoryPayload } from '../../../src/extension/history/entry';
import { redactNames } from '../../../src/extension/history/redact';
import { isStoredExchange, reviveExchange } from '../../../src/extension/history/revive';
import { StoredWsSession } from '../../../src/extension/history/storedSession';
import { httpSpec, rawServer, type RawServer } from '../../support/servers';
import { tcpSpec } from '../../support/sockets';
import { startWsServer, text, wsSpec } from '../../support/ws';

const LIMITS = { maxBodyBytes: 1024 * 1024, redact: redactNames(['Authorization', 'Cookie', 'Set-Cookie', 'Proxy-Authorization']) };
const CTX = { uri: 'file:///w/api.netreq', blockIndex: 1, blockName: 'login', title: 'POST /login' };

function stored(payload: string): HistoryPayload {
  return JSON.parse(payload) as HistoryPayload;
}

/** Every string in the stored JSON, and every base64 field decoded. */
function everything(payload: string): string {
  const out: string[] = [payload];
  JSON.parse(payload, (k, v: unknown) => {
    if (k === 'base64' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('utf8'));
    return v;
  });
  return out.join('\n');
}

const meta = (m: Omit<HistoryMeta, 'bytes'>): HistoryMeta => ({ ...m, bytes: 0 });

describe('history entries from real exchanges', () => {
  let pool: ConnectionPool;
  let server: RawServer | undefined;
  beforeEach(() => (pool = new ConnectionPool()));
  afterEach(async () => {
    pool.dispose();
    await server?.close();
    server = undefined;
  });

  it('an HTTP exchange: no secret header value is stored anywhere (lists, raw bytes sent and received), the rest is', async () => {
    const body = JSON.stringify({ user: 'ann', roles: ['a', 'b'] });
    server = await rawServer((s) => s.write(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: sid=SECRET-SID; HttpOnly\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    const x = await new HttpClient({ pool }).send(
      httpSpec(server.port, { method: 'POST', target: '/login', headers: [['Authorization', 'Bearer SECRET-TOKEN'], ['cookie', 'a=SECRET-COOKIE'], ['X-Trace', 'visible-1']], body: Buffer.from('{}') }),
    );
    assert.equal(x.error, undefined);
    const e = buildEntry(x, CTX, LIMITS, 'id-1');
    const all = everything(e.payload);
    for (const secret of ['SECRET-TOKEN', 'SECRET-COOKIE', 'SECRET-SID']) assert.ok(!all.includes(secret), `${secret} is not stored`);
    assert.ok(all.includes('visible-1') && all.includes('"roles"'), 'the other headers and the body are');
    assert.ok(all.includes('Authorization: ‹redacted›'), 'the raw request says where the value was');
    assert.deepEqual(
      [e.meta.outcome, e.meta.status, e.meta.failed, e.meta.size, e.meta.cut, e.meta.blockName, e.meta.kind],
      ['200 OK', 200, false, body.length, undefined, 'login', 'http'],
    );
    assert.ok((e.meta.redacted ?? 0) >= 3);
    // The live exchange is not changed by storing it.
    assert.ok(x.sent.toString('latin1').includes('SECRET-TOKEN'));

    const back = reviveExchange(stored(e.payload).exchange, meta(e.meta));
    assert.ok(back.ok);
    const r = (back.exchange as HttpExchange).response!;
    assert.equal(r.body.toString(), body);
    assert.match(r.notes!.join(' '), /From History: sent/);
    const t = comparisonText(back.exchange, meta(e.meta));
    assert.match(t, /^HTTP\/1\.1 200 OK\nSet-Cookie: ‹redacted›\nContent-Type: application\/json\n/);
    assert.ok(t.includes('{\n  "user": "ann",\n  "roles": [\n    "a",'), 'the JSON body pretty-printed');
  });

  it('a body over maxBodyBytes is stored cut, and the entry, the panel notes and the compared text say so', async () => {
    const big = 'x'.repeat(10_000);
    server = await rawServer((s) => s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`));
    const x = await new HttpClient({ pool }).send(httpSpec(server.port));
    const e = buildEntry(x, CTX, { ...LIMITS, maxBodyBytes: 1000 }, 'id-2');
    const p = stored(e.payload);
    assert.ok(p.exchange.kind === 'http');
    assert.deepEqual([p.exchange.response!.body.length, p.exchange.response!.body.totalLength], [1000, 10_000]);
    assert.deepEqual(e.meta.cut, { kept: 1000, total: 10_000 });
    assert.equal(e.meta.size, 10_000, 'the row says the real size');
    assert.ok(e.payload.length < 5000, `stored ${e.payload.length} chars: the raw bytes are cut too`);
    assert.equal(p.exchange.received.totalLength, x.received.length);
    const back = reviveExchange(p.exchange, meta(e.meta));
    assert.ok(back.ok);
    assert.match((back.exchange as HttpExchange).response!.notes!.join(' '), /History kept the first 1000 B of 9\.8 KB/);
    assert.match(comparisonText(back.exchange, meta(e.meta)), /‹history kept the first 1000 B of 9\.8 KB \(netreq\.history\.maxBodyBytes\)›\n$/);
  });

  it('a failed exchange says why in words', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const x = await new HttpClient({ pool }).send(httpSpec(port, {}, { timeoutMs: 3000 }));
    const e = buildEntry(x, CTX, LIMITS, 'id-3');
    assert.equal(e.meta.failed, true);
    assert.match(e.meta.outcome, /^failed \(connect: /);
    assert.equal(e.meta.status, undefined);
  });

  it('a TCP exchange: the outcome in words, chunks within the budget, an HTTP head in a chunk redacted', async () => {
    const srv = net.createServer((s) => {
      s.on('data', () => s.end('HTTP/1.0 200 OK\r\nSet-Cookie: SECRET-TCP\r\n\r\nhello over tcp'));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as net.AddressInfo).port;
      const x = await new TcpClient().send(tcpSpec(port, { payload: Buffer.from('GET / HTTP/1.0\r\nCookie: SECRET-REQ\r\n\r\n') }));
      assert.equal(x.error, undefined);
      const e = buildEntry(x, { uri: 'file:///w/t.netreq', blockIndex: 0, title: 'TCP' }, { ...LIMITS, maxBodyBytes: 20 }, 'id-4');
      const all = everything(e.payload);
      assert.ok(!all.includes('SECRET-TCP') && !all.includes('SECRET-REQ'));
      assert.deepEqual([e.meta.kind, e.meta.protocol, e.meta.outcome], ['socket', 'tcp', x.stopDetail]);
      assert.ok(e.meta.cut && e.meta.cut.kept === 20, 'the chunks were cut to 20 bytes in all');
      const back = reviveExchange(stored(e.payload).exchange, meta(e.meta));
      assert.ok(back.ok);
      assert.match((back.exchange as SocketExchange).captureNote!, /history kept the first 20 B/);
      assert.match(comparisonText(back.exchange, meta(e.meta)), /^TCP 127\.0\.0\.1:\d+\n/);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('a WebSocket session that ended: its frames come back through StoredWsSession, which never connects', async () => {
    const ws = await startWsServer();
    try {
      const session = new WsSession(wsSpec(ws.port, { headers: [['Cookie', 'SECRET-WS']] }));
      assert.equal(await session.open(), true);
      session.sendText('hi');
      session.sendText('close-me');
      await session.whenClosed();
      const x = session.exchange;
      const e = buildEntry(x, { uri: 'file:///w/w.netreq', blockIndex: 3, title: 'WS' }, LIMITS, 'id-5');
      assert.ok(!everything(e.payload).includes('SECRET-WS'));
      assert.match(e.meta.outcome, /^closed 4001 by the server: bye$/);
      const back = reviveExchange(stored(e.payload).exchange, meta(e.meta));
      assert.ok(back.ok);
      const replay = new StoredWsSession(back.exchange as WsExchange);
      const seen: string[] = [];
      replay.on('frame', (f) => seen.push(`${f.dir} ${f.opcode} ${f.data.toString()}`));
      assert.equal(await replay.open(), false);
      assert.ok(seen.includes('sent text hi') && seen.includes('received text hi') && seen.includes('received close bye'), seen.join(', '));
      assert.equal(replay.state, 'closed');
      assert.throws(() => replay.sendText(), /from History/);
      const t = comparisonText(back.exchange, meta(e.meta));
      assert.ok(t.includes('→ text 2 B\nhi\n') && t.includes('← text 2 B\nhi\n'), t);
    } finally {
      await ws.close();
    }
    void text;
  });

  it('a damaged stored exchange is refused in words, never thrown', () => {
    const m = meta({ v: 1, id: 'z', at: 0, kind: 'http', protocol: 'http', uri: 'file:///a', blockIndex: 0, title: 't', outcome: 'o', failed: false, ms: 1, size: 0 });
    const bad: unknown[] = [null, 7, 'x', {}, { kind: 'http' }, { kind: 'http', id: 'a', startedAt: 1, request: {}, timings: {}, sent: { base64: '!!', length: 1 }, received: { base64: '', length: 0 } }, { kind: 'socket', id: 'a', startedAt: 1, request: { protocol: 'tcp', target: 'x' }, timings: {}, transcript: [{ dir: 'up', at: 0, data: { base64: '', length: 0 } }], stopDetail: '' }];
    for (const b of bad) {
      assert.equal(isStoredExchange(b), false);
      const r = reviveExchange(b, m);
      assert.equal(r.ok, false);
    }
  });
});
