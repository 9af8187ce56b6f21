/**
 * Opens a TCP or TLS connection and measures each phase: DNS lookup, TCP connect, TLS handshake.
 * Certificates are verified unless `insecure`; a failed verification still reports the chain
 * so the user can see which certificate was refused and why.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { promises as dnsPromises } from 'node:dns';
import type { Phase, TlsInfo } from '../exchange';
import { PhaseError, describeError, tlsHint } from './errors';
import { tlsInfo } from './tlsinfo';
import type { Operation } from './operation';

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type LookupFn = (host: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = (host) => dnsPromises.lookup(host, { all: true, verbatim: true });

export interface ConnectTarget {
  host: string;
  port: number;
  tls: boolean;
  servername?: string;
  insecure: boolean;
  alpn?: string[];
  /** Extra trusted CAs (PEM) added to Node's bundled roots. */
  ca?: Array<string | Buffer>;
}

export interface ConnectTimings {
  dnsLookup?: number;
  tcpConnect?: number;
  tlsHandshake?: number;
}

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

export function hostPort(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Resolves, connects (trying each address in turn), and optionally wraps in TLS. */
export async function openConnection(target: ConnectTarget, lookup: LookupFn, ctl: OperationControl): Promise<Connected> {
  const timings: ConnectTimings = {};
  const where = hostPort(target.host, target.port);
  let addresses: ResolvedAddress[];
  if (net.isIP(target.host)) {
    addresses = [{ address: target.host, family: net.isIP(target.host) }];
  } else {
    ctl.phase = 'dns';
    const t0 = performance.now();
    try {
      addresses = await ctl.race(lookup(target.host));
    } catch (err) {
      throw asPhaseError(err, 'dns', where, ctl);
    }
    timings.dnsLookup = performance.now() - t0;
    if (addresses.length === 0) throw new PhaseError('dns', `DNS lookup failed: host '${target.host}' has no addresses`, 'ENOTFOUND');
  }

  ctl.phase = 'connect';
  const t1 = performance.now();
  let socket: net.Socket | undefined;
  let lastErr: unknown;
  for (const a of addresses) {
    try {
      socket = await tcpConnect(a.address, target.port, ctl);
      break;
    } catch (err) {
      lastErr = err;
      if (ctl.aborted) break;
    }
  }
  if (!socket) throw asPhaseError(lastErr, 'connect', where, ctl);
  timings.tcpConnect = performance.now() - t1;
  socket.setNoDelay(true);

  if (!target.tls) return { socket, timings };

  ctl.phase = 'tls';
  const t2 = performance.now();
  const servername = target.servername && !net.isIP(target.servername) ? target.servername : undefined;
  let secure: tls.TLSSocket;
  let verifyError: Error | undefined;
  try {
    ({ secure, verifyError } = await tlsHandshake(socket, target, servername, ctl));
  } catch (err) {
    socket.destroy();
    throw asPhaseError(err, 'tls', where, ctl);
  }
  timings.tlsHandshake = performance.now() - t2;
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
  return new Promise((resolve, reject) => {
    if (op.aborted) return reject(op.reason);
    const s = net.connect({ host: address, port, autoSelectFamily: false });
    const off = op.onAbort(() => {
      s.destroy();
      reject(op.reason);
    });
    s.once('connect', () => {
      off();
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e) => {
      off();
      s.destroy();
      reject(e);
    });
  });
}

function tlsHandshake(
  socket: net.Socket,
  target: ConnectTarget,
  servername: string | undefined,
  op: Operation,
): Promise<{ secure: tls.TLSSocket; verifyError?: Error }> {
  return new Promise((resolve, reject) => {
    if (op.aborted) return reject(op.reason);
    let verifyError: Error | undefined;
    const s = tls.connect({
      socket,
      host: target.servername ?? target.host,
      servername,
      rejectUnauthorized: false,
      ca: target.ca && target.ca.length > 0 ? [...tls.rootCertificates, ...target.ca] : undefined,
      ALPNProtocols: target.alpn ?? ['http/1.1'],
      checkServerIdentity: (host, cert) => {
        const e = tls.checkServerIdentity(host, cert);
        if (e) verifyError = e;
        return e;
      },
    });
    const off = op.onAbort(() => {
      s.destroy();
      reject(op.reason);
    });
    s.once('secureConnect', () => {
      off();
      s.removeAllListeners('error');
      resolve({ secure: s, verifyError });
    });
    s.once('error', (e) => {
      off();
      s.destroy();
      reject(e);
    });
  });
}
