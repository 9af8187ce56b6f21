/**
 * A `curl …` block → the HTTP request curl 7.88 would send for the command: curl's method rules, its headers in
 * its order (Host, Authorization, User-Agent: curl/7.88.1, Accept: *\/*, Accept-Encoding, Referer, Cookie, the -H
 * headers, Content-Length, Content-Type), its bodies (curlBody.ts). What NetReq does differently is said in an info
 * diagnostic; what it cannot do is an error naming the flag. Files (`-d @file`, `-F f=@file`) are read through the
 * body-file path (relative to the file's folder, Restricted Mode applies).
 */
import * as path from 'node:path';
import type { HeaderList } from '../../exchange';
import { hostHeader } from '../../http/build';
import { Codes } from '../../netreq/diag';
import { isIpLiteral, originForm, parseHostPort, splitUrl } from '../../netreq/hostport';
import { encodeTarget, readBodyFile, report, type ResolveEnv } from '../../netreq/resolveCommon';
import type { Span } from '../../netreq/types';
import { hostForUrl } from '../../transport/address';
import { contentTypeFor, curlBoundary, curlFormEncode, multipartBody, parseFormArg, stripNewlines, urlencodeForm, type FormPart } from './curlBody';
import { CURL_PROXY_WITHOUT_TUNNEL, curlMethod, readCurlCommand, type CurlCommand, type CurlSource } from './curlCommand';
import type { CurlWord } from './curlTokens';
import type { HttpRequestSpec } from './spec';

/** The curl NetReq's curl blocks follow (User-Agent, Accept-Encoding for --compressed). */
export const CURL_VERSION = '7.88.1';
export const CURL_ACCEPT_ENCODING = 'deflate, gzip, br, zstd';
/** curl adds `Expect: 100-continue` to bodies over this size. */
const EXPECT_THRESHOLD = 1024 * 1024;

/** The document's lines for a curl source (only its own lines are set). */
function sourceLines(src: CurlSource & { text: string }): string[] {
  const lines: string[] = new Array<string>(src.line);
  for (const l of src.text.split('\n')) lines.push(l);
  return lines;
}

export async function resolveCurl(env: ResolveEnv): Promise<HttpRequestSpec | undefined> {
  const src = env.block.curl!;
  const c = readCurlCommand(sourceLines(src), src);
  return new CurlResolver(env, c).run();
}

class CurlResolver {
  private failed = false;
  private readonly notes: string[] = [];
  constructor(
    private readonly env: ResolveEnv,
    private readonly c: CurlCommand,
  ) {}

  private fail(span: Span, message: string): undefined {
    this.failed = true;
    report(this.env, span, Codes.curlUnsupported, message);
    return undefined;
  }

  /** A diagnostic at the word, and the same words on the exchange (the panel's and the CLI's "converted" notes). */
  private note(span: Span, message: string, severity: 'info' | 'warning' = 'info'): void {
    report(this.env, span, Codes.curlNote, message, severity);
    this.notes.push(message);
  }

  private async text(w: CurlWord): Promise<string> {
    return w.binary ? w.value : this.env.vars.expand(w.value, { line: w.span.start.line, col: w.span.start.col });
  }

  private async bytes(w: CurlWord): Promise<Buffer> {
    return w.binary ? Buffer.from(w.value, 'latin1') : Buffer.from(await this.text(w), 'utf8');
  }

  /** A file named in the command, read as `< file` reads it (problems reported at the word). */
  private async file(p: string, w: CurlWord): Promise<Buffer | undefined> {
    if (p === '-') return this.fail(w.span, `${JSON.stringify(w.value)} reads standard input, which a request block does not have: name a file`);
    const before = this.env.diags.length;
    const b = await readBodyFile(this.env, { path: p, substitute: false, line: w.span.start.line });
    for (let i = before; i < this.env.diags.length; i++) this.env.diags[i].span = w.span;
    if (!b) this.failed = true;
    return b;
  }

  async run(): Promise<HttpRequestSpec | undefined> {
    const c = this.c;
    for (const p of c.problems) this.fail(p.span, p.message);
    if (this.env.eff.raw) return this.fail(c.curl.span, '# @raw cannot apply to a curl command (curl builds the request from its flags): write the request as METHOD URL, headers and body');
    if (this.failed) return undefined;
    if (c.urls.length === 0) return this.fail(c.curl.span, 'This curl command has no URL; the request was not sent');
    if (c.urls.length > 1) {
      return this.fail(c.urls[1].span, `curl would send a request to each of the ${c.urls.length} URLs (${JSON.stringify(c.urls[1].value)} is the second); NetReq sends one per block: write a block per URL`);
    }
    if (c.head && (c.data.length > 0 || c.forms.length > 0)) return this.fail(c.curl.span, 'curl refuses -I (HEAD) together with -d or -F ("You can only select one HTTP request method")');
    if (c.data.length > 0 && c.forms.length > 0) return this.fail(c.curl.span, 'curl refuses -d together with -F ("You can only select one HTTP request method")');
    if (c.get && c.forms.length > 0) return this.fail(c.curl.span, 'curl refuses -G together with -F');

    const data = await this.dataBytes();
    const form = await this.formBody();
    if (this.failed) return undefined;
    const where = await this.url(c.get ? data : undefined);
    if (!where || this.failed) return undefined;
    const body = c.get ? undefined : (data ?? form?.body);
    const headers = await this.headers(where, body, form?.type);
    if (!headers || this.failed) return undefined;

    const method = curlMethod(c);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) return this.fail(c.method!.span, `${JSON.stringify(method)} is not an HTTP method`);
    const options = { ...this.env.options };
    if (c.insecure) options.insecure = true;
    if (c.maxTime) {
      const s = Number(await this.text(c.maxTime));
      if (!(s > 0)) return this.fail(c.maxTime.span, `--max-time needs a number of seconds greater than 0`);
      options.timeoutMs = Math.min(Math.round(s * 1000), 2_147_000_000);
    }
    if (c.proxy) {
      let p = await this.text(c.proxy);
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) p = `http://${p}`;
      if (!where.tls && !c.proxytunnel) {
        return this.fail(c.proxy.span, CURL_PROXY_WITHOUT_TUNNEL);
      }
      options.proxy = p;
    }
    this.summaryNotes(where.tls, body);

    const connect = this.env.eff.connect;
    const defaultPort = where.tls ? 443 : 80;
    const spec: HttpRequestSpec = {
      kind: 'http',
      method,
      url: `${where.tls ? 'https' : 'http'}://${hostForUrl(where.host)}${where.port === defaultPort ? '' : `:${where.port}`}${where.target}`,
      tls: where.tls,
      host: connect ? connect.host : where.host,
      port: connect ? connect.port : where.port,
      target: where.target,
      version: c.version ?? 'HTTP/1.1',
      headers,
      options,
    };
    if (!isIpLiteral(where.host)) spec.servername = where.host;
    if (body !== undefined) spec.body = body;
    if (this.notes.length > 0) spec.conversions = [...this.notes];
    return spec;
  }

  /** -d / --data-* values joined with '&' as curl joins them; undefined without any. */
  private async dataBytes(): Promise<Buffer | undefined> {
    if (this.c.data.length === 0) return undefined;
    const parts: Buffer[] = [];
    for (const { kind, word } of this.c.data) {
      if (kind === 'urlencode') {
        const f = urlencodeForm(word.binary ? word.value : await this.text(word));
        const content = 'file' in f ? await this.file(f.file, word) : Buffer.from(f.content, word.binary ? 'latin1' : 'utf8');
        if (!content) continue;
        parts.push(Buffer.from(`${f.name !== undefined ? `${f.name}=` : ''}${curlFormEncode(content)}`, 'latin1'));
        continue;
      }
      const v = await this.bytes(word);
      if (kind !== 'raw' && v[0] === 0x40 /* @ */) {
        const b = await this.file(v.subarray(1).toString('utf8'), word);
        if (b) parts.push(kind === 'binary' ? b : stripNewlines(b));
        continue;
      }
      parts.push(v);
    }
    const out: Buffer[] = [];
    parts.forEach((p, i) => out.push(...(i > 0 ? [Buffer.from('&'), p] : [p])));
    return Buffer.concat(out);
  }

  private async formBody(): Promise<{ body: Buffer; type: string } | undefined> {
    if (this.c.forms.length === 0) return undefined;
    const parts: FormPart[] = [];
    for (const { word, literal } of this.c.forms) {
      const f = parseFormArg(await this.text(word), literal);
      if (typeof f === 'string') {
        this.fail(word.span, f);
        continue;
      }
      if (f.file !== undefined) {
        const b = await this.file(f.file, word);
        const filename = f.filename ?? path.basename(f.file);
        if (b) parts.push({ name: f.name, data: b, filename, type: f.type ?? contentTypeFor(f.file) ?? contentTypeFor(filename) ?? 'application/octet-stream' });
      } else if (f.contentFile !== undefined) {
        const b = await this.file(f.contentFile, word);
        if (b) parts.push({ name: f.name, data: b, filename: f.filename, type: f.type });
      } else {
        parts.push({ name: f.name, data: Buffer.from(f.value ?? '', 'utf8'), filename: f.filename, type: f.type });
      }
    }
    const boundary = curlBoundary();
    return { body: multipartBody(parts, boundary), type: `multipart/form-data; boundary=${boundary}` };
  }

  /** The URL as curl reads it: http:// when no scheme, no fragment, dot segments removed, -G data appended. */
  private async url(query: Buffer | undefined): Promise<{ tls: boolean; host: string; port: number; target: string; userinfo?: string } | undefined> {
    const w = this.c.urls[0];
    if (w.binary) return this.fail(w.span, 'This URL holds bytes that are not UTF-8 text');
    let u = await this.text(w);
    if (this.env.vars.hasErrors) return undefined;
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(u)) {
      u = `http://${u}`;
      this.note(w.span, `No scheme: curl guesses http://, so this is sent to ${u}`);
    }
    if (/\s/.test(u) || hasControl(u)) return this.fail(w.span, 'curl refuses a URL with a space or a control character in it ("URL using bad/illegal format"): write %20');
    const parts = splitUrl(u);
    if (!parts || (parts.scheme !== 'http' && parts.scheme !== 'https')) {
      return this.fail(w.span, `${JSON.stringify(u)}: NetReq sends curl commands for http:// and https:// URLs only`);
    }
    const sep = u.indexOf('://') + 3;
    const userinfo = parts.authorityStart > sep ? u.slice(sep, parts.authorityStart - 1) : undefined;
    let pq = parts.pathAndQuery;
    if (!this.c.globoff && /[[\]{}]/.test(pq)) {
      return this.fail(w.span, 'curl would expand {…} and […] in this URL into several requests (globbing): add -g (--globoff) to send it as written');
    }
    const qi = pq.indexOf('?');
    let p = qi >= 0 ? pq.slice(0, qi) : pq;
    const qs = qi >= 0 ? pq.slice(qi) : '';
    if (!this.c.pathAsIs) p = removeDotSegments(p);
    pq = p + qs;
    if (query) {
      const add = query.toString('latin1');
      if (/[^\x21-\x7e]/.test(add)) return this.fail(this.c.data[0].word.span, 'With -G the data goes into the URL, and curl refuses a URL with spaces or non-ASCII bytes: encode them (--data-urlencode)');
      pq += (pq.includes('?') ? '&' : '?') + add.replace(/%[0-9A-Fa-f]{2}/g, (m) => m.toLowerCase());
    }
    const tls = parts.scheme === 'https';
    const hp = parseHostPort(parts.authority, { requirePort: false, what: 'curl', defaultPort: tls ? 443 : 80 });
    if (hp.problems.length > 0 || hp.port === undefined) return this.fail(w.span, hp.problems.map((x) => x.message).join('; ') || `${JSON.stringify(u)} has no host`);
    if (/[^\x21-\x7e]/.test(pq)) this.note(w.span, 'Characters outside ASCII in the URL are sent percent-encoded (UTF-8)');
    return { tls, host: hp.host, port: hp.port, target: encodeTarget(originForm(pq)), userinfo };
  }

  /** curl's headers in curl's order; undefined after a problem. */
  private async headers(where: { tls: boolean; host: string; port: number; userinfo?: string }, body: Buffer | undefined, formType: string | undefined): Promise<HeaderList | undefined> {
    const c = this.c;
    const custom: HeaderList = [];
    const removed = new Set<string>();
    let host: string | undefined;
    for (const w of c.headers) {
      const s = (await this.bytes(w)).toString('latin1');
      if (s.startsWith('@')) return this.fail(w.span, '-H @file (headers read from a file) is not supported: write each header as -H');
      if (/[\r\n]/.test(s)) return this.fail(w.span, 'This -H value holds a line break, which would split the request: write one header per -H');
      const colon = s.indexOf(':');
      if (colon < 0) {
        const semi = s.endsWith(';') ? s.slice(0, -1).trim() : '';
        if (semi === '') {
          this.note(w.span, `curl sends nothing for -H ${JSON.stringify(s)} (no ':'), nor does NetReq`);
          continue;
        }
        custom.push([semi, '']);
        this.note(w.span, `Sent as "${semi}: " (curl sends "${semi}:" with no space)`);
        continue;
      }
      const name = s.slice(0, colon);
      const value = s.slice(colon + 1);
      const lower = name.trim().toLowerCase();
      if (value.trim() === '') {
        removed.add(lower);
        continue;
      }
      if (lower === 'content-length' && body !== undefined) {
        this.note(w.span, 'curl writes its own Content-Length for the data and drops this one; so does NetReq');
        continue;
      }
      if (lower === 'content-type' && formType) return this.fail(w.span, 'A Content-Type header together with -F is not supported: curl would merge it with its multipart boundary');
      if (lower === 'transfer-encoding' && body !== undefined) return this.fail(w.span, 'With Transfer-Encoding curl would send the data in chunks; NetReq does not chunk a curl body');
      if (value !== ` ${value.trim()}` || name !== name.trim()) this.note(w.span, `Sent as "${name.trim()}: ${value.trim()}" (curl sends the header exactly as typed)`);
      if (lower === 'host') host = value.trim();
      else custom.push([name.trim(), value.trim()]);
    }
    const has = (n: string) => removed.has(n) || custom.some(([k]) => k.toLowerCase() === n);
    if (removed.has('host')) return this.fail(c.curl.span, "-H 'Host:' removes the Host header; NetReq always sends one");
    const out: HeaderList = [];
    const connect = this.env.eff.connect;
    if (host !== undefined) out.push(['Host', host]);
    else if (connect) out.push(['Host', hostHeader(where.host, where.port, where.tls)]);
    if (!has('authorization')) {
      let cred: Buffer | undefined;
      if (c.user) {
        cred = await this.bytes(c.user);
        if (!cred.includes(0x3a)) return this.fail(c.user.span, 'curl would ask for the password of -u user: write -u user:password');
      } else if (where.userinfo !== undefined) {
        cred = Buffer.from(decodeURIComponentSafe(where.userinfo), 'utf8');
        if (!cred.includes(0x3a)) cred = Buffer.concat([cred, Buffer.from(':')]);
      }
      if (cred) out.push(['Authorization', `Basic ${cred.toString('base64')}`]);
      else if (c.bearer) out.push(['Authorization', `Bearer ${(await this.bytes(c.bearer)).toString('latin1')}`]);
    }
    if (c.userAgent) {
      const ua = (await this.bytes(c.userAgent)).toString('latin1');
      if (ua !== '' && !has('user-agent')) out.push(['User-Agent', ua]);
    } else if (!has('user-agent')) out.push(['User-Agent', `curl/${CURL_VERSION}`]);
    if (!has('accept')) out.push(['Accept', '*/*']);
    if (c.compressed && !has('accept-encoding')) out.push(['Accept-Encoding', CURL_ACCEPT_ENCODING]);
    if (c.referer) {
      const r = (await this.bytes(c.referer)).toString('latin1').replace(/;auto$/, '');
      if (r !== '' && !has('referer')) out.push(['Referer', r]);
    }
    if (c.cookies.length > 0 && !has('cookie')) {
      const jar: string[] = [];
      for (const w of c.cookies) {
        const v = (await this.bytes(w)).toString('latin1');
        if (!v.includes('=')) return this.fail(w.span, `curl would read cookies from the file ${JSON.stringify(v)}; NetReq does not read cookie files: write -b 'name=value'`);
        jar.push(v);
      }
      out.push(['Cookie', jar.join(';')]);
    }
    out.push(...custom);
    if (body !== undefined) {
      if (removed.has('content-length')) return this.fail(c.curl.span, "-H 'Content-Length:' with a body: curl would send no length (the server could not tell where the body ends); NetReq always sends one");
      out.push(['Content-Length', String(body.length)]);
      if (formType) out.push(['Content-Type', formType]);
      else if (!has('content-type')) out.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
    return out;
  }

  private summaryNotes(tls: boolean, body: Buffer | undefined): void {
    const c = this.c;
    const at = c.curl.span;
    const rc = this.env.doc.dialect === 'http' ? ' REST Client reads fewer flags (it ignores -k, -F, --data-urlencode, -A, -e…); NetReq sends what curl sends.' : '';
    this.note(at, `Sent as curl ${CURL_VERSION} sends this command: with curl's own headers (User-Agent: curl/${CURL_VERSION}, Accept: */*${body ? ', Content-Type for -d' : ''}; -H 'Name:' removes one).${rc}`);
    if (c.location) this.note(c.location.span, 'curl -L would follow redirects; NetReq does not: the panel shows the redirect response', 'warning');
    if (c.compressed) this.note(at, `--compressed: Accept-Encoding: ${CURL_ACCEPT_ENCODING} is sent (what curl ${CURL_VERSION} with brotli and zstd sends); the panel shows the body as received and decodes gzip/deflate/br for display`);
    if (tls && !c.version) this.note(at, 'curl may use HTTP/2 with an https:// server that offers it; NetReq sends HTTP/1.1 with the same headers');
    if (body && body.length > EXPECT_THRESHOLD) this.note(at, 'curl would send Expect: 100-continue for a body over 1 MB and wait for the server; NetReq sends the body at once without it');
    if (c.forms.length > 0) this.note(at, 'The multipart boundary is random, as curl makes it');
    if (c.noEffect.length > 0) this.note(at, `Accepted, no effect on what is sent: ${[...new Set(c.noEffect)].join(' ')}`);
    if (c.keptBlankRuns && this.env.doc.dialect === 'http') this.note(at, 'Quoted text keeps its line breaks and runs of spaces, as a shell passes them to curl (REST Client collapses them to one space)');
  }
}

const hasControl = (s: string): boolean => { for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 0x20 || c === 0x7f) return true; } return false; };

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** RFC 3986 §5.2.4, as curl applies it to the path (not to the query). */
export function removeDotSegments(p: string): string {
  if (!/(^|\/)\.\.?(\/|$)/.test(p)) return p;
  const out: string[] = [];
  const segs = p.split('/');
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      if (out.length > 1) out.pop();
      if (last) out.push('');
    } else out.push(s);
  }
  return out.join('/');
}
