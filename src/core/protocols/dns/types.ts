/** What a DNS request asks and what its exchange keeps about the answer (plain data; the bytes are in the transcript). */
export type { DnsRequestSpec } from './spec';

/** One resource record as a person reads it. */
export interface DnsRecordInfo {
  name: string;
  type: string;
  class: string;
  ttl?: number;
  /** The record's data in words, e.g. "127.0.0.42", "10 mail.example.test", "\"hello\"". */
  data: string;
}

/** The answer's header: flags and the response code in words. */
export interface DnsHeaderInfo {
  id: number;
  opcode: string;
  /** QR: this is a response. */
  qr: boolean;
  /** AA: the server is authoritative for the name. */
  aa: boolean;
  /** TC: the answer was cut to fit a UDP datagram. */
  tc: boolean;
  /** RD: recursion was asked for (echoed from the query). */
  rd: boolean;
  /** RA: the server offers recursion. */
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED, … */
  rcode: string;
}

/** The DNS part of an exchange (SocketExchange.dns). */
export interface DnsInfo {
  question: { name: string; type: string };
  /** "127.0.0.1:5353" */
  server: string;
  /** Where the server came from: `# @server`, or /etc/resolv.conf. */
  serverFrom: 'directive' | 'resolv.conf';
  transport: 'udp' | 'tcp';
  /** The query's id. */
  id: number;
  recursionDesired: boolean;
  /** Absent when no answer could be read. */
  header?: DnsHeaderInfo;
  answers: DnsRecordInfo[];
  authorities: DnsRecordInfo[];
  additionals: DnsRecordInfo[];
  /** What a person should know, in words (a truncated answer, datagrams ignored). */
  notes: string[];
}
