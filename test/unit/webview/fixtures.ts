/** Exchanges for the panel tests, including hostile ones. */
import type { HttpExchange } from '../../../src/core/exchange';

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';

export function exchange(over: Partial<HttpExchange> = {}, body: Buffer | string = '{"ok":true}', contentType = 'application/json'): HttpExchange {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const head = `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${b.length}\r\n\r\n`;
  return {
    kind: 'http',
    id: 'x1',
    startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:8080/path',
      target: '/path',
      version: 'HTTP/1.1',
      host: '127.0.0.1',
      port: 8080,
      tls: false,
      headers: [['Host', '127.0.0.1:8080']],
      bodyBytes: 0,
    },
    response: {
      version: 'HTTP/1.1',
      status: 200,
      reason: 'OK',
      headers: [
        ['Content-Type', contentType],
        ['Content-Length', String(b.length)],
      ],
      interim: [],
      trailers: [],
      framing: 'content-length',
      rawBody: b,
      body: b,
      truncated: false,
      bodyBytesOnWire: b.length,
    },
    sent: Buffer.from('GET /path HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'),
    received: Buffer.concat([Buffer.from(head), b]),
    timings: { dnsLookup: 1, tcpConnect: 2, requestSent: 0.5, firstByte: 10, download: 3, total: 17 },
    connection: { id: 3, reused: false, requestsServed: 1, pooled: true, afterwards: 'kept-alive', localAddress: '127.0.0.1', localPort: 50000, remoteAddress: '127.0.0.1', remotePort: 8080 },
    ...over,
  };
}

/** Hostile markup everywhere the network can put text: body, header names and values, reason, trailers, TLS fields, error. */
export function hostileExchange(): HttpExchange {
  const body = `${XSS_SCRIPT}${XSS_IMG}`;
  const x = exchange({}, body, 'text/html');
  x.response!.reason = XSS_IMG;
  x.response!.headers.push([XSS_SCRIPT, XSS_IMG], ['X-Evil', XSS_SCRIPT]);
  x.response!.interim = [{ status: 103, reason: XSS_SCRIPT, headers: [['Link', XSS_IMG]] }];
  x.response!.trailers = [['X-Trailer', XSS_SCRIPT]];
  x.received = Buffer.concat([x.received, Buffer.from(XSS_SCRIPT)]);
  x.request.url = `http://127.0.0.1:8080/${XSS_SCRIPT}`;
  x.tls = {
    protocol: 'TLSv1.3',
    cipher: XSS_IMG,
    alpn: XSS_SCRIPT,
    servername: 'localhost',
    verify: true,
    authorized: false,
    authorizationError: XSS_IMG,
    chain: [
      {
        subject: `CN=${XSS_SCRIPT}`,
        issuer: `CN=${XSS_IMG}`,
        subjectAltNames: [`DNS:${XSS_SCRIPT}`],
        validFrom: '2024-01-01T00:00:00.000Z',
        validTo: '2030-01-01T00:00:00.000Z',
        serialNumber: '01',
        fingerprint256: 'AA:BB',
        selfSigned: true,
      },
    ],
  };
  x.error = { phase: 'receive', message: `peer said ${XSS_SCRIPT}` };
  return x;
}
