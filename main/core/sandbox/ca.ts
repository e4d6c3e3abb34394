import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import { nativeRsaSigner } from '../pki/native-signer';
import { withDirLock, writePrivateFile } from './util';

/*
 * The sandbox's own certificate authority. Its key is a TEST credential that only ever signs sandbox certificates:
 * it lives in `<profile>/sandbox/ca.key` with mode 0600 and is never used for anything real. RSA keys come from
 * Node's native generator (node-forge's pure-JS one takes seconds); node-forge builds and signs the X.509 objects.
 */

/** The CA as loaded from the profile. */
export interface SandboxCa {
  certPem: string;
  keyPem: string;
  certFile: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

/** A key pair and certificate for the HTTPS listener. */
export interface ServerCredentials {
  keyPem: string;
  certPem: string;
}

const CA_SUBJECT = [
  { name: 'commonName', value: 'PixDesk Sandbox CA (somente testes)' },
  { name: 'organizationName', value: 'PixDesk Sandbox' },
  { name: 'countryName', value: 'BR' },
];

/** A new RSA key pair (PKCS#1 PEM, which node-forge reads). */
export function generateRsaKeyPem(bits = 2048): string {
  return crypto.generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
}

/** A positive, random 128-bit serial number in hex. */
function randomSerial(): string {
  const b = crypto.randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex');
}

/** SHA-256 fingerprint of a PEM certificate as lowercase hex (no colons), the key of the `certificates` table. */
export function certFingerprint256(pem: string): string {
  return new crypto.X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** A fresh RSA key and an unsigned certificate for it, valid from a day ago for `days` days. */
function newKeyAndCertificate(days: number): { keyPem: string; cert: forge.pki.Certificate } {
  const keyPem = generateRsaKeyPem();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600_000);
  return { keyPem, cert };
}

/** SHA-256 with RSA; node-forge assembles and hashes, Node's crypto does the RSA operation (pki/native-signer.ts). */
function signCert(cert: forge.pki.Certificate, keyPem: string): void {
  cert.sign(nativeRsaSigner(keyPem) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

/**
 * Load the profile's CA, creating it on first use. Creation happens under a cross-process lock so the app and a
 * CLI started at the same moment end up with one CA.
 */
export function loadOrCreateCa(sandboxDir: string): SandboxCa {
  const certFile = path.join(sandboxDir, 'ca.pem');
  const keyFile = path.join(sandboxDir, 'ca.key');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    withDirLock(sandboxDir, 'ca', () => {
      if (fs.existsSync(certFile) && fs.existsSync(keyFile)) return;
      const { keyPem, cert } = newKeyAndCertificate(20 * 365);
      cert.setSubject(CA_SUBJECT);
      cert.setIssuer(CA_SUBJECT);
      cert.setExtensions([
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ]);
      signCert(cert, keyPem);
      writePrivateFile(keyFile, keyPem);
      fs.writeFileSync(certFile, forge.pki.certificateToPem(cert));
    });
  }
  const certPem = fs.readFileSync(certFile, 'utf8');
  const keyPem = fs.readFileSync(keyFile, 'utf8');
  return {
    certPem,
    keyPem,
    certFile,
    cert: forge.pki.certificateFromPem(certPem),
    key: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey,
  };
}

const DEFAULT_SERVER_NAMES = ['localhost', '127.0.0.1', '::1'];

function altName(name: string): { type: number; value?: string; ip?: string } {
  return net.isIP(name) ? { type: 7, ip: name } : { type: 2, value: name };
}

function coversNames(certPem: string, names: string[]): boolean {
  const x = new crypto.X509Certificate(certPem);
  const san = x.subjectAltName ?? '';
  const expired = Date.parse(x.validTo) < Date.now() + 30 * 24 * 3600_000;
  const has = (n: string) =>
    net.isIP(n) ? san.includes(`IP Address:${n === '::1' ? '0:0:0:0:0:0:0:1' : n}`) || san.includes(`IP Address:${n}`) : san.includes(`DNS:${n}`);
  return !expired && names.every(has);
}

/**
 * The HTTPS listener's certificate, for localhost/127.0.0.1/::1 plus the bind host when it is another name.
 * Kept in `<profile>/sandbox/server.{pem,key}`; re-issued when it no longer covers the host or nears expiry.
 */
export function loadOrCreateServerCredentials(sandboxDir: string, ca: SandboxCa, host: string): ServerCredentials {
  const certFile = path.join(sandboxDir, 'server.pem');
  const keyFile = path.join(sandboxDir, 'server.key');
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const names = [...new Set([...DEFAULT_SERVER_NAMES, ...(wildcard ? [] : [host])])];
  return withDirLock(sandboxDir, 'server', () => {
    if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
      const certPem = fs.readFileSync(certFile, 'utf8');
      if (coversNames(certPem, names)) return { certPem, keyPem: fs.readFileSync(keyFile, 'utf8') };
    }
    const { keyPem, cert } = newKeyAndCertificate(397);
    cert.setSubject([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'PixDesk Sandbox' }]);
    cert.setIssuer(ca.cert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map(altName) },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    signCert(cert, ca.keyPem);
    const certPem = forge.pki.certificateToPem(cert);
    writePrivateFile(keyFile, keyPem);
    fs.writeFileSync(certFile, certPem);
    return { certPem, keyPem };
  });
}

/** Why a CSR was refused; `status` is what the STS answers. */
export class CsrError extends Error {
  constructor(
    readonly status: 400,
    message: string,
    readonly acao: string,
  ) {
    super(message);
  }
}

/** A CSR that parsed and whose self-signature verified. */
export interface ParsedCsr {
  csr: forge.pki.CertificateSigningRequest;
  commonName: string | null;
  /** Organisational unit, locality and state as the client wrote them (they name the merchant). */
  ou: string | null;
  locality: string | null;
  state: string | null;
  bits: number;
}

const FIX_CSR = 'Gere um novo CSR: openssl req -new -newkey rsa:2048 -nodes -sha512 -subj "/CN=<CLIENT_ID>/OU=.../L=.../ST=SP/C=BR"';

/**
 * `openssl req -subj` without `-utf8` stores UTF-8 input as if it were Latin-1 ("AÃ§Ã£o" for "Ação"). Undo that when
 * the Latin-1 bytes form valid UTF-8, so the merchant name in BR Codes reads like what the person typed.
 */
function repairMojibake(v: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(v) || [...v].some((ch) => ch.charCodeAt(0) > 0xff)) return v;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(v, 'latin1'));
  } catch {
    return v;
  }
}

/** Parse and verify a PEM CSR the way the STS does: it must parse, carry a valid signature and an RSA ≥ 2048 key. */
export function parseCsr(body: string): ParsedCsr {
  const pem = body.replace(/-----(BEGIN|END) NEW CERTIFICATE REQUEST-----/g, '-----$1 CERTIFICATE REQUEST-----').trim();
  if (!/-----BEGIN CERTIFICATE REQUEST-----[\s\S]+-----END CERTIFICATE REQUEST-----/.test(pem)) {
    throw new CsrError(400, 'CSR inválido: o corpo deve ser um CSR em formato PEM.', FIX_CSR);
  }
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(pem, true);
  } catch (e) {
    const notRsa = /not RSA/i.test(String((e as Error)?.message));
    throw new CsrError(400, notRsa ? 'CSR inválido: a chave deve ser RSA.' : 'CSR inválido: não foi possível ler o CSR.', FIX_CSR);
  }
  let ok = false;
  try {
    ok = csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw new CsrError(400, 'CSR inválido: a assinatura do CSR não confere.', FIX_CSR);
  const pub = csr.publicKey as forge.pki.rsa.PublicKey | null;
  const bits = pub?.n ? pub.n.bitLength() : 0;
  if (bits < 2048) throw new CsrError(400, `CSR inválido: chave RSA de ${bits} bits; o mínimo é 2048.`, FIX_CSR);
  // node-forge keeps UTF8String values as raw UTF-8 bytes but encodes them again when writing a certificate:
  // decode once here so both the merchant fields and the copied subject come out right.
  for (const a of csr.subject.attributes) {
    if ((a.valueTagClass as unknown as number) === forge.asn1.Type.UTF8 && typeof a.value === 'string') {
      try {
        a.value = forge.util.decodeUtf8(a.value);
      } catch {
        /* not valid UTF-8: keep the bytes as they are */
      }
    }
  }
  const field = (sn: string) => {
    const v = csr.subject.getField(sn)?.value;
    return typeof v === 'string' ? repairMojibake(v) : null;
  };
  return { csr, commonName: field('CN'), ou: field('OU'), locality: field('L'), state: field('ST'), bits };
}

/** A certificate the CA signed for a client. */
export interface IssuedCertificate {
  pem: string;
  serial: string;
  fingerprint256: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** Sign a client certificate (subject copied from the CSR, `clientAuth`) valid `days` from `now`. */
export function signClientCertificate(ca: SandboxCa, parsed: ParsedCsr, now: Date, days = 365): IssuedCertificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = parsed.csr.publicKey!;
  cert.serialNumber = randomSerial();
  // A minute of slack for clock differences between the client and the sandbox.
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 24 * 3600_000);
  cert.setSubject(parsed.csr.subject.attributes);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signCert(cert, ca.keyPem);
  const pem = forge.pki.certificateToPem(cert);
  const subject = parsed.csr.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
  return {
    pem,
    serial: cert.serialNumber,
    fingerprint256: certFingerprint256(pem),
    subject,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}
