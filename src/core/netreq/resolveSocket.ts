/**
 * Socket blocks → TcpRequestSpec (TCP, TLS, QOTD, DAYTIME, ECHO), UdpRequestSpec,
 * MulticastRequestSpec, WsRequestSpec.
 */
import { isIPv6 } from 'node:net';
import type { HeaderList } from '../exchange';
import type { MulticastRequestSpec, SocketRequestSpec, TcpRequestSpec, TcpService, UdpRequestSpec, WsMessage, WsRequestSpec } from '../request';
import { Codes, q } from './diag';
import { hostForUrl } from '../transport/address';
import { isIpLiteral, multicastProblem, originForm, parseHostPort, splitUrl } from './hostport';
import { SERVICE_PORTS } from './requestLine';
import { encodeTarget, expandedBodyLines, hasLineBreak, payloadBytes, report, reportProblems, type ResolveEnv } from './resolveCommon';
import { parseWsBody, wsMessageData } from './ws';

/** Default reply-collection window for UDP and MULTICAST without `# @timeout`. */
export const DATAGRAM_WAIT_MS = 2000;
/** Default silence after the first byte that ends a TCP read. */
export const TCP_IDLE_MS = 1000;
/** Default time a WebSocket session stays open after the last message. */
export const WS_WAIT_MS = 1000;

export async function resolveSocket(env: ResolveEnv): Promise<SocketRequestSpec | undefined> {
  const rl = env.block.requestLine!;
  if (rl.protocol === 'ws') return resolveWs(env);
  const targetText = await env.vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const payload = await payloadBytes(env);
  if (env.vars.hasErrors) return undefined;
  const def = SERVICE_PORTS[rl.protocol];
  const hp = parseHostPort(targetText, { requirePort: def === undefined, defaultPort: def, what: rl.method });
  if (hp.problems.length > 0 || hp.port === undefined) {
    reportProblems(env, hp.problems, rl.targetSpan, rl.target, targetText);
    return undefined;
  }
  const { eff, options } = env;
  const host = hp.host;
  const port = hp.port;
  const hex = eff.hex === true;
  switch (rl.protocol) {
    case 'udp': {
      const spec: UdpRequestSpec = { kind: 'udp', host, port, payload, waitMs: eff.timeoutMs ?? DATAGRAM_WAIT_MS, hex, options };
      if (eff.replies !== undefined) spec.replies = eff.replies;
      if (eff.eol !== undefined) spec.eol = eff.eol;
      return spec;
    }
    case 'multicast': {
      const m = multicastProblem(host);
      if (m) {
        reportProblems(env, [{ start: 0, end: 0, code: Codes.notMulticast, message: m }], rl.targetSpan, rl.target, targetText);
        return undefined;
      }
      const spec: MulticastRequestSpec = {
        kind: 'multicast',
        group: host,
        port,
        family: isIPv6(host) ? 6 : 4,
        payload,
        ttl: eff.ttl ?? 1,
        loopback: eff.loopback ?? true,
        repeat: eff.repeat?.count ?? 1,
        everyMs: eff.repeat?.everyMs ?? 1000,
        waitMs: eff.timeoutMs ?? DATAGRAM_WAIT_MS,
        hex,
        options,
      };
      if (eff.interface !== undefined) spec.interface = eff.interface;
      if (eff.replies !== undefined) spec.replies = eff.replies;
      if (eff.eol !== undefined) spec.eol = eff.eol;
      return spec;
    }
    default: {
      const tls = rl.protocol === 'tls';
      const spec: TcpRequestSpec = {
        kind: tls ? 'tls' : 'tcp',
        host,
        port,
        payload,
        idleMs: eff.idleMs ?? TCP_IDLE_MS,
        maxBytes: eff.maxBytes ?? options.maxResponseBytes,
        halfClose: eff.halfClose ?? false,
        hex,
        options,
      };
      if (def !== undefined) spec.service = rl.protocol as TcpService; // a classic service: TCP with a default port
      if (tls && !isIpLiteral(host)) spec.servername = host;
      if (eff.readUntil !== undefined) spec.readUntil = eff.readUntil;
      if (eff.eol !== undefined) spec.eol = eff.eol;
      return spec;
    }
  }
}

async function resolveWs(env: ResolveEnv): Promise<WsRequestSpec | undefined> {
  const { block, vars, eff } = env;
  const rl = block.requestLine!;
  const urlText = await vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const headers: HeaderList = [];
  for (const h of block.headers) {
    const text = h.text ?? `${h.name}: ${h.value}`;
    const x = await vars.expand(text, { line: h.line, col: 0 });
    const colon = x.indexOf(':');
    const name = colon >= 0 ? x.slice(0, colon).trim() : x.trim();
    if (hasLineBreak(x)) {
      report(env, { start: { line: h.line, col: 0 }, end: { line: h.line, col: text.length } }, Codes.badHeader, `Header ${q(name)} contains a line break after substitution`);
    }
    headers.push([name, colon >= 0 ? x.slice(colon + 1).trim() : '']);
  }
  const messages: WsMessage[] = [];
  let bodyWait: number | undefined;
  if (block.body) {
    const lines = await expandedBodyLines(env, block.body);
    const parsed = parseWsBody(lines);
    for (const p of parsed.problems) {
      if (p.severity !== 'error') continue;
      const line = block.body.startLine + p.index;
      report(env, { start: { line, col: p.start }, end: { line, col: p.end } }, p.kind === 'hex' ? Codes.badHex : Codes.badDirectiveValue, p.message);
    }
    for (const m of parsed.messages) {
      const msg: WsMessage = { type: m.type, data: wsMessageData(m), line: block.body.startLine + m.index };
      if (m.pauseMs !== undefined) msg.pauseMs = m.pauseMs;
      messages.push(msg);
    }
    bodyWait = parsed.waitMs;
  }
  if (vars.hasErrors) return undefined;
  const url = splitUrl(urlText);
  if (!url || (url.scheme !== 'ws' && url.scheme !== 'wss')) {
    const became = rl.target !== urlText ? `${q(rl.target)} became ${q(urlText)}, which ` : `${q(urlText)} `;
    report(env, rl.targetSpan, Codes.badUrl, `${became}is not a ws:// or wss:// URL`);
    return undefined;
  }
  const tls = url.scheme === 'wss';
  const defaultPort = tls ? 443 : 80;
  const hp = parseHostPort(url.authority, { requirePort: false, what: 'WS', defaultPort });
  if (hp.problems.length > 0 || hp.port === undefined) {
    reportProblems(env, hp.problems, rl.targetSpan, rl.target, urlText);
    return undefined;
  }
  const target = encodeTarget(originForm(url.pathAndQuery));
  const spec: WsRequestSpec = {
    kind: 'ws',
    url: `${url.scheme}://${hostForUrl(hp.host)}${hp.port === defaultPort ? '' : `:${hp.port}`}${target}`,
    tls,
    host: eff.connect ? eff.connect.host : hp.host,
    port: eff.connect ? eff.connect.port : hp.port,
    target,
    headers,
    messages,
    waitMs: bodyWait ?? eff.waitMs ?? WS_WAIT_MS,
    options: env.options,
  };
  if (!isIpLiteral(hp.host)) spec.servername = hp.host;
  return spec;
}
