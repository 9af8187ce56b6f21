/**
 * The demo HTTP(S) servers' routes: small, predictable answers that show one protocol feature each
 * (status codes, delays, chunked trailers, gzip, big bodies, Connection: close, cookies), so the
 * examples in examples/*.netreq have something local to talk to. Plain Node, no vscode.
 */
import type * as http from 'node:http';
import * as zlib from 'node:zlib';

/** Upper bounds, so a typo cannot tie a server up for long or fill memory. */
export const MAX_DELAY_MS = 30_000;
export const MAX_BIG_MB = 100;
/** Largest request body /post echoes back; more is counted but not kept. */
export const MAX_ECHO_BODY_BYTES = 1024 * 1024;

export interface RouteInfo {
  path: string;
  what: string;
}

export const ROUTES: RouteInfo[] = [
  { path: '/', what: 'this page (HTML); /index.html too' },
  { path: '/json', what: 'a small JSON document' },
  { path: '/post', what: 'echoes the method, headers (in wire order) and body as JSON; any method' },
  { path: '/headers', what: 'the request headers as JSON, in wire order with repeats' },
  { path: '/status/:code', what: 'answers with that status (200–599), e.g. /status/418' },
  { path: '/delay/:ms', what: `answers after that many milliseconds (at most ${MAX_DELAY_MS})` },
  { path: '/chunked', what: 'Transfer-Encoding: chunked, five chunks 100 ms apart, then trailers' },
  { path: '/gzip', what: 'a JSON body with Content-Encoding: gzip' },
  { path: '/big?mb=N', what: `N megabytes of text (default 1, at most ${MAX_BIG_MB}), streamed` },
  { path: '/close', what: 'answers with Connection: close and closes the connection' },
  { path: '/cookies', what: 'sets two cookies and shows the ones the request carried' },
];

export interface RouteContext {
  /** "http" or "https": shown on the pages. */
  scheme: string;
}

function headerPairs(req: http.IncomingMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) out.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return out;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: http.OutgoingHttpHeaders = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, ...extra });
  res.end(buf);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, extra: http.OutgoingHttpHeaders = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2) + '\n', extra);
}

function problem(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message, routes: ROUTES.map((r) => r.path) });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function homePage(ctx: RouteContext, host: string | undefined): string {
  const rows = ROUTES.map((r) => {
    const href = r.path.replace(':code', '418').replace(':ms', '1000').replace('=N', '=1');
    return `      <tr><td><a href="${escapeHtml(href)}"><code>${escapeHtml(r.path)}</code></a></td><td>${escapeHtml(r.what)}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>NetReq demo server</title>
</head>
<body>
  <h1>NetReq demo server (${escapeHtml(ctx.scheme)})</h1>
  <p>Served by <code>netreq demo-servers</code> on ${escapeHtml(host ?? 'loopback')}. Routes:</p>
  <table>
${rows}
  </table>
</body>
</html>
`;
}

function readBody(req: http.IncomingMessage): Promise<{ body: Buffer; total: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    req.on('data', (d: Buffer) => {
      total += d.length;
      if (kept < MAX_ECHO_BODY_BYTES) {
        const part = d.subarray(0, MAX_ECHO_BODY_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    req.once('end', () => resolve({ body: Buffer.concat(chunks), total }));
    req.once('error', reject);
  });
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

async function echo(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const { body, total } = await readBody(req);
  const type = String(req.headers['content-type'] ?? '');
  const text = body.toString('utf8');
  const out: Record<string, unknown> = {
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    query: Object.fromEntries(url.searchParams),
    headers: headerPairs(req),
    bodyBytes: total,
  };
  if (total > body.length) out.bodyTruncatedAt = body.length;
  const isText = !text.includes('\uFFFD');
  out.body = isText ? text : undefined;
  if (!isText) out.bodyBase64 = body.toString('base64');
  if (/application\/x-www-form-urlencoded/i.test(type)) out.form = Object.fromEntries(new URLSearchParams(text));
  if (/json/i.test(type)) {
    try {
      out.json = JSON.parse(text);
    } catch (e) {
      out.jsonError = (e as Error).message;
    }
  }
  sendJson(res, 200, out);
}

function chunked(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Transfer-Encoding': 'chunked', Trailer: 'X-Chunk-Count, X-Body-Length' });
  const total = 5;
  let n = 0;
  let length = 0;
  const timer = setInterval(() => {
    n++;
    const line = `chunk ${n} of ${total}\n`;
    length += Buffer.byteLength(line);
    res.write(line);
    if (n === total) {
      clearInterval(timer);
      res.addTrailers({ 'X-Chunk-Count': String(total), 'X-Body-Length': String(length) });
      res.end();
    }
  }, 100);
  res.once('close', () => clearInterval(timer));
}

function big(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  const raw = url.searchParams.get('mb') ?? '1';
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0 || mb > MAX_BIG_MB) return problem(res, 400, `mb must be a number above 0 and at most ${MAX_BIG_MB}, not '${raw}'`);
  const size = Math.round(mb * 1024 * 1024);
  // 64-byte lines: "NetReq demo body, line 0000001 ......\n" — easy to check by eye where a cut happened.
  const line = (i: number) => `NetReq demo body, line ${String(i).padStart(8, '0')} `.padEnd(63, '.') + '\n';
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': size });
  if (req.method === 'HEAD') return void res.end();
  let sent = 0;
  let i = 0;
  const pump = (): void => {
    while (sent < size) {
      const parts: string[] = [];
      for (let k = 0; k < 1024 && sent + parts.length * 64 < size; k++) parts.push(line(++i));
      let chunk = Buffer.from(parts.join(''), 'latin1');
      if (sent + chunk.length > size) chunk = chunk.subarray(0, size - sent);
      sent += chunk.length;
      if (sent >= size) {
        res.end(chunk);
        return;
      }
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.once('close', () => (sent = size));
  pump();
}

/** Handles one request; never throws (a failure becomes a 500 with the reason). */
export function handleDemoRequest(ctx: RouteContext, req: http.IncomingMessage, res: http.ServerResponse): void {
  route(ctx, req, res).catch((e: Error) => {
    if (!res.headersSent) problem(res, 500, `demo server failed: ${e.message}`);
    else res.destroy();
  });
}

async function route(ctx: RouteContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const p = url.pathname.replace(/\/+$/, '') || '/';
  // Every route but /post ignores a request body; drain it so keep-alive stays in step.
  if (p !== '/post') req.resume();
  let m: RegExpExecArray | null;
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    res.shouldKeepAlive = false;
    return send(res, 400, 'text/plain; charset=utf-8', 'HTTP/1.1 requests need a Host header (RFC 9112, section 3.2); HTTP/1.0 ones do not\n', { Connection: 'close' });
  }
  if (p === '/' || p === '/index.html') return send(res, 200, 'text/html; charset=utf-8', homePage(ctx, req.headers.host));
  if (p === '/json')
    return sendJson(res, 200, {
      name: 'NetReq',
      kind: 'demo',
      scheme: ctx.scheme,
      protocols: ['HTTP/1.0', 'HTTP/1.1', 'HTTPS'],
      numbers: [1, 2.5, -3],
      nested: { ok: true, nothing: null },
      time: new Date().toISOString(),
    });
  if (p === '/post') return echo(req, res, url);
  if (p === '/headers') return sendJson(res, 200, { headers: headerPairs(req) });
  if ((m = /^\/status\/(\d{1,3})$/.exec(p))) {
    const code = Number(m[1]);
    if (code < 200 || code > 599) return problem(res, 400, `status code must be 200–599, not ${code}`);
    if (code === 204 || code === 304) {
      res.writeHead(code);
      return void res.end();
    }
    return send(res, code, 'text/plain; charset=utf-8', `status ${code}\n`);
  }
  if ((m = /^\/delay\/(\d+)$/.exec(p))) {
    const ms = Number(m[1]);
    if (ms > MAX_DELAY_MS) return problem(res, 400, `delay is at most ${MAX_DELAY_MS} ms, not ${ms}`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      res.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
    if (res.destroyed || res.writableEnded) return;
    return sendJson(res, 200, { delayedMs: ms });
  }
  if (p === '/chunked') return chunked(req, res);
  if (p === '/gzip') {
    const json = JSON.stringify({ compressed: true, encoding: 'gzip', text: 'NetReq decodes this for the Body tab; the Raw tab shows the gzip bytes.' }, null, 2) + '\n';
    return send(res, 200, 'application/json; charset=utf-8', zlib.gzipSync(json), { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  }
  if (p === '/big') return big(req, res, url);
  if (p === '/close') {
    res.shouldKeepAlive = false;
    return send(res, 200, 'text/plain; charset=utf-8', 'this connection closes after this response\n', { Connection: 'close' });
  }
  if (p === '/cookies') {
    res.setHeader('Set-Cookie', ['session=abc123; Path=/; HttpOnly; SameSite=Lax', `visited=${Date.now()}; Path=/; Max-Age=3600`]);
    return sendJson(res, 200, { received: parseCookies(req.headers.cookie) });
  }
  return problem(res, 404, `no route ${p}`);
}
