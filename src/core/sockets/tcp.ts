/**
 * TCP and TLS sessions (and the RFC 865/867/862 services on top): connect with timings, send the payload,
 * then read until the first stop condition — peer close, `@read-until`, idle silence after the first byte,
 * `@max-bytes`, or the timeout — keeping every chunk with its time.
 */
import type { SocketExchange, StopReason } from '../exchange';
import { newSocketExchange } from '../exchange';
import type { TcpRequestSpec } from '../request';
import { hostPort } from '../transport/address';
import { openConnection, systemLookup, targetOf, TlsVerifyError, unpooledConnection, type LookupFn } from '../transport/connect';
import { formatMs } from '../../common/format';
import { describeError, PHASE_WORDS, PhaseError } from '../transport/errors';
import { armDeadline, Cancelled, TimedOut } from '../transport/deadline';
import { Operation } from '../transport/operation';
import { StreamMatcher } from './streamMatch';
import { monoMs } from '../clock';

export interface SocketSendOptions {
  signal?: AbortSignal;
}

export class TcpClient {
  constructor(private readonly deps: { lookup?: LookupFn } = {}) {}

  async send(spec: TcpRequestSpec, opts: SocketSendOptions = {}): Promise<SocketExchange> {
    const t0 = monoMs();
    const where = hostPort(spec.host, spec.port);
    const x = newSocketExchange({ protocol: spec.service ?? spec.kind, host: spec.host, port: spec.port, target: where, payloadBytes: spec.payload.length });
    const op = new Operation();
    const release = armDeadline(op, spec.options.timeoutMs, opts.signal);
    let tFirst = 0;
    let tLast = 0;
    // Closed in `finally` whatever happened after the connect (not only on the normal way out).
    let opened: import('node:net').Socket | undefined;
    try {
      const c = await openConnection(targetOf(spec, spec.kind === 'tls', []), this.deps.lookup ?? systemLookup, op);
      Object.assign(x.timings, c.timings);
      x.tls = c.tls;
      const socket = c.socket;
      opened = socket;
      x.connection = unpooledConnection(socket);
      const stop = await new Promise<{ reason: StopReason; detail: string; err?: unknown }>((resolve) => {
        let idleTimer: NodeJS.Timeout | undefined;
        const until = spec.readUntil && spec.readUntil.length > 0 ? new StreamMatcher(spec.readUntil) : undefined;
        let captured = 0;
        let settled = false;
        const finish = (reason: StopReason, detail: string, err?: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(idleTimer);
          off();
          socket.off('data', onData);
          resolve({ reason, detail, err });
        };
        const checkIdle = () => {
          const silent = monoMs() - tLast;
          if (silent >= spec.idleMs - 1) finish('idle', `${formatMs(spec.idleMs)} of silence after the last byte`);
          else idleTimer = setTimeout(checkIdle, spec.idleMs - silent);
        };
        const onData = (chunk: Buffer) => {
          const now = monoMs();
          if (!tFirst) tFirst = now;
          tLast = now;
          op.phase = 'receive';
          const room = spec.maxBytes - x.receivedBytes;
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          // Memory stays bounded: past maxResponseBytes the bytes are counted, not kept.
          const keep = Math.max(0, Math.min(part.length, spec.options.maxResponseBytes - captured));
          if (keep > 0) x.transcript.push({ dir: 'received', at: now - t0, data: keep === part.length ? part : part.subarray(0, keep) });
          if (keep < part.length) x.uncapturedBytes = (x.uncapturedBytes ?? 0) + part.length - keep;
          captured += keep;
          x.receivedBytes += part.length;
          if (x.receivedBytes >= spec.maxBytes) return finish('max-bytes', `reached # @max-bytes (${spec.maxBytes} bytes)`);
          if (until?.push(part)) return finish('read-until', `received the # @read-until text`);
          if (spec.service === 'echo' && x.receivedBytes >= spec.payload.length && spec.payload.length > 0) {
            return finish('echo-complete', `all ${spec.payload.length} bytes came back`);
          }
          // One lazily re-armed timer instead of a new one per chunk (bulk transfers bring thousands).
          if (!idleTimer) idleTimer = setTimeout(checkIdle, spec.idleMs);
        };
        socket.on('data', onData);
        socket.resume(); // a proxy tunnel may hand the socket over paused, with early bytes in front
        socket.once('end', () => finish('peer-closed', 'the server closed the connection'));
        socket.once('close', () => finish('peer-closed', 'the connection closed'));
        socket.once('error', (err) => finish('error', 'error', err));
        // Assigned before the handler can run: an operation already aborted calls it at once, and finish() calls off().
        let off: () => void = () => undefined;
        off = op.onAbort(() => finish(op.reason instanceof Cancelled ? 'cancelled' : 'timeout', op.reason instanceof Cancelled ? 'cancelled' : `# @timeout of ${formatMs(spec.options.timeoutMs)}`, op.reason));
        op.phase = 'send';
        const sendNow = monoMs();
        const afterWrite = () => {
          x.timings.requestSent = monoMs() - sendNow;
          if (op.phase === 'send') op.phase = 'wait';
          if (spec.halfClose) socket.end();
        };
        if (spec.payload.length > 0) {
          x.transcript.push({ dir: 'sent', at: sendNow - t0, data: spec.payload });
          x.sentBytes = spec.payload.length;
          socket.write(spec.payload, (err) => (err ? finish('error', 'error', err) : afterWrite()));
        } else {
          afterWrite();
        }
      });
      x.stop = stop.reason;
      x.stopDetail = stop.detail;
      socket.destroy();
      if (x.connection) x.connection.afterwards = 'closed';
      if (stop.err && !(stop.err instanceof TimedOut && x.receivedBytes > 0)) throw stop.err;
    } catch (err) {
      x.error = failure(err, op, spec, where, x);
      if (err instanceof TlsVerifyError) {
        x.tls = err.tls;
        Object.assign(x.timings, err.timings);
      }
      if (x.stop !== 'cancelled' && x.stop !== 'timeout') x.stop = 'error';
      if (!x.stopDetail || x.stop === 'error') x.stopDetail = x.error.message;
    } finally {
      release();
      opened?.destroy();
      const end = monoMs();
      if (tFirst) {
        const connect = (x.timings.dnsLookup ?? 0) + (x.timings.tcpConnect ?? 0) + (x.timings.proxyTunnel ?? 0) + (x.timings.tlsHandshake ?? 0);
        x.timings.firstByte = tFirst - t0 - connect - (x.timings.requestSent ?? 0);
        x.timings.download = tLast - tFirst;
      }
      x.timings.total = end - t0;
      if (spec.service === 'echo') x.echoMatches = Buffer.concat(x.transcript.filter((e) => e.dir === 'received').map((e) => e.data)).equals(spec.payload);
    }
    return x;
  }
}

function failure(err: unknown, op: Operation, spec: TcpRequestSpec, where: string, x: SocketExchange) {
  const phase = op.phase;
  if (err instanceof TimedOut) {
    const detail =
      phase === 'wait'
        ? `: connected and sent ${x.sentBytes} bytes, but ${where} sent nothing back`
        : phase === 'connect' || phase === 'tls' || phase === 'proxy'
          ? ` (no answer from ${where})`
          : '';
    return { phase, code: 'ETIMEDOUT', message: `Timed out after ${formatMs(spec.options.timeoutMs)} during ${PHASE_WORDS[phase]}${detail}` };
  }
  if (err instanceof Cancelled) return { phase: 'cancelled' as const, message: `Cancelled during ${PHASE_WORDS[phase]}` };
  if (err instanceof PhaseError) return err.toNetError();
  const ne = describeError(err, phase, where);
  if ((ne.code === 'ECONNRESET' || ne.code === 'EPIPE') && x.receivedBytes > 0) {
    ne.message = `${ne.message} after ${x.receivedBytes} bytes`;
  }
  return ne;
}
