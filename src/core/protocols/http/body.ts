/**
 * The body of an HTTP block as bytes, with REST Client's body conversions (RC@6649589 src/utils/httpRequestParser.ts)
 * unless `# @raw`:
 *   - GraphQL (`X-Request-Type: GraphQL`, any case): the first blank line splits the query from the variables
 *     → `{"query","operationName"?,"variables"}`, the X-Request-Type header removed;
 *   - file lines inside a body (`< ./file`, `<@ ./file`, `<@latin1 ./file`, column 0): the file's bytes in place;
 *     multipart/form-data gets CRLF after every line (the last too), other types the line break between lines
 *     (`.http` files; `.netreq` files: multipart only);
 *   - `application/x-www-form-urlencoded` (`.http` files): `&` lines joined, then encodeurl 1.0.2 ('automatic').
 * `.http` files join plain body lines as REST Client does on Linux: LF between lines, CRLF for multipart/form-data,
 * one trailing LF for application/x-ndjson. `.netreq` files: CRLF between lines, as written.
 */
import { libEncodeurl } from '../../lazyNode';
import type { HeaderList } from '../../exchange';
import { headerValues } from '../../http/build';
import { Codes } from '../../netreq/diag';
import { MAX_STREAMED_FILE_BYTES } from '../../netreq/localFile';
import { expandedBodyLines, readBodyFile, report, type ResolveEnv } from '../../netreq/resolveCommon';
import type { Span } from '../../netreq/types';
import { INCLUDE_LINE } from './conversionSyntax';

/** The encodings `<@encoding` accepts: Node's Buffer encodings, which REST Client passes to `buffer.toString`. */
export const BODY_ENCODINGS = ['utf8', 'utf-8', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2', 'ucs-2', 'base64', 'base64url', 'hex'] as const;

export interface HttpBody {
  body?: Buffer;
  headers: HeaderList;
  conversions: string[];
}

/** Essence of the Content-Type (lower case, parameters dropped). */
function mediaType(headers: HeaderList): string {
  return (headerValues(headers, 'content-type')[0] ?? '').split(';')[0].trim().toLowerCase();
}

/** The body as bytes; undefined after reporting an error. */
export async function resolveHttpBody(env: ResolveEnv, headers: HeaderList): Promise<HttpBody | undefined> {
  const out = await buildBody(env, headers);
  if (out && env.eff.raw !== true) fixContentLength(out, env.doc.dialect === 'http');
  return out;
}

/**
 * A written Content-Length that no longer matches the body is dropped (the engine writes the right one):
 * REST Client always removes it (httpRequestParser.ts:82); `.netreq` files only when a conversion changed the body.
 */
function fixContentLength(out: HttpBody, http: boolean): void {
  const at = out.headers.findIndex(([k]) => k.toLowerCase() === 'content-length');
  if (at < 0 || (!http && out.conversions.length === 0)) return;
  const actual = out.body?.length ?? 0;
  if (out.headers[at][1].trim() === String(actual)) return;
  out.conversions.push(`Content-Length ${out.headers[at][1].trim()} as written replaced by the body's ${actual} bytes (REST Client always recomputes it)`);
  out.headers = out.headers.filter((_, i) => i !== at);
}

async function buildBody(env: ResolveEnv, headers: HeaderList): Promise<HttpBody | undefined> {
  const { block } = env;
  const raw = env.eff.raw === true;
  const out: HttpBody = { headers, conversions: [] };
  const b = block.body;
  if (!b) return out;
  if (b.file) {
    const enc = raw ? undefined : encodingOf(env, lineText(env, b.file.line), b.file.line);
    if (enc === null) return undefined;
    out.body = await readBodyFile(env, b.file, enc);
    if (out.body && enc && !/^utf-?8$/i.test(enc)) out.conversions.push(`Body file ${b.file.path} read as ${enc} and sent as UTF-8 (<@${enc}, as REST Client does)`);
    return out.body ? out : undefined;
  }
  const lines = await expandedBodyLines(env, b);
  if (raw) {
    out.body = Buffer.from(lines.join('\r\n'), 'utf8');
    return out;
  }
  const http = env.doc.dialect === 'http';
  const type = mediaType(headers);
  const multipart = type === 'multipart/form-data';
  const sep = http && !multipart ? '\n' : '\r\n';
  const graphqlAt = headers.findIndex(([k, v]) => k.toLowerCase() === 'x-request-type' && v.trim().toLowerCase() === 'graphql');
  if (graphqlAt >= 0) {
    out.headers = headers.filter((_, i) => i !== graphqlAt);
    const blank = lines.findIndex((l) => l.trim() === '');
    const queryLines = blank < 0 ? lines : lines.slice(0, blank);
    const varLines = blank < 0 ? [] : lines.slice(blank + 1);
    const gsep = multipart ? '\r\n' : '\n';
    const query = await assemble(env, queryLines, 0, gsep, multipart, http || multipart);
    const vars = await assemble(env, varLines, blank + 1, gsep, multipart, http || multipart);
    if (!query || !vars) return undefined;
    const variablesText = vars.data.toString('utf8');
    let variables: unknown = {};
    if (varLines.length > 0 && variablesText !== '') {
      try {
        variables = JSON.parse(variablesText);
      } catch (e) {
        const line = b.startLine + blank + 1;
        report(env, bodySpan(env, line, b.endLine), Codes.badGraphql, `The GraphQL variables (after the first blank line of the body) are not JSON: ${(e as Error).message}`);
        return undefined;
      }
    }
    const queryText = query.data.toString('utf8');
    const operationName = /^\s*query\s+([^@{(\s]+)/i.exec(queryText)?.[1];
    out.body = Buffer.from(JSON.stringify({ query: queryText, operationName, variables }), 'utf8');
    out.conversions.push(
      `GraphQL body built as JSON (query${operationName ? ', operationName' : ''}, variables) from X-Request-Type: ${headers[graphqlAt][1]}; the X-Request-Type header is not sent (REST Client does this; REST Client 0.26 needs the value in lower case: graphql)`,
      ...query.notes,
      ...vars.notes,
    );
    return out;
  }
  const includes = http || multipart ? lines.some((l, i) => INCLUDE_LINE.test(rawLine(env, i))) : false;
  if (includes) {
    const r = await assemble(env, lines, 0, sep, multipart, true);
    if (!r) return undefined;
    out.body = r.data;
    out.conversions.push(...r.notes);
    return out;
  }
  if (http && type === 'application/x-www-form-urlencoded') {
    const joined = lines.reduce((acc, c, i) => acc + (i === 0 || c.startsWith('&') ? '' : '\n') + c, '');
    const encoded = libEncodeurl()(joined);
    if (lines.slice(1).some((l) => l.startsWith('&'))) out.conversions.push('Form body: lines starting with & joined to the line before (REST Client does this)');
    if (encoded !== joined) out.conversions.push('Form body percent-encoded with encodeurl, as REST Client does by default (rest-client.formParamEncodingStrategy "automatic")');
    out.body = Buffer.from(encoded, 'utf8');
    return out;
  }
  let text = lines.join(sep);
  if (http && type === 'application/x-ndjson') text += sep;
  out.body = Buffer.from(text, 'utf8');
  return out;
}

/** The raw (unexpanded) text of body line `i` (the file-line test is made on what is written). */
function rawLine(env: ResolveEnv, i: number): string {
  return env.block.body!.text.split('\n')[i] ?? '';
}

function lineText(env: ResolveEnv, line: number): string {
  const b = env.block.body!;
  return b.text.split('\n')[line - b.startLine] ?? '';
}

function bodySpan(env: ResolveEnv, line: number, endLine: number): Span {
  const end = lineText(env, endLine);
  return { start: { line, col: 0 }, end: { line: endLine, col: end.length } };
}

/**
 * `<@enc path`: the encoding named (undefined: none, or `<` / `<@`); null after reporting an unknown one.
 * Node's Buffer encodings only, as REST Client (`buffer.toString(encoding)`).
 */
function encodingOf(env: ResolveEnv, text: string, line: number): string | undefined | null {
  const m = /^\s*<@(\w+)\s/.exec(text);
  if (!m) return undefined;
  const enc = m[1];
  if (Buffer.isEncoding(enc)) return enc;
  const col = text.indexOf(enc);
  report(
    env,
    { start: { line, col }, end: { line, col: col + enc.length } },
    Codes.unknownEncoding,
    `<@${enc}: unknown encoding '${enc}'; <@encoding takes one of ${BODY_ENCODINGS.join(', ')} (Node's Buffer encodings, as REST Client)`,
  );
  return null;
}

/**
 * Body lines `lines` (the block's body lines from index `first`) with file lines replaced by the file's
 * content: multipart gets `sep` after every line, other types between lines. Undefined after an error.
 */
async function assemble(
  env: ResolveEnv,
  lines: string[],
  first: number,
  sep: string,
  multipart: boolean,
  includes: boolean,
): Promise<{ data: Buffer; notes: string[] } | undefined> {
  const b = env.block.body!;
  const parts: Buffer[] = [];
  const notes: string[] = [];
  let failed = false;
  let total = 0;
  for (let k = 0; k < lines.length; k++) {
    const i = first + k;
    const written = rawLine(env, i);
    const m = includes ? INCLUDE_LINE.exec(written) : null;
    if (m) {
      const line = b.startLine + i;
      const enc = m[1] ? encodingOf(env, written, line) : undefined;
      if (enc === null) {
        failed = true;
        continue;
      }
      const data = await readBodyFile(env, { path: m[3], substitute: m[1] === '@', line }, enc);
      if (!data) {
        failed = true;
        continue;
      }
      total += data.length;
      if (total > MAX_STREAMED_FILE_BYTES) {
        report(env, { start: { line, col: 0 }, end: { line, col: written.length } }, Codes.valueTooLarge, `The body with its files would be over ${MAX_STREAMED_FILE_BYTES / (1024 * 1024)} MB at this line: NetReq does not send bodies that large`);
        return undefined;
      }
      parts.push(data);
      notes.push(`Body line ${line + 1}: ${written.trim()} replaced by the file's ${data.length.toLocaleString('en-US')} bytes${enc && !/^utf-?8$/i.test(enc) ? ` (read as ${enc}, sent as UTF-8)` : ''} (REST Client does this)`);
    } else {
      parts.push(Buffer.from(lines[k], 'utf8'));
    }
    if (multipart || k < lines.length - 1) parts.push(Buffer.from(sep, 'latin1'));
  }
  if (failed) return undefined;
  return { data: Buffer.concat(parts), notes };
}
