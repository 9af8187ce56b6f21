// Playbooks for the proxy's forwarding state machine, without sockets (mitmproxy's sans-I/O layer tests are the
// model): a sequence of events (client bytes, upstream bytes, an upstream gone, a timer firing) and, for each,
// the exact commands the machine gives. The same machines run the real proxy (test/unit/proxy/*: real peers).
import { strict as assert } from 'node:assert';
import type { HeaderList } from '../../../src/core/exchange';
import { ConnectionMachine, type ConnectionIo } from '../../../src/core/proxy/connectionMachine';
import type { ExchangeIo, TimerEvents } from '../../../src/core/proxy/exchangeMachine';
import type { UpstreamEvents } from '../../../src/core/proxy/upstreams';
import type { RequestHead } from '../../../src/core/proxy/http1';
import { admission } from '../../../src/core/proxy/limits';
import type { ForwardingRules, UpstreamTarget } from '../../../src/core/proxy/requestPlan';
import { planTunnel } from '../../../src/core/proxy/tunnel';
import type { Flow } from '../../../src/core/proxy/server';

const OPTIONS: ForwardingRules['options'] = { upstreamTimeoutMs: 30_000, maxInterimResponses: 16, bodyPreviewBytes: 64 * 1024, maxHeaderBytes: 64 * 1024, requestHeadTimeoutMs: 20_000 };
const PROXY = '127.0.0.1:8888';

/** Records every command as one line of text; events are fed to the machine and return what they caused. */
class Playbook implements ConnectionIo, ExchangeIo {
  private log: string[] = [];
  private upstreamEvents?: UpstreamEvents;
  private timer?: TimerEvents;
  readonly flows: Flow[] = [];
  private readonly machine: ConnectionMachine;

  constructor(rules: { options?: Partial<ForwardingRules['options']>; upstreamProxy?: ForwardingRules['upstreamProxy'] } = {}) {
    this.machine = new ConnectionMachine(
      {
        options: { ...OPTIONS, ...rules.options },
        upstreamProxy: rules.upstreamProxy,
        loopRefusal: (host, port) => (`${host}:${port}` === PROXY ? `${PROXY} is this proxy itself` : undefined),
      },
      this,
    );
  }

  private take(): string[] {
    const out = this.log;
    this.log = [];
    return out;
  }

  // Events.
  client(text: string): string[] {
    this.machine.clientData(Buffer.from(text, 'latin1'));
    return this.take();
  }
  clientEnd(): string[] {
    this.machine.clientEnded();
    return this.take();
  }
  upstream(text: string): string[] {
    this.upstreamEvents!.upstreamData(Buffer.from(text, 'latin1'));
    return this.take();
  }
  upstreamGone(closed: boolean, code?: string, reused = false): string[] {
    const err = code ? Object.assign(new Error(`connect ${code}`), { code }) : undefined;
    this.upstreamEvents!.upstreamGone(closed, err, reused);
    return this.take();
  }
  timeout(clientBlocked = false, upstreamBlocked = false): string[] {
    this.timer!.timedOut(clientBlocked, upstreamBlocked);
    return this.take();
  }
  headTimeout(): string[] {
    this.machine.headTimedOut();
    return this.take();
  }

  // Connection commands.
  exchangeIo(): ExchangeIo {
    return this;
  }
  pauseClient(): void {
    this.log.push('pause client');
  }
  resumeClient(): void {
    this.log.push('resume client');
  }
  endClient(): void {
    this.log.push('end client');
  }
  destroyClient(): void {
    this.log.push('destroy client');
  }
  refuseClient(status: string, message: string): void {
    this.log.push(`refuse ${status}: ${message}`);
  }
  startHeadTimer(): void {
    this.log.push('head timer');
  }
  stopHeadTimer(): void {
    this.log.push('head timer off');
  }
  tunnel(req: RequestHead, rest: Buffer): void {
    this.log.push(`tunnel ${req.target} with ${JSON.stringify(rest.toString('latin1'))}`);
  }

  // Exchange commands.
  now(): number {
    return 0;
  }
  newFlow(method: string, target: string, headers: HeaderList): Flow {
    const flow: Flow = { id: this.flows.length + 1, kind: 'http', startedAt: 0, client: 'c', method, target, bytesUp: 0, bytesDown: 0, requestHeaders: headers, timings: {}, done: false };
    this.flows.push(flow);
    this.log.push(`flow ${method} ${target}`);
    return flow;
  }
  endFlow(flow: Flow): void {
    this.log.push(`flow end ${flow.status ?? '-'}${flow.error ? `: ${flow.error}` : ''}`);
  }
  openUpstream(to: UpstreamTarget, head: string, fresh: boolean, events: UpstreamEvents): void {
    this.upstreamEvents = events;
    this.log.push(`${fresh ? 'open fresh' : 'open'} ${to.key}: ${head}`);
  }
  sendUpstream(data: Buffer): void {
    this.log.push(`up: ${data.toString('latin1')}`);
  }
  sendClient(data: Buffer): void {
    this.log.push(`client: ${data.toString('latin1')}`);
  }
  answerClient(text: string): void {
    const [head, body] = text.split('\r\n\r\n');
    this.log.push(`answer ${head.split('\r\n')[0].slice(9)}: ${body.trimEnd()}`);
  }
  cutClient(): void {
    this.log.push('cut client');
  }
  startTimer(events: TimerEvents): void {
    this.timer = events;
    this.log.push('timer');
  }
  refreshTimer(): void {
    this.log.push('timer refresh');
  }
  finish(): void {
    this.log.push('finish');
  }
  releaseUpstream(): void {
    this.log.push('release upstream');
  }
  closeUpstream(): void {
    this.log.push('close upstream');
  }
}

const GET = 'GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n';
const OPEN_GET = 'open a.test:80: GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n';
/** What the client sees when a response starts, a complete one ends, both connections kept. */
const START = ['head timer', 'head timer off', 'flow GET http://a.test/x', OPEN_GET, 'timer'];
const KEPT = ['finish', 'flow end 200', 'release upstream', 'resume client'];

describe('proxy playbooks: the forwarding state machine, event by event (no sockets)', () => {
  it('GET, keep-alive: the head goes upstream in origin form, the response comes back, both connections are kept', () => {
    const p = new Playbook();
    assert.deepEqual(p.client('GET http://A.test:80/x HTTP/1.1\r\nHost: other\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nAccept: */*\r\n\r\n'), [
      'head timer',
      'head timer off',
      'flow GET http://a.test/x',
      'open a.test:80: GET /x HTTP/1.1\r\nHost: a.test\r\nAccept: */*\r\n\r\n',
      'timer',
    ]);
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nKeep-Alive: timeout=5\r\n\r\nhel'), ['client: HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', 'client: hel']);
    assert.deepEqual(p.upstream('lo'), ['timer refresh', 'client: lo', ...KEPT]);
    assert.deepEqual(p.client(GET), START, 'the same connection carries the next request');
    assert.equal(p.flows[0].bytesDown, 5);
  });

  it('pipelined requests wait in order: the second starts only when the first response is complete', () => {
    const p = new Playbook();
    assert.deepEqual(p.client(GET + GET.replace('/x', '/y')), [...START, 'pause client']);
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), [
      'client: HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
      ...KEPT,
      'head timer',
      'head timer off',
      'flow GET http://a.test/y',
      OPEN_GET.replace('/x', '/y'),
      'timer',
    ]);
    assert.deepEqual(p.client(GET), ['pause client'], 'a third request arriving meanwhile waits too');
  });

  it('a chunked request body in pieces passes upstream as it came; bytes after its end are the next request', () => {
    const p = new Playbook();
    const head = 'POST http://a.test/up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n';
    assert.deepEqual(p.client(`${head}5\r\nhel`), [
      'head timer',
      'head timer off',
      'flow POST http://a.test/up',
      'open a.test:80: POST /up HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n',
      'timer',
      'timer refresh',
      'up: 5\r\nhel',
    ]);
    assert.deepEqual(p.client('lo\r\n0\r\n\r\nGET'), ['timer refresh', 'up: lo\r\n0\r\n\r\n', 'pause client']);
    assert.equal(p.flows[0].bytesUp, 15);
    p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    assert.equal(p.flows[0].requestBody?.toString(), 'hello', 'the preview keeps the payload without its chunk framing');
  });

  it('interim (1xx) responses are relayed to an HTTP/1.1 client, each refreshing the timer, up to the cap: then 502', () => {
    const p = new Playbook({ options: { maxInterimResponses: 2 } });
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s>\r\nContent-Length: 3\r\n\r\n'), [
      'timer refresh',
      'client: HTTP/1.1 100 Continue\r\n\r\n',
      'timer refresh',
      'client: HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n',
    ]);
    assert.deepEqual(p.upstream('HTTP/1.1 102 Processing\r\n\r\n'), [
      'answer 502 Bad Gateway: Upstream a.test:80 sent more than 2 interim (1xx) responses without a final one; the proxy gave up on this request',
      'finish',
      'flow end 502: Upstream a.test:80 sent more than 2 interim (1xx) responses without a final one; the proxy gave up on this request',
      'close upstream',
      'end client',
    ]);
  });

  it('an HTTP/1.0 client gets no interim response, only the final one, and its connection closes', () => {
    const p = new Playbook();
    p.client('GET http://a.test/x HTTP/1.0\r\n\r\n');
    assert.deepEqual(p.upstream('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), [
      'timer refresh',
      'client: HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n',
      'client: ok',
      'finish',
      'flow end 200',
      'release upstream',
      'end client',
    ]);
  });

  it('HTTP/1.0 with keep-alive is kept and told so; a chunked response to it is de-chunked and ends with the close', () => {
    const p = new Playbook();
    p.client('GET http://a.test/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), ['client: HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n', ...KEPT]);
    p.client('GET http://a.test/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'), [
      'client: HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n',
      'client: ok',
      'finish',
      'flow end 200',
      'release upstream',
      'end client',
    ]);
  });

  it('Connection: close from the client: the response says so and the connection ends after it (the upstream is still kept)', () => {
    const p = new Playbook();
    p.client('GET http://a.test/x HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.deepEqual(p.upstream('HTTP/1.1 204 No Content\r\n\r\n'), ['client: HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n', 'finish', 'flow end 204', 'release upstream', 'end client']);
  });

  it('HEAD, 204 and 304 have no body whatever their Content-Length says; bytes after one make the upstream unusable', () => {
    const p = new Playbook();
    p.client('HEAD http://a.test/x HTTP/1.1\r\n\r\n');
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), ['client: HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', ...KEPT]);
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\nETag: "e"\r\n\r\n'), [
      'client: HTTP/1.1 304 Not Modified\r\nETag: "e"\r\nContent-Length: 7\r\n\r\n',
      'finish',
      'flow end 304',
      'release upstream',
      'resume client',
    ]);
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nabc'), [
      'client: HTTP/1.1 204 No Content\r\n\r\n',
      'finish',
      'flow end 204',
      'close upstream',
      'resume client',
    ]);
  });

  it('a body read until the upstream closes: the client connection closes too, and the FIN completes the exchange', () => {
    const p = new Playbook();
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\n\r\nall'), ['client: HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n', 'client: all']);
    assert.deepEqual(p.upstreamGone(false), ['finish', 'flow end 200', 'close upstream', 'end client']);
  });

  it('faulty upstream framing (Transfer-Encoding with Content-Length): relayed chunked, then that upstream connection is closed', () => {
    const p = new Playbook();
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n'), [
      'client: HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      'client: 1\r\nx\r\n0\r\n\r\n',
      'finish',
      'flow end 200',
      'close upstream',
      'resume client',
    ]);
  });

  it('the upstream closes early: before any answer 502 (after its close, not its FIN); in the middle of a body both sides are cut', () => {
    const p = new Playbook();
    p.client(GET);
    assert.deepEqual(p.upstreamGone(false), [], 'FIN alone: wait for the close');
    assert.deepEqual(p.upstreamGone(true), [
      'answer 502 Bad Gateway: Upstream unreachable: a.test:80 closed the connection without answering',
      'finish',
      'flow end 502: Upstream unreachable: a.test:80 closed the connection without answering',
      'close upstream',
      'end client',
    ]);
    const q = new Playbook();
    q.client(GET);
    q.upstream('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(q.upstreamGone(false), ['finish', 'flow end 200: Upstream a.test:80 broke off the response: the connection closed before the end of the body', 'close upstream', 'cut client']);
  });

  it('a reused upstream that turns out dead: an idempotent request without a body goes again once on a fresh connection; a POST gets 502', () => {
    const p = new Playbook();
    p.client(GET);
    assert.deepEqual(p.upstreamGone(true, 'ECONNRESET', true), [OPEN_GET.replace('open', 'open fresh'), 'timer refresh']);
    assert.deepEqual(p.upstreamGone(true, 'ECONNREFUSED', false), [
      'answer 502 Bad Gateway: Upstream unreachable: nothing is listening on a.test:80 (connection refused)',
      'finish',
      'flow end 502: Upstream unreachable: nothing is listening on a.test:80 (connection refused)',
      'close upstream',
      'end client',
    ]);
    const q = new Playbook();
    q.client('POST http://a.test/x HTTP/1.1\r\nContent-Length: 1\r\n\r\nz');
    assert.equal(q.upstreamGone(true, 'ECONNRESET', true)[0], 'answer 502 Bad Gateway: Upstream unreachable: a.test:80 reset the connection');
  });

  it('a broken chunked body from upstream cuts both sides; a malformed chunked request body is a 400', () => {
    const p = new Playbook();
    p.client(GET);
    assert.deepEqual(p.upstream('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), [
      'client: HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      'finish',
      'flow end 200: Upstream a.test:80 sent a broken body: the chunked body is malformed: a chunk size line starts with byte 0x7a',
      'close upstream',
      'cut client',
    ]);
    const q = new Playbook();
    const sent = q.client('POST http://a.test/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    const why = 'The proxy could not forward this request: the chunked body is malformed: a chunk size line starts with byte 0x7a';
    assert.deepEqual(sent.slice(5), [`answer 400 Bad Request: ${why}`, 'finish', `flow end 400: ${why}`, 'close upstream', 'end client']);
  });

  it('a response that ends before the request body does: neither connection is kept (the rest cannot be told from a next request)', () => {
    const p = new Playbook();
    p.client('POST http://a.test/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(p.upstream('HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n'), [
      'client: HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n',
      'finish',
      'flow end 413',
      'close upstream',
      'end client',
    ]);
  });

  it('refusals before any upstream: not absolute-form, https://, ambiguous framing, HTTP/1.0 chunked, a loop to the proxy itself', () => {
    const cases: Array<[string, string]> = [
      ['GET /x HTTP/1.1\r\nHost: a\r\n\r\n', '400 Bad Request: The request target "/x" is not an absolute http:// URL: send requests to this proxy as "GET http://host/path HTTP/1.1"'],
      ['GET https://a/ HTTP/1.1\r\n\r\n', '400 Bad Request: This proxy forwards http:// URLs; use CONNECT for https:// (most clients do that by themselves for https)'],
      ['POST http://a/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', '400 Bad Request: The proxy could not forward this request: it has both Transfer-Encoding and Content-Length (ambiguous framing)'],
      ['POST http://a/ HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', '400 Bad Request: The proxy could not forward this request: HTTP/1.0 has no Transfer-Encoding, so its length is unknown'],
      ['GET http://a:0/ HTTP/1.1\r\n\r\n', '400 Bad Request: The port in http://a:0/ is out of range (1-65535)'],
      [`GET http://${PROXY}/ HTTP/1.1\r\n\r\n`, `508 Loop Detected: ${PROXY} is this proxy itself`],
    ];
    for (const [request, answer] of cases) {
      const got = new Playbook().client(request);
      assert.deepEqual(got.slice(3), [`answer ${answer}`, 'finish', `flow end ${answer.slice(0, 3)}: ${answer.replace(/^\d{3} [A-Za-z ]+: /, '')}`, 'end client'], request);
    }
  });

  it('refusals of the head itself: unparsable (400), too large (431), too slow (408); a refused connection reads nothing more', () => {
    const p = new Playbook();
    assert.deepEqual(p.client('GET http://a/ HTTP/1.1\r\nBad Name: x\r\n\r\n'), [
      'head timer',
      'head timer off',
      'refuse 400 Bad Request: The proxy could not parse this request: header name "Bad Name" has characters a header name cannot have.',
    ]);
    assert.deepEqual(p.client(GET), []);
    const q = new Playbook({ options: { maxHeaderBytes: 40 } });
    assert.deepEqual(q.client('GET http://a.test/x HTTP/1.1\r\n'), ['head timer']);
    assert.deepEqual(q.client('X-Long: 0123456789\r\n'), ['head timer off', 'refuse 431 Request Header Fields Too Large: The request headers are larger than this proxy accepts (40 bytes).']);
    const r = new Playbook();
    r.client('GET http://a.test/');
    assert.deepEqual(r.headTimeout(), ['refuse 408 Request Timeout: The request head did not arrive in full within 20000 ms of its first byte; the proxy closed the connection.']);
  });

  it('the upstream timer: 408 when the client stalls its body, 504 when the upstream does not answer, a cut mid-body; never while the client is slow to read', () => {
    const p = new Playbook();
    p.client('POST http://a.test/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(p.timeout(false, true), [
      'answer 504 Gateway Timeout: Upstream a.test:80 did not answer within 30000 ms',
      'finish',
      'flow end 504: Upstream a.test:80 did not answer within 30000 ms',
      'close upstream',
      'end client',
    ], 'the upstream did not take the body (backpressure): its silence');
    const q = new Playbook();
    q.client('POST http://a.test/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.equal(q.timeout()[0], 'answer 408 Request Timeout: The client sent no more of the request body for 30000 ms (3 bytes of it came); the proxy gave up on this request');
    const r = new Playbook();
    r.client(GET);
    r.upstream('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(r.timeout(true, false), ['timer refresh'], 'a client slow to read holds the upstream, it is not the upstream silent');
    assert.deepEqual(r.timeout(), ['finish', 'flow end 200: Upstream a.test:80 sent nothing for 30000 ms in the middle of the body', 'close upstream', 'cut client']);
  });

  it('the client ends: FIN mid-body abandons the exchange; FIN after complete requests ends the connection once they are answered', () => {
    const p = new Playbook();
    p.client('POST http://a.test/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual(p.clientEnd(), ['finish', 'flow end -: The client went away before the response was complete', 'close upstream', 'destroy client']);
    const q = new Playbook();
    q.client(GET);
    assert.deepEqual(q.clientEnd(), []);
    assert.deepEqual(q.upstream('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), ['client: HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', ...KEPT, 'end client']);
  });

  it('CONNECT hands the connection to a tunnel with the bytes that came after its head; empty lines before a request are skipped', () => {
    const p = new Playbook();
    assert.deepEqual(p.client('\r\n\r\nCONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n\x16\x03\x01'), ['head timer', 'head timer off', 'tunnel a.test:443 with "\\u0016\\u0003\\u0001"']);
    assert.deepEqual(p.client('more'), [], 'the socket is the tunnel’s now');
  });

  it('chained through an upstream proxy: the absolute URL goes to it, and failures name it', () => {
    const p = new Playbook({ upstreamProxy: { host: '127.0.0.1', port: 3128 } });
    assert.deepEqual(p.client(GET).slice(3), ['open 127.0.0.1:3128: GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n', 'timer']);
    assert.equal(p.upstreamGone(true, 'ECONNREFUSED')[0], 'answer 502 Bad Gateway: Upstream unreachable: nothing is listening on the upstream proxy 127.0.0.1:3128 (connection refused)');
  });

  it('admission, as a connection arrives: 503 over maxConnections (before the allow-list), 403 off the allow-list (v4-mapped counts as IPv4)', () => {
    const options = { maxConnections: 2, allowClients: ['127.0.0.1'] };
    assert.deepEqual(admission(1, '::ffff:127.0.0.1', options), { kind: 'serve' });
    assert.deepEqual(admission(2, '127.0.0.1', options), { kind: 'overloaded', status: '503 Service Unavailable', message: 'This proxy is serving its maximum of 2 connections; try again shortly.' });
    assert.deepEqual(admission(1, '::1', options), { kind: 'forbidden', status: '403 Forbidden', message: 'This proxy does not serve ::1 (it is not on the client allow-list)' });
    assert.deepEqual(admission(0, undefined, { maxConnections: 1 }), { kind: 'serve' }, 'no allow-list: everyone');
  });

  it('CONNECT targets: host:port (IPv6 in brackets), refused 400 without a port or out of range, 403 off the port list, 508 to the proxy itself', () => {
    const rules = { options: { allowConnectPorts: [443, 8443] }, loopRefusal: (host: string, port: number) => (`${host}:${port}` === PROXY ? 'loop' : undefined) };
    assert.deepEqual(planTunnel('[::1]:443', rules), { host: '::1', port: 443 });
    assert.deepEqual(planTunnel('a.test', rules), { status: '400 Bad Request', message: 'CONNECT needs host:port, got "a.test"' });
    assert.deepEqual(planTunnel('a.test:70000', rules), { status: '400 Bad Request', message: 'CONNECT port 70000 is out of range (1-65535)' });
    assert.deepEqual(planTunnel('a.test:22', rules), { status: '403 Forbidden', message: 'This proxy does not open tunnels to port 22 (allowed: 443, 8443)' });
    assert.deepEqual(planTunnel(PROXY, { ...rules, options: {} }), { status: '508 Loop Detected', message: 'loop' });
  });
});
