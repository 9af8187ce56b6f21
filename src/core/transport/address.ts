/**
 * Addresses as text, in one place: `host:port` with IPv6 in brackets, the host without its brackets, one
 * canonical form of an IP address, and whether an address stays on this machine.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * A host as URLs, Host headers and `host:port` write it: an IPv6 literal (with or without a zone id, anything with
 * a colon) in brackets, a name or an IPv4 address as it is, a host already in brackets left alone.
 */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port`, IPv6 in brackets: `127.0.0.1:80`, `[::1]:80`, `[fe80::1%eth0]:80`, `example.com:443`. */
export function hostPort(host: string, port: number | string): string {
  return `${hostForUrl(host)}:${port}`;
}

/** A host given with brackets (`[::1]`, as in a URL) without them; anything else as it was. */
export function unbracket(host: string): string {
  const m = /^\[([^\]]*)\]$/.exec(host.trim());
  return m ? m[1] : host;
}

/** An IP address in one form: brackets and zone dropped, IPv6 compressed and lower case, v4-mapped IPv6 as IPv4. */
export function canonicalIp(address: string): string {
  let a = address.trim().replace(/^\[(.*)\]$/, '$1');
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return a.toLowerCase();
  const h = new URL(`http://[${a}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (!mapped) return h;
  const hi = parseInt(mapped[1], 16);
  const lo = parseInt(mapped[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * Whether an address (to listen on, or a peer's) stays on this machine: IPv4 127.0.0.0/8, IPv6 ::1, either in
 * brackets or IPv4-mapped (`::ffff:127.0.0.1`), and the name `localhost`. The unspecified addresses (0.0.0.0, ::)
 * are not: listening there is reachable from other machines.
 */
export function isLoopback(address: string): boolean {
  const a = canonicalIp(address);
  if (a === 'localhost' || a === 'localhost.') return true;
  return isIPv4(a) ? a.startsWith('127.') : a === '::1';
}
