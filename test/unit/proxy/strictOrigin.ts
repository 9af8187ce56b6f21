/**
 * A strict recording origin for the smuggling sweep: a raw loopback server with its own strict HTTP/1.1
 * request parser (CRLF only, no obs-fold, no control bytes, one framing, strict chunked). It records every
 * request it parses (method and path) and every malformed input it refuses, and answers each request with
 * its path in `X-Path`, so a client can tell which request a response belongs to.
 */
import * as net from 'node:net';

export interface Seen {
  method: string;
  path: string;
  /** The connection it came on (counting from 1). */
  conn: number;
}

export interface StrictOrigin {
  port: number;
  seen: Seen[];
  /** Inputs it refused as malformed (what the proxy should never forward): why, and the connection's bytes. */
  malformed: { why: string; bytes: string }[];
  /** Requests refused as unsupported, not malformed (a transfer coding other than chunked): 501. */
  unsupported: number;
  close(): Promise<void>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const REQUEST_LINE = new RegExp(`^(${TOKEN}) (/[\\x21-\\x7e\\x80-\\xff]*) HTTP/1\\.1$`); // raw UTF-8 in a path is passed on, as nginx does
const FIELD = new RegExp(`^(${TOKEN}):[ \\t]*((?:[\\x21-\\x7e\\x80-\\xff](?:[\\x20-\\x7e\\x80-\\xff\\t]*[\\x21-\\x7e\\x80-\\xff])?)?)[ \\t]*$`);
// eslint-disable-next-line no-control-regex -- control bytes are what it looks for
const CHUNK_LINE = /^([0-9a-fA-F]{1,16})((?:[ \t]*;[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"[^"\\\x00-\x08\x0a-\x1f\x7f]*"))?)*)$/;

type Parsed = { method: string; path: string; used: number } | { error: string; unsupported?: boolean } | undefined;

/** One request from the start of `buf`: parsed, an error, or undefined when more bytes are needed. */
export function parseStrict(buf: Buffer): Parsed {
  const end = buf.indexOf('\r\n\r\n');
  const upTo = buf.toString('latin1', 0, end < 0 ? buf.length : end);
  if (/\r(?!\n)|(?<!\r)\n/.test(upTo.replace(/\r$/, ''))) return { error: 'bare CR or LF in the head' };
  if (end < 0) return buf.length > 65536 ? { error: 'head too large' } : undefined;
  const lines = upTo.split('\r\n');
  const m = REQUEST_LINE.exec(lines[0]);
  if (!m) return { error: `bad request line ${JSON.stringify(lines[0])}` };
  const fields: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const f = FIELD.exec(line);
    if (!f) return { error: `bad field line ${JSON.stringify(line)}` };
    fields.push([f[1].toLowerCase(), f[2]]);
  }
  const all = (n: string) => fields.filter(([k]) => k === n).map(([, v]) => v);
  if (all('host').length !== 1) return { error: 'not exactly one Host' };
  const te = all('transfer-encoding');
  const cl = all('content-length');
  let at = end + 4;
  if (te.length > 0 && cl.length > 0) return { error: 'both Transfer-Encoding and Content-Length' };
  if (te.length > 1) return { error: 'several Transfer-Encoding fields' };
  if (cl.length > 1) return { error: 'several Content-Length fields' };
  if (te.length === 1) {
    if (!/^chunked$/i.test(te[0])) return /(^|,)\s*chunked\s*$/i.test(te[0]) ? { error: `unsupported coding ${te[0]}`, unsupported: true } : { error: `bad Transfer-Encoding ${te[0]}` };
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return buf.length - at > 4096 ? { error: 'chunk line too long' } : undefined;
      const line = buf.toString('latin1', at, eol);
      const c = CHUNK_LINE.exec(line);
      if (!c || /\n/.test(line)) return { error: `bad chunk line ${JSON.stringify(line.slice(0, 80))}` };
      const size = parseInt(c[1], 16);
      at = eol + 2;
      if (size === 0) break;
      if (buf.length < at + size + 2) return undefined;
      if (buf[at + size] !== 0x0d || buf[at + size + 1] !== 0x0a) return { error: 'chunk data not followed by CRLF' };
      at += size + 2;
    }
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const line = buf.toString('latin1', at, eol);
      at = eol + 2;
      if (line === '') break;
      if (!FIELD.test(line) || /[\r\n]/.test(line)) return { error: `bad trailer ${JSON.stringify(line)}` };
    }
  } else if (cl.length === 1) {
    if (!/^\d{1,15}$/.test(cl[0])) return { error: `bad Content-Length ${cl[0]}` };
    at += Number(cl[0]);
    if (buf.length < at) return undefined;
  }
  return { method: m[1], path: m[2], used: at };
}

export async function startStrictOrigin(): Promise<StrictOrigin> {
  const seen: Seen[] = [];
  const malformed: StrictOrigin['malformed'] = [];
  const sockets = new Set<net.Socket>();
  let conns = 0;
  const api = { seen, malformed, unsupported: 0 } as StrictOrigin;
  const server = net.createServer((s) => {
    const conn = ++conns;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let all = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      all = Buffer.concat([all, d]).subarray(-4096);
      while (buf.length > 0 && !s.writableEnded) {
        const p = parseStrict(buf);
        if (!p) return;
        if ('error' in p) {
          if (p.unsupported) api.unsupported++;
          else malformed.push({ why: p.error, bytes: all.toString('latin1') });
          s.end(`HTTP/1.1 ${p.unsupported ? '501 Not Implemented' : '400 Bad Request'}\r\nX-Origin: strict\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        seen.push({ method: p.method, path: p.path, conn });
        buf = buf.subarray(p.used);
        const body = `${p.path}\n`;
        s.write(`HTTP/1.1 200 OK\r\nX-Origin: strict\r\nX-Path: ${p.path}\r\nContent-Length: ${body.length}\r\n\r\n${p.method === 'HEAD' ? '' : body}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.port = (server.address() as net.AddressInfo).port;
  api.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return api;
}
