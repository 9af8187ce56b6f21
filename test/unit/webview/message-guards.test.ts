// The webview-side guards check the fields each page reads: every message the host really sends (built with
// the extension's own functions) passes, and a malformed message of every type is refused (the boot drops it).
import { strict as assert } from 'node:assert';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import { logFrame, sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import { isHostToSession, isHostToTranscript, isHostToWebview } from '../../../src/shared/messages';
import { isHostToTraffic } from '../../../src/shared/trafficMessages';
import { exchange, hostileExchange } from './fixtures';
import { hostileSocketExchange, hostileWsExchange, socketExchange, udpExchange, wsExchange, wsFrame } from './socketFixtures';

/** What VS Code hands the page: the message through JSON (postMessage serialises it). */
const wire = (m: unknown): unknown => JSON.parse(JSON.stringify(m));

/** Each bad message is `good` with one field changed (set to `undefined` to remove it). */
function variants(good: Record<string, unknown>, changes: Array<[path: string, value: unknown]>): Array<{ why: string; m: unknown }> {
  return changes.map(([path, value]) => {
    const m = wire(good) as Record<string, unknown>;
    const keys = path.split('.');
    let o: Record<string, unknown> = m;
    for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
    if (value === undefined) delete o[keys[keys.length - 1]];
    else o[keys[keys.length - 1]] = value;
    return { why: `${path} = ${JSON.stringify(value)}`, m };
  });
}

function refusesAll(guard: (m: unknown) => boolean, bad: Array<{ why: string; m: unknown }>): void {
  for (const { why, m } of bad) assert.ok(!guard(m), `refused: ${why}`);
}

const SENDING = { type: 'sending', title: 'GET /', method: 'GET', url: 'http://127.0.0.1/', startedAt: 1 };
const REFUSED = { type: 'refused', title: 'GET /', problems: ['3:1: not allowed'], restricted: true };
const REPLY = { type: 'reply', id: 1, ok: true, message: 'Copied' };
const COMMON_BAD: Array<{ why: string; m: unknown }> = [
  { why: 'null', m: null },
  { why: 'an array', m: [SENDING] },
  { why: 'unknown type', m: { type: 'html', html: '<b>' } },
  ...variants(SENDING, [['title', undefined], ['title', 5], ['method', null], ['url', {}], ['startedAt', '1'], ['startedAt', undefined]]),
  { why: 'startedAt NaN', m: { ...SENDING, startedAt: NaN } },
  ...variants(REFUSED, [['title', undefined], ['problems', 'why'], ['problems', [1]], ['restricted', undefined]]),
  ...variants(REPLY, [['id', '1'], ['id', 1.5], ['ok', undefined], ['ok', 'yes'], ['message', 5]]),
];

describe('webview message guards (the fields each page reads)', () => {
  it('response panel: accepts every message the host sends', () => {
    const failed = exchange({ response: undefined, error: { phase: 'connect', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' } });
    for (const m of [
      SENDING,
      REFUSED,
      REPLY,
      { type: 'reply', id: 2, ok: false },
      exchangeMessage(exchange(), 'GET /path', 1024 * 1024, 50 * 1024 * 1024),
      exchangeMessage(hostileExchange(), 'GET /x', 16, 1024),
      exchangeMessage(failed, 'GET /down', 1024, 1024),
    ]) {
      assert.ok(isHostToWebview(m), JSON.stringify(m).slice(0, 200));
      assert.ok(isHostToWebview(wire(m)), 'through JSON');
    }
  });

  it('response panel: refuses a malformed message of every type', () => {
    const good = exchangeMessage(exchange(), 'GET /path', 1024, 1024) as unknown as Record<string, unknown>;
    refusesAll(isHostToWebview, COMMON_BAD);
    refusesAll(isHostToWebview, [
      { why: 'the reviewer’s case', m: { type: 'exchange', title: 'x' } },
      ...variants(good, [
        ['title', undefined],
        ['exchange', undefined],
        ['exchange', 'x'],
        ['previewLimit', '1024'],
        ['previewLimit', -1],
        ['maxResponseBytes', undefined],
        ['exchange.request', undefined],
        ['exchange.timings', undefined],
        ['exchange.timings.total', 'fast'],
        ['exchange.startedAt', 'now'],
        ['exchange.error', { phase: 'connect' }],
        ['exchange.sent', undefined],
        ['exchange.received', { base64: '%%', length: 1 }],
        ['exchange.response', 'x'],
        ['exchange.response.status', '200'],
        ['exchange.response.headers', [['a']]],
        ['exchange.response.headers', [['a', 1]]],
        ['exchange.response.body', undefined],
        ['exchange.response.body.length', -1],
        ['exchange.response.rawBody', null],
      ]),
    ]);
    assert.ok(!isHostToWebview(wire(transcriptMessage(socketExchange(), 't', 1024))), 'a transcript is not for this page');
  });

  it('transcript panel: accepts every message the host sends', () => {
    for (const m of [SENDING, REFUSED, REPLY, transcriptMessage(socketExchange(), 'TCP', 1024), transcriptMessage(udpExchange(), 'UDP', 2), transcriptMessage(hostileSocketExchange(), 'x', 0)]) {
      assert.ok(isHostToTranscript(m), JSON.stringify(m).slice(0, 200));
      assert.ok(isHostToTranscript(wire(m)), 'through JSON');
    }
  });

  it('transcript panel: refuses a malformed message of every type', () => {
    const good = transcriptMessage(socketExchange(), 'TCP', 1024) as unknown as Record<string, unknown>;
    refusesAll(isHostToTranscript, COMMON_BAD);
    refusesAll(isHostToTranscript, [
      { why: 'type only', m: { type: 'transcript' } },
      ...variants(good, [
        ['title', 1],
        ['dataLimit', undefined],
        ['exchange', null],
        ['exchange.transcript', 'x'],
        ['exchange.transcript', [{}]],
        ['exchange.transcript.0.data', 'aGk='],
        ['exchange.transcript.0.at', '1'],
        ['exchange.timings', []],
        ['exchange.startedAt', undefined],
      ]),
    ]);
    assert.ok(!isHostToTranscript(wire(exchangeMessage(exchange(), 't', 1, 1))), 'an HTTP exchange is not for this page');
  });

  const chat = () => wsExchange({ state: 'open', frames: [wsFrame('sent', 'text', 'hi', 1), wsFrame('received', 'binary', Buffer.from([0, 255]), 2)] });

  function sessionMessages(x = chat()) {
    const info = sessionInfo({ title: 'Chat', exchange: x, script: { total: 2, sent: 1, running: true }, logCap: 100, frameDataLimit: 64, now: x.startedAt + 10 });
    const frames = x.frames.map((f, i) => logFrame(i + 1, f, 64));
    return {
      session: { type: 'wsSession', info, frames, total: frames.length },
      update: { type: 'wsUpdate', info },
      batch: { type: 'wsFrames', sessionId: info.sessionId, frames: [logFrame(9, wsFrame('received', 'close', Buffer.from([3, 232]), 5, 1000), 64)], total: 9 },
    };
  }

  it('session panel: accepts every message the host sends', () => {
    for (const x of [chat(), wsExchange({ state: 'closed', closeCode: 1000, closeReason: 'bye' }), hostileWsExchange()]) {
      for (const m of Object.values(sessionMessages(x))) {
        assert.ok(isHostToSession(m), JSON.stringify(m).slice(0, 200));
        assert.ok(isHostToSession(wire(m)), 'through JSON');
      }
    }
    assert.ok(isHostToSession(REPLY));
  });

  it('session panel: refuses a malformed message of every type', () => {
    const { session, update, batch } = sessionMessages();
    refusesAll(isHostToSession, [
      { why: 'null', m: null },
      { why: 'unknown type', m: { type: 'sending', title: 't', method: 'WS', url: 'ws://h/', startedAt: 1 } },
      ...['wsSession', 'wsUpdate', 'wsFrames'].map((type) => ({ why: `${type} type only`, m: { type } })),
      ...variants(REPLY, [['id', undefined], ['ok', 1]]),
      ...variants(session, [
        ['info', undefined],
        ['info.title', 1],
        ['info.sessionId', undefined],
        ['info.state', 'exploded'],
        ['info.logCap', 0],
        ['info.frameDataLimit', '64'],
        ['info.elapsedMs', 'long'],
        ['info.closeWords', 5],
        ['info.script', undefined],
        ['info.script.running', 'yes'],
        ['info.exchange', undefined],
        ['info.exchange.handshake', undefined],
        ['info.exchange.handshake.responseHeaders', 'x'],
        ['info.exchange.timings', undefined],
        ['frames', undefined],
        ['frames', [{}]],
        ['frames.0.data', undefined],
        ['frames.0.dir', 'sideways'],
        ['frames.0.seq', -1],
        ['total', undefined],
      ]),
      ...variants(update, [['info', 'x'], ['info.state', undefined]]),
      ...variants(batch, [['sessionId', 1], ['frames', 'x'], ['frames.0.opcode', 1], ['frames.0.at', undefined], ['frames.0.closeWords', 1], ['total', 1.5]]),
    ]);
  });

  it('traffic view: accepts the messages the host sends and refuses malformed ones', () => {
    const flow = { id: 1, kind: 'http', startedAt: 1, proxy: '127.0.0.1:8888', client: '127.0.0.1:5000', method: 'GET', target: 'http://h/', status: 200, bytesUp: 0, bytesDown: 5, durationMs: 3, done: true };
    const datagram = { id: 2, at: 1, listener: '239.255.0.1:5000 on 127.0.0.1', from: '127.0.0.1:4000', size: 4, preview: 'cGluZw==' };
    const snapshot = { type: 'snapshot', flows: [flow], datagrams: [datagram], dropped: { flows: 0, datagrams: 0 }, max: 1000, services: [{ kind: 'multicastListener', label: 'x', kernelDrops: null }, { kind: 'proxy', label: 'p' }], paused: false };
    const flowDetail = { type: 'flowDetail', id: 1, detail: { row: flow, requestHeaders: [['Host', 'h']], requestBody: '', timings: { firstByte: 2 } } };
    const datagramDetail = { type: 'datagramDetail', id: 2, detail: { row: datagram, data: 'cGluZw==' } };
    for (const m of [snapshot, { type: 'batch', flows: [], datagrams: [], dropped: { flows: 1, datagrams: 0 } }, { type: 'services', services: [] }, flowDetail, { type: 'flowDetail', id: 3 }, datagramDetail, REPLY]) {
      assert.ok(isHostToTraffic(m), JSON.stringify(m));
    }
    refusesAll(isHostToTraffic, [
      ...variants(snapshot, [['flows', [{}]], ['flows.0.method', 1], ['flows.0.kind', 'udp'], ['flows.0.done', undefined], ['flows.0.bytesUp', -1], ['datagrams.0.preview', undefined], ['datagrams.0.size', 'big'], ['dropped.flows', undefined], ['max', undefined], ['services', [{ kind: 'proxy' }]], ['paused', 1]]),
      ...variants(flowDetail, [['id', undefined], ['detail.row', undefined], ['detail.requestHeaders', undefined], ['detail.timings', undefined], ['detail.responseBody', 5]]),
      ...variants(datagramDetail, [['detail.data', undefined], ['detail.row.from', 1]]),
      ...variants(REPLY, [['ok', undefined]]),
      { why: 'services not a list', m: { type: 'services', services: 'x' } },
    ]);
  });
});
