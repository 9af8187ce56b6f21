/**
 * The demo HTTPS server's self-signed certificate: made once with the `openssl` program (for localhost,
 * 127.0.0.1 and ::1) into a cache folder, and reused while it is valid.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface DemoCertificate {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
  /** true when it was made just now, false when an earlier one was reused. */
  created: boolean;
  validTo: Date;
}

export const CERT_FILE = 'demo-cert.pem';
export const KEY_FILE = 'demo-key.pem';
/** The certificate lives this long; it is remade when fewer than a day is left. */
const VALID_DAYS = 365;
const OPENSSL_TIMEOUT_MS = 30_000;

/** `$XDG_CACHE_HOME/netreq/demo`, else `~/.cache/netreq/demo`. */
export function defaultCertDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'netreq', 'demo');
}

/** Why there is no certificate, in words a person can act on. */
export class CertificateUnavailable extends Error {}

function reusable(certPath: string, keyPath: string): DemoCertificate | undefined {
  try {
    const cert = fs.readFileSync(certPath);
    const key = fs.readFileSync(keyPath);
    const x509 = new crypto.X509Certificate(cert);
    crypto.createPrivateKey(key);
    if (!x509.checkPrivateKey(crypto.createPrivateKey(key))) return undefined;
    const validTo = new Date(x509.validTo);
    if (validTo.getTime() - Date.now() < 24 * 3600_000) return undefined;
    return { certPath, keyPath, cert, key, created: false, validTo };
  } catch {
    return undefined;
  }
}

function run(openssl: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(openssl, args, { timeout: OPENSSL_TIMEOUT_MS, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        return reject(new CertificateUnavailable(`the openssl program is not installed (install it with 'apt-get install openssl', or pass its path)`));
      if ((err as { killed?: boolean }).killed) return reject(new CertificateUnavailable(`openssl did not finish within ${OPENSSL_TIMEOUT_MS / 1000} s`));
      const why = String(stderr || err.message).trim().split('\n').filter(Boolean).pop() ?? 'no message';
      reject(new CertificateUnavailable(`openssl could not make the certificate: ${why}`));
    });
  });
}

/**
 * The certificate and key in `dir` (made there first if missing, unreadable or about to expire).
 * Rejects with CertificateUnavailable when openssl is missing or fails.
 */
export async function ensureDemoCertificate(dir: string, opensslPath = 'openssl'): Promise<DemoCertificate> {
  const certPath = path.join(dir, CERT_FILE);
  const keyPath = path.join(dir, KEY_FILE);
  const existing = reusable(certPath, keyPath);
  if (existing) return existing;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CertificateUnavailable(`cannot create the certificate folder ${dir}: ${(e as Error).message}`);
  }
  // Made under temporary names and renamed, so two starts at once never see half a file.
  const tag = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const tmpCert = path.join(dir, `.${CERT_FILE}.${tag}`);
  const tmpKey = path.join(dir, `.${KEY_FILE}.${tag}`);
  try {
    await run(opensslPath, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', tmpKey, '-out', tmpCert, '-days', String(VALID_DAYS),
      '-subj', '/CN=localhost/O=NetReq demo server',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
    fs.chmodSync(tmpKey, 0o600);
    fs.renameSync(tmpKey, keyPath);
    fs.renameSync(tmpCert, certPath);
  } finally {
    fs.rmSync(tmpCert, { force: true });
    fs.rmSync(tmpKey, { force: true });
  }
  const made = reusable(certPath, keyPath);
  if (!made) throw new CertificateUnavailable(`openssl ran but ${certPath} is not a usable certificate`);
  return { ...made, created: true };
}
