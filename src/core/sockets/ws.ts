/**
 * WebSocket sessions over the `ws` package, on a connection NetReq opened itself (so DNS, connect, proxy and
 * TLS are timed and the certificate is shown like for HTTPS). A session is interactive (send, ping, close
 * while it is open; events for every frame and state change); `WsClient.send` runs a block's script on one.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import type { HeaderList, WsExchange, WsFrame, WsState } from '../exchange';
import { newExchangeId } from '../exchange';
import type { WsRequestSpec } from '../request';
import { hostPort } from '../transport/address';
import { openConnection, systemLookup, targetOf, TlsVerifyError, unpooledConnection, type LookupFn } from '../transport/connect';
import { formatMs } from '../../common/format';
import { describeError, PHASE_WORDS, PhaseError } from '../transport/errors';
import { armDeadline, Cancelled, TimedOut } from '../transport/deadline';
import { Operation } from '../transport/operation';
import { monoMs } from '../clock';

/**
 * The `ws` package, loaded on the first WebSocket: it pulls in http, https, crypto, tls and zlib, which a CLI run
 * of one HTTP request should not pay for at start.
 */
let wsModule: typeof WebSocket | undefined;
function loadWs(): typeof WebSocket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  wsModule ??= require('ws') as typeof WebSocket;
  return wsModule;
}

export interface WsSessionEvents {
  frame: [WsFrame];
  state: [WsState];
}

/** Close codes in words (RFC 6455 §7.4.1). */
export const CLOSE_CODES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status received',
  1006: 'abnormal closure (no close frame)',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension',
  1011: 'internal server error',
  1015: 'TLS handshake failure',
};

/** Frames a session keeps by default: a long-lived session must not grow without bound. */
export const DEFAULT_KEEP_FRAMES = 10_000;

/** What is kept of the body of a handshake answered with something other than 101, and how long it is awaited. */
const NON_101_BODY_KEEP = 64 * 1024;
const NON_101_BODY_WAIT_MS = 1_000;

export class WsSession extends EventEmitter<WsSessionEvents> {
  readonly exchange: WsExchange;
  private ws?: WebSocket;
  private readonly t0 = monoMs();
  private readonly op = new Operation();
  private closed?: Promise<void>;
  private resolveClosed?: () => void;

  constructor(
    private readonly spec: WsRequestSpec,
    private readonly deps: { lookup?: LookupFn; keepFrames?: number } = {},
  ) {
    super();
    const protocols = spec.headers
      .filter(([k]) => k.toLowerCase() === 'sec-websocket-protocol')
      .flatMap(([, v]) => v.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    this.exchange = {
      kind: 'ws',
      id: newExchangeId(),
      startedAt: Date.now(),
      request: { url: spec.url, host: spec.host, port: spec.port, tls: spec.tls, target: spec.target, headers: spec.headers, protocols },
      handshake: { requestHead: '', responseHeaders: [] },
      frames: [],
      state: 'connecting',
      timings: { total: 0 },
    };
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  get state(): WsState {
    return this.exchange.state;
  }

  /** Connects and does the opening handshake. Never rejects: a failure is in `exchange.error` (state closed). */
  async open(signal?: AbortSignal): Promise<boolean> {
    const { spec, exchange: x, op } = this;
    const where = hostPort(spec.host, spec.port);
    const release = armDeadline(op, spec.options.timeoutMs, signal);
    // The connection until a WebSocket owns it: destroyed on any failure before that (a WebSocket constructor
    // that throws must not leave the socket open and the process running).
    let socket: import('node:net').Socket | undefined;
    try {
      const c = await openConnection(targetOf(spec, spec.tls, ['http/1.1']), this.deps.lookup ?? systemLookup, op);
      Object.assign(x.timings, c.timings);
      x.tls = c.tls;
      const conn = c.socket;
      socket = conn;
      x.connection = unpooledConnection(conn);
      op.phase = 'send';
      const tSend = monoMs();
      await new Promise<void>((resolve, reject) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of spec.headers) {
          if (k.toLowerCase() === 'sec-websocket-protocol') continue;
          headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
        }
        const ws = new (loadWs())(spec.url, x.request.protocols, {
          createConnection: () => {
            setImmediate(() => conn.resume()); // after http has attached its listeners (a proxy tunnel may hold it paused)
            return conn;
          },
          headers,
          perMessageDeflate: false,
          maxPayload: spec.options.maxResponseBytes,
          followRedirects: false,
          finishRequest: (req) => {
            req.end();
            x.handshake.requestHead = (req as unknown as { _header?: string })._header ?? '';
            x.timings.requestSent = monoMs() - tSend;
            op.phase = 'wait';
          },
        } as WebSocket.ClientOptions);
        this.ws = ws;
        const off = op.onAbort(() => {
          ws.terminate();
          reject(op.reason);
        });
        ws.once('upgrade', (res: IncomingMessage) => {
          x.timings.firstByte = monoMs() - tSend - (x.timings.requestSent ?? 0);
          this.takeResponse(res);
        });
        ws.once('unexpected-response', (_req, res: IncomingMessage) => {
          // Answered: the refusal is the result, whatever happens to its body in the next second (a request
          // deadline that ends first must not turn it into "did not answer").
          off();
          op.phase = 'receive';
          this.takeResponse(res);
          // The refusal's body is kept for the panel, but only its first 64 KB and only for a moment: a server
          // that streams it forever (or keeps the connection open without a length) must not hold the Send
          // until the request's timeout.
          const chunks: Buffer[] = [];
          let size = 0;
          let finished = false;
          const grace = setTimeout(() => done(), NON_101_BODY_WAIT_MS);
          res.on('data', (d: Buffer) => {
            if (size < NON_101_BODY_KEEP) chunks.push(d);
            size += d.length;
            if (size >= NON_101_BODY_KEEP) done();
          });
          const done = () => {
            if (finished) return;
            finished = true;
            clearTimeout(grace);
            off();
            x.handshake.responseBody = Buffer.concat(chunks).subarray(0, NON_101_BODY_KEEP);
            conn.destroy();
            reject(new PhaseError('parse', `WebSocket handshake failed: the server answered ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd() + ' instead of 101 Switching Protocols', `HTTP_${res.statusCode}`));
          };
          res.once('end', done);
          res.once('error', done);
          res.once('close', done);
        });
        ws.once('open', () => {
          off();
          x.handshake.protocol = ws.protocol || undefined;
          this.wire(ws);
          this.setState('open');
          resolve();
        });
        ws.once('error', (err) => {
          off();
          reject(err);
        });
      });
      return true;
    } catch (err) {
      x.error = this.failure(err, where);
      if (err instanceof TlsVerifyError) {
        x.tls = err.tls;
        Object.assign(x.timings, err.timings);
      }
      x.closedBy = 'error';
      this.ws?.terminate();
      socket?.destroy();
      this.setState('closed');
      return false;
    } finally {
      release();
    }
  }

  sendText(text: string): void {
    this.send(Buffer.from(text, 'utf8'), 'text');
  }

  sendBinary(data: Buffer): void {
    this.send(data, 'binary');
  }

  ping(data: Buffer = Buffer.alloc(0)): void {
    this.requireOpen('ping');
    this.ws!.ping(data);
    this.record('sent', 'ping', data);
  }

  /** Starts the closing handshake; resolves when the session is closed (bounded by `waitMs`, then the socket is cut). */
  async close(code = 1000, reason = '', waitMs = 2000): Promise<void> {
    if (this.exchange.state === 'open') {
      this.exchange.closedBy ??= 'client';
      this.setState('closing');
      this.ws!.close(code, reason);
      this.record('sent', 'close', Buffer.from(reason), code);
    }
    if (this.exchange.state === 'closed') return;
    const timer = setTimeout(() => this.ws?.terminate(), waitMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** Resolves when the session has closed, whoever closed it. */
  whenClosed(): Promise<void> {
    return this.closed!;
  }

  private send(data: Buffer, opcode: 'text' | 'binary'): void {
    this.requireOpen(`send a ${opcode} message`);
    this.ws!.send(data, { binary: opcode === 'binary' });
    this.record('sent', opcode, data);
  }

  private requireOpen(what: string): void {
    if (this.exchange.state !== 'open') throw new Error(`Cannot ${what}: the WebSocket is ${this.exchange.state}`);
  }

  private takeResponse(res: IncomingMessage): void {
    const h = this.exchange.handshake;
    h.status = res.statusCode;
    h.reason = res.statusMessage;
    const raw = res.rawHeaders;
    const list: HeaderList = [];
    for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i], raw[i + 1]]);
    h.responseHeaders = list;
  }

  private wire(ws: WebSocket): void {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      this.record('received', isBinary ? 'binary' : 'text', buf);
    });
    ws.on('ping', (d: Buffer) => {
      this.record('received', 'ping', d);
      // The ws library answers every ping with a pong of the same payload (RFC 6455 §5.5.3): it goes on the
      // wire, so it goes in the log, marked as sent automatically.
      if (ws.readyState === ws.OPEN) this.record('sent', 'pong', d, undefined, true);
    });
    ws.on('pong', (d: Buffer) => this.record('received', 'pong', d));
    ws.on('error', (err: Error) => {
      if (!this.exchange.error) this.exchange.error = describeError(err, 'receive', hostPort(this.spec.host, this.spec.port));
    });
    ws.on('close', (code: number, reason: Buffer) => {
      const x = this.exchange;
      x.closeCode = code;
      x.closeReason = reason.toString('utf8');
      if (x.state === 'open') {
        x.closedBy = code === 1006 ? 'error' : 'server';
        this.record('received', 'close', reason, code);
      } else if (x.state === 'closing' && code !== 1006) {
        this.record('received', 'close', reason, code);
      }
      this.setState('closed');
    });
  }

  private record(dir: 'sent' | 'received', opcode: WsFrame['opcode'], data: Buffer, closeCode?: number, auto?: true): void {
    const frame: WsFrame = { dir, at: monoMs() - this.t0, opcode, data, closeCode };
    if (auto) frame.auto = true;
    const frames = this.exchange.frames;
    frames.push(frame);
    // Trimmed in steps (amortised O(1)): the newest `keepFrames` stay, the rest are counted.
    const keep = Math.max(1, this.deps.keepFrames ?? DEFAULT_KEEP_FRAMES);
    if (frames.length > keep + Math.max(1, keep >> 2)) {
      const drop = frames.length - keep;
      frames.splice(0, drop);
      this.exchange.framesDropped = (this.exchange.framesDropped ?? 0) + drop;
    }
    this.emit('frame', frame);
  }

  private setState(state: WsState): void {
    if (this.exchange.state === state) return;
    this.exchange.state = state;
    if (state === 'closed') {
      this.exchange.timings.total = monoMs() - this.t0;
      this.resolveClosed?.();
    }
    this.emit('state', state);
  }

  private failure(err: unknown, where: string) {
    const phase = this.op.phase;
    if (err instanceof TimedOut) {
      const detail = phase === 'wait' ? `: the upgrade request was sent but ${where} did not answer` : phase === 'connect' || phase === 'tls' ? ` (no answer from ${where})` : '';
      return { phase, code: 'ETIMEDOUT', message: `Timed out after ${formatMs(this.spec.options.timeoutMs)} during ${PHASE_WORDS[phase]}${detail}` };
    }
    if (err instanceof Cancelled) return { phase: 'cancelled' as const, message: `Cancelled during ${PHASE_WORDS[phase]}` };
    if (err instanceof PhaseError) return err.toNetError();
    const e = err as Error;
    if (/^(Invalid|Server sent|Unexpected)/.test(e?.message ?? '')) return { phase: 'parse' as const, message: `WebSocket handshake failed: ${e.message}` };
    return describeError(err, phase, where);
  }
}

/** Runs a WS block: handshake, each message (with its pause), `waitMs` for replies, then a normal close. */
export class WsClient {
  constructor(private readonly deps: { lookup?: LookupFn; keepFrames?: number } = {}) {}

  async send(spec: WsRequestSpec, opts: { signal?: AbortSignal } = {}): Promise<WsExchange> {
    const session = new WsSession(spec, this.deps);
    if (!(await session.open(opts.signal))) return session.exchange;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        const stop = () => {
          clearTimeout(t);
          resolve();
        };
        opts.signal?.addEventListener('abort', stop, { once: true });
        session.whenClosed().then(stop);
      });
    for (const m of spec.messages) {
      if (m.pauseMs) await sleep(m.pauseMs);
      if (session.state !== 'open' || opts.signal?.aborted) break;
      if (m.type === 'text') session.sendText(m.data.toString('utf8'));
      else session.sendBinary(m.data);
    }
    if (session.state === 'open' && !opts.signal?.aborted) await sleep(spec.waitMs);
    await session.close(1000, '', 2000);
    return session.exchange;
  }
}

export function describeClose(code: number | undefined, reason: string | undefined): string {
  if (code === undefined) return 'not closed';
  const words = CLOSE_CODES[code] ?? (code >= 4000 ? 'application-defined' : 'unknown');
  return `${code} ${words}${reason ? `: ${reason}` : ''}`;
}
