/**
 * HTTP blocks → HttpRequestSpec. Absolute-form (`GET http://host:port/path`) or origin-form
 * (`GET /path` + a Host header, `# @tls` for TLS), `# @connect host:port` to connect elsewhere,
 * `# @raw` for exact bytes.
 */
import type { HeaderList } from '../../exchange';
import { headerValues, hostHeader } from '../../http/build';
import { Codes, q } from '../../netreq/diag';
import { isIpLiteral, originForm, parseHostPort, splitUrl } from '../../netreq/hostport';
import { encodeTarget, expandHeaders, lineSpanOf, report, reportProblems, type ResolveEnv } from '../../netreq/resolveCommon';
import { applyAuth } from './auth';
import { resolveHttpBody } from './body';
import type { HttpRequestSpec } from './spec';
import { resolveCurl } from './curlResolve';
import { httpsPort } from './conversionSyntax';
import { hostForUrl } from '../../transport/address';

interface Where {
  tls: boolean;
  /** Host named by the URL or Host header (SNI, display URL). */
  host: string;
  port: number;
  target: string;
  /** Path + query for the display URL. */
  displayPath: string;
  /** A conversion to name in the exchange (REST Client's https for a Host header on port 443 / 8443). */
  note?: string;
}

/**
 * REST Client joins a repeated header name into the first one's line: values with ',', Cookie with ';'
 * (RC@6649589 src/utils/requestParserUtil.ts:8-39). Each join is named in `notes`.
 */
function joinRepeatedHeaders(headers: HeaderList, notes: string[]): HeaderList {
  const out: HeaderList = [];
  const at = new Map<string, number>();
  const count = new Map<string, number>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push([name, value]);
      continue;
    }
    out[i] = [out[i][0], `${out[i][1]}${key === 'cookie' ? ';' : ','}${value}`];
    count.set(key, (count.get(key) ?? 1) + 1);
  }
  for (const [key, n] of count) {
    const [name] = out[at.get(key)!];
    notes.push(`${name}: ${n} header lines joined into one with '${key === 'cookie' ? ';' : ','}' (REST Client does this; # @raw sends them as written)`);
  }
  return out;
}

export async function resolveHttp(env: ResolveEnv): Promise<HttpRequestSpec | undefined> {
  if (env.block.curl) return resolveCurl(env);
  const { block, vars, eff } = env;
  const rl = block.requestLine!;
  const raw = eff.raw === true;

  const expanded = await expandHeaders(env, raw ? undefined : '; that would split the request (use # @raw to send it anyway)');
  const headerLines = expanded.map((h) => h.text);
  const joined: string[] = [];
  const written: HeaderList = expanded.map((h) => [h.name, h.value]);
  const headers = env.doc.dialect === 'http' && !raw ? joinRepeatedHeaders(written, joined) : written;

  const targetText = await vars.expand(rl.target, { line: rl.line, col: rl.targetSpan.start.col });
  const rawLine = raw ? await vars.expand(rl.text, { line: rl.line, col: 0 }) : undefined;
  let method = rl.method;
  let version = rl.version ?? 'HTTP/1.1';
  if (rawLine !== undefined) {
    const words = rawLine.trim().split(/[ \t]+/);
    if (words.length >= 3) version = words[words.length - 1];
    if (rl.text.trimStart().startsWith(rl.method)) method = words[0] ?? method;
  }
  // With undefined variables in the target, its checks would only add confusing errors.
  const where = vars.hasErrors ? undefined : locate(env, method, targetText, headers, raw);

  // Body conversions (GraphQL, file lines, form lines) may remove a header (X-Request-Type).
  const built = await resolveHttpBody(env, headers);
  if (!built) return undefined;
  const body = built.body;
  if (!where) return undefined;

  const connect = eff.connect;
  const defaultPort = where.tls ? 443 : 80;
  // The engine derives a missing Host from the address it connects to; with @connect that address is
  // not the URL's, so the URL's authority is written here.
  if (connect && rawLine === undefined && !built.headers.some(([k]) => k.toLowerCase() === 'host')) {
    built.headers.unshift(['Host', hostHeader(where.host, where.port, where.tls)]);
  }
  let finalHeaders = built.headers;
  let target = where.target;
  const conversions = [...joined, ...(where.note ? [where.note] : []), ...built.conversions];
  let digest: HttpRequestSpec['digest'];
  if (!raw) {
    const hostValue = headerValues(finalHeaders, 'host')[0] ?? hostHeader(where.host, where.port, where.tls);
    const auth = applyAuth(env, { method, headers: finalHeaders, target, host: hostValue, body });
    if (!auth) return undefined;
    finalHeaders = auth.headers;
    target = auth.target;
    digest = auth.digest;
    conversions.push(...auth.conversions);
  }
  const url = `${where.tls ? 'https' : 'http'}://${hostForUrl(where.host)}${where.port === defaultPort ? '' : `:${where.port}`}${where.displayPath}`;
  const spec: HttpRequestSpec = {
    kind: 'http',
    method,
    url,
    tls: where.tls,
    host: connect ? connect.host : where.host,
    port: connect ? connect.port : where.port,
    target,
    version,
    headers: finalHeaders,
    options: env.options,
  };
  if (!raw && !connect && !where.tls && env.options.proxy && env.doc.dialect === 'http') absoluteFormToProxy(spec, env.options.proxy, where, conversions);
  if (conversions.length > 0) spec.conversions = conversions;
  if (digest) spec.digest = digest;
  if (!isIpLiteral(where.host)) spec.servername = where.host;
  if (body !== undefined) spec.body = body;
  if (rawLine !== undefined) {
    const head = Buffer.from(`${[rawLine, ...headerLines].join('\r\n')}\r\n\r\n`, 'utf8');
    spec.raw = body ? Buffer.concat([head, body]) : head;
  }
  return spec;
}

/**
 * `.http` files: httpyac sends a plain-HTTP request to its `# @proxy` in absolute form (`GET http://host/path`, to the
 * proxy's address), as proxies expect; only https:// goes through a CONNECT tunnel. NetReq does the same there.
 */
function absoluteFormToProxy(spec: HttpRequestSpec, proxy: string, where: Where, conversions: string[]): void {
  let p: URL;
  try {
    p = new URL(proxy);
  } catch {
    return; // @proxy's own check has said what is wrong with it
  }
  if (!spec.headers.some(([k]) => k.toLowerCase() === 'host')) spec.headers = [['Host', hostHeader(where.host, where.port, where.tls)], ...spec.headers];
  spec.host = p.hostname.replace(/^\[|\]$/g, '');
  spec.port = p.port ? Number(p.port) : 80;
  spec.target = `${spec.url.slice(0, spec.url.length - where.displayPath.length)}${spec.target}`;
  spec.options = { ...spec.options, proxy: undefined };
  delete spec.servername;
  conversions.push(`Sent to the proxy ${p.host} in absolute form (${spec.method} ${spec.target}), as httpyac sends http:// requests to a # @proxy; https:// goes through a CONNECT tunnel`);
  spec.conversions = conversions;
}

/** Where to connect and what to put on the request line. */
function locate(env: ResolveEnv, method: string, targetText: string, headers: HeaderList, raw: boolean): Where | undefined {
  const rl = env.block.requestLine!;
  const url = splitUrl(targetText);
  if (url && (url.scheme === 'http' || url.scheme === 'https')) {
    const tls = url.scheme === 'https';
    const hp = parseHostPort(url.authority, { requirePort: false, what: method, defaultPort: tls ? 443 : 80 });
    if (hp.problems.length > 0 || hp.port === undefined) {
      reportProblems(env, hp.problems, rl.targetSpan, rl.target, targetText);
      return undefined;
    }
    const path = originForm(url.pathAndQuery);
    return { tls, host: hp.host, port: hp.port, target: raw ? targetText : encodeTarget(path), displayPath: encodeTarget(path) };
  }
  const originLike = targetText.startsWith('/') || targetText === '*';
  if (!originLike && !raw && method !== 'CONNECT') {
    const became = rl.target !== targetText ? `${q(rl.target)} became ${q(targetText)}, which ` : `${q(targetText)} `;
    report(env, rl.targetSpan, Codes.badUrl, `${became}is not a URL: write http://… or https://…, or a path starting with '/' plus a Host header`);
    return undefined;
  }
  const hostIdx = headers.findIndex((h) => h[0].toLowerCase() === 'host');
  // REST Client: a Host header and a path → https when the Host's port is 443 or 8443 (httpRequestParser.ts:117-123).
  const restClientTls = env.eff.tls === undefined && !raw && env.doc.dialect === 'http' && originLike && hostIdx >= 0 && httpsPort(headers[hostIdx][1]);
  const tls = env.eff.tls === true || restClientTls;
  const defaultPort = tls ? 443 : 80;
  const target = raw ? targetText : encodeTarget(targetText);
  const displayPath = originLike ? encodeTarget(targetText) : '/';
  if (hostIdx < 0) {
    if (method === 'CONNECT' && !originLike) {
      const hp = parseHostPort(targetText, { requirePort: true, what: 'CONNECT' });
      if (hp.problems.length > 0 || hp.port === undefined) {
        reportProblems(env, hp.problems, rl.targetSpan, rl.target, targetText);
        return undefined;
      }
      return { tls, host: hp.host, port: hp.port, target, displayPath: '/' };
    }
    if (env.eff.connect) return { tls, host: env.eff.connect.host, port: env.eff.connect.port, target, displayPath };
    report(
      env,
      rl.targetSpan,
      Codes.missingHostHeader,
      raw
        ? 'This @raw request does not say where to connect: add a Host header, write the full URL, or add # @connect host:port'
        : `${q(targetText)} has no host: add a Host header (Host: example.com:8080) or write the full URL`,
    );
    return undefined;
  }
  const hostValue = headers[hostIdx][1];
  const h = env.block.headers.find((x) => x.name.trim().toLowerCase() === 'host') ?? env.block.headers[hostIdx];
  const span = lineSpanOf(h.line, h.text ?? '');
  const hp = parseHostPort(hostValue, { requirePort: false, what: 'Host', defaultPort });
  if (hp.problems.length > 0 || hp.port === undefined || hp.host === '') {
    if (hp.problems.length === 0) report(env, span, Codes.badHost, 'The Host header is empty: write Host: example.com[:port]');
    reportProblems(env, hp.problems, span, h.value, hostValue);
    return undefined;
  }
  const note = restClientTls ? `Sent over TLS (https) because the Host header's port is ${hp.port}, as REST Client does; # @tls false sends plain http` : undefined;
  return { tls, host: hp.host, port: hp.port, target, displayPath, ...(note ? { note } : {}) };
}
