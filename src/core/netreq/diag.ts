/**
 * Diagnostic codes and the helpers that write diagnostics (spans, quoting user text, "did you mean",
 * capping repeats), shared by the parser and the resolver. Codes are stable: the CLI, the editor and
 * tests match on them. Character-level scanning (lines, tokens, URL schemes) is in ./scan.ts.
 */
import type { Diagnostic, Severity, Span } from './types';

export const Codes = {
  /** Parsing itself failed (a bug); the document is returned empty. */
  internalError: 'internal-error',
  unknownProtocol: 'unknown-protocol',
  missingTarget: 'missing-target',
  badHost: 'bad-host',
  badPort: 'bad-port',
  portOutOfRange: 'port-out-of-range',
  missingPort: 'missing-port',
  badUrl: 'bad-url',
  unexpectedText: 'unexpected-text',
  badHttpVersion: 'bad-http-version',
  badHeader: 'bad-header',
  missingHostHeader: 'missing-host-header',
  badHex: 'bad-hex',
  notMulticast: 'not-multicast',
  badDnsName: 'bad-dns-name',
  unknownDnsType: 'unknown-dns-type',
  unknownDirective: 'unknown-directive',
  badDirectiveValue: 'bad-directive-value',
  duplicateDirective: 'duplicate-directive',
  directiveNotApplicable: 'directive-not-applicable',
  ignoredDirective: 'ignored-directive',
  missingRequestLine: 'missing-request-line',
  duplicateName: 'duplicate-name',
  badVariable: 'bad-variable',
  duplicateVariable: 'duplicate-variable',
  undefinedVariable: 'undefined-variable',
  unterminatedVariable: 'unterminated-variable',
  emptyVariable: 'empty-variable',
  unknownSystemVariable: 'unknown-system-variable',
  badSystemVariable: 'bad-system-variable',
  variableCycle: 'variable-cycle',
  /** A request variable that cannot be read: a bad query, no match, a missing header ({{login.response.…}}). */
  requestVariable: 'request-variable',
  /** A request variable names a request not sent (yet) in this run or session. */
  requestNotSent: 'request-not-sent',
  /** A request variable names a request whose exchange failed. */
  requestFailed: 'request-failed',
  envVarNotSet: 'env-var-not-set',
  dotenvError: 'dotenv-error',
  unknownEnvironment: 'unknown-environment',
  badBodyFile: 'bad-body-file',
  bodyFileUnreadable: 'body-file-unreadable',
  wsStrayText: 'ws-stray-text',
  assertInBody: 'assert-in-body',
  /** A `??` line that is not `?? FIELD [ARG] OPERATOR [VALUE]` (no operator found, no field, too long). */
  badAssert: 'bad-assert',
  /** `?? js …`, or `body EXPR` that is JavaScript beyond a property path: NetReq runs no JavaScript. */
  assertJs: 'assert-js',
  /** The field is not one the block's request kind has. */
  assertUnknownField: 'assert-unknown-field',
  /** An argument where the field takes none, a missing one, or one not in the field's list. */
  assertBadArg: 'assert-bad-arg',
  /** `EQUALS`: httpyac matches the line case-insensitively but runs nothing. */
  assertOperatorCase: 'assert-operator-case',
  /** `===` / `!==`: httpyac reads `==` then a value starting with `=`. */
  assertTripleEquals: 'assert-triple-equals',
  /** `not equals`: httpyac's split makes it ARG `… not` and the operator `equals` (the opposite check). */
  assertNotEquals: 'assert-not-equals',
  assertMissingValue: 'assert-missing-value',
  assertUnexpectedValue: 'assert-unexpected-value',
  assertBadNumber: 'assert-bad-number',
  assertBadRegex: 'assert-bad-regex',
  /** A hash operator with a hex value (httpyac and NetReq compare base64). */
  assertHashHex: 'assert-hash-hex',
  /** Info in `.http` files: NetReq reads this assert where httpyac would fail it (JSONPath, NetReq's own fields). */
  assertNetreqOnly: 'assert-netreq-only',
  /** Restricted Mode refused `{{$processEnv}}` / `{{$dotenv}}` (see restricted.ts). */
  restrictedVariable: 'restricted-variable',
  /** Restricted Mode refused a body file outside the workspace folders. */
  restrictedFile: 'restricted-file',
  /** One variable's expanded value is over MAX_VALUE_CHARS. */
  valueTooLarge: 'value-too-large',
  /** Substitution in one request inserted more than MAX_EXPANSION_CHARS in all. */
  expansionTooLarge: 'expansion-too-large',
  /** Variables refer to each other more than MAX_VARIABLE_DEPTH levels deep. */
  variableChainTooDeep: 'variable-chain-too-deep',
  /** `{{` inside a `{{…}}` reference. */
  nestedVariable: 'nested-variable',
  /** A lone UTF-16 surrogate in a value that is percent-encoded with `{{%name}}`. */
  loneSurrogate: 'lone-surrogate',
  /** A TCP/TLS payload that is an HTTP request head, without `# @eol crlf` (its end would never be sent). */
  httpHeadWithoutCrlf: 'http-head-without-crlf',
  /** Info: a REST Client convenience NetReq applies to this line (Basic/Digest/AWS, GraphQL, form, multipart files); `# @raw` turns it off. */
  conversion: 'conversion',
  /** An Authorization scheme NetReq cannot perform (AWS Cognito). */
  unsupportedAuth: 'unsupported-auth',
  /** An `X-Request-Type: GraphQL` body whose variables part is not JSON. */
  badGraphql: 'bad-graphql',
  /** `<@encoding ./file` with an encoding Node does not know. */
  unknownEncoding: 'unknown-encoding',
  /** Another tool's feature NetReq does not perform (httpyac scripts, gRPC, `>> file`, Azure AD tokens, …): refused. */
  unsupportedFeature: 'unsupported-feature',
  /** Info, once per `.http` file: what REST Client does on its own that NetReq does not (default headers, redirects, cookies). */
  otherToolDefaults: 'other-tool-defaults',
  /** `.http` files: a body line `@x = y`, which REST Client also reads as a file variable (NetReq: body text only). */
  bodyVariableLine: 'body-variable-line',
  /** A pasted response after the request (`HTTP/1.1 200 OK`): in `.http` files it ends the request. */
  pastedResponse: 'pasted-response',
  /** `.http` files: comment lines were removed from the body (an info). */
  bodyCommentRemoved: 'body-comment-removed',
  /** `.http` files: a body httpyac would send as GraphQL JSON (no X-Request-Type header). */
  headerlessGraphql: 'headerless-graphql',
  /** `# @disabled`: the block is skipped, never sent (an info on the directive). */
  disabledBlock: 'disabled-block',
  /** `# @prompt name` with no value (the CLI has no input box: --var name=value). */
  promptNotAnswered: 'prompt-not-answered',
  /** A `curl …` command NetReq cannot send as curl would: a shell construct, an unknown flag, a missing URL. */
  curlUnsupported: 'curl-unsupported',
  /** What a `curl …` block sends and how that compares with curl (info). */
  curlNote: 'curl-note',
} as const;

export type DiagnosticCode = (typeof Codes)[keyof typeof Codes];

export function span(line: number, startCol: number, endCol: number): Span {
  return { start: { line, col: startCol }, end: { line, col: Math.max(startCol, endCol) } };
}

export function diag(
  line: number,
  startCol: number,
  endCol: number,
  severity: Severity,
  code: DiagnosticCode,
  message: string,
): Diagnostic {
  return { span: span(line, startCol, endCol), severity, code, message };
}

export function diagAt(s: Span, severity: Severity, code: DiagnosticCode, message: string): Diagnostic {
  return { span: s, severity, code, message };
}

/** A quoted, human-readable rendering of user text for messages (shortened when long). */
export function q(text: string, max = 60): string {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `'${t}'`;
}

/** User text in double quotes (JSON escapes) for a message, shortened when long: a 1 MB value is not repeated whole. */
export function shown(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** Levenshtein distance, bounded use only (short directive names). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[n];
}

/** Longest word that gets a "did you mean" suggestion (edit distance is O(length × length)). */
export const MAX_SUGGEST_LENGTH = 32;

/** Candidates within `max` edits of word (none for words over MAX_SUGGEST_LENGTH); cost bounded by the length check. */
export function nearWords(word: string, candidates: readonly string[], max = 2): string[] {
  if (word.length > MAX_SUGGEST_LENGTH) return [];
  return candidates.filter((c) => Math.abs(c.length - word.length) <= max && editDistance(c, word) <= max);
}

/** How many diagnostics of one code one block (or one request) lists before a summary. */
export const MAX_SAME_DIAGNOSTICS = 20;

/**
 * Keeps the first `max` diagnostics of each code in each group (e.g. a block), and adds one
 * summary per code saying how many more there were. Linear; order kept. `groupOf` must be
 * non-decreasing along `diags` (sort by line first).
 */
export function capDiagnostics(diags: Diagnostic[], groupOf: (d: Diagnostic) => number = () => 0, max = MAX_SAME_DIAGNOSTICS): Diagnostic[] {
  if (diags.length <= max) return diags;
  const out: Diagnostic[] = [];
  let group = NaN;
  let counts = new Map<string, number>();
  let extra = new Map<string, { first: Diagnostic; n: number }>();
  const flush = (): void => {
    for (const { first, n } of extra.values()) {
      out.push({
        span: first.span,
        severity: first.severity,
        code: first.code,
        message: `There ${n === 1 ? 'is 1 more problem' : `are ${n.toLocaleString('en-US')} more problems`} like this here (${first.code}), from this line on; only the first ${max} of each kind are listed`,
      });
    }
  };
  for (const d of diags) {
    const g = groupOf(d);
    if (g !== group) {
      flush();
      group = g;
      counts = new Map();
      extra = new Map();
    }
    const c = (counts.get(d.code) ?? 0) + 1;
    counts.set(d.code, c);
    if (c <= max) {
      out.push(d);
      continue;
    }
    const e = extra.get(d.code);
    if (e) e.n++;
    else extra.set(d.code, { first: d, n: 1 });
  }
  flush();
  return out;
}

/** Message text of an unknown thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
