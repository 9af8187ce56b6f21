/**
 * One forwarded exchange as a state machine without I/O (mitmproxy's sans-I/O layers are the model): events
 * come in as method calls (request bytes, upstream bytes, the upstream gone, the timer, the client gone), and
 * every effect goes out as a command on an `ExchangeIo` — ./forwardedExchange.ts carries them out on sockets,
 * test/unit/proxy/playbook.test.ts records them. Body bytes pass through as views of what came (no copy).
 *
 * Not the core `Exchange` (../exchange.ts), the result of a request NetReq sends.
 */
import type { HeaderList } from '../exchange';
import { PendingBytes } from '../wire/pendingBytes';
import { BodyPreview } from './bodyPreview';
import { BodyFramer, parseResponseHead, type RequestHead } from './http1';
import { simpleResponse } from './messages';
import { planRequest, type ForwardingRules, type RequestPlan, type UpstreamTarget } from './requestPlan';
import { finalResponse, interimResponse, noResponse } from './responsePlan';
import type { Flow } from './server';
import type { UpstreamEvents } from './upstreams';

/** Methods a proxy may send again on a fresh connection when a reused one turns out dead (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const MAX_RESPONSE_HEAD = 256 * 1024;
const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 502: 'Bad Gateway', 504: 'Gateway Timeout', 508: 'Loop Detected' };

/** What the upstream deadline reports. */
export interface TimerEvents {
  timedOut(clientBlocked: boolean, upstreamBlocked: boolean): void;
}

/** What the exchange asks of the world (queries first, then commands). */
export interface ExchangeIo {
  now(): number;
  newFlow(method: string, target: string, headers: HeaderList): Flow;
  /** Take an idle pooled connection to `to` (unless `fresh`) or open one, write `head` on it, report to `events`. */
  openUpstream(to: UpstreamTarget, head: string, fresh: boolean, events: UpstreamEvents): void;
  /** Request body bytes (the client waits while the upstream does not take them). */
  sendUpstream(data: Buffer): void;
  /** Response bytes (the upstream waits while the client does not take them). */
  sendClient(data: Buffer): void;
  /** The proxy's own answer, then FIN. */
  answerClient(text: string): void;
  cutClient(): void;
  /** The upstream deadline; when it passes it calls `events.timedOut` with whether a write to the client / to the upstream is waiting. */
  startTimer(events: TimerEvents): void;
  refreshTimer(): void;
  /** The exchange is over: stop its timer and its waits on either side. */
  finish(): void;
  /** Back to the pool for another request. */
  releaseUpstream(): void;
  closeUpstream(): void;
  endFlow(flow: Flow, t0: number): void;
}

export class ExchangeMachine implements UpstreamEvents, TimerEvents {
  flow?: Flow;
  /** The request body has been passed on in full (what the client sends next is the next request). */
  requestDone = false;
  private finished = false;
  private readonly t0: number;
  private plan!: RequestPlan;
  private reqFramer!: BodyFramer;
  private readonly reqPreview: BodyPreview;
  private readonly resPreview: BodyPreview;
  private upstreamOpen = false;
  private received = 0;
  private retried = false;
  private resHead?: PendingBytes;
  private resScan = 0;
  private interim = 0;
  private responseHeadSent = false;
  private resFramer?: BodyFramer;
  /** For an HTTP/1.0 client of a chunked body: takes the payload without its chunk framing, to the client. */
  private dechunked?: (payload: Buffer) => void;
  private clientKeep = false;
  private upstreamKeep = false;

  constructor(
    private readonly rules: ForwardingRules,
    private readonly io: ExchangeIo,
    private readonly req: RequestHead,
    /** Told once, when the exchange is over: the client connection carries another request, is ended, or was cut. */
    private readonly done: (next: 'keep' | 'end' | 'cut') => void,
  ) {
    this.t0 = io.now();
    this.reqPreview = new BodyPreview(rules.options.bodyPreviewBytes);
    this.resPreview = new BodyPreview(rules.options.bodyPreviewBytes);
  }

  /** Decides on the head and sends it upstream; false when it answered the client itself (the connection closes). */
  start(): boolean {
    const { req, io } = this;
    const p = planRequest(req, this.rules);
    this.flow = io.newFlow(req.method, p.target, req.headers);
    if (p.kind === 'refuse') return this.fail(p.status, p.message);
    this.plan = p;
    this.clientKeep = p.clientKeep;
    this.reqFramer = new BodyFramer(p.framing, true);
    this.requestDone = this.reqFramer.done;
    this.upstreamOpen = true;
    io.openUpstream(p.upstream, p.head, false, this);
    io.startTimer(this);
    return true;
  }

  /** Request body bytes from the client; returns how many belonged to this request's body. */
  requestData(buf: Buffer, start: number): number {
    if (this.requestDone || this.finished) return 0;
    const n = this.reqFramer.consume(buf, start, this.reqPreview.add);
    if (this.reqFramer.error) {
      this.fail(400, `The proxy could not forward this request: ${this.reqFramer.error}`);
      return buf.length - start;
    }
    if (n > 0) {
      this.flow!.bytesUp += n;
      this.io.refreshTimer(); // an upload in progress is not an upstream that does not answer
      this.io.sendUpstream(start === 0 && n === buf.length ? buf : buf.subarray(start, start + n));
    }
    if (this.reqFramer.done) {
      this.requestDone = true;
      if (this.resFramer?.done) this.complete();
    }
    return n;
  }

  upstreamData(d: Buffer): void {
    if (this.finished) return;
    this.received += d.length;
    if (this.resFramer) {
      this.io.refreshTimer();
      return this.responseBody(d, 0);
    }
    // Bytes of a response head do not refresh the upstream timer: only a complete interim response does
    // (a bounded number of times, below), so the final head must come within the timeout of the last one.
    const pending = this.resHead;
    const fromPending = pending !== undefined && pending.length > 0;
    let buf = fromPending ? pending.with(d) : d;
    const where = this.plan.where;
    for (;;) {
      const end = buf.indexOf('\r\n\r\n', this.resScan);
      if (end < 0) {
        if (buf.length > MAX_RESPONSE_HEAD) return void this.fail(502, `Upstream ${where} sent a response head larger than ${MAX_RESPONSE_HEAD / 1024} KB`);
        this.resScan = Math.max(0, buf.length - 3);
        (this.resHead ??= new PendingBytes()).keep(buf, fromPending);
        return;
      }
      const res = parseResponseHead(buf.toString('latin1', 0, end));
      if (typeof res === 'string') return void this.fail(502, `Upstream ${where} sent a response this proxy cannot read: ${res}`);
      const rest = buf.subarray(end + 4);
      this.resScan = 0;
      if (res.status >= 100 && res.status < 200) {
        // 1xx interim responses are relayed and the final one follows; written with backpressure: while the
        // client does not take them, the upstream is not read.
        const interim = interimResponse(this.req, res, where);
        if (typeof interim === 'string') return void this.fail(502, interim);
        const max = this.rules.options.maxInterimResponses;
        if (++this.interim > max) return void this.fail(502, `Upstream ${where} sent more than ${max} interim (1xx) responses without a final one; the proxy gave up on this request`);
        this.io.refreshTimer();
        if (interim.head) this.io.sendClient(Buffer.from(interim.head, 'latin1'));
        buf = rest;
        continue;
      }
      // The body's first bytes (`rest`) may be a view of the kept head bytes: they are never written over.
      this.resHead = undefined;
      const flow = this.flow!;
      flow.timings.firstByte = this.io.now() - this.t0;
      flow.status = res.status;
      const final = finalResponse(this.req, res, this.clientKeep, where);
      if (typeof final === 'string') return void this.fail(502, final);
      flow.responseHeaders = res.headers; // as the upstream sent them (framing included): what the traffic detail shows
      this.upstreamKeep = final.upstreamKeep;
      this.clientKeep = final.clientKeep;
      if (final.dechunk) {
        this.dechunked = (p: Buffer) => {
          this.resPreview.add(p);
          this.io.sendClient(p);
        };
      }
      this.responseHeadSent = true;
      this.resFramer = new BodyFramer(final.framing);
      this.io.sendClient(Buffer.from(final.head, 'latin1'));
      if (this.resFramer.done) {
        if (rest.length > 0) this.upstreamKeep = false; // bytes after a response without a body
        return this.complete();
      }
      if (rest.length > 0) this.responseBody(rest, 0);
      return;
    }
  }

  private responseBody(d: Buffer, start: number): void {
    const framer = this.resFramer!;
    const n = framer.consume(d, start, this.dechunked ?? this.resPreview.add);
    if (framer.error) {
      this.flow!.error = `Upstream ${this.plan.where} sent a broken body: ${framer.error}`;
      return this.abort();
    }
    this.flow!.bytesDown += n;
    if (!this.dechunked && n > 0) this.io.sendClient(start === 0 && n === d.length ? d : d.subarray(start, start + n));
    if (framer.done) {
      if (start + n < d.length) this.upstreamKeep = false; // bytes after the end of the response
      this.complete();
    }
  }

  upstreamGone(closed: boolean, err: NodeJS.ErrnoException | undefined, reused: boolean): void {
    if (this.finished) return;
    const { where, upstream } = this.plan;
    if (this.resFramer?.framing.kind === 'close' && !err) {
      this.upstreamKeep = false;
      this.resFramer.done = true;
      return this.complete();
    }
    if (this.resFramer) {
      this.flow!.error = `Upstream ${where} broke off the response: ${err ? err.message : 'the connection closed before the end of the body'}`;
      return this.abort();
    }
    if (!closed && !err) return; // FIN without an answer: wait for close to decide (a retry, or 502)
    // A reused connection the server had closed: send an idempotent request without a body again, once, on a fresh one.
    if (reused && this.received === 0 && !this.retried && IDEMPOTENT.has(this.req.method) && this.reqFramer.framing.kind === 'none') {
      this.retried = true;
      this.io.openUpstream(upstream, this.plan.head, true, this);
      this.io.refreshTimer();
      return;
    }
    const answer = noResponse(err, this.plan, this.rules);
    this.fail(answer.status, answer.message);
  }

  timedOut(clientBlocked: boolean, upstreamBlocked: boolean): void {
    if (this.finished) return;
    const ms = this.rules.options.upstreamTimeoutMs;
    const where = this.plan.where;
    // Waiting on a slow client is not the upstream's silence: the client's idle timeout covers a client that stops reading.
    if (clientBlocked) return void this.io.refreshTimer();
    // The body stalled while the upstream was taking it (not held back by backpressure): the silence is the
    // client's, as with nginx's client_body_timeout.
    if (!this.requestDone && !upstreamBlocked && !this.responseHeadSent) {
      return void this.fail(408, `The client sent no more of the request body for ${ms} ms (${this.flow!.bytesUp} bytes of it came); the proxy gave up on this request`);
    }
    if (!this.responseHeadSent) return void this.fail(504, `Upstream ${where} did not answer within ${ms} ms`);
    this.flow!.error = `Upstream ${where} sent nothing for ${ms} ms in the middle of the body`;
    this.abort();
  }


  /** The client went away. */
  clientGone(): void {
    if (this.finished) return;
    if (this.flow) this.flow.error ??= 'The client went away before the response was complete';
    this.finish();
    this.closeUpstream();
  }

  /** Answers the client with an error (or cuts it, once a response has started) and ends the flow. */
  private fail(status: 400 | 408 | 502 | 504 | 508, message: string): false {
    if (this.finished) return false;
    const flow = this.flow!;
    flow.status = status;
    flow.error = message;
    if (!this.responseHeadSent) {
      this.responseHeadSent = true;
      this.io.answerClient(simpleResponse(`${status} ${REASONS[status]}`, message, 'X-NetReq-Proxy-Error: 1\r\n'));
      this.finish();
      this.closeUpstream();
      this.done('end');
      return false;
    }
    this.io.cutClient();
    this.finish();
    this.closeUpstream();
    this.done('cut');
    return false;
  }

  /** Cuts both sides (a broken response, or an internal error). */
  abort(): void {
    if (this.finished) return;
    this.finish();
    this.closeUpstream();
    this.io.cutClient();
    this.done('cut');
  }

  private closeUpstream(): void {
    if (this.upstreamOpen) this.io.closeUpstream();
    this.upstreamOpen = false;
  }

  private finish(): void {
    this.finished = true;
    this.io.finish();
    const flow = this.flow;
    if (!flow) return; // it failed before it began (an internal error)
    flow.requestBody = this.reqPreview.result();
    if (this.resFramer) flow.responseBody = this.resPreview.result();
    this.io.endFlow(flow, this.t0);
  }

  private complete(): void {
    if (!this.requestDone) {
      // The response ended before the request body did: the rest of the request cannot be told from the next one.
      this.clientKeep = false;
      this.upstreamKeep = false;
    }
    this.finish();
    if (this.upstreamKeep) this.io.releaseUpstream();
    else this.io.closeUpstream();
    this.upstreamOpen = false;
    this.done(this.clientKeep ? 'keep' : 'end');
  }
}
