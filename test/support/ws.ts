/** WebSocket test servers in-process (the `ws` package), for precise server behaviour. */
import * as net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_OPTIONS, type RequestOptions, type WsRequestSpec } from '../../src/core/request';

export interface WsTestServer {
  port: number;
  /** Handshake request headers seen, per connection. */
  handshakes: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

/** Echoes text and binary; "close-me" makes the server close with 4001 "bye"; "ping-me" makes it ping. */
export async function startWsServer(): Promise<WsTestServer> {
  const handshakes: WsTestServer['handshakes'] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false) });
  wss.on('connection', (ws: WebSocket, req) => {
    handshakes.push(req.headers);
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary && text === 'close-me') return ws.close(4001, 'bye');
      if (!isBinary && text === 'ping-me') return ws.ping(Buffer.from('are you there'));
      ws.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((r) => wss.once('listening', r));
  return {
    port: (wss.address() as net.AddressInfo).port,
    handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

export function wsSpec(port: number, over: Partial<WsRequestSpec> = {}, options: Partial<RequestOptions> = {}): WsRequestSpec {
  const target = over.target ?? '/';
  return {
    kind: 'ws',
    url: `ws://127.0.0.1:${port}${target}`,
    tls: false,
    host: '127.0.0.1',
    port,
    target,
    headers: [],
    messages: [],
    waitMs: 300,
    ...over,
    options: { ...DEFAULT_OPTIONS, timeoutMs: 5000, ...options },
  };
}

export const text = (s: string) => ({ type: 'text' as const, data: Buffer.from(s) });
