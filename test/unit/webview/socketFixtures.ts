/** Socket and WebSocket exchanges for the transcript and session panel tests, including hostile ones. */
import type { SocketExchange, WsExchange, WsFrame } from '../../../src/core/exchange';
import { XSS_IMG, XSS_SCRIPT } from './fixtures';

export function socketExchange(over: Partial<SocketExchange> = {}): SocketExchange {
  return {
    kind: 'socket',
    id: 's1',
    startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    request: { protocol: 'tcp', host: '127.0.0.1', port: 7000, target: '127.0.0.1:7000', payloadBytes: 5 },
    transcript: [
      { dir: 'sent', at: 1.5, data: Buffer.from('hello') },
      { dir: 'received', at: 3.25, data: Buffer.concat([Buffer.from('line one\r\n\tTAB\x1bESC\x00NUL'), Buffer.from([0xff])]) },
      { dir: 'received', at: 12, data: Buffer.from('bye\n') },
    ],
    sentBytes: 5,
    receivedBytes: 27,
    stop: 'peer-closed',
    stopDetail: 'the server closed the connection',
    timings: { dnsLookup: 0.2, tcpConnect: 1, requestSent: 0.1, firstByte: 1.5, download: 8.75, total: 12.5 },
    connection: { id: 4, reused: false, requestsServed: 1, pooled: false, afterwards: 'closed', localAddress: '127.0.0.1', localPort: 50123, remoteAddress: '127.0.0.1', remotePort: 7000 },
    ...over,
  };
}

export function udpExchange(): SocketExchange {
  return socketExchange({
    request: { protocol: 'udp', host: '127.0.0.1', port: 9001, target: '127.0.0.1:9001', payloadBytes: 4 },
    transcript: [
      { dir: 'sent', at: 0.5, data: Buffer.from('ping') },
      { dir: 'received', at: 1.5, data: Buffer.from('pong'), peer: '127.0.0.1:9001' },
      { dir: 'received', at: 2.5, data: Buffer.from('pong2'), peer: '[::1]:9002' },
    ],
    sentBytes: 4,
    receivedBytes: 9,
    stop: 'wait-elapsed',
    stopDetail: 'the 2 s reply window ended',
    connection: { id: 0, reused: false, requestsServed: 1, pooled: false, localAddress: '127.0.0.1', localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 9001 },
  });
}

/** Hostile markup in chunks, peers, the stop detail, the error, and TLS fields. */
export function hostileSocketExchange(): SocketExchange {
  const x = socketExchange({
    request: { protocol: 'tls', host: '127.0.0.1', port: 8443, target: `127.0.0.1:8443`, payloadBytes: XSS_SCRIPT.length },
    transcript: [
      { dir: 'sent', at: 1, data: Buffer.from(XSS_SCRIPT) },
      { dir: 'received', at: 2, data: Buffer.from(`${XSS_IMG}\r\n${XSS_SCRIPT}`), peer: XSS_IMG },
    ],
    stopDetail: `stopped by ${XSS_SCRIPT}`,
    error: { phase: 'receive', code: 'ECONNRESET', message: `reset after ${XSS_IMG}` },
  });
  x.tls = {
    protocol: 'TLSv1.3',
    cipher: XSS_IMG,
    alpn: null,
    servername: XSS_SCRIPT,
    verify: true,
    authorized: false,
    authorizationError: XSS_SCRIPT,
    chain: [{ subject: `CN=${XSS_SCRIPT}`, issuer: `CN=${XSS_IMG}`, subjectAltNames: [XSS_IMG], validFrom: '2024-01-01T00:00:00.000Z', validTo: '2030-01-01T00:00:00.000Z', serialNumber: '01', fingerprint256: 'AA', selfSigned: true }],
  };
  return x;
}

export function wsFrame(dir: WsFrame['dir'], opcode: WsFrame['opcode'], data: string | Buffer, at = 1, closeCode?: number): WsFrame {
  return { dir, at, opcode, data: typeof data === 'string' ? Buffer.from(data) : data, closeCode };
}

export function wsExchange(over: Partial<WsExchange> = {}): WsExchange {
  return {
    kind: 'ws',
    id: 'w1',
    startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    request: { url: 'ws://127.0.0.1:9000/chat', host: '127.0.0.1', port: 9000, tls: false, target: '/chat', headers: [['Sec-WebSocket-Protocol', 'chat']], protocols: ['chat'] },
    handshake: {
      requestHead: 'GET /chat HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: abc==\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: chat\r\nHost: 127.0.0.1:9000\r\n\r\n',
      status: 101,
      reason: 'Switching Protocols',
      responseHeaders: [
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Accept', 'xyz='],
        ['Sec-WebSocket-Protocol', 'chat'],
      ],
      protocol: 'chat',
    },
    frames: [],
    state: 'open',
    timings: { dnsLookup: 0.1, tcpConnect: 0.5, requestSent: 0.2, firstByte: 1, total: 0 },
    connection: { id: 2, reused: false, requestsServed: 1, pooled: false, localAddress: '127.0.0.1', localPort: 50000, remoteAddress: '127.0.0.1', remotePort: 9000 },
    ...over,
  };
}

/** Hostile markup in the handshake, headers, close reason and error. */
export function hostileWsExchange(): WsExchange {
  const x = wsExchange({ state: 'closed', closeCode: 4001, closeReason: XSS_SCRIPT, closedBy: 'server', error: { phase: 'receive', message: `peer sent ${XSS_IMG}` } });
  x.handshake.reason = XSS_IMG;
  x.handshake.responseHeaders.push([XSS_SCRIPT, XSS_IMG]);
  x.handshake.protocol = XSS_SCRIPT;
  x.handshake.requestHead = `GET /${XSS_SCRIPT} HTTP/1.1\r\n\r\n`;
  x.handshake.responseBody = Buffer.from(XSS_SCRIPT);
  x.request.url = `ws://127.0.0.1:9000/${XSS_IMG}`;
  return x;
}
