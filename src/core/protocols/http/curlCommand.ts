/**
 * A `curl …` command's words → what the command asks for (flags read as curl 7.88 reads them). No file reads
 * and no variables here (the parser runs this for diagnostics and the CodeLens; curlResolve.ts builds the
 * request). Every flag NetReq does not know is an error naming it: nothing is dropped silently.
 */
import { Codes } from '../../netreq/diag';
import type { Block, Diagnostic, RequestLine, Span } from '../../netreq/types';
import { splitCurlWords, type CurlProblem, type CurlWord } from './curlTokens';

/** A block whose request line starts with `curl` (REST Client: `/^\s*curl/i`), followed by a blank or the line end. */
export function isCurlLine(text: string): boolean {
  return /^\s*curl(?:\s|$)/i.test(text);
}

/** What the parser records for a `curl …` block: its lines. */
export interface CurlSource {
  /** The line of `curl` and the last line of the command (0-based, inclusive). */
  line: number;
  endLine: number;
}

export type DataKind = 'data' | 'ascii' | 'binary' | 'raw' | 'urlencode';

export interface CurlCommand {
  curl: CurlWord;
  urls: CurlWord[];
  method?: CurlWord;
  head: boolean;
  get: boolean;
  headers: CurlWord[];
  data: Array<{ kind: DataKind; word: CurlWord }>;
  forms: Array<{ word: CurlWord; literal: boolean }>;
  user?: CurlWord;
  bearer?: CurlWord;
  insecure: boolean;
  location?: CurlWord;
  compressed: boolean;
  cookies: CurlWord[];
  userAgent?: CurlWord;
  referer?: CurlWord;
  version?: 'HTTP/1.0' | 'HTTP/1.1';
  globoff: boolean;
  pathAsIs: boolean;
  proxy?: CurlWord;
  proxytunnel: boolean;
  maxTime?: CurlWord;
  /** Flags accepted that change only curl's output (or nothing NetReq does), as written. */
  noEffect: string[];
  problems: CurlProblem[];
  /** Quoted text kept runs of blanks / line breaks that REST Client would collapse. */
  keptBlankRuns: boolean;
}

type Setter = (c: CurlCommand, w: CurlWord | undefined, on: boolean, self: CurlWord) => void;
interface Flag {
  arg: boolean;
  set: Setter;
  /** Booleans accept --no-NAME. */
  bool?: boolean;
}

const data = (kind: DataKind): Flag => ({ arg: true, set: (c, w) => c.data.push({ kind, word: w! }) });
const none: Flag = { arg: false, set: () => undefined, bool: true };
const noneArg: Flag = { arg: true, set: () => undefined };
const bool = (set: (c: CurlCommand, on: boolean) => void): Flag => ({ arg: false, bool: true, set: (c, _w, on) => set(c, on) });

/** curl's long options NetReq reads (name without the dashes). */
const LONG: Record<string, Flag> = {
  request: { arg: true, set: (c, w) => (c.method = w) },
  header: { arg: true, set: (c, w) => c.headers.push(w!) },
  data: data('data'),
  'data-ascii': data('ascii'),
  'data-binary': data('binary'),
  'data-raw': data('raw'),
  'data-urlencode': data('urlencode'),
  form: { arg: true, set: (c, w) => c.forms.push({ word: w!, literal: false }) },
  'form-string': { arg: true, set: (c, w) => c.forms.push({ word: w!, literal: true }) },
  user: { arg: true, set: (c, w) => (c.user = w) },
  'oauth2-bearer': { arg: true, set: (c, w) => (c.bearer = w) },
  insecure: bool((c, on) => (c.insecure = on)),
  location: { arg: false, bool: true, set: (c, _w, on, self) => (c.location = on ? self : undefined) },
  'location-trusted': { arg: false, bool: true, set: (c, _w, on, self) => (c.location = on ? self : undefined) },
  compressed: bool((c, on) => (c.compressed = on)),
  cookie: { arg: true, set: (c, w) => c.cookies.push(w!) },
  'user-agent': { arg: true, set: (c, w) => (c.userAgent = w) },
  referer: { arg: true, set: (c, w) => (c.referer = w) },
  url: { arg: true, set: (c, w) => c.urls.push(w!) },
  get: bool((c, on) => (c.get = on)),
  head: bool((c, on) => (c.head = on)),
  'http1.0': bool((c) => (c.version = 'HTTP/1.0')),
  'http1.1': bool((c) => (c.version = 'HTTP/1.1')),
  globoff: bool((c, on) => (c.globoff = on)),
  'path-as-is': bool((c, on) => (c.pathAsIs = on)),
  proxy: { arg: true, set: (c, w) => (c.proxy = w) },
  proxytunnel: bool((c, on) => (c.proxytunnel = on)),
  'max-time': { arg: true, set: (c, w) => (c.maxTime = w) },
  // Output only (or nothing NetReq does): accepted, no effect on what is sent.
  silent: none,
  'show-error': none,
  verbose: none,
  include: none,
  'progress-bar': none,
  'no-progress-meter': none,
  fail: none,
  'fail-with-body': none,
  'no-buffer': none,
  'remote-name': none,
  'remote-header-name': none,
  'create-dirs': none,
  output: noneArg,
  'write-out': noneArg,
  'dump-header': noneArg,
  trace: noneArg,
  'trace-ascii': noneArg,
  stderr: noneArg,
  'connect-timeout': noneArg,
};

/** Short options → long names. */
const SHORT: Record<string, string> = {
  X: 'request',
  H: 'header',
  d: 'data',
  F: 'form',
  u: 'user',
  k: 'insecure',
  L: 'location',
  b: 'cookie',
  A: 'user-agent',
  e: 'referer',
  G: 'get',
  I: 'head',
  '0': 'http1.0',
  g: 'globoff',
  x: 'proxy',
  p: 'proxytunnel',
  m: 'max-time',
  s: 'silent',
  S: 'show-error',
  v: 'verbose',
  i: 'include',
  '#': 'progress-bar',
  f: 'fail',
  N: 'no-buffer',
  O: 'remote-name',
  J: 'remote-header-name',
  o: 'output',
  w: 'write-out',
  D: 'dump-header',
};

/** Flags NetReq knows but cannot honour, with the reason. */
const REFUSED: Record<string, string> = {
  http2: 'NetReq sends HTTP/1.x requests (leave the flag out, or write --http1.1)',
  'http2-prior-knowledge': 'NetReq sends HTTP/1.x requests',
  http3: 'NetReq sends HTTP/1.x requests',
  'http3-only': 'NetReq sends HTTP/1.x requests',
  'upload-file': 'use --data-binary @file (and -X PUT) instead',
  config: 'NetReq reads only the command as written',
  'cookie-jar': 'NetReq does not write cookie files',
  digest: 'Digest authentication is done by an Authorization: Digest header in a request block',
  ntlm: 'NTLM is not supported',
  negotiate: 'Negotiate is not supported',
  next: 'one block sends one request: write a block per request',
};

/** The words of a curl command (lines[line..endLine]) read as curl reads them. */
export function readCurlCommand(lines: readonly string[], src: CurlSource): CurlCommand {
  const col = lines[src.line].search(/\S/);
  const split = splitCurlWords(lines, src.line, src.endLine, Math.max(0, col));
  const [curl, ...rest] = split.words;
  const c: CurlCommand = {
    curl: curl ?? { value: 'curl', binary: false, quoted: false, span: { start: { line: src.line, col }, end: { line: src.line, col: col + 4 } } },
    urls: [],
    head: false,
    get: false,
    headers: [],
    data: [],
    forms: [],
    insecure: false,
    compressed: false,
    cookies: [],
    globoff: false,
    pathAsIs: false,
    proxytunnel: false,
    noEffect: [],
    problems: split.problems,
    keptBlankRuns: split.keptBlankRuns,
  };
  if (split.problems.length > 0) return c;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    const v = w.value;
    if (!v.startsWith('-') || v === '-') {
      c.urls.push(w);
      continue;
    }
    if (v.startsWith('--')) {
      let name = v.slice(2);
      let on = true;
      let flag = LONG[name];
      if (!flag && name.startsWith('no-') && LONG[name.slice(3)]?.bool) {
        flag = LONG[name.slice(3)];
        name = name.slice(3);
        on = false;
      }
      if (!flag) {
        problem(c, w.span, unknownFlag(v, REFUSED[name]));
        continue;
      }
      const arg = flag.arg ? rest[++i] : undefined;
      if (flag.arg && !arg) {
        problem(c, w.span, `curl flag ${v} needs a value`);
        break;
      }
      if (flag.set === none.set || flag.set === noneArg.set) c.noEffect.push(v);
      flag.set(c, arg, on, w);
      continue;
    }
    // Short flags, possibly several in one word (-sSL); a flag that takes a value takes the rest of the word or the next word.
    for (let k = 1; k < v.length; k++) {
      const long = SHORT[v[k]];
      const at: Span = { start: { line: w.span.start.line, col: w.span.start.col + k }, end: { line: w.span.start.line, col: w.span.start.col + k + 1 } };
      if (!long) {
        problem(c, w.span.start.line === w.span.end.line ? at : w.span, unknownFlag(`-${v[k]}`, undefined));
        break;
      }
      const flag = LONG[long];
      if (!flag.arg) {
        if (flag.set === none.set) c.noEffect.push(`-${v[k]}`);
        flag.set(c, undefined, true, w);
        continue;
      }
      let arg: CurlWord | undefined;
      if (k + 1 < v.length) {
        const s = { line: w.span.start.line, col: w.span.start.col + k + 1 };
        arg = { value: v.slice(k + 1), binary: w.binary, quoted: w.quoted, span: { start: s, end: w.span.end } };
      } else arg = rest[++i];
      if (!arg) problem(c, w.span, `curl flag -${v[k]} needs a value`);
      else {
        if (flag.set === noneArg.set) c.noEffect.push(`-${v[k]}`);
        flag.set(c, arg, true, w);
      }
      break;
    }
  }
  return c;
}

function unknownFlag(flag: string, why: string | undefined): string {
  return why ? `curl flag ${flag} is not supported: ${why}; the request was not sent` : `curl flag ${flag} is not supported; the request was not sent`;
}

function problem(c: CurlCommand, span: Span, message: string): void {
  c.problems.push({ span, message });
}

export const CURL_PROXY_WITHOUT_TUNNEL = 'curl sends an http:// request to the proxy as is (no tunnel); NetReq always tunnels through a proxy with CONNECT: add -p (--proxytunnel) to send it that way';

/** The method curl would use (before -X): HEAD for -I, POST for data or a form, else GET. */
export function curlMethod(c: CurlCommand): string {
  if (c.method) return c.method.value;
  if (c.head) return 'HEAD';
  if (c.get) return 'GET';
  return c.data.length > 0 || c.forms.length > 0 ? 'POST' : 'GET';
}

/**
 * The parser's part: reads the command for its diagnostics (pushed to `diags`, codes from the caller) and returns a
 * request line for the block (method as curl picks it, the URL word as the target) so the editor's CodeLens and
 * the send path treat it as an HTTP block.
 */
export function curlRequestLine(lines: readonly string[], src: CurlSource, diags: Diagnostic[], code: string): RequestLine {
  const c = readCurlCommand(lines, src);
  for (const p of c.problems) diags.push({ span: p.span, severity: 'error', code, message: p.message });
  if (c.problems.length === 0 && c.urls.length === 0) {
    diags.push({ span: c.curl.span, severity: 'error', code, message: 'This curl command has no URL; the request was not sent' });
  }
  const url = c.urls[0];
  // -x without -p for a plain http:// URL: refused when the file is read (as resolving it would), so `netreq run`
  // stops before sending the blocks above it. A URL with a variable is left to the resolver.
  if (c.proxy && !c.proxytunnel && url && !url.value.includes('{{') && !/^https:\/\//i.test(url.value)) {
    diags.push({ span: c.proxy.span, severity: 'error', code, message: CURL_PROXY_WITHOUT_TUNNEL });
  }
  return {
    line: src.line,
    text: lines[src.line],
    protocol: 'http',
    method: curlMethod(c),
    target: url ? url.value : '',
    targetSpan: url ? url.span : c.curl.span,
  };
}

/** The parser's hook: a `curl …` command from line `i` to `end` (trailing blank lines left out) becomes the block's request. */
export function readCurlBlock(block: Block, lines: readonly string[], i: number, end: number, diags: Diagnostic[]): Block {
  while (end > i && lines[end].trim() === '') end--;
  block.curl = { line: i, endLine: end, text: lines.slice(i, end + 1).join('\n') };
  block.requestLine = curlRequestLine(lines, block.curl, diags, Codes.curlUnsupported);
  block.headers = [];
  return block;
}
