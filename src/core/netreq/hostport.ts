/**
 * `host[:port]`, `[IPv6][:port]` and `scheme://authority/path` handling, shared by the parser
 * (diagnostics on raw text, skipping parts that hold `{{variables}}`) and the resolver (after
 * substitution). Problems carry offsets into the text they were given.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { Codes, type DiagnosticCode, q } from './diag';

export interface Problem {
  start: number;
  end: number;
  code: DiagnosticCode;
  message: string;
}

export interface HostPort {
  /** Host without brackets; '' when missing. */
  host: string;
  /** Port when written (and valid) or the default. */
  port?: number;
  /** Whether the host was written in brackets. */
  bracketed: boolean;
  /** Host or port contains a `{{variable}}` and was not checked. */
  deferred: boolean;
  problems: Problem[];
}

export interface HostPortOptions {
  /** Used when no port is written. */
  defaultPort?: number;
  /** A missing port is an error (TCP, TLS, UDP, MULTICAST). */
  requirePort: boolean;
  /** Protocol word for messages, e.g. 'TCP'. */
  what: string;
}

/** Replaces the inside of every `{{…}}` with 'x' so delimiters inside variables are ignored. */
export function maskTemplates(text: string): string {
  let from = text.indexOf('{{');
  if (from < 0) return text;
  let out = '';
  let last = 0;
  while (from >= 0) {
    const close = text.indexOf('}}', from + 2);
    const end = close < 0 ? text.length : close + 2;
    out += text.slice(last, from) + 'x'.repeat(end - from);
    last = end;
    if (close < 0) break;
    from = text.indexOf('{{', end);
  }
  return out + text.slice(last);
}

const hasVar = (s: string): boolean => s.indexOf('{{') >= 0;

/** Whether a `{{` starts at i. */
export function opensTemplate(text: string, i: number): boolean {
  return text.charCodeAt(i) === 123 && text.charCodeAt(i + 1) === 123;
}

/** Index just past the `}}` that closes the `{{` at i (text.length when it is not closed). */
export function skipTemplate(text: string, i: number): number {
  const c = text.indexOf('}}', i + 2);
  return c < 0 ? text.length : c + 2;
}

export function parseHostPort(text: string, opts: HostPortOptions): HostPort {
  const problems: Problem[] = [];
  let host: string;
  let hostStart = 0;
  let rest: string; // ':port' or ''
  let restStart: number;
  let bracketed = false;
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']');
    if (close < 0) {
      problems.push({ start: 0, end: text.length, code: Codes.badHost, message: `Unclosed '[' in ${q(text)}: write an IPv6 address as [::1]:8080` });
      return { host: '', bracketed: true, deferred: false, problems };
    }
    bracketed = true;
    hostStart = 1;
    host = text.slice(1, close);
    rest = text.slice(close + 1);
    restStart = close + 1;
    if (rest !== '' && !rest.startsWith(':')) {
      problems.push({ start: restStart, end: text.length, code: Codes.badHost, message: `Unexpected ${q(rest)} after ${q(text.slice(0, close + 1))}: expected :port` });
      return { host, bracketed, deferred: false, problems };
    }
  } else {
    let first = -1;
    let colons = 0;
    for (let i = 0; i < text.length; ) {
      if (opensTemplate(text, i)) {
        i = skipTemplate(text, i);
        continue;
      }
      if (text.charCodeAt(i) === 58 /* : */) {
        if (colons++ === 0) first = i;
      }
      i++;
    }
    if (colons > 1) {
      problems.push({
        start: 0,
        end: text.length,
        code: Codes.badHost,
        message: `${q(text)} looks like an IPv6 address: put it in brackets, e.g. [::1]:8080`,
      });
      return { host: text, bracketed: false, deferred: false, problems };
    }
    host = first >= 0 ? text.slice(0, first) : text;
    rest = first >= 0 ? text.slice(first) : '';
    restStart = first >= 0 ? first : text.length;
  }

  let deferred = false;
  if (host === '') {
    problems.push({ start: 0, end: Math.max(1, text.length), code: Codes.badHost, message: `Missing host in ${q(text)}: write e.g. ${opts.what} 127.0.0.1${opts.defaultPort ? '' : ':8080'}` });
  } else if (hasVar(host)) {
    deferred = true;
  } else {
    const m = hostProblem(host, bracketed);
    if (m) problems.push({ start: hostStart, end: hostStart + host.length, code: Codes.badHost, message: m });
  }

  let port: number | undefined;
  if (rest === '') {
    if (opts.defaultPort !== undefined) port = opts.defaultPort;
    else if (opts.requirePort && !deferred && host !== '') {
      problems.push({
        start: 0,
        end: text.length,
        code: Codes.missingPort,
        message: `${opts.what} needs a port: write host:port, e.g. ${opts.what} ${bracketed ? `[${host}]` : host}:8080`,
      });
    }
  } else {
    const portText = rest.slice(1);
    const ps = restStart + 1;
    if (hasVar(portText)) {
      deferred = true;
    } else if (portText === '') {
      problems.push({ start: restStart, end: restStart + 1, code: Codes.badPort, message: `Missing port number after ':' (valid range 1–65535)` });
    } else if (!/^\d{1,10}$/.test(portText)) {
      problems.push({ start: ps, end: ps + portText.length, code: Codes.badPort, message: `Port ${q(portText)} is not a number: valid ports are 1–65535` });
    } else {
      const n = Number(portText);
      if (n < 1 || n > 65535) {
        problems.push({ start: ps, end: ps + portText.length, code: Codes.portOutOfRange, message: `Port ${n} is out of range: valid ports are 1–65535` });
      } else {
        port = n;
      }
    }
  }
  return { host, port, bracketed, deferred, problems };
}

const LABEL = /^[A-Za-z0-9_\u0080-\uffff]([A-Za-z0-9_\u0080-\uffff-]*)$/;

/** Why a host is not valid, or undefined. */
export function hostProblem(host: string, bracketed: boolean): string | undefined {
  if (bracketed) {
    return isIPv6(host) ? undefined : `${q(host)} is not a valid IPv6 address`;
  }
  if (/^[0-9.]+$/.test(host)) {
    return isIPv4(host) ? undefined : `${q(host)} is not a valid IPv4 address (four numbers 0–255, e.g. 192.168.1.10)`;
  }
  if (host.length > 253) return `Host name is too long (${host.length} characters; at most 253)`;
  const labels = host.endsWith('.') ? host.slice(0, -1).split('.') : host.split('.');
  for (const l of labels) {
    if (l === '' || l.length > 63 || !LABEL.test(l)) {
      return `${q(host)} is not a valid host name: use letters, digits, '-' and '.', an IPv4 address, or [IPv6]`;
    }
  }
  return undefined;
}

export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8. */
export function isMulticastAddress(host: string): boolean {
  if (isIPv4(host)) {
    const first = Number(host.slice(0, host.indexOf('.')));
    return first >= 224 && first <= 239;
  }
  if (isIPv6(host)) return /^ff[0-9a-f]{2}:/i.test(host);
  return false;
}

export function multicastProblem(host: string): string | undefined {
  if (isMulticastAddress(host)) return undefined;
  if (isIP(host) === 0) {
    return `MULTICAST needs a group address (IPv4 224.0.0.0/4 or IPv6 ff00::/8), not the host name ${q(host)}`;
  }
  return `${q(host)} is not a multicast address: use 224.0.0.0–239.255.255.255 or an IPv6 ff00::/8 address`;
}

export interface UrlParts {
  /** Lower-cased scheme without '://'. */
  scheme: string;
  authority: string;
  /** Offset of the authority in the text. */
  authorityStart: number;
  /** Path and query as written (fragment removed); may be ''. */
  pathAndQuery: string;
}

/** Splits `scheme://authority/path?query#fragment`; undefined when there is no `scheme://`. */
export function splitUrl(text: string): UrlParts | undefined {
  const sep = text.indexOf('://');
  if (sep <= 0 || !SCHEME.test(text.slice(0, sep))) return undefined;
  const n = text.length;
  let i = sep + 3;
  let at = -1;
  while (i < n) {
    if (opensTemplate(text, i)) {
      i = skipTemplate(text, i);
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    if (c === 64 /* @ */) at = i;
    i++;
  }
  const authorityStart = at >= 0 ? at + 1 : sep + 3;
  let hash = i;
  while (hash < n) {
    if (opensTemplate(text, hash)) {
      hash = skipTemplate(text, hash);
      continue;
    }
    if (text.charCodeAt(hash) === 35) break;
    hash++;
  }
  return {
    scheme: text.slice(0, sep).toLowerCase(),
    authority: text.slice(authorityStart, Math.min(i, n)),
    authorityStart,
    pathAndQuery: text.slice(Math.min(i, n), hash),
  };
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/** Origin-form request-target from a URL's path and query: '' → '/', '?q' → '/?q'. */
export function originForm(pathAndQuery: string): string {
  if (pathAndQuery === '') return '/';
  if (pathAndQuery.startsWith('?')) return `/${pathAndQuery}`;
  return pathAndQuery;
}
