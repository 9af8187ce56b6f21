/** Reads what the TLS session negotiated and the peer's certificate chain. */
import type { TLSSocket, DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import type { CertificateInfo, TlsInfo } from '../exchange';
import { describeTlsCode } from './errors';

function dn(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function toIso(date: string | undefined): string {
  if (!date) return '';
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? date : d.toISOString();
}

export function certificateInfo(cert: PeerCertificate): CertificateInfo {
  const sans = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((s) => s.replace(/^IP Address:/, 'IP:'));
  const subject = dn(cert.subject);
  const issuer = dn(cert.issuer);
  return {
    subject,
    issuer,
    subjectAltNames: sans,
    validFrom: toIso(cert.valid_from),
    validTo: toIso(cert.valid_to),
    serialNumber: cert.serialNumber ?? '',
    fingerprint256: cert.fingerprint256 ?? '',
    selfSigned: subject === issuer,
  };
}

export function peerChain(socket: TLSSocket): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  let cert = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  const seen = new Set<string>();
  while (cert && Object.keys(cert).length > 0 && chain.length < 10) {
    const fp = cert.fingerprint256 ?? String(chain.length);
    if (seen.has(fp)) break;
    seen.add(fp);
    chain.push(certificateInfo(cert));
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function tlsInfo(socket: TLSSocket, verify: boolean, servername: string | undefined, verifyError?: Error): TlsInfo {
  const cipher = socket.getCipher?.();
  const errCode = (verifyError as NodeJS.ErrnoException | undefined)?.code ?? (socket.authorizationError ? String(socket.authorizationError) : undefined);
  return {
    protocol: socket.getProtocol?.() ?? null,
    cipher: cipher ? cipher.standardName || cipher.name : null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    servername,
    verify,
    authorized: !errCode,
    authorizationError: errCode ? describeTlsCode(errCode, verifyError?.message) : undefined,
    chain: peerChain(socket),
  };
}

/**
 * Why a CA file cannot be trusted as given, or undefined: Node takes PEM text only and silently ignores anything
 * else (a DER file, a key, an empty file), so the refusal that followed sent people back to the file they had
 * already given. Used by `--cacert` and `netreq.tls.caFiles`.
 */
export function pemProblem(data: Buffer): string | undefined {
  return data.includes('-----BEGIN CERTIFICATE-----') ? undefined : 'no PEM certificate in it (a "-----BEGIN CERTIFICATE-----" block)';
}
