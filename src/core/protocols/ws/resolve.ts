/** `WS ws://host/path` and `WS wss://…` → WsRequestSpec: the handshake headers and the `>` messages. */
import type { HeaderList } from '../../exchange';
import { Codes, q } from '../../netreq/diag';
import { isIpLiteral, originForm, parseHostPort, splitUrl } from '../../netreq/hostport';
import { encodeTarget, expandedBodyLines, expandHeaders, report, reportProblems, type ResolveEnv } from '../../netreq/resolveCommon';
import { parseWsBody, wsMessageData } from '../../netreq/ws';
import type { WsMessage, WsRequestSpec } from './spec';
import { hostForUrl } from '../../transport/address';

/** Default time a WebSocket session stays open after the last message. */
export const WS_WAIT_MS = 1000;

export async function resolveWs(env: ResolveEnv): Promise<WsRequestSpec | undefined> {
  const { block, vars, eff } = env;
  const rl = block.requestLine!;
  const urlText = await vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const headers: HeaderList = (await expandHeaders(env, '')).map((h) => [h.name, h.value]);
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
