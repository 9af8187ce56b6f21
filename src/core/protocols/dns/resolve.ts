/** A `DNS name [TYPE]` block → DnsRequestSpec: the name and type after substitution, the server, the flags. */
import { isIP } from 'node:net';
import { Codes } from '../../netreq/diag';
import { report, type ResolveEnv } from '../../netreq/resolveCommon';
import type { Span } from '../../netreq/types';
import { dnsType, nameProblems, typeProblem, type DnsType } from './name';
import type { DnsRequestSpec } from './types';

/** How long a DNS question waits for its answer without `# @timeout`. */
export const DNS_TIMEOUT_MS = 5000;

/** The in-addr.arpa / ip6.arpa name of an IP address (for PTR questions written as an address). */
export function reverseName(ip: string): string | undefined {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (isIP(ip) !== 6) return undefined;
  const parts = ip.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  if (tail.length && tail[tail.length - 1].includes('.')) return undefined; // IPv4-mapped forms: write the arpa name
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const hex = groups.map((g) => g.padStart(4, '0')).join('');
  return `${hex.split('').reverse().join('.')}.ip6.arpa`;
}

export async function resolveDns(env: ResolveEnv): Promise<DnsRequestSpec | undefined> {
  const rl = env.block.requestLine!;
  const typeTok = /^\s*\S+\s+\S+\s+(\S+)/.exec(rl.text);
  const typeCol = typeTok ? rl.text.indexOf(typeTok[1], rl.targetSpan.end.col) : -1;
  const nameText = await env.vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const typeText = typeTok ? await env.vars.expand(typeTok[1], { line: rl.line, col: typeCol }) : 'A';
  if (env.vars.hasErrors) return undefined;
  const nameSpan = rl.targetSpan;
  const typeSpan: Span = typeTok ? { start: { line: rl.line, col: typeCol }, end: { line: rl.line, col: typeCol + typeTok[1].length } } : nameSpan;
  const type = dnsType(typeText);
  if (!type) {
    report(env, typeSpan, Codes.unknownDnsType, typeProblem(typeText)?.message ?? `${typeText} is not a DNS type`);
    return undefined;
  }
  let name = nameText;
  if (type === 'PTR' && isIP(nameText)) name = reverseName(nameText) ?? nameText;
  const problems = nameProblems(name);
  if (problems.length > 0) {
    const became = name !== rl.target ? ` (the name became "${name.slice(0, 80)}")` : '';
    for (const p of problems) report(env, nameSpan, Codes.badDnsName, `${p.message}${became}`);
    return undefined;
  }
  if (env.block.body && env.block.body.text.trim() !== '') {
    const b = env.block.body;
    report(env, { start: { line: b.startLine, col: 0 }, end: { line: b.endLine, col: 0 } }, Codes.unexpectedText, 'A DNS request sends no body: the lines after the request line are not sent', 'warning');
  }
  const { eff, options } = env;
  const spec: DnsRequestSpec = {
    kind: 'dns',
    name: name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name,
    type: type as DnsType,
    tcp: eff.tcp === true,
    recurse: eff.noRecurse !== true,
    timeoutMs: eff.timeoutMs ?? DNS_TIMEOUT_MS,
    options,
  };
  if (eff.server) spec.server = { host: eff.server.host, port: eff.server.port };
  return spec;
}
