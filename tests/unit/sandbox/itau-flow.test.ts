import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../main/core/sandbox';
import { cobGeradaSchema, cobCompletaSchema, oauthTokenSchema, stsErrorSchema } from '../../../main/core/sandbox/response-schemas';
import { newTxid, opensslKey, parseStsAnswer, run, subjectFor, tempDir } from './helpers';

/*
 * "Done" for the sandbox: a person follows Itaú's own instructions — openssl for the key and CSR, curl for every
 * call — against the sandbox and gets what Itaú would give. Only child processes talk to the server here.
 */

let sb: RunningSandbox;
let profile: string;
let work: string;

beforeAll(async () => {
  profile = tempDir();
  work = tempDir('pixdesk-curl-');
  sb = await startSandbox({ profileDir: profile, port: 0 });
});
afterAll(async () => {
  await sb.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** curl, returning status and body (never throwing on HTTP errors). */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const out = path.join(work, `out-${Math.random().toString(36).slice(2)}`);
  const r = await run('curl', ['-sS', '--cacert', sb.caFile, '-o', out, '-w', '%{http_code}', ...args]);
  const body = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return { status: Number(r.stdout), body };
}

describe('Itaú flow with openssl + curl', () => {
  it('temporary token → CSR → certificate + secret → access token → PUT /cob → GET /cob', async () => {
    const { clientId, token } = sb.state.issueToken();
    sb.state.keys.register(clientId, '7d9f0335-8dcc-4054-9bf9-0dbd61d36906');
    const key = path.join(work, 'key.pem');
    const csr = path.join(work, 'req.csr');
    // Itaú's instructions, verbatim apart from the values.
    await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-sha512', '-keyout', key, '-out', csr, '-subj', subjectFor(clientId)]);

    const sol = await curl([
      '-H', 'Content-Type: text/plain',
      '-H', `Authorization: Bearer ${token}`,
      '--data-binary', `@${csr}`,
      `${sb.stsUrl}/seguranca/v1/certificado/solicitacao`,
    ]);
    expect(sol.status).toBe(200);
    expect(sol.body).toMatch(/^Secret: [0-9a-f-]{36}\n\n-----BEGIN CERTIFICATE-----/);
    const { secret, certPem } = parseStsAnswer(sol.body);
    const certFile = path.join(work, 'cert.pem');
    fs.writeFileSync(certFile, certPem);

    // The certificate is signed by the sandbox CA, carries the CSR's subject and is valid 365 days.
    await run('openssl', ['verify', '-CAfile', sb.caFile, certFile]);
    const info = (await run('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-startdate', '-enddate'])).stdout;
    expect(info).toContain(`CN = ${clientId}`);
    expect(info).toContain('OU = Padaria Sao Joao');
    const notAfter = Date.parse(/notAfter=(.*)/.exec(info)![1]!);
    expect(Math.round((notAfter - Date.now()) / 86_400_000)).toBe(365);

    const tok = await curl([
      '--cert', certFile, '--key', key,
      '-d', 'grant_type=client_credentials', '-d', `client_id=${clientId}`, '-d', `client_secret=${secret}`,
      `${sb.stsUrl}/api/oauth/token`,
    ]);
    expect(tok.status).toBe(200);
    const oauth = oauthTokenSchema.parse(JSON.parse(tok.body));
    expect(oauth.expires_in).toBe(300);

    const txid = newTxid();
    const auth = ['--cert', certFile, '--key', key, '-H', `Authorization: Bearer ${oauth.access_token}`, '-H', `x-itau-apikey: ${clientId}`];
    const put = await curl([
      ...auth, '-X', 'PUT', '-H', 'Content-Type: application/json',
      '--data', JSON.stringify({ calendario: { expiracao: 3600 }, valor: { original: '12.34' }, chave: '7d9f0335-8dcc-4054-9bf9-0dbd61d36906', solicitacaoPagador: 'Pedido 42' }),
      `${sb.pixUrl}/cob/${txid}`,
    ]);
    expect(put.status).toBe(201);
    const cob = cobGeradaSchema.parse(JSON.parse(put.body));
    expect(cob.status).toBe('ATIVA');
    expect(cob.location).toMatch(new RegExp(`^127\\.0\\.0\\.1:${sb.port}/qr/v2/[0-9a-f-]{36}$`));
    expect(cob.pixCopiaECola).toContain(cob.location);

    const get = await curl([...auth, `${sb.pixUrl}/cob/${txid}`]);
    expect(get.status).toBe(200);
    expect(cobCompletaSchema.parse(JSON.parse(get.body)).txid).toBe(txid);

    // The same token cannot be used twice.
    const again = await curl(['-H', 'Content-Type: text/plain', '-H', `Authorization: Bearer ${token}`, '--data-binary', `@${csr}`, `${sb.stsUrl}/seguranca/v1/certificado/solicitacao`]);
    expect(again.status).toBe(401);
    expect(stsErrorSchema.parse(JSON.parse(again.body)).mensagem).toMatch(/já utilizado/);
  });

  it('the token endpoint without a client certificate answers 403 C100', async () => {
    const r = await curl(['-d', 'grant_type=client_credentials&client_id=x&client_secret=y', `${sb.stsUrl}/api/oauth/token`]);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ codigo: 'C100' });
  });

  it('a key of 1024 bits is refused with 400', async () => {
    const { clientId, token } = sb.state.issueToken();
    const key = await opensslKey(work, 'small', 1024);
    const csr = path.join(work, 'small.csr');
    await run('openssl', ['req', '-new', '-key', key, '-sha512', '-subj', subjectFor(clientId), '-out', csr]);
    const r = await curl(['-H', 'Content-Type: text/plain', '-H', `Authorization: Bearer ${token}`, '--data-binary', `@${csr}`, `${sb.stsUrl}/seguranca/v1/certificado/solicitacao`]);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).mensagem).toMatch(/1024 bits/);
    // A refused CSR does not consume the token.
    expect(sb.state.sts.checkTemporaryToken(token).ok).toBe(true);
  });
});
