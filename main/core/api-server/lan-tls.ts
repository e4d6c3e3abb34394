import crypto from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import forge from 'node-forge';
import { generateRsaKeyPem } from '../sandbox/ca';
import type { Db } from '../db';
import { nativeRsaSigner } from '../pki/native-signer';
import type { Vault } from '../vault';

/*
 * HTTPS for the API on the shop's network: the profile's own local certificate authority (RSA-2048, private key
 * sealed in the vault, made on first use) issues the listener's certificate for the addresses it serves. Partners
 * (another PixDesk, a POS) trust that one CA certificate, exported with `pixdesk api ca`. Nothing leaves the machine.
 */

const CA_KEY = 'lan-ca-key';
/** The CA certificate is public: kept as plain PEM bytes in the same table as the sealed key. */
const CA_CERT = 'lan-ca-cert';

export interface LanTls {
  /** The local CA's certificate (PEM) partners must trust. */
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Names and addresses the certificate covers. */
  names: string[];
}

function randomSerial(): string {
  const b = crypto.randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex');
}

function certFor(keyPem: string, days: number): forge.pki.Certificate {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600_000);
  return cert;
}

function sign(cert: forge.pki.Certificate, keyPem: string): void {
  cert.sign(nativeRsaSigner(keyPem) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

/** The profile's local CA, created (key sealed in the vault) on first use. */
export function loadOrCreateLanCa(db: Db, vault: Vault): { certPem: string; keyPem: string } {
  const get = (name: string) => db.prepare('SELECT sealed FROM api_keys WHERE name = ?').get(name) as { sealed: Buffer } | undefined;
  let key = get(CA_KEY);
  let cert = get(CA_CERT);
  if (!key || !cert) {
    const keyPem = generateRsaKeyPem();
    const c = certFor(keyPem, 10 * 365);
    const subject = [
      { name: 'commonName', value: `PixDesk CA local (${os.hostname().slice(0, 40)})` },
      { name: 'organizationName', value: 'PixDesk' },
      { name: 'countryName', value: 'BR' },
    ];
    c.setSubject(subject);
    c.setIssuer(subject);
    c.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    sign(c, keyPem);
    const at = new Date().toISOString();
    db.transaction(() => {
      if (get(CA_KEY)) return; // another process made it first
      db.prepare('INSERT INTO api_keys (name, sealed, created_at) VALUES (?, ?, ?)').run(CA_KEY, vault.seal('api_keys', 'sealed', CA_KEY, keyPem), at);
      db.prepare('INSERT INTO api_keys (name, sealed, created_at) VALUES (?, ?, ?)').run(CA_CERT, Buffer.from(forge.pki.certificateToPem(c), 'utf8'), at);
    })();
    key = get(CA_KEY)!;
    cert = get(CA_CERT)!;
  }
  return { certPem: cert.sealed.toString('utf8'), keyPem: vault.openString('api_keys', 'sealed', CA_KEY, key.sealed) };
}

/** This machine's non-internal IPv4/IPv6 addresses (what other tills use to reach it). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal)
    .map((i) => i.address)
    .filter((a) => !a.startsWith('fe80:'));
}

/**
 * A fresh listener certificate (valid 397 days, new key each start) for `host` — or, for a wildcard bind, for every
 * address of this machine — plus localhost and the machine's name.
 */
export function lanCredentials(db: Db, vault: Vault, host: string): LanTls {
  const ca = loadOrCreateLanCa(db, vault);
  const wildcard = host === '0.0.0.0' || host === '::';
  const names = [...new Set(['localhost', '127.0.0.1', os.hostname(), ...(wildcard ? lanAddresses() : [host])])].filter(Boolean);
  const keyPem = generateRsaKeyPem();
  const c = certFor(keyPem, 397);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  c.setSubject([{ name: 'commonName', value: names.find((n) => !net.isIP(n) && n !== 'localhost') ?? 'localhost' }, { name: 'organizationName', value: 'PixDesk' }]);
  c.setIssuer(caCert.subject.attributes);
  c.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (net.isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  sign(c, ca.keyPem);
  return { caPem: ca.certPem, certPem: forge.pki.certificateToPem(c), keyPem, names };
}
