/**
 * Opens a TCP or TLS connection and measures each phase: DNS lookup, TCP connect, TLS handshake.
 * Certificates are verified unless `insecure`; a failed verification still reports the chain
 * so the user can see which certificate was refused and why.
 */
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { nodeDns, nodeTls } from '../lazyNode';
import type { ConnectionInfo, Phase, Timings, TlsInfo } from '../exchange';
import { PhaseError, describeError, tlsHint } from './errors';
import { tlsInfo } from './tlsinfo';
import { hostPort } from './address';
import { nextConnectionId } from './connectionIds';
import type { Operation } from './operation';
import { connectTunnel } from './proxyConnect';
import { monoMs } from '../clock';

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type LookupFn = (host: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = (host) => nodeDns().promises.lookup(host, { all: true, verbatim: true });

export interface ConnectTarget {
  host: string;
  port: number;
  tls: boolean;
  servername?: string;
  insecure: boolean;
  alpn?: string[];
  /** Extra trusted CAs (PEM) added to Node's bundled roots. */
  ca?: Array<string | Buffer>;
  /** Reach the target through this HTTP proxy with a CONNECT tunnel. */
  proxy?: ProxyAddress;
}

export interface ProxyAddress {
  host: string;
  port: number;
}

/** Where a request connects, from its spec: host, port, TLS options and `# @proxy`. */
export function targetOf(
  spec: { host: string; port: number; servername?: string; options: { insecure: boolean; ca?: Array<string | Buffer>; proxy?: string } },
  tls: boolean,
  alpn?: string[],
): ConnectTarget {
  const target: ConnectTarget = { host: spec.host, port: spec.port, tls, servername: spec.servername ?? spec.host, insecure: spec.options.insecure, ca: spec.options.ca };
  if (alpn) target.alpn = alpn;
  if (spec.options.proxy) target.proxy = parseProxy(spec.options.proxy);
  return target;
}

/** Connection details of a socket that is not pooled (TCP/TLS sessions, WebSockets). */
export function unpooledConnection(socket: net.Socket): ConnectionInfo {
  return {
    id: nextConnectionId(),
    reused: false,
    requestsServed: 1,
    pooled: false,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
  };
}

/** `http://host[:port]` → the proxy's address; an https:// proxy (TLS to the proxy itself) is refused in words. */
export function parseProxy(url: string): ProxyAddress {
  const m = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/:@[\]]+)(?::(\d{1,5}))?\/?$/i.exec(url.trim());
  if (!m) throw new PhaseError('proxy', `${JSON.stringify(url)} is not a proxy URL: write e.g. http://127.0.0.1:8888`);
  if (m[1].toLowerCase() === 'https') throw new PhaseError('proxy', `TLS to the proxy itself (${url}) is not supported: use an http:// proxy; the tunnel to the target is still TLS for https:// URLs`);
  return { host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 80 };
}

/** The connection phases of an exchange's timings. */
export type ConnectTimings = Pick<Timings, 'dnsLookup' | 'tcpConnect' | 'proxyTunnel' | 'tlsHandshake'>;

export interface Connected {
  socket: net.Socket;
  tls?: TlsInfo;
  timings: ConnectTimings;
}

/** What a running operation shares with its steps: the phase it is in, and its abort signal. */
export type OperationControl = Operation;

export class TlsVerifyError extends PhaseError {
  constructor(
    message: string,
    readonly tls: TlsInfo,
    readonly timings: ConnectTimings,
    code?: string,
  ) {
    super('tls', message, code);
  }
}

/** Resolves, connects (trying each address in turn), and optionally wraps in TLS. */
export async function openConnection(target: ConnectTarget, lookup: LookupFn, ctl: OperationControl): Promise<Connected> {
  const timings: ConnectTimings = {};
  // With a proxy, DNS and TCP connect are the proxy's; the target's name is resolved by the proxy.
  const first = target.proxy ?? target;
  const where = hostPort(first.host, first.port);
  let addresses: ResolvedAddress[];
  if (net.isIP(first.host)) {
    addresses = [{ address: first.host, family: net.isIP(first.host) }];
  } else {
    ctl.phase = 'dns';
    const t0 = monoMs();
    try {
      addresses = await ctl.race(lookup(first.host));
    } catch (err) {
      throw asPhaseError(err, 'dns', where, ctl);
    }
    timings.dnsLookup = monoMs() - t0;
    if (addresses.length === 0) throw new PhaseError('dns', `DNS lookup failed: host '${first.host}' has no addresses`, 'ENOTFOUND');
  }

  ctl.phase = 'connect';
  const t1 = monoMs();
  let socket: net.Socket | undefined;
  let lastErr: unknown;
  for (const a of addresses) {
    try {
      socket = await tcpConnect(a.address, first.port, ctl);
      break;
    } catch (err) {
      lastErr = err;
      if (ctl.aborted) break;
    }
  }
  if (!socket) throw asPhaseError(lastErr, 'connect', where, ctl);
  timings.tcpConnect = monoMs() - t1;
  socket.setNoDelay(true);

  if (target.proxy) {
    ctl.phase = 'proxy';
    const t = monoMs();
    try {
      await connectTunnel(socket, target, ctl);
    } catch (err) {
      socket.destroy();
      throw asPhaseError(err, 'proxy', where, ctl);
    }
    timings.proxyTunnel = monoMs() - t;
  }

  if (!target.tls) return { socket, timings };

  ctl.phase = 'tls';
  const t2 = monoMs();
  const servername = target.servername && !net.isIP(target.servername) ? target.servername : undefined;
  let secure: tls.TLSSocket;
  let verifyError: Error | undefined;
  try {
    ({ secure, verifyError } = await tlsHandshake(socket, target, servername, ctl));
  } catch (err) {
    socket.destroy();
    throw asPhaseError(err, 'tls', where, ctl);
  }
  timings.tlsHandshake = monoMs() - t2;
  const info = tlsInfo(secure, !target.insecure, servername, secure.authorized ? undefined : verifyError);
  if (!target.insecure && !secure.authorized) {
    secure.destroy();
    const code = (verifyError as NodeJS.ErrnoException | undefined)?.code ?? String(secure.authorizationError ?? '');
    throw new TlsVerifyError(`TLS handshake failed: ${info.authorizationError ?? 'certificate not trusted'}${tlsHint(code)}`, info, timings, code);
  }
  return { socket: secure, tls: info, timings };
}

/** A step's failure as a PhaseError; an abort (timeout, cancel) passes through untouched for the caller to word. */
function asPhaseError(err: unknown, phase: Phase, where: string, ctl: OperationControl): unknown {
  if (ctl.aborted) return ctl.reason;
  if (err instanceof PhaseError) return err;
  const ne = describeError(err, phase, where);
  return new PhaseError(ne.phase, ne.message, ne.code);
}

function tcpConnect(address: string, port: number, op: Operation): Promise<net.Socket> {
  if (op.aborted) return Promise.reject(op.reason);
  const s = net.connect({ host: address, port, autoSelectFamily: false });
  return settled(s, 'connect', op).then(() => s);
}

async function tlsHandshake(socket: net.Socket, target: ConnectTarget, servername: string | undefined, op: Operation): Promise<{ secure: tls.TLSSocket; verifyError?: Error }> {
  if (op.aborted) throw op.reason;
  let verifyError: Error | undefined;
  const s = nodeTls().connect({
    socket,
    host: target.servername ?? target.host,
    servername,
    rejectUnauthorized: false,
    ca: target.ca && target.ca.length > 0 ? [...nodeTls().rootCertificates, ...target.ca] : undefined,
    ALPNProtocols: target.alpn === undefined ? ['http/1.1'] : target.alpn.length > 0 ? target.alpn : undefined,
    checkServerIdentity: (host, cert) => {
      const e = nodeTls().checkServerIdentity(host, cert);
      if (e) verifyError = e;
      return e;
    },
  });
  await settled(s, 'secureConnect', op);
  return { secure: s, verifyError };
}

/** Resolves when `s` emits `done`; an error or an abort of `op` first destroys it and rejects. */
function settled(s: net.Socket, done: 'connect' | 'secureConnect', op: Operation): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = op.onAbort(() => {
      s.destroy();
      reject(op.reason);
    });
    s.once(done, () => {
      off();
      s.removeAllListeners('error');
      resolve();
    });
    s.once('error', (e) => {
      off();
      s.destroy();
      reject(e);
    });
  });
}
