/**
 * One client connection to the proxy as a state machine without I/O: request heads found in what the client
 * sends (empty lines before one skipped, 431 past the size limit, 400 when unreadable, 408 when too slow), one
 * exchange at a time (a pipelined request waits, in order, until the response before it is complete), the
 * client's FIN, and the hand-over to a tunnel on CONNECT. ./client.ts carries out its commands on the socket.
 */
import { PendingBytes } from '../wire/pendingBytes';
import { ExchangeMachine, type ExchangeIo } from './exchangeMachine';
import { parseRequestHead, type RequestHead } from './http1';
import type { ForwardingRules } from './requestPlan';

/** What the connection asks of the world. */
export interface ConnectionIo {
  /** The socket side of the next forwarded exchange. */
  exchangeIo(): ExchangeIo;
  pauseClient(): void;
  resumeClient(): void;
  /** Read (and drop) whatever else comes, and FIN after what was written. */
  endClient(): void;
  destroyClient(): void;
  /** Answer `status` with `message`, read and drop what follows, and cut the connection shortly after. */
  refuseClient(status: string, message: string): void;
  /** The deadline of the request head being read (from its first byte; the idle timeout governs before). */
  startHeadTimer(): void;
  stopHeadTimer(): void;
  /** CONNECT: the socket becomes a tunnel (`rest`: what came after the head). */
  tunnel(req: RequestHead, rest: Buffer): void;
}

export class ConnectionMachine {
  /** Bytes received and not yet used: a partial head, or pipelined requests waiting their turn. */
  private buf?: Buffer;
  /** Holds `buf` across reads while a head is incomplete; dropped once a head is parsed (views of it get written). */
  private pending?: PendingBytes;
  /** `buf` is a view of `pending`. */
  private inPending = false;
  private scanFrom = 0;
  private ended = false;
  private closed = false;
  private headTimer = false;
  private exchange?: ExchangeMachine;

  constructor(
    private readonly rules: ForwardingRules,
    private readonly io: ConnectionIo,
  ) {}

  /** Bytes from the client. */
  clientData(d: Buffer): void {
    if (this.closed) return;
    const ex = this.exchange;
    if (ex && !ex.requestDone) {
      const n = ex.requestData(d, 0);
      if (n < d.length && !this.closed && this.exchange === ex) {
        this.keepOnly(d.subarray(n));
        this.io.pauseClient(); // a pipelined request waits for this response
      }
      return;
    }
    if (this.buf) {
      const p = (this.pending ??= new PendingBytes());
      p.keep(this.buf, this.inPending);
      this.buf = p.with(d);
      this.inPending = true;
    } else this.keepOnly(d);
    if (ex) this.io.pauseClient();
    else this.next();
  }

  /** The client sent FIN: finish what it asked for (pipelined requests included), then close. */
  clientEnded(): void {
    this.ended = true;
    if (this.exchange && !this.exchange.requestDone) {
      // FIN in the middle of a request body: the rest will never come.
      this.exchange.clientGone();
      this.exchange = undefined;
      this.closed = true;
      this.io.destroyClient();
      return;
    }
    if (!this.exchange && !this.closed) {
      this.closed = true;
      this.io.endClient();
    }
  }

  /** The client connection closed. */
  clientClosed(): void {
    this.closed = true;
    this.stopHeadTimer();
    this.exchange?.clientGone();
  }

  /** An internal error cost this connection (the driver has closed it): the exchange ends as if the client left. */
  abandon(): void {
    const ex = this.exchange;
    this.exchange = undefined;
    this.closed = true;
    ex?.clientGone();
  }

  headTimedOut(): void {
    this.headTimer = false;
    if (this.closed || this.exchange) return;
    const ms = this.rules.options.requestHeadTimeoutMs;
    this.refuse('408 Request Timeout', `The request head did not arrive in full within ${ms} ms of its first byte; the proxy closed the connection.`);
  }

  /** `buf` becomes `b` (not a view of `pending`). */
  private keepOnly(b: Buffer | undefined): void {
    this.buf = b;
    this.inPending = false;
  }

  /** Parses the next request head from what has arrived, and starts it. */
  private next(): void {
    const max = this.rules.options.maxHeaderBytes;
    while (this.buf && !this.exchange && !this.closed) {
      if (!this.headTimer) {
        this.headTimer = true;
        this.io.startHeadTimer();
      }
      let buf = this.buf;
      let skip = 0;
      while (skip + 1 < buf.length && buf[skip] === 0x0d && buf[skip + 1] === 0x0a) skip += 2; // empty lines before a request are ignored
      if (skip > 0) {
        this.scanFrom = 0;
        if (buf.length === skip) return this.keepOnly(undefined);
        buf = this.buf = buf.subarray(skip); // still a view of `pending` when it was one
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
      // The head is parsed: what follows may be written upstream as views, so `pending` is never written again.
      this.pending = undefined;
      this.keepOnly(rest.length > 0 ? rest : undefined);
      this.scanFrom = 0;
      if (typeof req === 'string') return this.refuse('400 Bad Request', `The proxy could not parse this request: ${req}.`);
      if (req.method === 'CONNECT') {
        this.buf = undefined;
        this.closed = true; // the socket is the tunnel's now
        return this.io.tunnel(req, rest);
      }
      const ex = new ExchangeMachine(this.rules, this.io.exchangeIo(), req, this.exchangeDone);
      this.exchange = ex;
      if (!ex.start()) return;
      const b = this.buf;
      if (b && this.exchange === ex) {
        const n = ex.requestData(b, 0);
        if (this.buf === b) this.buf = n < b.length ? b.subarray(n) : undefined;
      }
    }
    if (this.buf && this.exchange) this.io.pauseClient();
  }

  /** From the exchange when it is over: the connection carries another request, ends, or was cut. */
  private readonly exchangeDone = (next: 'keep' | 'end' | 'cut'): void => {
    this.exchange = undefined;
    if (this.closed) return;
    if (next !== 'keep') {
      this.closed = true;
      this.keepOnly(undefined);
      this.pending = undefined;
      if (next === 'end') this.io.endClient();
      return;
    }
    this.io.resumeClient();
    if (this.buf) this.next();
    if (this.ended && !this.exchange && !this.closed) {
      this.closed = true;
      this.io.endClient();
    }
  };

  private stopHeadTimer(): void {
    if (!this.headTimer) return;
    this.headTimer = false;
    this.io.stopHeadTimer();
  }

  private refuse(status: string, message: string): void {
    this.closed = true;
    this.keepOnly(undefined);
    this.pending = undefined;
    this.stopHeadTimer();
    this.io.refuseClient(status, message);
  }
}
