/** Turns Node's socket/TLS/DNS errors into a phase and a sentence a person can act on. */
import type { NetError, Phase } from '../exchange';

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate (incomplete chain?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer certificate not found in the trust store',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
  CERT_REVOKED: 'certificate has been revoked',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname mismatch',
  HOSTNAME_MISMATCH: 'hostname mismatch',
};

/** Words for a TLS verification code (as in tlsSocket.authorizationError). */
export function describeTlsCode(code: string, detail?: string): string {
  const words = TLS_REASONS[code];
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && detail) return `hostname mismatch: ${detail}`;
  return words ?? (detail || code.toLowerCase().replace(/_/g, ' '));
}

/** What to do about a refused certificate, for the error message (not for the TLS details). */
export function tlsHint(code: string | undefined): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return ' (trust its CA with --cacert / netreq.tls.caFiles, or accept any certificate with # @insecure)';
    default:
      return '';
  }
}

export const PHASE_WORDS: Record<Phase, string> = {
  resolve: 'preparing the request',
  dns: 'DNS lookup',
  connect: 'TCP connect',
  proxy: 'proxy CONNECT',
  tls: 'TLS handshake',
  send: 'sending the request',
  wait: 'waiting for the response (request sent)',
  receive: 'receiving the response',
  parse: 'parsing the response',
  decode: 'decoding the body',
  cancelled: 'cancelled',
};

export class PhaseError extends Error {
  constructor(readonly phase: Phase, message: string, readonly code?: string) {
    super(message);
  }
  toNetError(): NetError {
    return { phase: this.phase, code: this.code, message: this.message };
  }
}

/** Maps a raw Node error seen in `phase` against `where` ("127.0.0.1:8080") to a NetError. */
export function describeError(err: unknown, phase: Phase, where: string): NetError {
  if (err instanceof PhaseError) return err.toNetError();
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const raw = e?.message ?? String(err);
  let message: string;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      message = `DNS lookup failed: host '${where.replace(/:\d+$/, '')}' not found`;
      return { phase: 'dns', code, message };
    case 'EAI_AGAIN':
      message = `DNS lookup failed: temporary failure resolving '${where.replace(/:\d+$/, '')}' (no DNS server reachable?)`;
      return { phase: 'dns', code, message };
    case 'ECONNREFUSED':
      return { phase: 'connect', code, message: `Connection refused: nothing is listening on ${where}` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { phase: 'connect', code, message: `No route to ${where} (${code})` };
    case 'EADDRNOTAVAIL':
      return { phase: 'connect', code, message: `Cannot connect to ${where}: address not available on this machine` };
    case 'ECONNRESET':
      return { phase, code, message: `Connection reset by ${where} during ${PHASE_WORDS[phase]}` };
    case 'EPIPE':
      return { phase, code, message: `Connection closed by ${where} while ${PHASE_WORDS[phase]} (broken pipe)` };
  }
  if (code && (code in TLS_REASONS || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    const detail = code in TLS_REASONS ? describeTlsCode(code, e.reason) : opensslReason(raw);
    return { phase: 'tls', code, message: `TLS handshake failed: ${detail}${tlsHint(code)}` };
  }
  if (phase === 'tls') return { phase, code, message: `TLS handshake failed: ${raw}` };
  return { phase, code, message: `${capitalize(PHASE_WORDS[phase])} failed: ${raw}` };
}

/**
 * OpenSSL's reason out of its error line: "C0…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate
 * required:../deps/openssl/…:1605:SSL alert number 116\n" → "tlsv13 alert certificate required (SSL alert number 116)".
 */
export function opensslReason(raw: string): string {
  const line = raw.trim();
  const m = /routines:(?:[a-z0-9_]+:)?([^:]+)(?::\.\.?\/[^:]*:\d+:?(.*))?$/s.exec(line);
  if (!m) return line;
  const extra = m[2]?.trim();
  return extra ? `${m[1]} (${extra})` : m[1];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
