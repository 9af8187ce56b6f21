/**
 * What the editor says while you type: each directive's documentation and value hints, the system variables'
 * forms, and common header names and values. Plain data; `assist.ts` turns it into completions and hovers.
 * test/unit/netreq/assist.test.ts checks that every directive has its documentation here (and nothing else).
 */

export interface DirectiveHelp {
  /** What the value looks like, e.g. `10s`, `on|off`; absent for a flag written alone. */
  value?: string;
  /** Values to offer after the key (exact words the parser takes). */
  values?: readonly string[];
  doc: string;
}

const FLAG = { values: ['on', 'off'] } as const;

export const DIRECTIVE_HELP: Readonly<Record<string, DirectiveHelp>> = Object.freeze({
  name: { value: 'id', doc: 'Names the block: `netreq run --name id`, and `{{id.response…}}` request variables. Must be unique in the file.' },
  timeout: { value: '10s', doc: 'Bound on the whole request (500ms, 10s, 2m; a bare number is milliseconds). UDP and MULTICAST: how long replies are awaited (default 2 s).' },
  insecure: { ...FLAG, doc: 'Accepts any TLS certificate (expired, self-signed, another name). Certificates are verified by default.' },
  'no-pool': { ...FLAG, doc: 'A fresh connection for this request, closed afterwards (not taken from or returned to the pool).' },
  raw: { ...FLAG, doc: 'Sends exactly what is written: no `Host` or `Content-Length` added, nothing converted.' },
  proxy: { value: 'http://host:port', doc: 'Reaches the target through an HTTP proxy (a CONNECT tunnel; TLS stays end to end). The tunnel is timed as its own phase.' },
  tls: { ...FLAG, doc: 'TLS for an origin-form request (`GET /path` with a `Host` header).' },
  connect: { value: 'host:port', doc: 'Connects to this address instead of the URL’s (SNI and `Host` stay as written); also how a `# @raw` request without `Host` says where to go.' },
  eol: { value: 'lf|crlf|none', values: ['crlf', 'lf', 'none'], doc: 'Line endings of the payload: `crlf` for line protocols that want CR LF, `none` for no ending after the last line.' },
  hex: { ...FLAG, doc: 'The payload is hex bytes (`48 65 6c 6c 6f`, `0x48`, spaces and line breaks ignored).' },
  'read-until': { value: '\\r\\n.\\r\\n', doc: 'Stops reading after these bytes (escapes `\\r \\n \\t \\0 \\\\ \\xHH`; quote to keep spaces).' },
  idle: { value: '500ms', doc: 'Stops reading after this much silence once data came (default 1 s).' },
  'max-bytes': { value: '1MB', doc: 'Stops reading after this many bytes (100, 512KB, 1MB; 1 KB = 1024).' },
  'half-close': { ...FLAG, doc: 'Shuts down the sending side after the payload (TCP FIN), for servers that answer at end of input.' },
  replies: { value: 'N', doc: 'Stops after N replies (UDP, MULTICAST).' },
  ttl: { value: '1', doc: 'Multicast TTL, 0–255 (default 1: the local network only).' },
  interface: { value: 'address', doc: 'The local interface address to send and join the group on.' },
  loopback: { value: 'on|off', values: ['on', 'off'], doc: 'Whether this host receives its own multicast datagrams (default on).' },
  repeat: { value: 'N every 1s', doc: 'Sends the datagram N times (at most 100,000), with this pause between them.' },
  wait: { value: '2s', doc: 'Keeps the WebSocket open after the last message, for replies (default 1 s).' },
  server: { value: 'host[:port]', doc: 'The DNS server to ask (an IP address; port 53 by default). Without it: the first `nameserver` of /etc/resolv.conf, named in the result.' },
  tcp: { ...FLAG, doc: 'Asks over TCP instead of UDP (a truncated UDP answer says so and suggests this).' },
  'no-recurse': { ...FLAG, doc: 'Clears RD (recursion desired) in the DNS query.' },
  health: { value: '[every 30s]', doc: 'Makes the block a network health check (the Network Health view, `netreq health`), checked as written; optionally its interval (a bare number is seconds).' },
  note: { value: 'text', doc: 'REST Client’s confirmation: Send asks “Are you sure you want to send this request?” first (Cancel sends nothing). `netreq run` sends it (and says so).' },
  'no-redirect': { doc: 'REST Client’s directive, accepted with a note: NetReq never follows redirects.' },
  'no-cookie-jar': { doc: 'REST Client’s directive, accepted with a note: NetReq keeps no cookie jar.' },
  prompt: { value: 'name [description]', doc: 'REST Client’s prompt: Send asks for `{{name}}` in an input box first (hidden for names like password, token, secret, otp); `netreq run` takes `--var name=value`.' },
  disabled: { value: '[true|false]', values: ['true', 'false'], doc: 'httpyac’s skip: the block is never sent (Send says “skipped”, `netreq run` counts it as skipped).' },
});

export interface SystemVariableHelp {
  /** The forms to insert, first is the plain one (after `{{$`). */
  forms: readonly string[];
  doc: string;
}

export const SYSTEM_VARIABLE_HELP: Readonly<Record<string, SystemVariableHelp>> = Object.freeze({
  guid: { forms: ['guid'], doc: 'A random UUID v4, new at each Send.' },
  timestamp: { forms: ['timestamp', 'timestamp -1 d'], doc: 'Unix time in seconds (UTC), optionally offset: `{{$timestamp -1 d}}` (units y Q M w d h m s ms).' },
  datetime: { forms: ['datetime iso8601', 'datetime rfc1123', 'datetime "YYYY-MM-DD HH:mm"', 'datetime iso8601 1 h'], doc: 'The UTC date and time as iso8601, rfc1123 or a quoted format (moment tokens), optionally offset.' },
  localDatetime: { forms: ['localDatetime iso8601', 'localDatetime rfc1123', 'localDatetime "YYYY-MM-DD HH:mm"'], doc: 'The same in local time.' },
  randomInt: { forms: ['randomInt 1 100'], doc: 'A random integer, min included, max excluded.' },
  processEnv: { forms: ['processEnv NAME', 'processEnv %NAME'], doc: 'A variable of the process environment (`%NAME`: the name is itself a variable). Refused in Restricted Mode.' },
  dotenv: { forms: ['dotenv NAME'], doc: 'A variable of the `.env` file next to this file. Refused in Restricted Mode.' },
  shared: { forms: ['shared NAME'], doc: 'A variable of the `$shared` environment, even when the active environment defines the same name.' },
});

/** Header names offered on header lines (the common ones of RFC 9110 and friends). */
export const HEADER_NAMES: readonly string[] = Object.freeze([
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Authorization', 'Cache-Control', 'Connection', 'Content-Encoding',
  'Content-Length', 'Content-Type', 'Cookie', 'Expect', 'Host', 'If-Match', 'If-Modified-Since', 'If-None-Match',
  'Origin', 'Range', 'Referer', 'Sec-WebSocket-Protocol', 'TE', 'Transfer-Encoding', 'Upgrade', 'User-Agent',
  'X-Forwarded-For', 'X-Request-ID',
]);

const MEDIA_TYPES = [
  'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----netreq', 'text/plain',
  'text/html', 'application/xml', 'text/xml', 'application/octet-stream', 'application/graphql',
];

/** Values offered after `Name: ` for a few headers (lower-case names). */
export const HEADER_VALUES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'content-type': MEDIA_TYPES,
  accept: ['*/*', 'application/json', 'text/html', 'text/plain', 'application/xml'],
  'accept-encoding': ['gzip, deflate, br', 'gzip', 'identity'],
  connection: ['close', 'keep-alive', 'Upgrade'],
  'cache-control': ['no-cache', 'no-store', 'max-age=0'],
  authorization: ['Bearer {{token}}', 'Basic {{credentials}}'],
  'transfer-encoding': ['chunked'],
  expect: ['100-continue'],
  te: ['trailers'],
});
