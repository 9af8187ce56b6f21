/**
 * The parser's rules for other tools' syntax (see foreign.ts for the line tests) and the `.http` dialect:
 * - script blocks, JetBrains handlers, httpyac's other protocols, `>> file`, `===` chunk separators, a second request
 *   line in one block and OAuth2 headers are refused with an `unsupported-feature` error naming the feature;
 * - a pasted response (`HTTP/1.1 200 OK` after the request) ends the request in `.http` files, as REST Client
 *   (which stops there) and httpyac (which reads it as a response, never sent) both do;
 * - comment lines are removed from `.http` bodies, as REST Client and httpyac do (`# @raw` keeps them);
 * - a header-less GraphQL body in a `.http` file gets a warning (httpyac would send JSON; REST Client and NetReq
 *   send it as written) with a quick fix adding `X-Request-Type: GraphQL`.
 * In `.netreq` files what is written is sent: only the unambiguous constructs (JavaScript) are refused there, and
 * the rest is a warning that says what happens.
 */
import { Codes, diag } from './diag';
import { FOREIGN_DIRECTIVES, foreignRequest, isChunkSeparator, isGraphqlStart, isHttpyacRequestLine, isOAuthHeaderValue, isPastedResponse, redirectAt, scriptAt } from './foreign';
import { indentOf, isBlank, startsWithCI, trimEndCol } from './scan';
import type { Block, BodySource, Diagnostic, Dialect, HeaderLine } from './types';

export interface DialectSink {
  readonly lines: readonly string[];
  readonly diags: Diagnostic[];
  readonly dialect: Dialect;
  /** The current block's lines taken by a refused construct (not reported again as headers or body). */
  readonly foreign: Set<number>;
}

const isComment = (t: string, ind: number): boolean => t.charCodeAt(ind) === 35 || (t.charCodeAt(ind) === 47 && t.charCodeAt(ind + 1) === 47);

function refuse(s: DialectSink, line: number, message: string, severity: 'error' | 'warning' = 'error'): void {
  const t = s.lines[line];
  s.diags.push(diag(line, indentOf(t), trimEndCol(t), severity, Codes.unsupportedFeature, message));
}

/**
 * Before the request line: a script construct at line i (refused). Returns the last line it takes, or -1 when the
 * line is none (then it is the request line).
 */
export function foreignBeforeRequest(s: DialectSink, i: number, end: number): number {
  const c = s.lines[i].charCodeAt(indentOf(s.lines[i]));
  if (c !== 123 /* { */ && c !== 60 /* < */ && c !== 62 /* > */) return -1;
  const f = scriptAt(s.lines, i, end, true);
  if (!f) return -1;
  refuse(s, i, f.message);
  return f.last;
}

/** A request line of a protocol NetReq does not speak (gRPC, SSE, MQTT, AMQP, proto imports): refused, true. */
export function refuseRequestLine(s: DialectSink, i: number): boolean {
  const message = foreignRequest(s.lines[i]);
  if (message === undefined) return false;
  refuse(s, i, message);
  return true;
}

/**
 * The lines after an HTTP request line (from..end): refuses what httpyac / JetBrains would not send as written.
 * Returns the block's last line: in `.http` files a pasted response ends the request.
 */
export function scanHttpLines(s: DialectSink, from: number, end: number): number {
  const L = s.lines;
  const http = s.dialect === 'http';
  let inHeaders = true;
  let mixed = false;
  for (let i = from; i <= end; i++) {
    const t = L[i];
    const ind = indentOf(t);
    if (ind === t.length) {
      inHeaders = false;
      continue;
    }
    if (isComment(t, ind)) {
      if (http) lateDirective(s, t, i);
      continue;
    }
    const c = t.charCodeAt(ind);
    if (inHeaders && (c | 32) === 99 /* c */ && startsWithCI(t, 'content-type', ind) && /^\s*content-type\s*:\s*multipart\/mixed/i.test(t)) mixed = true;
    if (c === 123 || c === 62 || c === 60) {
      const f = scriptAt(L, i, end, http && c === 62);
      if (f) {
        refuse(s, i, f.message);
        for (let j = i; j <= f.last; j++) s.foreign.add(j);
        i = f.last;
        continue;
      }
      const r = c === 62 ? redirectAt(t) : undefined;
      if (r !== undefined) {
        if (http) refuse(s, i, `${r}: remove the line`);
        else refuse(s, i, `${r}: in a .netreq file this line is sent as body text`, 'warning');
        continue;
      }
    }
    if (c === 72 /* H */ && t.startsWith('HTTP/', ind) && isPastedResponse(t)) {
      if (http) {
        s.diags.push(
          diag(i, ind, trimEndCol(t), 'warning', Codes.pastedResponse, 'A pasted response: it and the lines after it are not sent (as REST Client and httpyac do)'),
        );
        return i - 1;
      }
      refuse(s, i, 'A pasted response (HTTP/… status line) is sent as body text in a .netreq file: remove it, or add ### before it', 'warning');
      continue;
    }
    const c2 = t.charCodeAt(ind + 1); // request words are upper case: 'Content-Type: …' is not tested
    if (c >= 65 && c <= 90 && c2 >= 65 && c2 <= 90 && !mixed && isHttpyacRequestLine(t)) {
      if (http) refuse(s, i, 'Two requests in one block: add ### between them (httpyac sends two requests here, REST Client sends this line as body text)');
      else refuse(s, i, 'A second request line in this block is sent as body text: add ### before it to make it a request', 'warning');
      continue;
    }
    if (http && !inHeaders && isChunkSeparator(t)) {
      refuse(s, i, "The httpyac streamed body separator (===, === wait-for-server) is not supported by NetReq: remove it");
    }
  }
  return end;
}

/** httpyac's metadata line: at least one blank between the comment mark and `@` (parserUtils.ts:248). */
const HTTPYAC_META = /^\s*(#+|\/{2,})\s+@([^\s]+)/;

/**
 * `.http` files: a `# @key` line after the request line. httpyac applies metadata anywhere in the region; REST Client
 * (and NetReq) read it only above the request line. `# @disabled` there is an error (httpyac skips the block, REST
 * Client sends it); the others are a warning to move them up.
 */
function lateDirective(s: DialectSink, t: string, i: number): void {
  const m = HTTPYAC_META.exec(t);
  if (!m) return;
  const key = m[2];
  if (key === 'disabled' || FOREIGN_DIRECTIVES.get(key)?.refuse) {
    refuse(s, i, `# @${key} after the request line: httpyac applies it, REST Client and NetReq read directives only above the request line: move it above`);
  } else {
    s.diags.push(
      diag(i, indentOf(t), trimEndCol(t), 'warning', Codes.unsupportedFeature, `# @${key} after the request line is a comment here (as in REST Client; httpyac applies it): move it above the request line`),
    );
  }
}

/** `.http` files: `Authorization: oauth2 …` / `openid …` (httpyac fetches a token) is refused. */
export function checkHttpHeaders(s: DialectSink, headers: readonly HeaderLine[]): void {
  if (s.dialect !== 'http') return;
  for (const h of headers) {
    const name = h.name.toLowerCase();
    if (name === 'authorization' && isOAuthHeaderValue(h.value)) {
      refuse(s, h.line, `The httpyac OAuth2 / OpenID Connect authorization (Authorization: ${h.value.trim().split(/\s+/)[0]} …) is not supported by NetReq: get a token yourself and send Authorization: Bearer {{token}}`);
    } else if (name === 'x-clientcert' || name === 'clientcert') {
      // httpyac reads these as the client certificate to present (never sends them); NetReq has no client certificates.
      refuse(s, h.line, `httpyac's ${h.name} header (a TLS client certificate, never sent as a header) is not supported by NetReq`);
    }
  }
}

/**
 * The body lines start..end as sent: in `.http` files (HTTP requests, without `# @raw`) comment lines are removed,
 * as REST Client and httpyac do, with an info note on the first one. Undefined when no line is left.
 */
export function bodySource(s: DialectSink, start: number, end: number, strip: boolean): BodySource | undefined {
  const L = s.lines;
  if (!strip) return { text: start === end ? L[start] : L.slice(start, end + 1).join('\n'), startLine: start, endLine: end };
  let removed: number[] | undefined;
  const kept: number[] = [];
  for (let i = start; i <= end; i++) {
    const ind = indentOf(L[i]);
    if (ind < L[i].length && isComment(L[i], ind)) (removed ??= []).push(i);
    else kept.push(i);
  }
  if (!removed) return { text: start === end ? L[start] : L.slice(start, end + 1).join('\n'), startLine: start, endLine: end };
  const r = removed[0];
  s.diags.push(
    diag(r, indentOf(L[r]), trimEndCol(L[r]), 'info', Codes.bodyCommentRemoved, 'Comment lines are removed from the body (as REST Client does); `# @raw` keeps them'),
  );
  while (kept.length > 0 && isBlank(L[kept[kept.length - 1]])) kept.pop();
  if (kept.length === 0) return undefined;
  return { text: kept.map((k) => L[k]).join('\n'), startLine: kept[0], endLine: kept[kept.length - 1], lines: kept, removedLines: removed };
}

/** The document line of line `index` of a body's text (comment lines removed from `.http` bodies are skipped). */
export function bodyLine(body: BodySource, index: number): number {
  return body.lines ? (body.lines[index] ?? body.endLine) : body.startLine + index;
}

/** The index in a body's text of document line `line`, or -1 when the line is not part of it. */
export function bodyIndex(body: BodySource, line: number): number {
  if (body.lines) return body.lines.indexOf(line);
  return line >= body.startLine && line <= body.endLine ? line - body.startLine : -1;
}

/**
 * `.http` files: a body that starts with `query`, `mutation` or `fragment … on` and no `X-Request-Type: GraphQL`
 * header: httpyac sends it as GraphQL JSON, REST Client and NetReq as written. A warning, with the quick fix.
 */
export function checkHeaderlessGraphql(s: DialectSink, block: Block, noGqlParsing: boolean): void {
  const body = block.body;
  if (s.dialect !== 'http' || !body || body.file || noGqlParsing) return;
  if (block.headers.some((h) => h.name.toLowerCase() === 'x-request-type')) return;
  const nl = body.text.indexOf('\n');
  const first = nl < 0 ? body.text : body.text.slice(0, nl);
  if (!isGraphqlStart(first)) return;
  const line = bodyLine(body, 0);
  const after = block.headers.length > 0 ? block.headers[block.headers.length - 1].line : block.requestLine!.line;
  const d = diag(
    line,
    indentOf(first),
    trimEndCol(first),
    'warning',
    Codes.headerlessGraphql,
    'GraphQL without X-Request-Type: httpyac sends this body as GraphQL JSON ({"query": …}), REST Client and NetReq send it as written: add X-Request-Type: GraphQL to send GraphQL JSON with all three',
  );
  const at = { line: after + 1, col: 0 };
  d.fixes = [{ title: 'Add X-Request-Type: GraphQL', edits: [{ span: { start: at, end: at }, text: 'X-Request-Type: GraphQL\n' }] }];
  s.diags.push(d);
}

/** httpyac-only directives: an info where NetReq already behaves so, else an error. True when `key` is one. */
export function foreignDirective(s: DialectSink, key: string, line: number, from: number, to: number): boolean {
  const f = FOREIGN_DIRECTIVES.get(key);
  if (!f) return false;
  if (f.refuse) s.diags.push(diag(line, from, to, 'error', Codes.unsupportedFeature, `# @${key} is not supported by NetReq: ${f.refuse}, and NetReq would send something different`));
  else s.diags.push(diag(line, from, to, 'info', Codes.ignoredDirective, f.note!));
  return true;
}

/** `.http` and `.rest` files follow REST Client / httpyac ('http'); everything else is `.netreq` ('netreq'). */
export function dialectForPath(file: string): Dialect {
  return /\.(http|rest)$/i.test(file) ? 'http' : 'netreq';
}

/** What REST Client does on its own, beyond the file, that NetReq does not: said once per `.http` file. */
export const OTHER_TOOL_DEFAULTS =
  'REST Client also sends User-Agent: vscode-restclient and Accept-Encoding: gzip, deflate, br of its own, follows redirects and keeps cookies for later requests; NetReq sends only the headers written here (plus Host and Content-Length), shows a redirect as the answer and keeps no cookies (write the headers to send them)';

/** The info above, at the first HTTP request line of a `.http` file (not a curl command, not `# @raw`). */
export function noteOtherToolDefaults(s: DialectSink, blocks: readonly Block[]): void {
  if (s.dialect !== 'http') return;
  const first = blocks.find((b) => b.requestLine?.protocol === 'http' && !b.curl && !b.directives.some((d) => d.key === 'raw'));
  if (!first?.requestLine) return;
  const line = first.requestLine.line;
  s.diags.push(diag(line, indentOf(s.lines[line]), trimEndCol(s.lines[line]), 'info', Codes.otherToolDefaults, OTHER_TOOL_DEFAULTS));
}
