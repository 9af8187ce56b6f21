/**
 * The raw HTTP/1.x client: writes the request bytes on a (pooled) connection, parses the response,
 * measures every phase, and returns one Exchange. `send` never rejects: failures are in `exchange.error`.
 */
import type { ConnectionInfo, HttpExchange, HttpResponseRecord, Phase, Timings } from '../exchange';
import { newExchangeId } from '../exchange';
import type { HttpRequestSpec } from '../request';
import { hostPort } from '../transport/address';
import { targetOf, TlsVerifyError, type ConnectTarget, type OperationControl } from '../transport/connect';
import { armDeadline, Cancelled, TimedOut } from '../transport/deadline';
import { Operation } from '../transport/operation';
import { formatMs } from '../../common/format';
import { PHASE_WORDS, PhaseError, describeError } from '../transport/errors';
import type { ConnectionPool, Lease } from '../transport/pool';
import { buildRequest } from './build';
import { decodeBody } from './decode';
import { ResponseParser, tokens } from './response-parser';
import { monoMs } from '../clock';

/** How many received bytes the Raw view keeps (head + start of body); the decoded body is kept separately. */
export const RAW_CAPTURE_BYTES = 1024 * 1024;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export interface SendOptions {
  signal?: AbortSignal;
  /** Told the bytes received so far (head and body, this try) each time some arrive; it must be cheap. */
  onProgress?: (receivedBytes: number) => void;
}

export interface HttpClientDeps {
  pool: ConnectionPool;
}

export class HttpClient {
  constructor(private readonly deps: HttpClientDeps) {}

  async send(spec: HttpRequestSpec, opts: SendOptions = {}): Promise<HttpExchange> {
    const startedAt = Date.now();
    const t0 = monoMs();
    const { bytes, record } = buildRequest(spec);
    const exchange: HttpExchange = {
      kind: 'http',
      id: newExchangeId(),
      startedAt,
      request: record,
      sent: bytes,
      received: Buffer.alloc(0),
      timings: { total: 0 },
    };
    const ctl = new Operation();
    const release = armDeadline(ctl, spec.options.timeoutMs, opts.signal);
    const where = hostPort(spec.host, spec.port);
    try {
      const target = targetOf(spec, spec.tls);
      let retried: string | undefined;
      for (let attempt = 1; ; attempt++) {
        const result = await this.attempt(spec, bytes, target, ctl, exchange, t0, opts.onProgress);
        if (result === 'ok') break;
        retried = result.retried;
        if (attempt >= 3) throw new PhaseError('send', `${retried}; gave up after ${attempt} tries`);
        if (exchange.connection) exchange.connection.retried = retried;
      }
      if (retried && exchange.connection) exchange.connection.retried = retried;
    } catch (err) {
      exchange.error = this.failure(err, ctl, spec, where, exchange);
      if (err instanceof TlsVerifyError) {
        exchange.tls = err.tls;
        Object.assign(exchange.timings, err.timings);
      }
    } finally {
      release();
      exchange.timings.total = monoMs() - t0;
    }
    return exchange;
  }

  /** One try on one connection. `{ retried }` when a reused connection turned out to be closed before any byte came back. */
  private async attempt(
    spec: HttpRequestSpec,
    bytes: Buffer,
    target: ConnectTarget,
    ctl: OperationControl,
    exchange: HttpExchange,
    t0: number,
    onProgress?: (receivedBytes: number) => void,
  ): Promise<'ok' | { retried: string }> {
    ctl.phase = 'connect';
    const lease = await this.deps.pool.acquire(target, ctl, spec.options.noPool);
    const { conn } = lease;
    conn.requestsServed++;
    const timings: Timings = { total: 0 };
    if (!lease.reused) Object.assign(timings, conn.connectTimings);
    exchange.timings = timings;
    exchange.tls = conn.tls;
    exchange.connection = connectionInfo(lease);
    const parser = new ResponseParser(exchange.request.method, spec.options.maxResponseBytes);
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let tFirstByte = 0;
    let tLastByte = 0;

    try {
      await new Promise<void>((resolve, reject) => {
        const socket = conn.socket;
        let settled = false;
        const finish = (err?: unknown) => {
          if (settled) return;
          settled = true;
          conn.owner = undefined;
          offAbort();
          if (err) reject(err);
          else resolve();
        };
        const onEnd = () => {
          try {
            parser.end();
            finish();
          } catch (err) {
            finish(err);
          }
        };
        conn.owner = {
          onData: (chunk: Buffer) => {
            tLastByte = monoMs();
            if (receivedBytes === 0) {
              tFirstByte = tLastByte;
              ctl.phase = 'receive';
            }
            if (receivedBytes < RAW_CAPTURE_BYTES) received.push(chunk.length <= RAW_CAPTURE_BYTES - receivedBytes ? chunk : chunk.subarray(0, RAW_CAPTURE_BYTES - receivedBytes));
            receivedBytes += chunk.length;
            onProgress?.(receivedBytes);
            try {
              parser.push(chunk);
            } catch (err) {
              return finish(err);
            }
            if (parser.done) finish();
          },
          onEnd,
          onClose: () => (parser.done ? finish() : onEnd()),
          onError: (err: Error) => finish(err),
        };
        // Assigned before the handler can run: an operation already aborted calls it at once, and finish() calls it.
        let offAbort: () => void = () => undefined;
        offAbort = ctl.onAbort(() => finish(ctl.reason));
        if (settled) return;
        ctl.phase = 'send';
        const tSend = monoMs();
        socket.write(bytes, (err) => {
          if (err) return finish(err);
          timings.requestSent = monoMs() - tSend;
          if (ctl.phase === 'send') ctl.phase = 'wait';
        });
      });
    } catch (err) {
      exchange.received = Buffer.concat(received);
      if (receivedBytes > exchange.received.length) exchange.receivedBytes = receivedBytes;
      this.deps.pool.destroy(conn, describeError(err, ctl.phase, hostPort(spec.host, spec.port)).message);
      exchange.connection = { ...exchange.connection!, afterwards: 'closed', closeReason: conn.closeReason };
      const staleReuse = lease.reused && receivedBytes === 0 && !(err instanceof Cancelled) && !(err instanceof TimedOut);
      if (staleReuse && IDEMPOTENT.has(exchange.request.method.toUpperCase())) {
        return { retried: `connection ${conn.id} was closed by the server before it answered; retried on another connection` };
      }
      if (parser.head) exchange.response = responseRecord(parser, spec.options.maxResponseBytes);
      throw err;
    }

    if (tFirstByte) {
      timings.firstByte = tFirstByte - t0 - sumConnect(timings) - (timings.requestSent ?? 0);
      timings.download = tLastByte - tFirstByte;
    }
    exchange.received = received.length === 1 ? received[0] : Buffer.concat(received);
    if (receivedBytes > exchange.received.length) exchange.receivedBytes = receivedBytes;
    exchange.response = responseRecord(parser, spec.options.maxResponseBytes);
    const keep = parser.keepAlive(exchange.request.headers) && !conn.closeReason;
    const reason = keep ? undefined : whyNotKept(parser, exchange);
    this.deps.pool.release(conn, keep, reason ?? 'not reusable');
    exchange.connection = {
      ...exchange.connection!,
      afterwards: conn.closed ? 'closed' : 'kept-alive',
      closeReason: conn.closed ? conn.closeReason : undefined,
    };
    return 'ok';
  }

  private failure(err: unknown, ctl: OperationControl, spec: HttpRequestSpec, where: string, exchange: HttpExchange) {
    const phase: Phase = ctl.phase;
    if (err instanceof TimedOut) {
      const got = exchange.received.length;
      const detail =
        phase === 'wait'
          ? `: the request was sent but ${where} sent nothing back`
          : phase === 'receive'
            ? ` (got ${got} bytes so far)`
            : phase === 'connect' || phase === 'tls'
              ? ` (no answer from ${where})`
              : '';
      return { phase, code: 'ETIMEDOUT', message: `Timed out after ${formatMs(spec.options.timeoutMs)} during ${PHASE_WORDS[phase]}${detail}` };
    }
    if (err instanceof Cancelled) return { phase: 'cancelled' as const, message: `Cancelled during ${PHASE_WORDS[phase]}` };
    if (err instanceof PhaseError) return err.toNetError();
    return describeError(err, phase, where);
  }
}

/** Why a connection cannot carry another request, in words for the Connection view. */
function whyNotKept(parser: ResponseParser, exchange: HttpExchange): string {
  const res = exchange.response!;
  if (parser.truncated) return 'response cut at maxResponseBytes; the rest was not read';
  if (parser.tunnel) return `CONNECT answered ${res.status}: the connection became a tunnel, which NetReq does not use`;
  if (parser.ambiguousFraming) return 'ambiguous body framing (Transfer-Encoding with Content-Length, or with HTTP/1.0)';
  if (parser.framing === 'close') return 'body ends when the connection closes';
  if (parser.extraBytes > 0) return `server sent ${parser.extraBytes} bytes after the response`;
  if (tokens(res.headers, 'connection').includes('close') || tokens(exchange.request.headers, 'connection').includes('close')) return 'Connection: close';
  if (res.version === 'HTTP/1.0') return 'HTTP/1.0 without keep-alive';
  if (res.status === 101) return 'switched protocols';
  return 'not pooled';
}

function sumConnect(t: Timings): number {
  return (t.dnsLookup ?? 0) + (t.tcpConnect ?? 0) + (t.tlsHandshake ?? 0);
}

function connectionInfo(lease: Lease): ConnectionInfo {
  const { conn } = lease;
  return {
    id: conn.id,
    reused: lease.reused,
    requestsServed: conn.requestsServed,
    idleMs: lease.idleMs,
    pooled: conn.pooled,
    localAddress: conn.socket.localAddress,
    localPort: conn.socket.localPort,
    remoteAddress: conn.socket.remoteAddress,
    remotePort: conn.socket.remotePort,
  };
}

function responseRecord(parser: ResponseParser, maxBytes: number): HttpResponseRecord {
  const head = parser.head!;
  const rawBody = parser.rawBody;
  const enc = head.headers.find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
  const decoded = decodeBody(rawBody, parser.truncated ? undefined : enc, maxBytes);
  const notes = parser.notes();
  return {
    version: head.version,
    status: head.status,
    reason: head.reason,
    headers: head.headers,
    interim: parser.interim,
    trailers: parser.trailers,
    framing: parser.framing,
    rawBody,
    body: decoded.body,
    contentEncoding: enc,
    decodeError: parser.truncated && enc ? 'body was cut at maxResponseBytes, so it cannot be decoded; showing the raw bytes' : decoded.error,
    truncated: parser.truncated,
    bodyBytesOnWire: parser.bodyBytesOnWire,
    ...(parser.interimNotKept ? { interimNotKept: parser.interimNotKept } : {}),
    ...(parser.trailersNotKept ? { trailersNotKept: parser.trailersNotKept } : {}),
    ...(parser.extraBytes ? { bytesAfterResponse: parser.extraBytes } : {}),
    ...(parser.tunnel ? { tunnel: true } : {}),
    ...(notes.length ? { notes } : {}),
  };
}
