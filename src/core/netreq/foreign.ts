/**
 * Other tools' syntax that NetReq does not perform (httpyac, the JetBrains HTTP client, REST Client's Azure AD):
 * recognised so that it is refused with a diagnostic naming the feature instead of being sent as a request line,
 * a header or body text (issue 12: nothing is sent silently different from what the file's own tool would send).
 * Plain line tests, no state; the parser (parser.ts, dialect.ts) decides where they apply. Regular expressions
 * are anchored and linear on one line.
 */

/** httpyac's JavaScript block opener: `{{`, `{{@request`, `{{+after`, … alone on a line (javascriptHttpRegionParser.ts:8). */
const SCRIPT_OPEN = /^\s*\{\{(@js\s+)?(\+|@)?(request|streaming|response|after|responseLogging)?\s*$/;
const SCRIPT_CLOSE = /^\s*\}\}\s*$/;
/** JetBrains handlers (httpyac intellijHttpRegionParser.ts:50-126). */
const HANDLER_INLINE = /^\s*(<|>)\s+\{%.*%\}\s*$/;
const HANDLER_OPEN = /^\s*(<|>)\s+\{%\s*$/;
const HANDLER_CLOSE = /^\s*%\}\s*$/;
const HANDLER_FILE = /^\s*(<|>)\s+([^\s{%}]+)\s*$/;
/** httpyac output redirection (outputRedirectionHttpRegionParser.ts:15), tested on the line without trailing blanks. */
const REDIRECT = /^\s*>>(!)?\s+(.+)$/;
/** A pasted response: REST Client stops the request here (selector.ts:21), httpyac reads a response (responseHttpRegionParser.ts:11). */
const PASTED_RESPONSE = /^\s*HTTP\/(\S+)\s*([1-5]\d\d)\b/;
/** httpyac's streamed-body separator at a line's end (closeRequestBody.ts:142-186), tested without trailing blanks. */
const CHUNK_SEPARATOR = /={3}(\s*wait-for-server)?$/;
/** httpyac's HTTP request line (requestHttpRegionParser.ts; upper case only), httpyac 6.16.7's method list. */
const HTTPYAC_REQUEST =
  /^\s*(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|CHECKOUT|CHECKIN|REPORT|MERGE|MKACTIVITY|MKWORKSPACE|VERSION-CONTROL|BASELINE-CONTROL|MKCALENDAR|ACL|SEARCH|GRAPHQL)\s+(.+?)$/;
/** Other protocols httpyac sends and NetReq does not (grpc, eventSource, mqtt, amqp parsers; `proto < file`). */
const FOREIGN_REQUEST = /^\s*(GRPC|SSE|EVENTSOURCE|MQTTS?|AMQPS?)\s+\S/;
const FOREIGN_SCHEME = /^\s*(grpc|mqtts?|amqps?):\/\//i;
const PROTO_IMPORT = /^\s*proto\s*<\s*\S/;
/** httpyac header-less GraphQL: `query`/`mutation` (optionally a name) or `fragment NAME on` (gqlHttpRegionParser.ts). */
const GRAPHQL_START = /^\s*((query|mutation)(\s+\w|\s*[{(@]|\s*$)|fragment\s+\w+\s+on\b)/;
/** httpyac's OAuth2 / OpenID Connect authorization header values (Rs in httpyac 6.16.7). */
const OAUTH_HEADER = /^\s*(openid|oauth2)(\s|$)/i;

const indent = (t: string): number => {
  let i = 0;
  while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9) i++;
  return i;
};

export interface ForeignLine {
  /** The feature, as the diagnostic names it. */
  message: string;
  /** Last line of the construct (a multi-line script block ends at its closing line; else the line itself). */
  last: number;
}

/** The line where a multi-line construct opened at `from` closes (the block's end when it never does). */
function closing(lines: readonly string[], from: number, end: number, close: RegExp): number {
  for (let j = from + 1; j <= end; j++) if (close.test(lines[j])) return j;
  return end;
}

/**
 * Script constructs (JavaScript in httpyac / JetBrains) at line i: `{{ … }}` blocks, `> {% … %}` and `< {% … %}`
 * handlers. `files` also takes `< ./script.js` / `> ./handler.js` handler files (before a request, or `>` after it).
 */
export function scriptAt(lines: readonly string[], i: number, end: number, files: boolean): ForeignLine | undefined {
  const t = lines[i];
  if (SCRIPT_OPEN.test(t)) {
    return { message: 'JavaScript blocks ({{ … }}, httpyac) are not supported by NetReq: remove the block', last: closing(lines, i, end, SCRIPT_CLOSE) };
  }
  if (HANDLER_INLINE.test(t) || HANDLER_OPEN.test(t)) {
    const pre = t.trimStart()[0] === '<';
    return {
      message: `JetBrains ${pre ? 'pre-request scripts (< {% … %})' : 'response handlers (> {% … %})'} are JavaScript and not supported by NetReq: remove the handler`,
      last: HANDLER_OPEN.test(t) ? closing(lines, i, end, HANDLER_CLOSE) : i,
    };
  }
  if (files) {
    const m = HANDLER_FILE.exec(t);
    if (m) {
      const what = m[1] === '<' ? 'pre-request script file' : 'response handler file';
      return { message: `A JetBrains/httpyac ${what} (${m[1]} ${m[2]}) is JavaScript and not supported by NetReq: remove the line`, last: i };
    }
  }
  return undefined;
}

/** A `>> file` / `>>! file` line: httpyac writes the response to the file. */
export function redirectAt(t: string): string | undefined {
  const m = REDIRECT.exec(t.trimEnd());
  if (!m) return undefined;
  return `Writing the response to a file (${m[1] ? '>>!' : '>>'} ${m[2]}, httpyac) is not supported by NetReq`;
}

export function isPastedResponse(t: string): boolean {
  return PASTED_RESPONSE.test(t);
}

export function isChunkSeparator(t: string): boolean {
  return CHUNK_SEPARATOR.test(t.trimEnd());
}

/** A line httpyac reads as the start of another request (it splits the block there). */
export function isHttpyacRequestLine(t: string): boolean {
  return HTTPYAC_REQUEST.test(t) || FOREIGN_REQUEST.test(t);
}

/** A request line of a protocol httpyac sends and NetReq does not: the refusal's wording, else undefined. */
export function foreignRequest(t: string): string | undefined {
  const c = t.charCodeAt(indent(t));
  // G(RPC) g(rpc://) S(SE) E(VENTSOURCE) M(QTT) m(qtt://) A(MQP) a(mqp://) p(roto): nothing else can match.
  if (c !== 71 && c !== 103 && c !== 83 && c !== 69 && c !== 77 && c !== 109 && c !== 65 && c !== 97 && c !== 112) return undefined;
  const m = FOREIGN_REQUEST.exec(t);
  const word = m ? m[1].toUpperCase() : FOREIGN_SCHEME.exec(t)?.[1].toLowerCase();
  if (word) {
    const name = /^grpc$/i.test(word)
      ? 'A gRPC request'
      : /^(sse|eventsource)$/i.test(word)
        ? 'A server-sent events request (SSE / EVENTSOURCE)'
        : /^mqtt/i.test(word)
          ? 'An MQTT request'
          : 'An AMQP request';
    return `${name} (httpyac) is not supported by NetReq`;
  }
  if (PROTO_IMPORT.test(t)) return 'A gRPC proto import (proto < file, httpyac) is not supported by NetReq';
  return undefined;
}

export function isGraphqlStart(t: string): boolean {
  return GRAPHQL_START.test(t);
}

/** An `Authorization: oauth2 …` / `openid …` value that httpyac replaces with a token it fetches. */
export function isOAuthHeaderValue(value: string): boolean {
  return OAUTH_HEADER.test(value);
}

/**
 * System variables of other tools that fetch tokens (REST Client's Azure AD, JetBrains/httpyac `$auth.token`,
 * OAuth2 / OpenID Connect): the refusal's wording, else undefined. `name` is without the `$`.
 */
export function foreignSystemVariable(name: string): string | undefined {
  if (name === 'aadToken' || name === 'aadV2Token') {
    return `REST Client's Azure AD token variable {{$${name}}} is not supported by NetReq: get a token yourself and put it in a variable (e.g. --var token=…)`;
  }
  if (/^auth\.(token|idToken)\b/.test(name)) {
    return `The JetBrains/httpyac OAuth2 token variable {{$${name.replace(/\(.*$/, '(…)')}}} is not supported by NetReq: get a token yourself and put it in a variable`;
  }
  if (/^(oidc|oauth2?|openid)/i.test(name)) {
    return `OAuth2 / OpenID Connect token variables ({{$${name}}}) are not supported by NetReq: get a token yourself and put it in a variable`;
  }
  return undefined;
}

/**
 * httpyac directives NetReq does not have: `note` says how NetReq behaves (an info, the directive changes nothing
 * NetReq would send), `refuse` that NetReq would send something different (an error).
 */
export const FOREIGN_DIRECTIVES: ReadonlyMap<string, { refuse?: string; note?: string }> = new Map(
  Object.entries({
    ref: { refuse: 'httpyac sends the referenced request first' },
    forceRef: { refuse: 'httpyac always sends the referenced request first' },
    import: { refuse: 'httpyac imports another .http file' },
    loop: { refuse: 'httpyac sends the request in a loop' },
    sleep: { refuse: 'httpyac waits before sending' },
    injectVariables: { refuse: 'httpyac injects variables into the body' },
    rateLimit: { refuse: 'httpyac rate-limits requests' },
    ratelimit: { refuse: 'httpyac rate-limits requests' },
    http2: { refuse: 'httpyac sends the request over HTTP/2' },
    noRejectUnauthorized: { refuse: 'httpyac accepts any TLS certificate (@noRejectUnauthorized): write # @insecure instead' },
    noProxy: { refuse: 'httpyac bypasses its configured proxy' },
    keepStreaming: { refuse: 'httpyac keeps the stream open' },
    noRedirect: { note: '# @noRedirect has no effect: NetReq never follows redirects' },
    noCookieJar: { note: '# @noCookieJar has no effect: NetReq keeps no cookie jar' },
    noClientCert: { note: '# @noClientCert has no effect: NetReq sends no client certificate' },
    forceRegionDelimiter: { note: '# @forceRegionDelimiter has no effect: NetReq (like REST Client) ends a request only at ###' },
    noGqlParsing: { note: '# @noGqlParsing: the body is sent as written (NetReq builds GraphQL JSON only with X-Request-Type: GraphQL)' },
    title: { note: '# @title has no effect in NetReq' },
    description: { note: '# @description has no effect in NetReq' },
    verbose: { note: '# @verbose has no effect in NetReq (the panel always shows the whole exchange)' },
    debug: { note: '# @debug has no effect in NetReq' },
    noLog: { note: '# @noLog has no effect in NetReq' },
    noStreamingLog: { note: '# @noStreamingLog has no effect in NetReq' },
    noResponseView: { note: '# @noResponseView has no effect in NetReq' },
    openWith: { note: '# @openWith has no effect in NetReq' },
    save: { note: '# @save has no effect in NetReq' },
    extension: { note: '# @extension has no effect in NetReq' },
    jwt: { note: '# @jwt has no effect in NetReq (the response is shown as received)' },
  }),
);
