/**
 * The socket-protocol demo servers: Quote of the Day (RFC 865), Daytime (RFC 867), Echo over TCP and UDP
 * (RFC 862), and a WebSocket echo. What examples/*.netreq talk to besides HTTP.
 */
import * as dgram from 'node:dgram';
// A static import: the CLI bundle runs through vm.Script (src/cli/launch.ts), where a dynamic import() of a
// built-in fails ("A dynamic import callback was not specified"); demo code loads only for demo-servers anyway.
import * as http from 'node:http';
import * as net from 'node:net';
import { WebSocketServer } from 'ws';
import type { DemoServerDefinition, RunningDemoServer } from './index';
import { hostPort } from '../transport/address';
import { DemoServerError, listen } from './listen';

export const DEFAULT_SOCKET_PORTS = { qotd: 8017, daytime: 8013, echo: 8007, ws: 8081 } as const;

/** Short quotes, none over RFC 865's 512 characters. */
export const QUOTES = [
  'The best way to predict the future is to invent it. — Alan Kay',
  'Be conservative in what you send, be liberal in what you accept. — Jon Postel (RFC 761)',
  'Simplicity is prerequisite for reliability. — Edsger W. Dijkstra',
  'There are only two hard things in computer science: cache invalidation and naming things. — Phil Karlton',
  'We reject kings, presidents and voting. We believe in rough consensus and running code. — David Clark',
  'Any sufficiently advanced technology is indistinguishable from magic. — Arthur C. Clarke',
];

/** A TCP server that closes every connection; `stop` also cuts open ones. */
async function tcpServer(def: DemoServerDefinition, host: string, port: number, onConnection: (s: net.Socket) => void, scheme: string): Promise<RunningDemoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.setTimeout(60_000, () => s.destroy());
    onConnection(s);
  });
  const bound = await listen(server, def, host, port);
  let stopping: Promise<void> | undefined;
  return {
    info: { name: def.name, url: `${scheme}://${hostPort(host, bound)}`, host, port: bound },
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })),
  };
}

export const QOTD_DEMO: DemoServerDefinition = {
  name: 'qotd',
  portOption: '--qotd-port',
  port: (o) => o.qotdPort ?? DEFAULT_SOCKET_PORTS.qotd,
  start(ctx, port) {
    let next = 0;
    return tcpServer(this, ctx.host, port, (s) => s.end(`${QUOTES[next++ % QUOTES.length]}\r\n`), 'tcp');
  },
};

export const DAYTIME_DEMO: DemoServerDefinition = {
  name: 'daytime',
  portOption: '--daytime-port',
  port: (o) => o.daytimePort ?? DEFAULT_SOCKET_PORTS.daytime,
  start(ctx, port) {
    return tcpServer(this, ctx.host, port, (s) => s.end(`${new Date().toUTCString()}\r\n`), 'tcp');
  },
};

export const ECHO_DEMO: DemoServerDefinition = {
  name: 'echo',
  portOption: '--echo-port',
  port: (o) => o.echoPort ?? DEFAULT_SOCKET_PORTS.echo,
  async start(ctx, port) {
    const tcp = await tcpServer(this, ctx.host, port, (s) => s.pipe(s), 'tcp');
    // UDP echo on the same port number: every datagram goes back to its sender.
    const udp = dgram.createSocket({ type: net.isIPv6(ctx.host) ? 'udp6' : 'udp4' });
    udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
    udp.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(tcp.info.port, ctx.host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      await tcp.stop();
      throw new DemoServerError(`cannot start the UDP echo demo server on ${hostPort(ctx.host, tcp.info.port)}: ${(e as Error).message}; choose another port with --echo-port P`);
    }
    return {
      info: { ...tcp.info, url: `tcp+udp://${hostPort(ctx.host, tcp.info.port)}` },
      stop: async () => {
        await tcp.stop();
        await new Promise<void>((r) => udp.close(() => r()));
      },
    };
  },
};

export const WS_DEMO: DemoServerDefinition = {
  name: 'ws',
  portOption: '--ws-port',
  port: (o) => o.wsPort ?? DEFAULT_SOCKET_PORTS.ws,
  async start(ctx, port) {
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('echo') ? 'echo' : false) });
    const httpServer = http.createServer((_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
      res.end('This is the NetReq WebSocket echo demo: connect with WS ws://host:port/\n');
    });
    httpServer.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
    wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? '' : data.toString();
        if (text === 'close') return ws.close(1000, 'you asked me to close');
        if (text === 'ping') return ws.ping(Buffer.from('ping from the server'));
        ws.send(data, { binary: isBinary });
      });
    });
    const bound = await listen(httpServer, this, ctx.host, port);
    let stopping: Promise<void> | undefined;
    return {
      info: { name: this.name, url: `ws://${hostPort(ctx.host, bound)}/`, host: ctx.host, port: bound },
      stop: () =>
        (stopping ??= new Promise<void>((resolve) => {
          for (const c of wss.clients) c.terminate();
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        })),
    };
  },
};

export const SOCKET_DEMOS: DemoServerDefinition[] = [QOTD_DEMO, DAYTIME_DEMO, ECHO_DEMO, WS_DEMO];
