/**
 * Parse-time info diagnostics for REST Client's conversions (resolveHttp applies them when sending): each at the
 * line that causes it, so the editor shows what will change before anything is sent. None with `# @raw`.
 */
import { Codes, diag } from '../../netreq/diag';
import type { Block, Diagnostic, Dialect } from '../../netreq/types';
import { httpsPort, INCLUDE_LINE, readAuthorization } from './conversionSyntax';

const RAW_OFF = '# @raw sends it as written';

export function checkHttpConversions(block: Block, raw: boolean, dialect: Dialect, diags: Diagnostic[]): void {
  if (raw) return;
  const info = (line: number, text: string, message: string): void => {
    diags.push(diag(line, 0, text.length, 'info', Codes.conversion, message));
  };
  let type = '';
  let graphql = false;
  const firstLine = new Map<string, number>();
  for (const h of block.headers) {
    const name = h.name.trim().toLowerCase();
    const text = h.text ?? `${h.name}: ${h.value}`;
    const first = firstLine.get(name);
    if (first === undefined) firstLine.set(name, h.line);
    else if (dialect === 'http') info(h.line, text, `Repeated header: its value is joined to line ${first + 1}'s with '${name === 'cookie' ? ';' : ','}' into one ${h.name.trim()} header, as REST Client does; ${RAW_OFF.replace('it', 'them')}`);
    if (name === 'host' && dialect === 'http' && first === undefined && block.requestLine?.target.startsWith('/') && !block.directives.some((d) => d.key === 'tls') && httpsPort(h.value)) {
      info(h.line, text, `Sent over TLS (https): REST Client uses https when a Host header's port is 443 or 8443; # @tls false sends plain http`);
    }
    if (name === 'content-type') type = h.value.split(';')[0].trim().toLowerCase();
    if (name === 'x-request-type' && h.value.trim().toLowerCase() === 'graphql') {
      graphql = true;
      info(h.line, text, `GraphQL body built as JSON (query, operationName for a named query, variables after the first blank line); this header is not sent. REST Client does this (0.26 only for the value in lower case: graphql); ${RAW_OFF}`);
    }
    if (name !== 'authorization') continue;
    const auth = readAuthorization(h.value.trim());
    if (!auth) continue;
    if (auth.kind === 'basic' && auth.dropped !== undefined) {
      diags.push(
        diag(h.line, 0, text.length, 'warning', Codes.conversion, `Basic credentials encoded as base64, with the password cut at the second ':' as REST Client does (the rest is not sent): write Basic user pass to keep it; ${RAW_OFF.replace('it', 'the header')}`),
      );
    } else if (auth.kind === 'basic') info(h.line, text, `Basic credentials encoded as base64 (REST Client does this); ${RAW_OFF.replace('it', 'the header')}`);
    else if (auth.kind === 'digest') info(h.line, text, `Digest authentication: sent first without this header, then a 401 Digest challenge is answered once (MD5 / MD5-sess, qop=auth), as REST Client does; ${RAW_OFF.replace('it', 'the header')}`);
    else if (auth.kind === 'aws') info(h.line, text, `AWS Signature Version 4: the request is signed with the aws4 package (Authorization, X-Amz-Date, …), as REST Client does; ${RAW_OFF.replace('it', 'the header')}`);
    else
      diags.push(
        diag(h.line, 0, text.length, 'error', Codes.unsupportedAuth, 'Authorization: COGNITO signs in to AWS Cognito over AWS’s network, which NetReq does not do: get a token yourself and write Authorization: Bearer <token> (or # @raw to send the header as written)'),
      );
  }
  const b = block.body;
  if (!b) return;
  if (b.file) {
    const t = b.text.split('\n')[b.file.line - b.startLine] ?? '';
    const enc = /^\s*<@(\w+)\s/.exec(t)?.[1];
    if (enc && !/^utf-?8$/i.test(enc)) info(b.file.line, t, `The file is decoded as ${enc}, {{variables}} substituted, and sent as UTF-8, as REST Client does; ${RAW_OFF.replace('sends it as written', 'reads it as UTF-8')}`);
    return;
  }
  const http = dialect === 'http';
  const multipart = type === 'multipart/form-data';
  const lines = b.text.split('\n');
  let includes = false;
  if (http || multipart || graphql) {
    lines.forEach((l, i) => {
      const m = INCLUDE_LINE.exec(l);
      if (!m) return;
      includes = true;
      const how = m[1] ? `decoded as ${m[2] ?? 'UTF-8'}, {{variables}} substituted, sent as UTF-8` : 'its raw bytes';
      info(b.startLine + i, l, `The content of ${m[3]} is sent in place of this line (${how}${multipart ? ', then CRLF' : ''}), as REST Client does; ${RAW_OFF}`);
    });
  }
  if (http && !graphql && !includes && type === 'application/x-www-form-urlencoded') {
    info(b.startLine, lines[0], `Form body: lines starting with & are joined to the line before, and the body is percent-encoded with encodeurl, as REST Client does; ${RAW_OFF}`);
  }
}
