/**
 * "Copy as curl" for a proxy flow: the direct request (not through the proxy) as a POSIX shell command,
 * every argument single-quoted. Text bodies go in `--data-binary '…'`; a body with control characters or
 * bytes that are not UTF-8 goes through `printf` with octal escapes into `--data-binary @-`, so what curl
 * sends is byte for byte what the client sent. Plain TypeScript, no `vscode`.
 */
import type { HeaderList } from '../../core/exchange';
import { isPlainText, utf8 } from '../../core/netreq/netreqText';
import { endToEndHeaders, splitAuthority, type ReplayFlow } from './replay';

/** POSIX single quoting: safe for every byte but NUL (which never reaches here). */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A printf format that prints exactly `bytes`: printable ASCII as is, `%` and `\` doubled, the rest as \ooo. */
export function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x25) out += '%%';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f && b !== 0x27) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

const lower = (h: HeaderList, name: string) => h.find(([k]) => k.toLowerCase() === name)?.[1];

/** Text safe inside single quotes in a terminal: no control characters but LF and tab. */
function quotable(text: string): boolean {
  return isPlainText(text) && !text.includes('\r');
}

export function flowToCurl(flow: ReplayFlow): string {
  if (flow.kind === 'tunnel') {
    const at = splitAuthority(flow.target);
    if (!at) return `# ${JSON.stringify(flow.target)} is not a host:port curl can reach`;
    return `curl -v ${shellQuote(`https://${at.host}${at.port === 443 ? '' : `:${at.port}`}/`)}`;
  }
  const body = flow.requestBody ?? new Uint8Array(0);
  const headers = endToEndHeaders(flow.requestHeaders);
  /** Options before the URL, and one option per continuation line after it. */
  const head: string[] = [];
  const tail: string[] = [];
  const comments: string[] = [];
  let pipe = '';
  const method = flow.method;
  const sendsBody = body.length > 0 || lower(headers, 'content-length') === '0';
  if (method === 'HEAD') head.push('--head');
  else if (!(method === 'GET' && !sendsBody) && !(method === 'POST' && sendsBody)) head.push(`-X ${shellQuote(method)}`);
  let host: string | undefined;
  try {
    host = new URL(flow.target).host;
  } catch {
    comments.push(`# The client's request target ${JSON.stringify(flow.target)} was not an absolute URL; write the URL to send to.`);
  }
  if (/[[\]{}]/.test(flow.target)) head.push('--globoff'); // no curl URL globbing: the URL as it was
  for (const [name, value] of headers) {
    const l = name.toLowerCase();
    if (l === 'content-length') continue; // curl writes the length of what it sends
    if (l === 'host' && value === host) continue; // curl sends this one by itself
    if (!isPlainText(value) || /[\r\n]/.test(value)) {
      comments.push(`# Header ${JSON.stringify(name)} is left out: it holds control characters.`);
      continue;
    }
    tail.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (sendsBody) {
    // --data-binary adds Content-Type: application/x-www-form-urlencoded unless told otherwise.
    if (lower(headers, 'content-type') === undefined) tail.push(`-H ${shellQuote('Content-Type:')}`);
    const text = utf8(body);
    if (text !== undefined && quotable(text)) tail.push(`--data-binary ${text === '' ? "''" : shellQuote(text)}`);
    else {
      pipe = `printf ${shellQuote(printfFormat(body))} | `;
      tail.push('--data-binary @-');
    }
  }
  if (flow.bytesUp > body.length) comments.push(`# Only the first ${body.length} of the ${flow.bytesUp} body bytes were captured; this command sends those.`);
  const first = `${pipe}curl ${[...head, shellQuote(flow.target)].join(' ')}`;
  return [...comments, [first, ...tail.map((t) => `  ${t}`)].join(' \\\n')].join('\n');
}
