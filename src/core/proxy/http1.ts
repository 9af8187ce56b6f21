/**
 * The proxy's reading of HTTP/1.x heads, on the shared wire layer (../wire/http1/): parse a request or
 * response head by the proxy's rules (PROXY_REQUEST / PROXY_RESPONSE fields), decide how a body is framed,
 * and find where it ends so the bytes can be passed on as they are. Nothing here buffers a body.
 */
import type { HeaderList } from '../exchange';
import { PROXY_REQUEST, PROXY_RESPONSE, parseFieldLine, type FieldRules } from '../wire/http1/fields';
import { decideFraming, type BodyFraming } from '../wire/http1/framing';
import { listTokens, TCHAR, trimOws } from '../wire/http1/tokens';

export { BodyFramer } from '../wire/http1/bodyFramer';
export { trimOws };
export type Framing = BodyFraming;
/** The comma-separated tokens of every header with this (lower-case) name, lower-cased. */
export const headerTokens = listTokens;

export interface RequestHead {
  method: string;
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  headers: HeaderList;
}

export interface ResponseHead {
  status: number;
  reason: string;
  minor: number;
  headers: HeaderList;
}

const REQUEST_LINE = new RegExp(`^(${TCHAR}+) ([^\\s]+) HTTP/1\\.([01])$`);
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
/** A request target has no control byte (a URI has none); forwarded, it would reach an origin that parses it differently. */
// eslint-disable-next-line no-control-regex -- control bytes are what it looks for
const TARGET_CTL = /[\0-\x08\x0a-\x1f\x7f]/;

/** Parses header lines (after the first line) by `rules`; returns a sentence on the first thing wrong. */
function parseHeaderLines(lines: string[], rules: FieldRules): HeaderList | string {
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    const f = parseFieldLine(line, rules, headers.length > 0);
    switch (f.kind) {
      case 'field':
        headers.push([f.name, f.value]);
        break;
      case 'folded':
      case 'fold':
        return `header line ${i + 1} is folded (starts with whitespace), which HTTP/1.1 no longer allows`;
      case 'no-colon':
      case 'empty-name':
        return `header line ${i + 1} has no "name:"`;
      case 'bad-name':
        return `header name ${JSON.stringify(f.name)} has characters a header name cannot have`;
      case 'control':
        return `header ${f.name} has a control character in its value`;
    }
  }
  return headers;
}

/** `head` is the latin1 text before the blank line. */
export function parseRequestHead(head: string): RequestHead | string {
  const lines = head.split('\r\n');
  const m = REQUEST_LINE.exec(lines[0]);
  if (!m) return `the request line ${JSON.stringify(lines[0].slice(0, 100))} is not "METHOD target HTTP/1.x"`;
  if (TARGET_CTL.test(m[2])) return `the request target ${JSON.stringify(m[2].slice(0, 100))} has a control character`;
  const headers = parseHeaderLines(lines, PROXY_REQUEST);
  if (typeof headers === 'string') return headers;
  return { method: m[1], target: m[2], minor: Number(m[3]), headers };
}

export function parseResponseHead(head: string): ResponseHead | string {
  const lines = head.split('\r\n');
  const m = STATUS_LINE.exec(lines[0]);
  if (!m) return `the status line ${JSON.stringify(lines[0].slice(0, 100))} is not "HTTP/1.x NNN reason"`;
  const headers = parseHeaderLines(lines, PROXY_RESPONSE);
  if (typeof headers === 'string') return headers;
  return { minor: Number(m[1]), status: Number(m[2]), reason: m[3] ?? '', headers };
}

/**
 * How a message body is framed (RFC 9112 §6.3, decided by ../wire/http1/framing.ts). Conflicts that could
 * let two parties disagree on where a request ends (request smuggling) are errors; a response with both
 * Transfer-Encoding and Content-Length is read by Transfer-Encoding (the forwarder drops the Content-Length).
 */
export function bodyFraming(headers: HeaderList, isRequest: boolean): Framing | string {
  const d = decideFraming(headers, isRequest ? 'request' : 'response');
  switch (d.kind) {
    case 'chunked':
    case 'close':
      return { kind: d.kind };
    case 'length':
      return d.length === 0 ? { kind: 'none' } : d;
    case 'none':
      return d;
  }
  const p = d.problem;
  switch (p.kind) {
    case 'te-and-cl':
      return 'it has both Transfer-Encoding and Content-Length (ambiguous framing)';
    case 'chunked-twice':
      return `its Transfer-Encoding (${p.codings.join(', ')}) applies chunked more than once`;
    case 'not-chunked':
      return `its Transfer-Encoding (${p.codings.join(', ')}) does not end with chunked, so its length is unknown`;
    case 'conflicting-lengths':
      return `it has differing Content-Length values (${lengthList(p.values)})`;
    default:
      return `its Content-Length ${JSON.stringify(lengthList(p.values))} is not a number`;
  }
}

/** The Content-Length elements as the proxy has always quoted them: split on commas, OWS-trimmed. */
function lengthList(values: string[]): string {
  return values
    .flatMap((v) => v.split(','))
    .map(trimOws)
    .join(', ');
}

/** Writes a head: the first line, then the headers, then the blank line. */
export function serializeHead(firstLine: string, headers: HeaderList, extra?: string): string {
  let s = `${firstLine}\r\n`;
  for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
  if (extra) s += extra;
  return `${s}\r\n`;
}
