/** One client connection to the proxy: request heads read and checked, exchanges run in turn, or a tunnel. */
import type * as net from 'node:net';
import { ForwardedExchange, type ProxyCore } from './forwardedExchange';
import { parseRequestHead, type RequestHead } from './http1';
import { REFUSAL_LINGER_MS } from './limits';
import { Growing, simpleResponse } from './messages';
import type { Refusal } from './server';
import { internalErrorText } from '../text';
import { hostPort } from '../transport/address';

/** One client connection: reads request heads, runs one exchange at a time (pipelined requests wait), or becomes a tunnel. */
export class ClientConnection {
  private buf?: Buffer;
  private acc?: Growing;
  private ended = false;
  private scanFrom = 0;
  private exchange?: ForwardedExchange;
  private closed = false;
  /** The deadline of the request head being read (from its first byte; the idle timeout governs before). */
  private headTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly core: ProxyCore & { tunnel(client: ClientConnection, req: RequestHead, rest: Buffer): void; emit(event: 'warning', message: string): boolean; emit(event: 'refused', refusal: Refusal): boolean },
    readonly socket: net.Socket,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
  }

  /** The client sent FIN: finish what it asked for (pipelined requests included), then close. */
  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.exchange && !this.exchange.requestDone) {
      // FIN in the middle of a request body: the rest will never come.
      this.exchange.clientGone();
      this.exchange = undefined;
      this.closed = true;
      this.socket.destroy();
      return;
    }
    if (!this.exchange && !this.closed) {
      this.closed = true;
      this.socket.end();
    }
  };

  private readonly onError = (): void => undefined; // the close that follows ends the exchange
  private readonly onClose = (): void => {
    this.closed = true;
    this.stopHeadTimer();
    this.exchange?.clientGone();
  };

  private readonly onData = (d: Buffer): void => {
    try {
      this.received(d);
    } catch (e) {
      // A bug here must cost one connection, not the proxy and every other client.
      this.socket.destroy();
      this.core.emit('warning', `Internal error on a client connection (closed it): ${internalErrorText(e)}`);
      const ex = this.exchange;
      this.exchange = undefined;
      this.closed = true;
      try {
        ex?.clientGone();
      } catch {
        /* the connection is gone either way */
      }
    }
  };

  private received(d: Buffer): void {
    if (this.closed) return;
    const ex = this.exchange;
    if (ex && !ex.requestDone) {
      const n = ex.requestData(d, 0);
      if (n < d.length && !this.closed && this.exchange === ex) {
        this.buf = d.subarray(n);
        this.socket.pause(); // a pipelined request waits for this response
      }
      return;
    }
    if (this.buf) ({ acc: this.acc, buf: this.buf } = Growing.join(this.acc, this.buf, d));
    else this.buf = d;
    if (ex) this.socket.pause();
    else this.next();
  }

  /** Parses the next request head from what has arrived, and starts it. */
  private next(): void {
    const max = this.core.options.maxHeaderBytes;
    while (this.buf && !this.exchange && !this.closed) {
      this.headTimer ??= setTimeout(this.headTimedOut, this.core.options.requestHeadTimeoutMs);
      let buf = this.buf;
      let skip = 0;
      while (skip + 1 < buf.length && buf[skip] === 0x0d && buf[skip + 1] === 0x0a) skip += 2; // empty lines before a request are ignored
      if (skip > 0) {
        buf = this.buf = buf.length > skip ? buf.subarray(skip) : undefined!;
        this.scanFrom = 0;
        if (!buf) return;
      }
      const end = buf.indexOf('\r\n\r\n', this.scanFrom);
      if (end < 0) {
        if (buf.length > max) return this.refuse('431 Request Header Fields Too Large', `The request headers are larger than this proxy accepts (${max} bytes).`);
        this.scanFrom = Math.max(0, buf.length - 3);
        return;
      }
      if (end + 4 > max) return this.refuse('431 Request Header Fields Too Large', `The request headers are larger than this proxy accepts (${max} bytes).`);
      this.stopHeadTimer();
      const req = parseRequestHead(buf.toString('latin1', 0, end));
      const rest = buf.subarray(end + 4);
      this.buf = rest.length > 0 ? rest : undefined;
      this.acc = undefined; // the head is parsed: its growing buffer is not appended to again
      this.scanFrom = 0;
      if (typeof req === 'string') return this.refuse('400 Bad Request', `The proxy could not parse this request: ${req}.`);
      if (req.method === 'CONNECT') {
        this.buf = undefined;
        this.socket.off('data', this.onData);
        this.socket.off('close', this.onClose);
        this.socket.off('error', this.onError);
        this.socket.off('end', this.onEnd);
        return this.core.tunnel(this, req, rest);
      }
      const ex = new ForwardedExchange(this.core, this, req);
      this.exchange = ex;
      if (!ex.start()) return;
      const b = this.buf;
      if (b && this.exchange === ex) {
        const n = ex.requestData(b, 0);
        if (this.buf === b) this.buf = n < b.length ? b.subarray(n) : undefined;
      }
    }
    if (this.buf && this.exchange) this.socket.pause();
  }

  /** Called by the exchange when it is over; `keep` says whether the connection carries another request. */
  exchangeDone(keep: boolean): void {
    this.exchange = undefined;
    if (this.closed) return;
    if (!keep) {
      this.closed = true;
      this.buf = undefined;
      this.acc = undefined;
      if (!this.socket.destroyed) {
        this.socket.resume(); // read (and drop) the rest, so the client's FIN closes the connection
        this.socket.end();
      }
      return;
    }
    this.socket.resume();
    if (this.buf) this.next();
    if (this.ended && !this.exchange && !this.closed) {
      this.closed = true;
      this.socket.end();
    }
  }

  private stopHeadTimer(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  private readonly headTimedOut = (): void => {
    this.headTimer = undefined;
    if (this.closed || this.exchange) return;
    const ms = this.core.options.requestHeadTimeoutMs;
    this.refuse('408 Request Timeout', `The request head did not arrive in full within ${ms} ms of its first byte; the proxy closed the connection.`);
  };

  /**
   * Answers and closes. What the client sends afterwards is read and dropped, and the connection is cut
   * shortly after whatever it does (a client trickling bytes must not keep it open through the idle timeout).
   */
  private refuse(status: string, message: string): void {
    if (!this.closed) this.core.emit('refused', { at: Date.now(), client: hostPort(this.socket.remoteAddress ?? '?', this.socket.remotePort ?? 0), status, reason: message });
    this.closed = true;
    this.buf = undefined;
    this.acc = undefined;
    this.stopHeadTimer();
    this.socket.resume();
    this.socket.end(simpleResponse(status, message));
    const linger = setTimeout(() => this.socket.destroy(), REFUSAL_LINGER_MS);
    this.socket.once('close', () => clearTimeout(linger));
  }
}
