import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxState, startSandbox, type RunningSandbox } from '../../../main/core/sandbox';
import { oauthTokenSchema, stsErrorSchema } from '../../../main/core/sandbox/response-schemas';
import { accessToken, call, clock, enroll, opensslCsr, opensslKey, parseStsAnswer, pixClient, run, subjectFor, tempDir, type Creds } from './helpers';

let sb: RunningSandbox;
let profile: string;
let work: string;
let keyFile: string;
let keyPem: string;
const c = clock();

beforeAll(async () => {
  profile = tempDir();
  work = tempDir('pixdesk-sts-');
  sb = await startSandbox({ profileDir: profile, now: c.now });
  // One key for every CSR of this file: each test still gets its own Client ID, CSR and certificate.
  keyFile = await opensslKey(work, 'client');
  keyPem = fs.readFileSync(keyFile, 'utf8');
});
afterAll(async () => {
  await sb.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const SOL = () => `${sb.stsUrl}/seguranca/v1/certificado/solicitacao`;
const solicitar = (token: string, body: string, contentType = 'text/plain') =>
  call(sb, 'POST', SOL(), { headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body });

async function newClient(): Promise<{ clientId: string; secret: string; creds: Creds; csr: string }> {
  const { clientId, token } = sb.state.issueToken();
  const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
  const { secret, certPem } = await enroll(sb, token, csr);
  return { clientId, secret, creds: { certPem, keyPem }, csr };
}

function expectStsError(r: { status: number; json: unknown }, status: number, mensagem: RegExp) {
  expect(r.status).toBe(status);
  const body = stsErrorSchema.parse(r.json);
  expect(body.mensagem).toMatch(mensagem);
  expect(body.acao).toBeTruthy();
}

describe('STS: certificate request with a temporary token', () => {
  it('issues a JWT with sub = Client ID, exp 7 days ahead and a jti', () => {
    const { clientId, token, expiresAt } = sb.state.issueToken();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims.sub).toBe(clientId);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp * 1000).toBe(expiresAt.getTime());
    expect(Math.round((claims.exp * 1000 - c.now().getTime()) / 3600_000)).toBe(168);
  });

  it('copies the CSR subject (UTF-8 included) into the certificate and takes the merchant from OU/L/ST', async () => {
    for (const utf8 of [true, false]) {
      const { clientId, token } = sb.state.issueToken();
      const out = `${work}/utf8-${utf8}.csr`;
      const subj = `/CN=${clientId}/OU=Mercadinho Ação/L=Maceió/ST=AL/C=BR`;
      await run('openssl', ['req', '-new', '-key', keyFile, '-sha512', ...(utf8 ? ['-utf8'] : []), '-subj', subj, '-out', out]);
      const { certPem } = await enroll(sb, token, fs.readFileSync(out, 'utf8'));
      const x = new crypto.X509Certificate(certPem);
      const csrSubject = (await run('openssl', ['req', '-in', out, '-noout', '-subject', '-nameopt', 'utf8'])).stdout.trim();
      expect(x.subject).toContain(`CN=${clientId}`);
      if (utf8) expect(x.subject).toContain('OU=Mercadinho Ação');
      const certFile = `${work}/utf8-${utf8}.pem`;
      fs.writeFileSync(certFile, certPem);
      const certSubject = (await run('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'utf8'])).stdout.trim();
      expect(certSubject.replace(/^subject=/, '')).toBe(csrSubject.replace(/^subject=/, ''));
      expect(sb.state.sts.clientInfo(clientId)).toMatchObject({ merchantName: 'Mercadinho Ação', merchantCity: 'Maceió', merchantUf: 'AL' });
    }
  });

  it('refuses an expired token with 401', async () => {
    const { clientId, token } = sb.state.issueToken({ validHours: 1 });
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    c.advance(2 * 3600_000);
    expectStsError(await solicitar(token, csr), 401, /expirado/);
  });

  it('refuses a token used once already (single use), even when the first answer was lost', async () => {
    const { clientId, token } = sb.state.issueToken();
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    expect((await solicitar(token, csr)).status).toBe(200);
    expectStsError(await solicitar(token, csr), 401, /já utilizado/);
  });

  it('gives exactly one certificate when two requests race with the same token', async () => {
    const { clientId, token } = sb.state.issueToken();
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    const rs = await Promise.all([solicitar(token, csr), solicitar(token, csr), solicitar(token, csr)]);
    expect(rs.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('refuses forged, foreign and malformed tokens with 401', async () => {
    const { clientId, token } = sb.state.issueToken();
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    const [h, p] = token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const otherDir = tempDir();
    const otherState = openSandboxState(otherDir);
    const other = otherState.issueToken({ clientId }).token; // signed by another sandbox's key
    otherState.close();
    fs.rmSync(otherDir, { recursive: true, force: true });
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), exp: 4102444800 })).toString('base64url')}.${token.split('.')[2]}`;
    for (const t of [none, other, tampered, 'not-a-jwt']) expectStsError(await solicitar(t, csr), 401, /inválido/);
    expectStsError(await call(sb, 'POST', SOL(), { headers: { 'content-type': 'text/plain' }, body: csr }), 401, /não informado/);
    expect(sb.state.sts.checkTemporaryToken(token).ok).toBe(true);
  });

  it('refuses a CSR whose CN is not the Client ID with 400', async () => {
    const { token } = sb.state.issueToken();
    const csr = await opensslCsr(work, keyFile, subjectFor(crypto.randomUUID()));
    expectStsError(await solicitar(token, csr), 400, /CN/);
  });

  it('refuses a malformed CSR and a CSR with a broken signature with 400', async () => {
    const { clientId, token } = sb.state.issueToken();
    expectStsError(await solicitar(token, 'isto não é um CSR'), 400, /CSR inválido/);
    expectStsError(await solicitar(token, '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'), 400, /CSR inválido/);
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    const der = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der[der.length - 10]! ^ 0xff, der.length - 10); // inside the signature
    const broken = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    expectStsError(await solicitar(token, broken), 400, /assinatura/);
    expect(sb.state.sts.checkTemporaryToken(token).ok).toBe(true);
  });

  it('refuses a body that is not text/plain with 415', async () => {
    const { clientId, token } = sb.state.issueToken();
    const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
    expectStsError(await solicitar(token, csr, 'application/json'), 415, /text\/plain/);
  });
});

describe('STS: access token over mTLS', () => {
  const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const tokenCall = (creds: Creds | undefined, body: string) =>
    call(sb, 'POST', `${sb.stsUrl}/api/oauth/token`, { creds, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('answers {access_token, token_type, expires_in: 300, scope}', async () => {
    const k = await newClient();
    const r = await tokenCall(k.creds, form({ grant_type: 'client_credentials', client_id: k.clientId, client_secret: k.secret }));
    expect(r.status).toBe(200);
    const t = oauthTokenSchema.parse(r.json);
    expect(t.expires_in).toBe(300);
    expect(t.scope).toContain('cob.write');
  });

  it('403 C100 without a certificate or with one the sandbox did not issue', async () => {
    const k = await newClient();
    const body = form({ grant_type: 'client_credentials', client_id: k.clientId, client_secret: k.secret });
    const none = await tokenCall(undefined, body);
    expect(none.status).toBe(403);
    expect(none.json.codigo).toBe('C100');
    const selfSigned = `${work}/self.pem`;
    await run('openssl', ['req', '-x509', '-key', keyFile, '-subj', subjectFor(k.clientId), '-days', '2', '-out', selfSigned]);
    const foreign = await tokenCall({ certPem: fs.readFileSync(selfSigned, 'utf8'), keyPem }, body);
    expect(foreign.status).toBe(403);
    expect(foreign.json.codigo).toBe('C100');
  });

  it('401 with a wrong secret or another client id; 400 with a bad grant', async () => {
    const k = await newClient();
    expect((await tokenCall(k.creds, form({ grant_type: 'client_credentials', client_id: k.clientId, client_secret: crypto.randomUUID() }))).status).toBe(401);
    expect((await tokenCall(k.creds, form({ grant_type: 'client_credentials', client_id: crypto.randomUUID(), client_secret: k.secret }))).status).toBe(401);
    const bad = await tokenCall(k.creds, form({ grant_type: 'password', client_id: k.clientId, client_secret: k.secret }));
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('unsupported_grant_type');
  });

  it('403 C100 once the certificate is revoked or expired', async () => {
    const k = await newClient();
    const body = form({ grant_type: 'client_credentials', client_id: k.clientId, client_secret: k.secret });
    expect((await tokenCall(k.creds, body)).status).toBe(200);
    c.advance(366 * 86_400_000);
    expect((await tokenCall(k.creds, body)).json.codigo).toBe('C100');
    c.advance(-366 * 86_400_000);
    expect(sb.state.sts.revokeCertificates({ clientId: k.clientId })).toBe(1);
    expect((await tokenCall(k.creds, body)).json.codigo).toBe('C100');
  });
});

describe('Pix API authentication', () => {
  it('401 on an expired access token, 403 on a wrong x-itau-apikey, 403 without certificate', async () => {
    const k = await newClient();
    const token = await accessToken(sb, k.creds, k.clientId, k.secret);
    const api = pixClient(sb, k.creds, k.clientId, () => token);
    expect((await api('GET', '/webhook/x')).status).toBe(404);
    const wrongKey = await api('GET', '/webhook/x', undefined, { 'x-itau-apikey': crypto.randomUUID() });
    expect(wrongKey.status).toBe(403);
    expect(wrongKey.headers['content-type']).toMatch(/application\/problem\+json/);
    const noCert = await call(sb, 'GET', `${sb.pixUrl}/webhook/x`, { headers: { authorization: `Bearer ${token}`, 'x-itau-apikey': k.clientId } });
    expect(noCert.status).toBe(403);
    c.advance(301_000);
    const expired = await api('GET', '/webhook/x');
    expect(expired.status).toBe(401);
    expect(expired.json.detail).toMatch(/expirado/);
    // A temporary token is not an access token.
    const temp = sb.state.issueToken({ clientId: k.clientId }).token;
    expect((await pixClient(sb, k.creds, k.clientId, () => temp)('GET', '/webhook/x')).status).toBe(401);
  });

  it('keeps recognising the client certificate on resumed TLS sessions (keep-alive agents, 1.2 and 1.3)', async () => {
    const k = await newClient();
    const token = await accessToken(sb, k.creds, k.clientId, k.secret);
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const agent = new https.Agent({ keepAlive: false, ca: sb.caPem, cert: k.creds.certPem, key: keyPem, maxVersion });
      const seen: { status: number; reused: boolean }[] = [];
      for (let i = 0; i < 2; i++) {
        seen.push(
          await new Promise((resolve, reject) => {
            const req = https.request(`${sb.pixUrl}/webhook/x`, { agent, headers: { authorization: `Bearer ${token}`, 'x-itau-apikey': k.clientId } }, (res) => {
              const reused = (res.socket as TLSSocket).isSessionReused();
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, reused }));
            });
            req.on('error', reject);
            req.end();
          }),
        );
      }
      expect(seen).toEqual([{ status: 404, reused: false }, { status: 404, reused: true }]);
      agent.destroy();
    }
  });

  it("403 when the access token belongs to another client's certificate", async () => {
    const a = await newClient();
    const b = await newClient();
    const tokenB = await accessToken(sb, b.creds, b.clientId, b.secret);
    expect((await pixClient(sb, a.creds, a.clientId, () => tokenB)('GET', '/webhook/x')).status).toBe(403);
  });
});

describe('STS: renewal', () => {
  const renew = (version: 1 | 2, creds: Creds, token: string, csr: string, extra: Record<string, string> = {}) =>
    call(sb, 'POST', `${sb.stsUrl}/seguranca/v${version}/certificado/renovacao`, {
      creds,
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}`, ...extra },
      body: csr,
    });

  it('v1: mTLS + access token → a new certificate without Secret; the old secret stays valid', async () => {
    const k = await newClient();
    const token = await accessToken(sb, k.creds, k.clientId, k.secret);
    const r = await renew(1, k.creds, token, k.csr);
    expect(r.status).toBe(200);
    expect(r.text.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
    const renewed = { certPem: parseStsAnswer(r.text).certPem, keyPem };
    expect(renewed.certPem).not.toBe(k.creds.certPem);
    await accessToken(sb, renewed, k.clientId, k.secret);
  });

  it('v1 refuses without certificate (C100), without/with an expired access token (401) and a foreign CN (400)', async () => {
    const k = await newClient();
    const token = await accessToken(sb, k.creds, k.clientId, k.secret);
    const noCert = await call(sb, 'POST', `${sb.stsUrl}/seguranca/v1/certificado/renovacao`, {
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: k.csr,
    });
    expect(noCert.json.codigo).toBe('C100');
    expect((await renew(1, k.creds, 'garbage', k.csr)).status).toBe(401);
    const other = await opensslCsr(work, keyFile, subjectFor(crypto.randomUUID()));
    expectStsError(await renew(1, k.creds, token, other), 400, /CN/);
    c.advance(301_000);
    expectStsError(await renew(1, k.creds, token, k.csr), 401, /expirado/);
  });

  it('v2 requires x-itau-force-cert: true', async () => {
    const k = await newClient();
    const token = await accessToken(sb, k.creds, k.clientId, k.secret);
    expectStsError(await renew(2, k.creds, token, k.csr), 400, /x-itau-force-cert/);
    const ok = await renew(2, k.creds, token, k.csr, { 'x-itau-force-cert': 'true' });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe('STS: renewal with a new secret (renewalSecret: true)', () => {
  it('answers Secret + certificate; the old secret stops working', async () => {
    const p2 = tempDir();
    const sb2 = await startSandbox({ profileDir: p2, renewalSecret: true });
    try {
      const { clientId, token } = sb2.state.issueToken();
      const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
      const first = await enroll(sb2, token, csr);
      const creds = { certPem: first.certPem, keyPem };
      const access = await accessToken(sb2, creds, clientId, first.secret);
      const r = await call(sb2, 'POST', `${sb2.stsUrl}/seguranca/v2/certificado/renovacao`, {
        creds,
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${access}`, 'x-itau-force-cert': 'true' },
        body: csr,
      });
      expect(r.status).toBe(200);
      const parsed = parseStsAnswer(r.text);
      expect(parsed.secret).toMatch(/^[0-9a-f-]{36}$/);
      expect(parsed.secret).not.toBe(first.secret);
      const renewed = { certPem: parsed.certPem, keyPem };
      await expect(accessToken(sb2, renewed, clientId, first.secret)).rejects.toThrow(/401/);
      await accessToken(sb2, renewed, clientId, parsed.secret!);
    } finally {
      await sb2.close();
      fs.rmSync(p2, { recursive: true, force: true });
    }
  });
});
