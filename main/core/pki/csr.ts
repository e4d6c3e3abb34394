import crypto from 'node:crypto';
import forge from 'node-forge';
import { UF_CODES } from '../contract/limits';
import { AppError } from '../errors';
import { nativeRsaSigner } from './native-signer';

/** The subject Itaú expects: CN = Client ID; OU/L accent-free; ST a Brazilian UF; C = BR. */
export interface CsrSubject {
  clientId: string;
  company: string;
  city: string;
  state: string;
}

const UFS = new Set(UF_CODES);

/** Strip accents and keep characters X.509 PrintableString-friendly tools accept; collapse spaces. */
export function asciiSubjectValue(s: string, max = 64): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 .,'()\-/&]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

/** Validate and normalise the subject, with pt-BR messages naming the field. */
export function normaliseSubject(s: CsrSubject): CsrSubject {
  const company = asciiSubjectValue(s.company);
  const city = asciiSubjectValue(s.city);
  const state = s.state.trim().toUpperCase();
  if (!company) throw new AppError('ONBOARDING_INPUT', 'Informe o nome da empresa (vai no campo OU do certificado).');
  if (!city) throw new AppError('ONBOARDING_INPUT', 'Informe a cidade da empresa (vai no campo L do certificado).');
  if (!UFS.has(state)) throw new AppError('ONBOARDING_INPUT', `UF inválida: "${s.state.slice(0, 4)}". Use a sigla do estado, por exemplo SP.`);
  return { clientId: s.clientId.toLowerCase(), company, city, state };
}

/**
 * A new RSA-2048 private key from Node's native generator (PKCS#8 PEM). Asynchronous: it runs on libuv's thread
 * pool, so the main process (and every window's IPC) stays responsive for the 0.1–0.5 s it takes.
 */
export function generatePrivateKeyPem(): Promise<string> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
      (err, _pub, priv) => (err ? reject(err) : resolve(priv)),
    );
  });
}

/** The same key from node-forge's pure-JS generator: only the benchmark's baseline uses it. */
export function generatePrivateKeyPemForge(): string {
  // Without this flag node-forge quietly delegates to Node's native generator.
  const opts = (forge as unknown as { options: { usePureJavaScript: boolean } }).options;
  const previous = opts.usePureJavaScript;
  opts.usePureJavaScript = true;
  try {
    const kp = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(kp.privateKey)));
  } finally {
    opts.usePureJavaScript = previous;
  }
}

/**
 * Build and sign (SHA-512) the CSR for a key with node-forge. The RSA operation of the signature runs through
 * Node's crypto (see native-signer.ts): node-forge's pure-JS one costs ~50 ms per CSR on this hardware.
 */
export function buildCsrPem(privateKeyPem: string, subject: CsrSubject): string {
  const s = normaliseSubject(subject);
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([
    { name: 'commonName', value: s.clientId },
    { shortName: 'OU', value: s.company },
    { name: 'localityName', value: s.city },
    { shortName: 'ST', value: s.state },
    { name: 'countryName', value: 'BR' },
  ]);
  csr.sign(nativeRsaSigner(privateKeyPem) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha512.create());
  return forge.pki.certificationRequestToPem(csr);
}

/** Facts about a certificate that PixDesk shows and checks (never the key). */
export interface CertificateFacts {
  subject: string;
  commonName: string;
  serial: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  issuer: string;
}

/** Parse a PEM certificate with Node's X509 (fast, native). */
export function certificateFacts(certPem: string): CertificateFacts {
  let x: crypto.X509Certificate;
  try {
    x = new crypto.X509Certificate(certPem);
  } catch {
    throw new AppError('CERT_INVALID', 'O banco devolveu um certificado que não pôde ser lido. Nada foi gravado; tente novamente ou fale com o gerente.');
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1] ?? '';
  return {
    subject: x.subject.replace(/\n/g, ', '),
    commonName: cn,
    serial: x.serialNumber.toLowerCase(),
    fingerprint256: x.fingerprint256.replace(/:/g, '').toLowerCase(),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    issuer: x.issuer.replace(/\n/g, ', '),
  };
}

/**
 * Check a certificate before storing it: CN is our Client ID, its public key is ours, and it is valid now.
 * Throws an AppError in pt-BR naming what did not match.
 */
export function verifyIssuedCertificate(certPem: string, privateKeyPem: string, clientId: string, now: Date): CertificateFacts {
  const facts = certificateFacts(certPem);
  if (facts.commonName.toLowerCase() !== clientId.toLowerCase()) {
    throw new AppError('CERT_MISMATCH', `O certificado recebido é de outro Client ID (${facts.commonName}), não de ${clientId}. Nada foi gravado como conta; fale com o gerente Itaú.`);
  }
  const x = new crypto.X509Certificate(certPem);
  if (!x.checkPrivateKey(crypto.createPrivateKey(privateKeyPem))) {
    throw new AppError('CERT_MISMATCH', 'O certificado recebido não corresponde à chave gerada neste computador. Nada foi gravado como conta.');
  }
  const t = now.getTime();
  if (t < Date.parse(facts.notBefore) - 5 * 60_000 || t > Date.parse(facts.notAfter)) {
    throw new AppError('CERT_NOT_VALID_NOW', 'O certificado recebido não está dentro da validade (confira o relógio do computador).');
  }
  return facts;
}
