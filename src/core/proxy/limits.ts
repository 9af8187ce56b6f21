/**
 * The proxy's guards against hostile peers that are not about HTTP framing: client addresses compared in one
 * canonical form (an IPv4 client on a `::` bind arrives as ::ffff:127.0.0.1), the proxy's own addresses (a
 * request or tunnel to itself would loop, each hop opening another socket), and the words of the answers.
 */
import * as dns from 'node:dns';
import { isIPv4, type LookupFunction } from 'node:net';
import * as os from 'node:os';
import { canonicalIp, hostPort, isLoopback } from '../transport/address';

/**
 * Most interim (1xx) responses relayed for one request. Real servers send one `100 Continue` or a few
 * `103 Early Hints`/`102 Processing`; beyond this the exchange fails with 502 (an origin streaming 1xx
 * forever must not hold a request, nor refresh its upstream timer, indefinitely).
 */
export const MAX_INTERIM_RESPONSES = 16;

/** How long a refused client (408) may take to read the answer before its connection is cut. */
export const REFUSAL_LINGER_MS = 2000;

/** Whether a client address is on the allow-list (each side in canonical form; undefined list: everyone). */
export function clientAllowed(allow: readonly string[] | undefined, remote: string | undefined): boolean {
  if (!allow) return true;
  if (!remote) return false;
  const r = canonicalIp(remote);
  return allow.some((a) => canonicalIp(a) === r);
}

/**
 * Whether a new client connection is served, decided as it arrives: over `maxConnections` it is told 503 and
 * destroyed at once (nothing is kept, nothing read); off the allow-list it is told 403 (nothing it sends is parsed).
 */
export function admission(
  open: number,
  remote: string | undefined,
  options: { readonly maxConnections: number; readonly allowClients?: readonly string[] },
): { kind: 'serve' } | { kind: 'overloaded' | 'forbidden'; status: string; message: string } {
  if (open >= options.maxConnections) {
    return { kind: 'overloaded', status: '503 Service Unavailable', message: `This proxy is serving its maximum of ${options.maxConnections} connections; try again shortly.` };
  }
  if (!clientAllowed(options.allowClients, remote)) return { kind: 'forbidden', status: '403 Forbidden', message: `This proxy does not serve ${remote} (it is not on the client allow-list)` };
  return { kind: 'serve' };
}

/** The addresses a listening proxy answers on, to refuse requests and tunnels that would come back to it. */
export class OwnAddresses {
  private readonly host: string;
  private readonly anyV4: boolean;
  private readonly anyV6: boolean;

  constructor(bound: { host: string; port: number }) {
    this.host = canonicalIp(bound.host);
    this.port = bound.port;
    this.anyV6 = this.host === '::';
    this.anyV4 = this.anyV6 || this.host === '0.0.0.0';
  }

  readonly port: number;

  /** Whether a connection to address:port would reach this proxy. */
  isSelf(address: string, port: number): boolean {
    if (port !== this.port) return false;
    const a = canonicalIp(address);
    // The unspecified address as a destination means this host (Linux connects it to loopback).
    if (a === this.host || a === '0.0.0.0' || a === '::') return true;
    const v4 = isIPv4(a);
    if (!(v4 ? this.anyV4 : this.anyV6)) return false;
    if (isLoopback(a)) return true;
    for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) if (canonicalIp(i.address) === a) return true;
    return false;
  }

  /** What the refusal says. */
  loopMessage(target: string): string {
    return `${target} is this proxy itself (listening on ${hostPort(this.host, this.port)}): forwarding there would loop, each pass opening another connection`;
  }

  /**
   * A lookup for net.connect that refuses a name resolving to this proxy (before any connection is made):
   * the socket fails with code ELOOPDETECTED.
   */
  lookup(port: number, target: string): LookupFunction {
    return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
      dns.lookup(hostname, { ...options }, (err, address: string | dns.LookupAddress[], family?: number) => {
        if (err) return callback(err, address, family);
        const all = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
        if (all.some((a) => this.isSelf(a.address, port))) return callback(Object.assign(new Error(this.loopMessage(target)), { code: 'ELOOPDETECTED' }), address, family);
        callback(null, address, family);
      });
    }) as LookupFunction;
  }
}
