/** Helpers for the tests of the proxy against hostile peers: raw loopback clients and a proxy that records its flows. */
import * as net from 'node:net';
import { ProxyServer, type Flow } from '../../../src/core/proxy/server';
import { sleep } from '../../support/servers';

/** Writes `bytes`, reads until `done(text)` says so or the proxy closes (bounded); returns what came back. */
export function talk(port: number, bytes: string | Buffer, done: (got: string) => boolean = () => false, ms = 3000, host = '127.0.0.1'): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => s.write(bytes));
    let got = '';
    let closed = false;
    const finish = () => {
      clearTimeout(t);
      s.destroy();
      resolve({ text: got, closed });
    };
    const t = setTimeout(finish, ms);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (done(got)) finish();
    });
    s.on('end', () => (closed = true));
    s.on('close', finish);
    s.on('error', () => undefined);
  });
}

/** Sends `bytes` one byte every `everyMs` (bounded by its length) until the proxy closes; what it answered and how many bytes went out. */
export function trickle(port: number, bytes: string, everyMs: number): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let sent = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    s.on('connect', () => {
      timer = setInterval(() => {
        if (sent >= bytes.length || s.destroyed) return s.destroy();
        s.write(bytes[sent++]);
      }, everyMs);
    });
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearInterval(timer);
      resolve({ text: got, sent });
    });
  });
}

/** A raw client kept open across steps: what it has read so far and whether the proxy closed it. */
export function rawClient(port: number): { socket: net.Socket; readonly text: string; readonly closed: boolean } {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (d) => (text += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return {
    socket,
    get text() {
      return text;
    },
    get closed() {
      return closed;
    },
  };
}

export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !cond(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

export const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

export async function start(options: ConstructorParameters<typeof ProxyServer>[0]): Promise<{ proxy: ProxyServer; port: number; flows: Flow[] }> {
  const proxy = new ProxyServer({ port: 0, ...options });
  const flows: Flow[] = [];
  proxy.on('flow-end', (f) => flows.push(f));
  const port = (await proxy.listen()).port;
  return { proxy, port, flows };
}
