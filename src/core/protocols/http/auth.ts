/**
 * REST Client's Authorization conveniences (RC@6649589 src/utils/httpClient.ts:153-180), applied to the
 * resolved headers unless `# @raw`:
 *   `Basic user pass…` / `Basic user:pass`  → `Basic base64(user:pass)` (UTF-8)
 *   `Digest user pass…`                     → no Authorization on the first try; the challenge is answered once
 *   `AWS id secret [token:T] [region:R] [service:S]` → SigV4 headers added by the aws4 package
 *   `COGNITO …`                             → refused (it needs AWS's network)
 * The header value is split on runs of whitespace into scheme, user and the rest, the scheme case-insensitive.
 */
import type * as aws4 from 'aws4';
import { libAws4 } from '../../lazyNode';
import type { HeaderList } from '../../exchange';
import { Codes } from '../../netreq/diag';
import { lineSpanOf, report, type ResolveEnv } from '../../netreq/resolveCommon';
import { readAuthorization, type AuthConversion } from './conversionSyntax';

export interface AuthResult {
  headers: HeaderList;
  /** Request-target after signing (aws4 may normalise the query). */
  target: string;
  digest?: { username: string; password: string };
  conversions: string[];
}

export interface AuthInput {
  method: string;
  headers: HeaderList;
  target: string;
  /** The Host header value that goes on the wire. */
  host: string;
  body: Buffer | undefined;
}

/**
 * Applies the first Authorization header's convenience (REST Client reads one value: `getHeader` joins
 * duplicates, which then never match a scheme with arguments cleanly; NetReq converts the first only).
 * Undefined after reporting an error.
 */
export function applyAuth(env: ResolveEnv, input: AuthInput): AuthResult | undefined {
  const result: AuthResult = { headers: input.headers, target: input.target, conversions: [] };
  const idx = input.headers.findIndex(([k]) => k.toLowerCase() === 'authorization');
  if (idx < 0) return result;
  const conv = readAuthorization(input.headers[idx][1]);
  if (!conv) return result;
  // The written line (the resolved list may have gained a Host or lost X-Request-Type, so not by index).
  const h = env.block.headers.find((x) => x.name.trim().toLowerCase() === 'authorization');
  const span = lineSpanOf(h?.line ?? env.block.requestLine!.line, h?.text ?? '');
  const without = input.headers.filter((_, i) => i !== idx);
  switch (conv.kind) {
    case 'basic': {
      const encoded = Buffer.from(`${conv.username}:${conv.password}`, 'utf8').toString('base64');
      result.headers = input.headers.map((pair, i) => (i === idx ? [pair[0], `Basic ${encoded}`] : pair));
      result.conversions.push(
        `Authorization: Basic credentials encoded as base64 for user "${conv.username}"${conv.dropped !== undefined ? `; the password ends at the second ':' (the rest, ${conv.dropped.length} characters, is left out, as REST Client does: write Basic user pass to keep it)` : ''} (REST Client does this; # @raw sends the header as written)`,
      );
      return result;
    }
    case 'digest':
      result.headers = without;
      result.digest = { username: conv.username, password: conv.password };
      result.conversions.push(
        `Authorization: Digest for user "${conv.username}": sent first without credentials; a 401 Digest challenge is answered once (MD5 / MD5-sess, qop=auth), as REST Client does (# @raw sends the header as written)`,
      );
      return result;
    case 'cognito':
      report(
        env,
        span,
        Codes.unsupportedAuth,
        'Authorization: COGNITO signs in to AWS Cognito over AWS’s network, which NetReq does not do: get a token yourself and write Authorization: Bearer <token> (or # @raw to send the header as written)',
      );
      return undefined;
    case 'aws':
      return signAws(env, conv, input, without, result);
  }
}

function signAws(env: ResolveEnv, conv: Extract<AuthConversion, { kind: 'aws' }>, input: AuthInput, without: HeaderList, result: AuthResult): AuthResult {
  const headers: Record<string, string> = {};
  let hasHost = false;
  for (const [k, v] of without) {
    if (k.toLowerCase() === 'host') hasHost = true;
    // aws4 takes one value per name; duplicates are joined with ',' as HTTP allows.
    const prev = Object.keys(headers).find((x) => x.toLowerCase() === k.toLowerCase());
    if (prev !== undefined) headers[prev] = `${headers[prev]},${v}`;
    else headers[k] = v;
  }
  if (!hasHost) headers.Host = input.host;
  const now = env.ctx.now?.() ?? new Date();
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'x-amz-date' || k.toLowerCase() === 'date')) {
    headers['X-Amz-Date'] = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  }
  const req: aws4.Request = { method: input.method, host: input.host.replace(/:\d+$/, ''), path: input.target, headers };
  if (conv.region !== undefined) req.region = conv.region;
  if (conv.service !== undefined) req.service = conv.service;
  if (input.body && input.body.length > 0) req.body = input.body;
  const creds: aws4.Credentials = { accessKeyId: conv.accessKeyId, secretAccessKey: conv.secretAccessKey };
  if (conv.sessionToken !== undefined) creds.sessionToken = conv.sessionToken;
  const signed = libAws4().sign(req, creds);
  const out: HeaderList = [];
  const added: string[] = [];
  const before = new Set(without.map(([k]) => k.toLowerCase()));
  for (const [k, v] of Object.entries(signed.headers ?? {})) {
    const value = String(v);
    // Keep the user's order and names; duplicates went in joined, they go out as one line.
    if (!before.has(k.toLowerCase())) added.push(k);
    out.push([k, value]);
  }
  const hostAt = out.findIndex(([k]) => k === 'Host');
  if (!hasHost && hostAt > 0) out.unshift(...out.splice(hostAt, 1));
  result.headers = out;
  if (typeof signed.path === 'string' && signed.path !== input.target) result.target = signed.path;
  const scope = [conv.service && `service ${conv.service}`, conv.region && `region ${conv.region}`].filter(Boolean).join(', ');
  result.conversions.push(
    `Authorization: AWS Signature Version 4 by the aws4 package${scope ? ` (${scope})` : ''}: added ${added.join(', ')} (REST Client does this; # @raw sends the header as written)`,
  );
  if (result.target !== input.target) result.conversions.push(`AWS signing rewrote the request-target as ${result.target}`);
  return result;
}
