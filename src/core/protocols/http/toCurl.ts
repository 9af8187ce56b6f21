/**
 * "Copy as curl": a resolved HTTP request → a shell command line (bash / zsh quoting) with which curl sends the
 * bytes NetReq sends: method, target, headers in NetReq's order and spelling (curl's own User-Agent, Accept and
 * Content-Type removed with -H 'Name:' when NetReq does not send them), the body byte for byte. What curl cannot
 * reproduce is listed in `notes` (never silently different).
 */
import { hostHeader, wireHeaders } from '../../http/build';
import { parseHostPort, splitUrl } from '../../netreq/hostport';
import { hostForUrl } from '../../transport/address';
import type { HttpRequestSpec } from './spec';

export type CurlCopy = { ok: true; command: string; notes: string[] } | { ok: false; message: string };

/** Bodies longer than this are not put on the command line (a shell argument holds at most 128 KB on Linux). */
const INLINE_BODY_MAX = 64 * 1024;
/** Bodies piped through printf up to this size; past it the command reads a file the user saves. */
const PRINTF_BODY_MAX = 1024 * 1024;

/** A shell word for these bytes: bare, '…', or $'…' (bash / zsh) when they hold controls or are not UTF-8. */
export function shellQuote(value: string | Buffer): string {
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const s = b.toString('latin1');
  if (s !== '' && /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(s)) return s;
  const text = b.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(b) && !b.some((x) => x < 0x20 || x === 0x7f)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const x of b) {
    if (x === 0x5c) out += '\\\\';
    else if (x === 0x27) out += "\\'";
    else if (x === 0x0a) out += '\\n';
    else if (x === 0x0d) out += '\\r';
    else if (x === 0x09) out += '\\t';
    else if (x >= 0x20 && x < 0x7f) out += String.fromCharCode(x);
    else out += `\\x${x.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** printf's format for these bytes (octal escapes: POSIX printf, no '%' or '\' left unescaped). */
function printfFormat(b: Buffer): string {
  let out = '';
  for (const x of b) {
    if (x >= 0x20 && x < 0x7f && x !== 0x25 && x !== 0x5c && x !== 0x27) out += String.fromCharCode(x);
    else out += `\\${x.toString(8).padStart(3, '0')}`;
  }
  return out;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

const header = (name: string, value: string): string => shellQuote(Buffer.from(`${name}: ${value}`, 'latin1'));

export function specToCurl(spec: HttpRequestSpec): CurlCopy {
  if (spec.raw) return { ok: false, message: 'A # @raw request is sent byte for byte as written, which curl cannot do: copy its bytes from the Raw tab instead' };
  if (spec.version !== 'HTTP/1.1' && spec.version !== 'HTTP/1.0') return { ok: false, message: `curl cannot send the version ${JSON.stringify(spec.version)}` };
  const notes: string[] = [];
  const parts = splitUrl(spec.url);
  const hp = parts ? parseHostPort(parts.authority, { requirePort: false, what: 'URL', defaultPort: spec.tls ? 443 : 80 }) : undefined;
  if (!parts || !hp || hp.port === undefined || hp.problems.length > 0) return { ok: false, message: `The request's URL ${JSON.stringify(spec.url)} is not one curl can take` };
  const urlHost = hp.host;
  const urlPort = hp.port;
  const scheme = spec.tls ? 'https' : 'http';
  const authority = `${hostForUrl(urlHost)}${urlPort === (spec.tls ? 443 : 80) ? '' : `:${urlPort}`}`;

  const args: string[] = ['curl', spec.version === 'HTTP/1.0' ? '--http1.0' : '--http1.1'];
  const body = spec.body && spec.body.length > 0 ? spec.body : undefined;
  if (spec.method === 'HEAD' && !body) args.push('--head');
  else args.push('-X', shellQuote(spec.method));

  let pipe: string | undefined;
  const wire = wireHeaders(spec);
  const lower = (n: string) => n.toLowerCase();
  const has = (n: string) => wire.some(([k]) => lower(k) === n);
  const hostIdx = wire.findIndex(([k]) => lower(k) === 'host');
  const hostValue = hostIdx >= 0 ? wire[hostIdx][1] : hostHeader(urlHost, urlPort, spec.tls);
  if (hostIdx > 0) notes.push('curl writes the Host header first; NetReq sends it where the block has it');
  if (hostValue !== hostHeader(urlHost, urlPort, spec.tls)) args.push('-H', header('Host', hostValue));
  if (!has('user-agent')) args.push('-H', shellQuote('User-Agent:'));
  if (!has('accept')) args.push('-H', shellQuote('Accept:'));
  let seenLength = false;
  let curlsType = false;
  for (let i = 0; i < wire.length; i++) {
    const [k, v] = wire[i];
    const n = lower(k);
    if (n === 'host') continue;
    if (n === 'content-length' && body) {
      seenLength = true;
      const after = wire.slice(i + 1);
      if (after.length === 1 && lower(after[0][0]) === 'content-type' && after[0][1] === FORM_TYPE) {
        curlsType = true; // curl adds this one itself, after its Content-Length
        i++;
      } else if (after.length > 0) notes.push('curl writes Content-Length after the other headers; NetReq sends it where the block has it');
      if (v.trim() !== String(body.length)) notes.push(`curl writes Content-Length: ${body.length}, the body's length; NetReq sends the Content-Length the block has (${v})`);
      continue;
    }
    if (n === 'transfer-encoding' && body) notes.push('With a Transfer-Encoding header curl would chunk the body itself; NetReq sends the body as written');
    if (v === '') {
      notes.push(`curl sends the empty header ${k} as "${k}:" (NetReq sends "${k}: ")`);
      args.push('-H', shellQuote(Buffer.from(`${k};`, 'latin1')));
      continue;
    }
    args.push('-H', header(k, v));
  }
  if (body) {
    if (!seenLength) notes.push('curl always sends Content-Length with a body; NetReq sends what the block has');
    if (!has('content-type') && !curlsType) args.push('-H', shellQuote('Content-Type:'));
    if (body.length > 1024 && !has('expect')) args.push('-H', shellQuote('Expect:'));
    if (body.length <= INLINE_BODY_MAX && body.indexOf(0) < 0) {
      args.push(body[0] === 0x40 ? '--data-raw' : '--data-binary', shellQuote(body));
    } else if (body.length <= PRINTF_BODY_MAX) {
      pipe = `printf '${printfFormat(body)}' | `;
      args.push('--data-binary', '@-');
    } else {
      notes.push(`The body (${body.length} bytes) is too large for a command line: save it as body.bin next to where you run the command`);
      args.push('--data-binary', '@body.bin');
    }
  }
  if (spec.options.insecure) args.push('-k');
  if (spec.options.proxy) args.push('--proxy', shellQuote(spec.options.proxy), '--proxytunnel');
  if (spec.host !== urlHost || spec.port !== urlPort) {
    args.push('--connect-to', shellQuote(`${hostForUrl(urlHost)}:${urlPort}:${hostForUrl(spec.host)}:${spec.port}`));
  }
  if (spec.servername !== undefined && spec.servername !== urlHost) notes.push(`NetReq uses the TLS name ${spec.servername}; curl uses the URL's host ${urlHost}`);
  const target = spec.target;
  if (!target.startsWith('/')) {
    args.push('--request-target', shellQuote(target));
    args.push(shellQuote(`${scheme}://${authority}/`));
  } else {
    if (/(^|\/)\.\.?(\/|\?|$)/.test(target.split('?')[0])) args.push('--path-as-is');
    if (/[[\]{}]/.test(target)) args.push('--globoff');
    args.push(shellQuote(`${scheme}://${authority}${target}`));
  }
  if (spec.options.ca && spec.options.ca.length > 0) notes.push('NetReq also trusts the CA certificates from its settings; add --cacert FILE for curl');
  return { ok: true, command: (pipe ?? '') + args.join(' '), notes };
}
