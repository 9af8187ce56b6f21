/**
 * The request line: its first word picks the protocol. Checks what can be checked before
 * variables are substituted (parts holding `{{…}}` are checked by the resolver).
 */
import { Codes, diag, nearWords, q } from './diag';
import { hasLower, isHttpUrl, isWsUrl, startsWithCI } from './scan';
import { opensTemplate, parseHostPort, skipTemplate, splitUrl, type Problem } from './hostport';
import { kindForWord, PROTOCOL_WORD_LIST, PROTOCOL_WORDS, SERVICE_PORTS, type Kind } from '../protocols/kinds';
import type { Diagnostic, Protocol, RequestLine } from './types';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'];

export { PROTOCOL_WORDS, SERVICE_PORTS };

/** "TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST, WS" for the unknown-protocol message. */
const WORDS_TEXT = PROTOCOL_WORD_LIST.join(', ');

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Whitespace-separated words; whitespace inside `{{…}}` does not split. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  scanTokens(text, out);
  return out;
}

/**
 * Reused by parseRequestLine so that a 5,000-block file does not grow 5,000 token arrays;
 * only its first `count` entries are current (setting length to 0 would drop its storage).
 */
const SCRATCH: Token[] = [];

/** Writes the words of text into out[0..count) and returns count. */
function scanTokens(text: string, out: Token[]): number {
  let count = 0;
  let i = 0;
  const n = text.length;
  let open = text.indexOf('{{'); // next `{{` at or after i (-1: none)
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const s = i;
    while (i < n) {
      if (i === open) {
        i = skipTemplate(text, i);
        open = text.indexOf('{{', i);
        continue;
      }
      if (isSpace(text.charCodeAt(i))) break;
      i++;
    }
    out[count++] = { text: text.slice(s, i), start: s, end: i };
  }
  return count;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

const CUSTOM_METHOD = /^[A-Z][A-Z0-9_-]*$/;

type Code = Parameters<typeof diag>[4];

function pushErr(out: Diagnostic[], line: number, t: { start: number; end: number }, code: Code, message: string): void {
  out.push(diag(line, t.start, t.end, 'error', code, message));
}

function makeLine(line: number, text: string, protocol: Protocol, method: string, target: Token | undefined, after: number, version?: string): RequestLine {
  const s = target ? target.start : after;
  const e = target ? target.end : after;
  const rl: RequestLine = {
    line,
    text,
    protocol,
    method,
    target: target ? target.text : '',
    targetSpan: { start: { line, col: s }, end: { line, col: e } },
    version,
  };
  return rl;
}

/**
 * Parses one request line, pushing problems to `diagnostics`; undefined when the first word
 * names no protocol. `raw` (a `# @raw` block) turns off the checks of the URL and the HTTP
 * version, so malformed requests can be written on purpose.
 */
export function parseRequestLine(text: string, line: number, raw: boolean, diagnostics: Diagnostic[]): RequestLine | undefined {
  const nt = scanTokens(text, SCRATCH);
  if (nt === 0) return undefined;
  const first = SCRATCH[0];
  const upper = hasLower(first.text) ? first.text.toUpperCase() : first.text;

  const kind = kindForWord(upper);
  const second = (nt > 1 ? SCRATCH[1] : undefined);
  // `ECHO http://…` is a custom HTTP method; a host:port kind steps aside for a URL.
  if (kind && !(second && isHttpUrl(second.text) && kind.target === 'host:port')) {
    const proto = kind.id;
    const url = kind.target === 'url';
    const named = kind.target === 'name';
    const rl = makeLine(line, text, proto, upper, second, first.end);
    if (!second) {
      pushErr(diagnostics, line, first, Codes.missingTarget, `${upper} needs ${url ? 'a URL' : named ? 'a name' : 'host:port'}, e.g. ${kind.example}`);
      return rl;
    }
    const after = named && nt > 2 ? SCRATCH[2] : undefined;
    const extra = (nt > (after ? 3 : 2) ? SCRATCH[after ? 3 : 2] : undefined);
    if (extra) {
      pushErr(diagnostics, line, extra, Codes.unexpectedText, `Unexpected ${q(extra.text)} after the ${url ? 'URL' : named ? 'name and type' : 'address'}: write just ${kind.example}`);
    }
    if (kind.checkTarget) pushTargetProblems(kind, second, after, line, diagnostics);
    else if (!url) checkHostPort(proto, upper, second, line, diagnostics);
    return rl;
  }

  let method: string;
  let at: number; // index of the target token
  if (HTTP_METHODS.includes(upper)) {
    method = upper;
    at = 1;
  } else if (CUSTOM_METHOD.test(first.text) && second && (isHttpUrl(second.text) || second.text.startsWith('/') || second.text.startsWith('{{'))) {
    method = first.text;
    at = 1;
  } else if (isHttpUrl(first.text) || first.text.startsWith('{{')) {
    method = 'GET'; // REST Client: a bare URL is a GET
    at = 0;
  } else if (isWsUrl(first.text)) {
    // A bare ws:// URL is a WS request, as a bare http:// URL is a GET.
    const ws = kindForWord('WS')!;
    pushTargetProblems(ws, first, undefined, line, diagnostics);
    return makeLine(line, text, ws.id, 'WS', first, first.end);
  } else {
    pushErr(
      diagnostics,
      line,
      first,
      Codes.unknownProtocol,
      `Unknown request ${q(first.text, 30)}: expected an HTTP method (GET, POST…), a URL, or one of ${WORDS_TEXT}`,
    );
    const near = first.text.length < 3 ? [] : nearWords(first.text.toUpperCase(), [...HTTP_METHODS, ...PROTOCOL_WORD_LIST], 2).slice(0, 3);
    if (near.length > 0) diagnostics[diagnostics.length - 1].fixes = near.map((w) => ({ title: `Change to ${w}`, edits: [{ span: { start: { line, col: first.start }, end: { line, col: first.end } }, text: w }] }));
    return undefined;
  }

  const target = (nt > at ? SCRATCH[at] : undefined);
  const versionTok = (nt > at + 1 ? SCRATCH[at + 1] : undefined);
  const last = SCRATCH[nt - 1];
  const rl = makeLine(line, text, 'http', method, target, first.end, versionTok?.text);
  if (!target) {
    pushErr(diagnostics, line, first, Codes.missingTarget, `${method} needs a URL, e.g. ${method} http://127.0.0.1:8080/`);
    return rl;
  }
  if (versionTok) {
    if (!startsWithCI(versionTok.text, 'HTTP/')) {
      pushErr(
        diagnostics,
        line,
        { start: versionTok.start, end: last.end },
        Codes.unexpectedText,
        `Unexpected ${q(versionTok.text)} after the URL: expected HTTP/1.0 or HTTP/1.1 (encode spaces in the URL as %20)`,
      );
    } else {
      if (!raw) checkVersion(versionTok, line, diagnostics);
      const x = (nt > at + 2 ? SCRATCH[at + 2] : undefined);
      if (x) {
        pushErr(diagnostics, line, { start: x.start, end: last.end }, Codes.unexpectedText, `Unexpected ${q(x.text)} after the HTTP version`);
      }
    }
  }
  if (!raw) checkHttpTarget(method, target, line, diagnostics);
  return rl;
}

function checkVersion(tok: Token, line: number, out: Diagnostic[]): void {
  const v = tok.text;
  if (v === 'HTTP/1.0' || v === 'HTTP/1.1') return;
  const message = /^HTTP\/(2|3)(\.0)?$/i.test(v)
    ? `NetReq sends HTTP/1.0 or HTTP/1.1; ${q(v)} is not supported (leave the version out for HTTP/1.1)`
    : `${q(v)} is not an HTTP version: write HTTP/1.0 or HTTP/1.1 (or use # @raw to send it anyway)`;
  out.push(diag(line, tok.start, tok.end, 'error', Codes.badHttpVersion, message));
}

function pushProblems(problems: Problem[], base: number, line: number, out: Diagnostic[]): void {
  for (const p of problems) out.push(diag(line, base + p.start, base + p.end, 'error', p.code, p.message));
}

/**
 * Checks the literal port of an authority that holds `{{variables}}` (the rest waits for
 * substitution). Allocation-free: this runs for most request lines of a large file.
 */
function checkTemplatedPort(text: string, from: number, to: number, base: number, line: number, out: Diagnostic[]): void {
  let colon = -1;
  for (let i = from; i < to; ) {
    if (opensTemplate(text, i)) {
      i = skipTemplate(text, i);
      continue;
    }
    if (text.charCodeAt(i) === 58) colon = i;
    i++;
  }
  if (colon < 0 || colon + 1 >= to) return;
  let n = 0;
  for (let i = colon + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return; // not a literal number: checked after substitution
    n = n * 10 + (c - 48);
  }
  if (n < 1 || n > 65535) {
    out.push(diag(line, base + colon + 1, base + to, 'error', Codes.portOutOfRange, `Port ${n} is out of range: valid ports are 1–65535`));
  }
}

/** End of the authority that starts at `from` (at '/', '?', '#' or the end), skipping `{{…}}`. */
function authorityEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (opensTemplate(text, i)) {
      i = skipTemplate(text, i);
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) break;
    i++;
  }
  return Math.min(i, text.length);
}

function checkHttpTarget(method: string, t: Token, line: number, out: Diagnostic[]): void {
  const text = t.text;
  if (text.startsWith('{{')) return; // e.g. {{baseUrl}}/path: checked after substitution
  if (text.startsWith('/') || text === '*') return;
  if (isHttpUrl(text)) {
    const from = text.indexOf('://') + 3;
    const to = authorityEnd(text, from);
    const at = text.lastIndexOf('@', to - 1);
    if (text.indexOf('{{', from) >= 0 && text.indexOf('{{', from) < to && at < from) {
      checkTemplatedPort(text, from, to, t.start, line, out);
      return;
    }
  }
  const url = splitUrl(text);
  if (url && (url.scheme === 'http' || url.scheme === 'https')) {
    const hp = parseHostPort(url.authority, { requirePort: false, what: method, defaultPort: url.scheme === 'https' ? 443 : 80 });
    pushProblems(hp.problems, t.start + url.authorityStart, line, out);
    return;
  }
  if (method === 'CONNECT') {
    const hp = parseHostPort(text, { requirePort: true, what: 'CONNECT' });
    pushProblems(hp.problems, t.start, line, out);
    return;
  }
  const hint = url && (url.scheme === 'ws' || url.scheme === 'wss') ? `; for WebSocket write WS ${text}` : '';
  out.push(
    diag(line, t.start, t.end, 'error', Codes.badUrl, `${q(text)} is not a URL: write http://… or https://…, or a path starting with '/' plus a Host header${hint}`),
  );
}

/** The problems a kind's own check (`checkTarget` in its syntax) finds in the target and the word after it. */
function pushTargetProblems(kind: Kind, target: Token, after: Token | undefined, line: number, out: Diagnostic[]): void {
  for (const p of kind.checkTarget!(target.text, after?.text)) {
    const base = p.token === 'target' ? target.start : after!.start;
    out.push(diag(line, base + p.start, base + p.end, 'error', p.code as Code, p.message));
  }
}

/** A host:port target (a classic service may leave the port out). */
function checkHostPort(proto: Protocol, word: string, t: Token, line: number, out: Diagnostic[]): void {
  const def = SERVICE_PORTS[proto];
  const hp = parseHostPort(t.text, { requirePort: def === undefined, defaultPort: def, what: word });
  pushProblems(hp.problems, t.start, line, out);
  // The problems were just pushed in order: the fix goes on the missing-port one.
  const first = out.length - hp.problems.length;
  hp.problems.forEach((p, i) => {
    if (p.code !== Codes.missingPort) return;
    const at = { line, col: t.end };
    out[first + i].fixes = [{ title: 'Add a port (:8080)', edits: [{ span: { start: at, end: at }, text: ':8080' }] }];
  });
}
