/** What a resolved DNS block asks the DNS engine to do. */
import type { RequestOptions } from '../../request';
import type { DnsType } from './name';

/** `DNS name [TYPE]` resolved: one question to one server. */
export interface DnsRequestSpec {
  kind: 'dns';
  /** The name asked for, as written (a PTR question for an IP address asks for its in-addr.arpa / ip6.arpa name). */
  name: string;
  type: DnsType;
  /** `# @server host[:port]`; absent: the first nameserver in /etc/resolv.conf. */
  server?: { host: string; port: number };
  /** `# @tcp`: ask over TCP (length-prefixed) instead of UDP. */
  tcp: boolean;
  /** Recursion desired (RD); `# @no-recurse` clears it. */
  recurse: boolean;
  /** Bound on the whole exchange: `# @timeout`, default DNS_TIMEOUT_MS. */
  timeoutMs: number;
  options: RequestOptions;
}
