/**
 * What the protocol modules' resolvers (src/core/protocols/<id>/resolve.ts) share: the per-call state,
 * reporting, header lines, body files, inline payloads, `host:port` targets and request-target encoding.
 */
import * as path from 'node:path';
import { kindSyntax } from '../protocols/kinds';
import type { EffectiveDirectives } from './directives';
import { Codes, type DiagnosticCode, q } from './diag';
import { bodyIndex, bodyLine } from './dialect';
import { parseHexLines } from './hex';
import { checkRestrictedFile, RESTRICTED_PREFIX } from './restricted';
import { parseHostPort, type Problem } from './hostport';
import type { RequestOptions } from '../request';
import type { Block, BodySource, Diagnostic, NetreqDocument, ResolveContext, Span } from './types';
import { describeFsError, type VariableResolver } from './variables';

export interface ResolveEnv {
  doc: NetreqDocument;
  block: Block;
  ctx: ResolveContext;
  vars: VariableResolver;
  eff: EffectiveDirectives;
  options: RequestOptions;
  diags: Diagnostic[];
}

export function report(env: ResolveEnv, span: Span, code: DiagnosticCode, message: string, severity: Diagnostic['severity'] = 'error'): void {
  env.diags.push({ span, severity, code, message });
}

/** Host/port problems found after substitution: reported on `span`, saying what the text became. */
export function reportProblems(env: ResolveEnv, problems: readonly Problem[], span: Span, written: string, expanded: string): void {
  const became = written !== expanded ? `${q(written)} became ${q(expanded)}: ` : '';
  for (const p of problems) report(env, span, p.code, `${became}${p.message}`);
}

/** The span of a whole line of `text`. */
export function lineSpanOf(line: number, text: string): Span {
  return { start: { line, col: 0 }, end: { line, col: text.length } };
}

/** One header line after substitution: the text as expanded, and its name and value. */
export interface ExpandedHeader {
  text: string;
  name: string;
  value: string;
}

/**
 * The block's header lines with variables substituted. A line that holds a line break after substitution
 * is an error (`Header "x" contains a line break after substitution` + `breakNote`), unless `breakNote` is
 * undefined (HTTP `# @raw`: sent as written).
 */
export async function expandHeaders(env: ResolveEnv, breakNote: string | undefined): Promise<ExpandedHeader[]> {
  const out: ExpandedHeader[] = [];
  for (const h of env.block.headers) {
    const text = h.text ?? `${h.name}: ${h.value}`;
    const x = await env.vars.expand(text, { line: h.line, col: 0 });
    const colon = x.indexOf(':');
    const name = colon >= 0 ? x.slice(0, colon).trim() : x.trim();
    if (breakNote !== undefined && hasLineBreak(x)) {
      report(env, lineSpanOf(h.line, text), Codes.badHeader, `Header ${q(name)} contains a line break after substitution${breakNote}`);
    }
    out.push({ text: x, name, value: colon >= 0 ? x.slice(colon + 1).trim() : '' });
  }
  return out;
}

/** A `host:port` request (the stream and datagram kinds) after substitution: where, and the payload. */
export interface HostPortTarget {
  host: string;
  port: number;
  /** The target as expanded (quoted in later problems). */
  text: string;
  payload: Buffer;
  /** The kind's default port (a classic service), if it has one. */
  defaultPort?: number;
}

/** The target and the payload of a `host:port` block; undefined after reporting a problem. */
export async function hostPortTarget(env: ResolveEnv): Promise<HostPortTarget | undefined> {
  const rl = env.block.requestLine!;
  const text = await env.vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const payload = await payloadBytes(env);
  if (env.vars.hasErrors) return undefined;
  const defaultPort = kindSyntax(rl.protocol).defaultPort;
  const hp = parseHostPort(text, { requirePort: defaultPort === undefined, defaultPort, what: rl.method });
  if (hp.problems.length > 0 || hp.port === undefined) {
    reportProblems(env, hp.problems, rl.targetSpan, rl.target, text);
    return undefined;
  }
  return { host: hp.host, port: hp.port, text, payload, defaultPort };
}

export function lineSpan(env: ResolveEnv, line: number): Span {
  const text = lineText(env, line);
  return { start: { line, col: 0 }, end: { line, col: text.length } };
}

/** The raw text of a body line (bodies keep their lines; comment lines removed from `.http` bodies are none). */
export function lineText(env: ResolveEnv, line: number): string {
  const b = env.block.body;
  const k = b ? bodyIndex(b, line) : -1;
  if (!b || k < 0) return '';
  return b.text.split('\n')[k] ?? '';
}

/** Each inline body line with variables substituted (problems at the lines' document line numbers). */
export async function expandedBodyLines(env: ResolveEnv, body: BodySource): Promise<string[]> {
  const lines = body.text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) out.push(await env.vars.expand(lines[i], { line: bodyLine(body, i), col: 0 }));
  return out;
}

/**
 * `< path` (bytes as-is) or `<@ path` (variables substituted; the file decoded as `encoding`, default UTF-8, and
 * sent as UTF-8, as REST Client's `<@latin1`); undefined after reporting a problem.
 */
export async function readBodyFile(env: ResolveEnv, file: NonNullable<BodySource['file']>, encoding?: string): Promise<Buffer | undefined> {
  const text = lineText(env, file.line);
  const col = Math.max(0, text.indexOf(file.path));
  const span: Span = { start: { line: file.line, col }, end: { line: file.line, col: col + file.path.length } };
  const before = env.vars.errorCount;
  const p = await env.vars.expand(file.path, { line: file.line, col });
  if (env.vars.errorCount > before) return undefined;
  const base = env.ctx.baseDir;
  if (!path.isAbsolute(p) && !base) {
    report(env, span, Codes.bodyFileUnreadable, `Cannot read body file ${p}: the .netreq file has not been saved, so there is no folder to find it in (save it, or use an absolute path)`);
    return undefined;
  }
  let abs = base ? path.resolve(base, p) : p;
  const restricted = env.ctx.restricted;
  if (restricted) {
    const check = await checkRestrictedFile(abs, p, restricted.folders);
    if (!check.ok && check.code === 'restricted-file') {
      report(env, span, Codes.restrictedFile, check.message ?? RESTRICTED_PREFIX);
      return undefined;
    }
    // Read the path that was checked (a symbolic link is not followed a second time).
    if (check.ok) abs = check.realPath;
  }
  let buf: Buffer;
  try {
    buf = await env.ctx.readFile(abs);
  } catch (e) {
    report(env, span, Codes.bodyFileUnreadable, `Cannot read body file ${p}: ${describeFsError(e)} (looked in ${abs})`);
    return undefined;
  }
  if (!file.substitute) return buf;
  const expanded = await env.vars.expand(buf.toString((encoding ?? 'utf8') as BufferEncoding), { span, note: ` (in ${p})` });
  return Buffer.from(expanded, 'utf8');
}

/**
 * The payload of a socket block: a body file, hex text (`# @hex`), or text lines joined per
 * `# @eol` (absent: CRLF between lines, nothing after the last, trailing blank lines dropped;
 * lf / crlf: after every line, trailing blank lines kept; none: nothing between lines).
 */
export async function payloadBytes(env: ResolveEnv): Promise<Buffer> {
  const body = env.block.body;
  if (!body) return Buffer.alloc(0);
  if (body.file) return (await readBodyFile(env, body.file)) ?? Buffer.alloc(0);
  const lines = await expandedBodyLines(env, body);
  if ((env.eff.eol === 'crlf' || env.eff.eol === 'lf') && body.trailingBlankLines) {
    // With an explicit line ending, blank lines written at the end are sent too (the empty
    // line that ends an HTTP head typed over TCP/TLS).
    for (let i = 0; i < body.trailingBlankLines; i++) lines.push('');
  }
  if (env.eff.hex) {
    const r = parseHexLines(lines);
    for (const p of r.problems) {
      const line = body.startLine + p.index;
      report(env, { start: { line, col: p.start }, end: { line, col: p.end } }, Codes.badHex, p.message);
    }
    return r.bytes;
  }
  switch (env.eff.eol) {
    case 'lf':
      return Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    case 'crlf':
      return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8');
    case 'none':
      return Buffer.from(lines.join(''), 'utf8');
    default:
      return Buffer.from(lines.join('\r\n'), 'utf8');
  }
}

/**
 * Percent-encodes what cannot go on a request line as is (controls, space, DEL, non-ASCII),
 * leaving everything else — including existing %XX escapes — exactly as written.
 */
export function encodeTarget(target: string): string {
  let out = '';
  for (const ch of target) {
    const c = ch.codePointAt(0)!;
    if (c > 0x20 && c < 0x7f) {
      out += ch;
      continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function hasLineBreak(s: string): boolean {
  return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
}
