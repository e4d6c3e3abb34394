import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsrPem, generatePrivateKeyPem, normaliseSubject } from '../../../main/core/pki/csr';
import { parseCertificateResponse, stsError } from '../../../main/core/itau/sts-client';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

describe('CSR', () => {
  let key = '';
  beforeAll(async () => {
    key = await generatePrivateKeyPem();
  });
  it('is RSA-2048, SHA-512 signed, with the Itaú subject and accents stripped', () => {
    const pem = buildCsrPem(key, { clientId: 'AB3E0F7C-1111-4222-8333-444455556666', company: 'Padaria São João', city: 'Maceió', state: 'al' });
    const csr = forge.pki.certificationRequestFromPem(pem);
    expect(csr.verify()).toBe(true);
    expect(forge.pki.oids[csr.signatureOid as string]).toBe('sha512WithRSAEncryption');
    expect((csr.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
    const subject = csr.subject.attributes.map((a) => `${a.shortName}=${String(a.value)}`).join('/');
    expect(subject).toBe('CN=ab3e0f7c-1111-4222-8333-444455556666/OU=Padaria Sao Joao/L=Maceio/ST=AL/C=BR');
    // The CSR carries our public key.
    const ours = crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' });
    expect(forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey).replace(/\r/g, '')).toBe(String(ours));
  });
  it('verifies with openssl (the native RSA signer yields a standard PKCS#1 v1.5 SHA-512 signature)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-csr-')), 'req.pem');
    fs.writeFileSync(file, buildCsrPem(key, { clientId: 'ab3e0f7c-1111-4222-8333-444455556666', company: 'Empresa', city: 'Recife', state: 'PE' }));
    const out = execFileSync('openssl', ['req', '-in', file, '-verify', '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/sha512WithRSAEncryption/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('rejects a bad UF or an empty company with messages naming the field', () => {
    expect(() => normaliseSubject({ clientId: 'x', company: 'A', city: 'B', state: 'ZZ' })).toThrow(/UF inválida/);
    expect(() => normaliseSubject({ clientId: 'x', company: '   ', city: 'B', state: 'SP' })).toThrow(/nome da empresa/);
  });
});

describe('parseCertificateResponse', () => {
  it('reads the production shape "Secret: <uuid>" then the PEM', () => {
    expect(parseCertificateResponse(`Secret: 1b2c\n\n${CERT}\n`, true)).toEqual({ secret: '1b2c', certPem: `${CERT}\n` });
  });
  it('reads a bare secret line, CRLF line ends and leading blank lines', () => {
    expect(parseCertificateResponse(`\r\n  abc-123 \r\n${CERT}`, true).secret).toBe('abc-123');
  });
  it('accepts a renewal answer without secret, but requires one on first issue', () => {
    expect(parseCertificateResponse(CERT, false).secret).toBeNull();
    expect(() => parseCertificateResponse(CERT, true)).toThrow(/client secret/);
  });
  it('fails clearly without a certificate', () => {
    expect(() => parseCertificateResponse('Secret: x', true)).toThrow(/não trouxe o certificado/);
  });
});

describe('stsError', () => {
  const res = (status: number, body: unknown) => ({ status, headers: {}, body: Buffer.from(JSON.stringify(body)) });
  it('explains a rejected temporary token and quotes the bank', () => {
    const e = stsError(res(401, { mensagem: 'Token expirado', acao: 'Solicite novo token' }), 'solicitacao');
    expect(e.code).toBe('TOKEN_REJECTED');
    expect(e.message).toMatch(/Token expirado — Solicite novo token/);
    expect(e.message).toMatch(/Peça ao gerente Itaú um novo token/);
  });
  it('maps C100 to an mTLS explanation and 5xx to instability', () => {
    expect(stsError(res(403, { codigo: 'C100', mensagem: 'Certificado ausente' }), 'token').code).toBe('MTLS_REFUSED');
    expect(stsError(res(503, {}), 'token').code).toBe('BANK_UNAVAILABLE');
  });
});
