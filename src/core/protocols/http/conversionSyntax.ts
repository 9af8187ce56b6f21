/**
 * How REST Client reads an Authorization value and a body file line: shared by the parse-time checks
 * (conversionChecks.ts) and the resolver (auth.ts, body.ts); no dependencies, so parsing loads no signing code.
 */

/** REST Client's file-line syntax (httpRequestParser.ts:26). */
export const INCLUDE_LINE = /^<(?:(@)(\w+)?)?\s+(.+?)\s*$/;

/** What an Authorization value asks for, read as REST Client reads it. */
export type AuthConversion =
  | { kind: 'basic'; username: string; password: string; /** `u:p:q`: what REST Client leaves out after the second colon. */ dropped?: string }
  | { kind: 'digest'; username: string; password: string }
  | { kind: 'aws'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region?: string; service?: string }
  | { kind: 'cognito' };

/** REST Client's reading of one Authorization value; undefined: sent as written. */
export function readAuthorization(value: string): AuthConversion | undefined {
  const [scheme = '', user = '', ...args] = value.split(/\s+/);
  const s = scheme.toLowerCase();
  if (args.length > 0) {
    const pass = args.join(' ');
    if (s === 'basic') return { kind: 'basic', username: user, password: pass };
    if (s === 'digest') return { kind: 'digest', username: user, password: pass };
    if (s === 'aws') {
      const pick = (k: string): string | undefined => new RegExp(`${k}:(\\S*)`).exec(value)?.[1];
      const out: AuthConversion = { kind: 'aws', accessKeyId: user, secretAccessKey: args[0] };
      const token = pick('token');
      const region = pick('region');
      const service = pick('service');
      if (token !== undefined) out.sessionToken = token;
      if (region !== undefined) out.region = region;
      if (service !== undefined) out.service = service;
      return out;
    }
    if (s === 'cognito') return { kind: 'cognito' };
    return undefined;
  }
  if (s === 'basic' && user.includes(':')) {
    // REST Client keeps only the text between the first and the second colon as the password.
    const [username, password, ...rest] = user.split(':');
    return rest.length > 0 ? { kind: 'basic', username, password, dropped: `:${rest.join(':')}` } : { kind: 'basic', username, password };
  }
  return undefined;
}


/** REST Client's test for a Host header with a path (httpRequestParser.ts:117-123): the text after the first ':' is 443 or 8443 → https. */
export function httpsPort(hostValue: string): boolean {
  const port = hostValue.trim().split(':')[1];
  return port === '443' || port === '8443';
}
