/** CONNECT tunnels: the client socket spliced to the target (or through the upstream proxy), both ways. */
import * as net from 'node:net';
import type { ClientConnection } from './client';
import type { ProxyCore } from './forwardedExchange';
import type { RequestHead } from './http1';
import { hostPort } from '../transport/address';
import { ConnectAnswerReader, connectRequest, MAX_CONNECT_ANSWER } from '../transport/proxyConnect';
import { refuseAndLinger } from './messages';
import type { ForwardingRules } from './requestPlan';
import { monoMs } from '../clock';

/**
 * Read sizes for the download side of a tunnel: fewer, larger reads move bulk data at a fraction of the cost.
 * A tunnel starts with a small block and moves to the large one the first time a read fills the small one
 * (bulk traffic), so a thousand quiet tunnels hold 64 MB, not 1 GB.
 */
const TUNNEL_FIRST_READ_BYTES = 64 * 1024;
const TUNNEL_BULK_READ_BYTES = 1024 * 1024;

/** What a tunnel needs from the proxy. */
export interface TunnelCore extends ProxyCore {
  readonly tunnels: Set<net.Socket>;
}

/** Where a CONNECT goes, or why the proxy refuses it (400, 403, 508), in words (pure: tested by the playbooks). */
export function planTunnel(
  authority: string,
  rules: Pick<ForwardingRules, 'loopRefusal'> & { readonly options: { readonly allowConnectPorts?: readonly number[] } },
): { host: string; port: number } | { status: string; message: string } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  if (!m) return { status: '400 Bad Request', message: `CONNECT needs host:port, got ${JSON.stringify(authority)}` };
  const host = m[1].replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { status: '400 Bad Request', message: `CONNECT port ${port} is out of range (1-65535)` };
  const allowed = rules.options.allowConnectPorts;
  if (allowed && !allowed.includes(port)) return { status: '403 Forbidden', message: `This proxy does not open tunnels to port ${port} (allowed: ${allowed.join(', ')})` };
  const loop = rules.loopRefusal(host, port);
  if (loop) return { status: '508 Loop Detected', message: loop };
  return { host, port };
}

/** CONNECT host:port: splice the client socket to the target (or through the upstream proxy). */
export function openTunnel(core: TunnelCore, conn: ClientConnection, req: RequestHead, head: Buffer): void {
  const client = conn.socket;
  const t0 = monoMs();
  const authority = req.target;
  const flow = core.newFlow('tunnel', conn, req.method, authority, req.headers);
  client.on('error', () => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined = undefined; // set once the target is known; refuse() may run before
  const refuse = (status: string, message: string) => {
    if (timer) clearTimeout(timer);
    if (flow.done) return;
    flow.status = Number(status.slice(0, 3));
    flow.error = message;
    client.setTimeout(core.options.clientIdleTimeoutMs, () => client.destroy());
    refuseAndLinger(client, status, message); // what it sent after its CONNECT is read and dropped
    core.endFlow(flow, t0);
  };
  const plan = planTunnel(authority, core);
  if ('status' in plan) return refuse(plan.status, plan.message);
  const { host, port } = plan;
  client.pause();
  // Downloads are read in large blocks (onread): each block is written to the client before the next read,
  // so the block buffer is reused only once the client has taken it.
  let onChunk: (b: Buffer) => void = () => undefined;
  let block: Buffer | undefined;
  const upstream = net.connect({
    host: core.upstreamProxy?.host ?? host,
    port: core.upstreamProxy?.port ?? port,
    allowHalfOpen: true,
    // A name resolving to the proxy itself fails before any connection (ELOOPDETECTED).
    lookup: core.selfLookup(core.upstreamProxy?.port ?? port, core.upstreamProxy ? `The upstream proxy ${hostPort(core.upstreamProxy.host, core.upstreamProxy.port)}` : hostPort(host, port)),
    onread: {
      // Node asks for the block before every read; the callback's block stays untouched until the next read,
      // which onChunk holds off until the client has taken what was written from it.
      buffer: () => (block ??= Buffer.allocUnsafe(TUNNEL_FIRST_READ_BYTES)),
      callback: (n: number, buf: Buffer) => {
        if (n === buf.length && buf.length < TUNNEL_BULK_READ_BYTES) block = Buffer.allocUnsafe(TUNNEL_BULK_READ_BYTES);
        onChunk(buf.subarray(0, n));
        return true;
      },
    },
  });
  timer = setTimeout(() => {
    upstream.destroy();
    refuse('504 Gateway Timeout', `${core.upstreamProxy ? `The upstream proxy did not open the tunnel to ${authority}` : `${authority} did not accept the connection`} within ${core.options.upstreamTimeoutMs} ms`);
  }, core.options.upstreamTimeoutMs);
  core.tunnels.add(upstream);
  upstream.once('close', () => core.tunnels.delete(upstream));
  const cleanup = () => {
    clearTimeout(timer);
    client.destroy();
    upstream.destroy();
    core.endFlow(flow, t0);
  };
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    if (flow.status === undefined) {
      if (err.code === 'ELOOPDETECTED') refuse('508 Loop Detected', err.message);
      else refuse('502 Bad Gateway', err.code === 'ECONNREFUSED' ? `Nothing is listening on ${authority} (connection refused)` : `Cannot reach ${authority}: ${err.message}`);
      upstream.destroy();
    } else {
      flow.error = `${authority}: ${err.message}`;
      cleanup();
    }
  });
  client.once('close', () => {
    if (flow.status === undefined) cleanup();
  });
  let halfOpen = false;
  client.on('timeout', () => {
    if (flow.status !== 200 || flow.done) return; // before the tunnel: the connect timer decides
    const ms = halfOpen ? Math.min(core.options.clientIdleTimeoutMs, core.options.tunnelIdleTimeoutMs) : core.options.tunnelIdleTimeoutMs;
    flow.error = `The tunnel was idle (no bytes either way) for ${ms} ms${halfOpen ? ' after one side had ended' : ''}; the proxy closed it`;
    cleanup();
  });
  const splice = (early: Buffer) => {
    clearTimeout(timer);
    flow.status = 200;
    flow.timings.upstreamConnected = monoMs() - t0;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    flow.bytesUp += head.length;
    client.on('data', (d: Buffer) => (flow.bytesUp += d.length));
    // Half-close passes through (both sockets allow half-open): a FIN from one side ends the other's write
    // side, and the tunnel lives until both directions are done.
    client.pipe(upstream);
    client.resume();
    let waiting = false;
    const written = () => {
      if (waiting && client.writableLength === 0) {
        waiting = false;
        upstream.resume();
      }
    };
    onChunk = (b) => {
      flow.bytesDown += b.length;
      client.write(b, written);
      // Whatever the socket could not take at once still points into the block buffer, which the next
      // read overwrites: stop reading until this write is done.
      if (client.writableLength > 0 && !waiting) {
        waiting = true;
        upstream.pause();
      }
    };
    if (early.length) onChunk(Buffer.from(early));
    // Once either direction has ended, a tunnel silent for the client idle timeout is closed (a peer that
    // never sends its own FIN must not hold it open forever).
    const halfClosed = () => {
      halfOpen = true;
      client.setTimeout(Math.min(core.options.clientIdleTimeoutMs, core.options.tunnelIdleTimeoutMs));
    };
    upstream.on('end', () => {
      client.end();
      halfClosed();
    });
    client.on('end', halfClosed);
    if (client.readableEnded) {
      // its FIN came with the CONNECT: pass it on (pipe will not, 'end' has been emitted already)
      upstream.end();
      halfClosed();
    }
    // The client gone: nobody is left to read. What it sent before its FIN still reaches the target (bounded);
    // an aborted client (an error) cuts the target at once.
    client.once('close', (hadError: boolean) => {
      if (hadError || upstream.destroyed || upstream.writableLength === 0) return cleanup();
      const t = setTimeout(cleanup, core.options.upstreamTimeoutMs);
      const done = () => {
        clearTimeout(t);
        cleanup();
      };
      upstream.once('finish', done);
      upstream.once('close', done);
    });
    // The target gone: the client drains what was written to it (it was sent FIN); its idle timeout bounds that.
    upstream.once('close', () => {
      if (!flow.done && !client.destroyed) halfClosed();
    });
  };
  upstream.once('connect', () => {
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    // Idle: no byte either way (the client socket's timer counts what it sends and what is written to it).
    client.setTimeout(core.options.tunnelIdleTimeoutMs);
    if (client.destroyed) return cleanup();
    if (!core.upstreamProxy) return splice(Buffer.alloc(0));
    // Chained: ask the upstream proxy for the tunnel first (transport's CONNECT: the same request and reading
    // of the answer as the client's # @proxy).
    upstream.write(connectRequest(authority));
    const reader = new ConnectAnswerReader();
    const answerless = () => {
      upstream.destroy();
      refuse('502 Bad Gateway', `The upstream proxy closed the connection without answering the CONNECT to ${authority}`);
    };
    upstream.once('end', answerless);
    onChunk = (d: Buffer) => {
      const answer = reader.read(d);
      if (answer.kind === 'more') return;
      onChunk = () => undefined;
      upstream.off('end', answerless);
      if (answer.kind === 'open') return splice(answer.rest);
      upstream.destroy();
      if (answer.kind === 'too-large') return refuse('502 Bad Gateway', `The upstream proxy answered the CONNECT to ${authority} with more than ${MAX_CONNECT_ANSWER / 1024} KB of head`);
      refuse('502 Bad Gateway', `The upstream proxy refused the tunnel to ${authority}: ${answer.statusLine}`);
    };
  });
}
