/**
 * Sends one DNS question and reads its answer, over UDP (one datagram each way) or TCP (a 2-byte length, then
 * the message). Never rejects: a failure is in the exchange, tagged by phase, in words. Every wait is bounded by
 * the request's timeout; every byte count by the protocol's 65,535.
 */
import { nodeDgram, nodeFsPromises } from '../../lazyNode';
import * as net from 'node:net';
import type * as dnsPacket from 'dns-packet';
import { libDnsPacket } from '../../lazyNode';
import { formatMs } from '../../../common/format';
import { newSocketExchange, type NetError, type Phase, type SocketExchange, type StopReason, type TranscriptEntry } from '../../exchange';
import { hostPort } from '../../transport/address';
import { headerOf, rcodeText, recordsOf } from './records';
import type { DnsInfo, DnsRequestSpec } from './types';
import { monoMs } from '../../clock';

/** The largest DNS message either way (UDP datagram payload, and TCP's 16-bit length prefix). */
export const DNS_MAX_MESSAGE = 65535;
/** Datagrams from the server that are not the answer (wrong id, unreadable) kept in the transcript; more are counted. */
export const DNS_STRAYS_KEPT = 8;
/** /etc/resolv.conf is read up to this many bytes. */
const RESOLV_CONF_MAX = 64 * 1024;

export interface DnsDeps {
  /** Where the default server is read from (tests pass a file of their own). */
  resolvConf?: string;
}

/** The first `nameserver` of a resolv.conf text (zone ids dropped), or undefined. */
export function firstNameserver(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const ip = m[1].split('%')[0];
    if (net.isIP(ip)) return ip;
  }
  return undefined;
}

async function readBounded(file: string): Promise<string> {
  const fh = await nodeFsPromises().open(file, 'r');
  try {
    const buf = Buffer.alloc(RESOLV_CONF_MAX);
    const { bytesRead } = await fh.read(buf, 0, RESOLV_CONF_MAX, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

class Failed extends Error {
  constructor(
    readonly phase: Phase,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function sendDns(spec: DnsRequestSpec, opts: { signal?: AbortSignal } = {}, deps: DnsDeps = {}): Promise<SocketExchange> {
  const startedAt = Date.now();
  const t0 = monoMs();
  const since = () => monoMs() - t0;
  const transport = spec.tcp ? 'tcp' : 'udp';
  const id = Math.floor(Math.random() * 0x10000);
  const info: DnsInfo = {
    question: { name: spec.name, type: spec.type },
    server: '',
    serverFrom: spec.server ? 'directive' : 'resolv.conf',
    transport,
    id,
    recursionDesired: spec.recurse,
    answers: [],
    authorities: [],
    additionals: [],
    notes: [],
  };
  const x: SocketExchange = { ...newSocketExchange({ protocol: 'dns', host: '', port: 53, target: '', payloadBytes: 0 }), startedAt, dns: info };
  const finish = (stop: StopReason, detail: string, error?: NetError): SocketExchange => {
    x.stop = stop;
    x.stopDetail = detail;
    if (error) x.error = error;
    x.timings.total = since();
    return x;
  };

  let server = spec.server;
  if (!server) {
    const file = deps.resolvConf ?? '/etc/resolv.conf';
    let text: string;
    try {
      text = await readBounded(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return finish('error', 'no server', { phase: 'resolve', code, message: `No DNS server: ${file} cannot be read (${code ?? 'error'}); write # @server host[:port]` });
    }
    const ip = firstNameserver(text);
    if (!ip) return finish('error', 'no server', { phase: 'resolve', message: `No DNS server: ${file} has no nameserver line; write # @server host[:port]` });
    server = { host: ip, port: 53 };
  }
  info.server = hostPort(server.host, server.port);
  Object.assign(x.request, { host: server.host, port: server.port, target: `${spec.name} ${spec.type} @${info.server} (${transport}${info.serverFrom === 'resolv.conf' ? ', from /etc/resolv.conf' : ''})` });

  let query: Buffer;
  try {
    query = libDnsPacket().encode({ type: 'query', id, flags: spec.recurse ? libDnsPacket().RECURSION_DESIRED : 0, questions: [{ type: spec.type as dnsPacket.RecordType, name: spec.name, class: 'IN' }] });
  } catch (e) {
    return finish('error', 'not sent', { phase: 'resolve', message: `The question cannot be encoded: ${(e as Error).message}` });
  }
  x.request.payloadBytes = query.length;

  const received = (data: Buffer) => {
    x.receivedBytes += data.length;
    x.transcript.push({ dir: 'received', at: since(), data, peer: info.server } satisfies TranscriptEntry);
  };
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Failed('wait', `No answer from ${info.server} within ${formatMs(spec.timeoutMs)} (over ${transport.toUpperCase()})`, 'ETIMEDOUT')), spec.timeoutMs);
  const onCancel = () => ac.abort(new Failed('cancelled', 'Cancelled'));
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    const answer = spec.tcp ? await overTcp(server, query, ac.signal, x, since, received) : await overUdp(server, query, id, ac.signal, x, since, received, info);
    let decoded: dnsPacket.DecodedPacket;
    try {
      decoded = libDnsPacket().decode(answer);
    } catch (e) {
      throw new Failed('parse', `The answer is not a DNS message (${(e as Error).message}); its ${answer.length} bytes are in the transcript`);
    }
    if (spec.tcp && decoded.id !== id) throw new Failed('parse', `The answer's id ${decoded.id ?? '?'} is not the query's ${id}`);
    const h = headerOf(decoded);
    info.header = h;
    for (const section of ['answers', 'authorities', 'additionals'] as const) {
      const r = recordsOf(decoded[section]);
      info[section] = r.kept;
      if (r.notKept) info.notes.push(`${r.notKept} more ${section} records were in the answer, not kept (the first ${r.kept.length} are)`);
    }
    if (!h.qr) info.notes.push('The answer does not have the QR (response) flag set');
    if (h.tc) info.notes.push(`The answer was truncated (TC): the server had more than fits in a UDP datagram; add # @tcp to ask over TCP`);
    if (spec.recurse && !h.ra) info.notes.push('The server does not offer recursion (RA is not set)');
    const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    const counts = `${n(info.answers.length, 'answer')}, ${n(info.authorities.length, 'authority record')}, ${n(info.additionals.length, 'additional record')}`;
    return finish('replies', `${rcodeText(h.rcode)}: ${counts}${h.tc ? ', truncated (TC)' : ''}`);
  } catch (e) {
    const f = e instanceof Failed ? e : ac.signal.reason instanceof Failed ? (ac.signal.reason as Failed) : new Failed('receive', (e as Error).message);
    const stop: StopReason = f.phase === 'cancelled' ? 'cancelled' : f.code === 'ETIMEDOUT' ? 'timeout' : 'error';
    return finish(stop, f.message, { phase: f.phase, message: f.message, ...(f.code ? { code: f.code } : {}) });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
}

type Received = (data: Buffer) => void;

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

async function overUdp(
  server: { host: string; port: number },
  query: Buffer,
  id: number,
  signal: AbortSignal,
  x: SocketExchange,
  since: () => number,
  received: Received,
  info: DnsInfo,
): Promise<Buffer> {
  const sock = nodeDgram().createSocket({ type: net.isIPv6(server.host) ? 'udp6' : 'udp4', recvBufferSize: DNS_MAX_MESSAGE + 1 });
  let strays = 0;
  let ignored = 0;
  try {
    const answer = new Promise<Buffer>((resolve, reject) => {
      sock.on('error', (e) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') reject(new Failed('receive', `No one is listening on ${info.server}: the host answered "port unreachable" (ICMP)`, code));
        else reject(new Failed('receive', `The UDP socket failed: ${e.message}`, code));
      });
      sock.on('message', (msg, rinfo) => {
        if (rinfo.port !== server.port || rinfo.address !== server.host) {
          ignored++;
          return;
        }
        const got = msg.length >= 2 ? msg.readUInt16BE(0) : -1;
        if (got === id) {
          received(msg);
          resolve(msg);
          return;
        }
        strays++;
        if (strays <= DNS_STRAYS_KEPT) received(msg);
        else x.receivedBytes += msg.length;
      });
    });
    const t = since();
    await Promise.race([
      // Connected: the kernel passes on only the server's datagrams, and a closed port comes back as ECONNREFUSED.
      new Promise<void>((resolve, reject) =>
        sock.connect(server.port, server.host, () =>
          sock.send(query, (e) => (e ? reject(new Failed('send', `Sending the query to ${info.server} failed: ${e.message}`, (e as NodeJS.ErrnoException).code)) : resolve())),
        ),
      ),
      aborted(signal),
      answer,
    ]);
    x.sentBytes = query.length;
    x.transcript.unshift({ dir: 'sent', at: t, data: query, peer: info.server });
    x.timings.requestSent = since() - t;
    const sentAt = since();
    const a = await Promise.race([answer, aborted(signal)]);
    x.timings.firstByte = since() - sentAt;
    return a;
  } finally {
    if (strays) info.notes.push(`${strays} datagram${strays === 1 ? '' : 's'} from the server did not carry the query's id ${id} and were ignored${strays > DNS_STRAYS_KEPT ? ` (the first ${DNS_STRAYS_KEPT} are in the transcript)` : ''}`);
    if (ignored) info.notes.push(`${ignored} datagram${ignored === 1 ? '' : 's'} from other addresses were ignored`);
    sock.close();
  }
}

async function overTcp(server: { host: string; port: number }, query: Buffer, signal: AbortSignal, x: SocketExchange, since: () => number, received: Received): Promise<Buffer> {
  const where = hostPort(server.host, server.port);
  const sock = net.connect({ host: server.host, port: server.port });
  const chunks: Buffer[] = [];
  let have = 0;
  try {
    const tc = since();
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', (e) => reject(new Failed('connect', `Connecting to ${where} failed: ${e.message}`, (e as NodeJS.ErrnoException).code)));
      }),
      aborted(signal),
    ]);
    x.timings.tcpConnect = since() - tc;
    const framed = Buffer.alloc(query.length + 2);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    const ts = since();
    sock.write(framed);
    x.sentBytes = framed.length;
    x.transcript.push({ dir: 'sent', at: ts, data: framed, peer: where });
    x.timings.requestSent = since() - ts;
    let first: number | undefined;
    const message = await Promise.race([
      new Promise<Buffer>((resolve, reject) => {
        let want = -1;
        sock.removeAllListeners('error');
        sock.on('error', (e) => reject(new Failed('receive', `The connection to ${where} failed: ${e.message}`, (e as NodeJS.ErrnoException).code)));
        sock.on('data', (d: Buffer) => {
          first ??= since();
          // At most the 2-byte length and the message it announces: anything after is not read.
          const room = (want < 0 ? 2 + DNS_MAX_MESSAGE : want + 2) - have;
          const part = d.length > room ? d.subarray(0, room) : d;
          chunks.push(part);
          have += part.length;
          received(part);
          if (want < 0 && have >= 2) want = Buffer.concat(chunks).readUInt16BE(0);
          if (want >= 0 && have >= want + 2) resolve(Buffer.concat(chunks).subarray(2, 2 + want));
        });
        sock.on('end', () =>
          reject(new Failed('receive', want < 0 ? `${where} closed the connection before the answer's length` : `${where} closed the connection after ${have - 2} of the ${want} bytes it announced`)),
        );
      }),
      aborted(signal),
    ]);
    x.timings.firstByte = first !== undefined ? first - ts : undefined;
    return message;
  } finally {
    sock.destroy();
  }
}
