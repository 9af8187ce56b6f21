/**
 * Checks the parser runs once all blocks and file variables are known: directive
 * applicability, duplicate request names, and every `{{…}}` reference.
 */
export { checkAsserts } from '../asserts/parse';
import { foreignSystemVariable } from './foreign';
import { appliesTo, directiveSpec } from './directives';
import { Codes, diag, q } from './diag';
import { isHostName, isHttpUrl, trimEndCol } from './scan';
import { parseHostPort } from './hostport';
import { protocolLabel } from '../protocols/kinds';
import { checkSystemRef, nestedEnd, nestedMessage, requestVariablePrefix, scanRefs } from './templates';
import type { Block, Diagnostic, Directive, HeaderLine, Protocol } from './types';

export function checkApplicability(block: Block, protocol: Protocol, diags: Diagnostic[]): void {
  for (const d of block.directives) {
    const spec = directiveSpec(d.key);
    if (!spec || spec.ignored || appliesTo(d.key, protocol) || spec.applies === 'all') continue;
    const where = spec.applies.map((p) => protocolLabel(p)).join(', ');
    diags.push({
      span: d.span,
      severity: 'warning',
      code: Codes.directiveNotApplicable,
      message: `# @${d.key} has no effect on ${protocolLabel(protocol)} requests (it applies to ${where})`,
    });
  }
}

export function checkNames(blocks: readonly Block[], diags: Diagnostic[]): void {
  const seen = new Map<string, number>();
  for (const b of blocks) {
    if (b.name === undefined) continue;
    const first = seen.get(b.name);
    if (first === undefined) {
      seen.set(b.name, b.startLine);
      continue;
    }
    const d = [...b.directives].reverse().find((x) => x.key === 'name')!;
    diags.push({
      span: d.span,
      severity: 'warning',
      code: Codes.duplicateName,
      message: `Request name '${b.name}' is already used by the block on line ${first + 1}; names must be unique (the first block is the one found by name)`,
    });
  }
}

/** A `{{name}}` not (yet) known as a file variable where it was seen. */
export interface PendingRef {
  line: number;
  start: number;
  end: number;
  name: string;
}

/**
 * Checks the `{{…}}` references in one piece of text at (line, col): syntax problems are
 * reported at once; names not yet defined are kept in `pending` for `checkPending`.
 */
export function checkRefs(
  text: string,
  line: number,
  col: number,
  varLines: ReadonlyMap<string, number>,
  pending: PendingRef[],
  diags: Diagnostic[],
): void {
  // Allocation-light on purpose: this runs for every line that holds `{{`.
  let from = text.indexOf('{{');
  while (from >= 0) {
    const close = text.indexOf('}}', from + 2);
    if (close < 0) {
      diags.push(diag(line, col + from, col + trimEndCol(text), 'error', Codes.unterminatedVariable, `'{{' is not closed on this line: write {{name}}`));
      return;
    }
    const next = text.indexOf('{{', from + 2);
    if (next >= 0 && next < close) {
      const end = nestedEnd(text, from);
      const r = scanRefs(text.slice(from, end)).refs[0];
      diags.push(diag(line, col + from, col + end, 'error', Codes.nestedVariable, nestedMessage(r)));
      from = text.indexOf('{{', end);
      continue;
    }
    const a = col + from;
    const b = col + close + 2;
    let s = from + 2;
    let e = close;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    const c = text.charCodeAt(s);
    if (c === 36 /* $ */) {
      const r = scanRefs(text.slice(from, close + 2)).refs[0];
      const foreign = foreignSystemVariable(r.name);
      const p = foreign === undefined ? checkSystemRef(r) : undefined;
      if (foreign !== undefined) diags.push(diag(line, a, b, 'error', Codes.unsupportedFeature, foreign));
      else if (p) diags.push(diag(line, a, b, 'error', p.unknown ? Codes.unknownSystemVariable : Codes.badSystemVariable, p.message));
    } else {
      if (c === 37 /* % */) {
        s++;
        while (s < e && isSpace(text.charCodeAt(s))) s++;
      }
      if (s >= e) {
        diags.push(diag(line, a, b, 'error', Codes.emptyVariable, `Empty variable reference: write {{name}}`));
      } else {
        const name = text.slice(s, e);
        if (!varLines.has(name)) pending.push({ line, start: a, end: b, name });
      }
    }
    from = text.indexOf('{{', close + 2);
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** Warns about references to names that no file variable defines (once every file variable is known). */
export function checkPending(pending: readonly PendingRef[], blocks: readonly Block[], varLines: ReadonlyMap<string, number>, diags: Diagnostic[]): void {
  if (pending.length === 0) return;
  const names = new Set<string>();
  for (const b of blocks) if (b.name !== undefined) names.add(b.name);
  for (const p of pending) {
    if (varLines.has(p.name)) continue;
    const prefix = requestVariablePrefix(p.name);
    if (prefix !== undefined && names.has(prefix)) continue; // request variables: the resolver reads them
    if (prefix !== undefined) {
      const message = `{{${p.name.length > 60 ? `${p.name.slice(0, 59)}…` : p.name}}}: no request named '${prefix}' in this file (name one with # @name ${prefix})`;
      diags.push({ ...diag(p.line, p.start, p.end, 'error', Codes.undefinedVariable, message), variable: p.name });
      continue;
    }
    diags.push({
      ...diag(
        p.line,
        p.start,
        p.end,
        'warning',
        Codes.undefinedVariable,
        `Variable '${p.name}' is not defined in this file: it must come from the active environment or --var, or sending will fail`,
      ),
      variable: p.name,
    });
  }
}

/** An HTTP block without a full URL needs a Host header (or # @connect); checks the Host value. */
export function checkHttpHost(block: Block, raw: boolean, diags: Diagnostic[]): void {
  const rl = block.requestLine!;
  const target = rl.target;
  let hostHeader: HeaderLine | undefined;
  for (const h of block.headers) {
    if (isHostName(h.name)) {
      hostHeader = h;
      break;
    }
  }
  if (isHttpUrl(target)) {
    let tls: Directive | undefined;
    for (const d of block.directives) if (d.key === 'tls') tls = d;
    if (tls) {
      diags.push({
        span: tls.span,
        severity: 'warning',
        code: Codes.directiveNotApplicable,
        message: '# @tls has no effect with a full URL: the scheme decides (write https:// for TLS)',
      });
    }
    return;
  }
  if (target === '' || target.startsWith('{{')) return;
  if (!hostHeader) {
    for (const d of block.directives) if (d.key === 'connect') return;
    if (rl.method === 'CONNECT' && !target.startsWith('/') && target !== '*') return; // authority-form names the host
    const path = target.startsWith('/') ? target : '/';
    diags.push({
      span: rl.targetSpan,
      severity: 'error',
      code: Codes.missingHostHeader,
      message: raw
        ? `This @raw request does not say where to connect: add a Host header, write the full URL, or add # @connect host:port`
        : `${q(target)} has no host: add a Host header (Host: example.com:8080) or write the full URL (${rl.method} http://example.com:8080${path})`,
      fixes: [{ title: 'Add a Host header (Host: {{host}})', edits: [{ span: { start: { line: rl.line + 1, col: 0 }, end: { line: rl.line + 1, col: 0 } }, text: 'Host: {{host}}\n' }] }],
    });
    return;
  }
  const v = hostHeader.value;
  if (v.indexOf('{{') >= 0 || v === '') return;
  const hp = parseHostPort(v, { requirePort: false, what: 'Host', defaultPort: 80 });
  const col = (hostHeader.text ?? '').indexOf(v, (hostHeader.text ?? '').indexOf(':') + 1);
  for (const p of hp.problems) diags.push(diag(hostHeader.line, col + p.start, col + p.end, 'error', p.code, p.message));
}

/** `GET /path HTTP/1.1`: the request line of an HTTP head typed as a TCP or TLS payload. */
const HTTP_HEAD_LINE = /^[A-Z]{3,10} \S+ HTTP\/\d(?:\.\d)?\s*$/;

/**
 * A TCP or TLS payload that is an HTTP request head, with no `# @eol`: by default the payload's lines are joined
 * with CR LF and nothing follows the last one, so the head never ends and the server waits until the timeout.
 * The fix adds `# @eol crlf` (and the blank line that ends the head when the block has none).
 */
export function checkHttpHeadPayload(block: Block, diags: Diagnostic[]): void {
  const rl = block.requestLine;
  const body = block.body;
  if (!rl || !body || body.file || (rl.protocol !== 'tcp' && rl.protocol !== 'tls')) return;
  if (block.directives.some((d) => d.key === 'eol' || d.key === 'hex')) return;
  const nl = body.text.indexOf('\n');
  const first = nl < 0 ? body.text : body.text.slice(0, nl);
  if (!HTTP_HEAD_LINE.test(first)) return;
  const edits = [{ span: { start: { line: rl.line, col: 0 }, end: { line: rl.line, col: 0 } }, text: '# @eol crlf\n' }];
  if (!body.trailingBlankLines) {
    const lastLine = body.text.slice(body.text.lastIndexOf('\n') + 1);
    const at = { line: body.endLine, col: lastLine.length };
    edits.push({ span: { start: at, end: at }, text: '\n' });
  }
  diags.push({
    ...diag(body.startLine, 0, first.trimEnd().length, 'warning', Codes.httpHeadWithoutCrlf,
      `This ${protocolLabel(rl.protocol)} payload is an HTTP request head, but without # @eol crlf its last line ends with nothing and no blank line follows, so the server keeps waiting for the end of the head: add # @eol crlf and end the head with a blank line`),
    fixes: [{ title: 'End every line with CR LF (# @eol crlf) and end the head', edits }],
  });
}
