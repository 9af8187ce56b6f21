/**
 * A tunnel through an HTTP proxy (RFC 9110 §9.3.6): the CONNECT request and the reading of the proxy's answer,
 * shared by the client (`# @proxy`, ./connect.ts) and by NetReq's own proxy when it chains to an upstream proxy
 * (../proxy/tunnel.ts). Each words the outcome for its reader; the bytes and the rules are the same.
 */
import type * as net from 'node:net';
import { PendingBytes } from '../wire/pendingBytes';
import { hostPort } from './address';
import { PhaseError } from './errors';
import type { Operation } from './operation';

/** The most bytes of a proxy's answer to CONNECT read before giving up on it. */
export const MAX_CONNECT_ANSWER = 64 * 1024;

/** The request asking a proxy for a tunnel to `authority` (host:port). */
export function connectRequest(authority: string): string {
  return `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`;
}

export type ConnectAnswer =
  | { kind: 'more' }
  /** A 2xx: the tunnel is open; `rest` is what the target already sent (a view: copy it to keep it past the next read). */
  | { kind: 'open'; rest: Buffer }
  | { kind: 'refused'; status: number; reason: string; statusLine: string }
  | { kind: 'not-http'; statusLine: string }
  | { kind: 'too-large' };

/** Reads a proxy's answer to CONNECT from the bytes it sends, in as many pieces as they come (linear work). */
export class ConnectAnswerReader {
  private readonly pending = new PendingBytes();
  private scanFrom = 0;

  read(chunk: Buffer): ConnectAnswer {
    const fromPending = this.pending.length > 0;
    const head = fromPending ? this.pending.with(chunk) : chunk;
    const end = head.indexOf('\r\n\r\n', this.scanFrom);
    if (end < 0) {
      if (head.length > MAX_CONNECT_ANSWER) return { kind: 'too-large' };
      this.scanFrom = Math.max(0, head.length - 3);
      this.pending.keep(head, fromPending);
      return { kind: 'more' };
    }
    const statusLine = head.toString('latin1', 0, head.indexOf('\r\n'));
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
    if (!m) return { kind: 'not-http', statusLine };
    const status = Number(m[1]);
    if (status < 200 || status > 299) return { kind: 'refused', status, reason: m[2], statusLine };
    return { kind: 'open', rest: head.subarray(end + 4) };
  }
}

/** The client's side: asks the proxy on `socket` for a tunnel to the target; resolves once it answered 2xx. */
export function connectTunnel(socket: net.Socket, target: { host: string; port: number; proxy?: { host: string; port: number } }, op: Operation): Promise<void> {
  const authority = hostPort(target.host, target.port);
  const proxy = hostPort(target.proxy!.host, target.proxy!.port);
  return new Promise((resolve, reject) => {
    const reader = new ConnectAnswerReader();
    const done = (err?: Error) => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
      off();
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      const answer = reader.read(chunk);
      switch (answer.kind) {
        case 'more':
          return;
        case 'too-large':
          return done(new PhaseError('proxy', `Proxy ${proxy} sent more than ${MAX_CONNECT_ANSWER / 1024} KB without ending its CONNECT answer`));
        case 'not-http':
          return done(new PhaseError('proxy', `Proxy ${proxy} answered CONNECT with ${JSON.stringify(answer.statusLine.slice(0, 80))}, not an HTTP status line`));
        case 'refused':
          return done(new PhaseError('proxy', `Proxy ${proxy} refused the tunnel to ${authority}: ${answer.status} ${answer.reason}`.trim(), `PROXY_${answer.status}`));
      }
      // Bytes the target already sent (a server that speaks first, like QOTD) go back in front, and the
      // stream is held until the new owner listens and calls resume().
      if (answer.rest.length > 0) {
        socket.pause();
        socket.unshift(answer.rest);
      }
      done();
    };
    const onError = (e: Error) => done(e);
    const onEnd = () => done(new PhaseError('proxy', `Proxy ${proxy} closed the connection instead of answering CONNECT ${authority}`, 'ECONNCLOSED'));
    const off = op.onAbort(() => done(op.reason as Error));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.write(connectRequest(authority));
  });
}
