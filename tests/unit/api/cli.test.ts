import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApi } from '../../../main/cli/apps';
import { runCli } from '../../../main/cli/index';
import type { ApiAppCreated, ApiAppView } from '../../../main/core/contract';
import { rmProfile, tempProfile } from '../charges/support';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `pixdesk apps …` and `pixdesk api serve` on a real profile with its own sandbox. */
describe('pixdesk apps / api serve', () => {
  const profile = tempProfile();
  beforeAll(async () => {
    const sheet = path.join(profile, 'token.xlsx');
    expect((await cli('sandbox', 'issue-token', '--profile', profile, '--out', sheet)).code).toBe(0);
    const add = await cli('accounts', 'add', '--profile', profile, '--excel', sheet, '--company', 'Padaria Teste', '--city', 'Recife', '--state', 'PE', '--env', 'sandbox');
    expect(add.code, add.err).toBe(0);
  }, 60_000);
  afterAll(() => rmProfile(profile));

  it('apps create prints the AppID once; list never shows it; serve answers with it; revoke stops it', async () => {
    const human = await cli('apps', 'create', '--name', 'ERP', '--type', 'pos', '--scopes', 'CHARGE_POST,CHARGE_GET', '--profile', profile);
    expect(human.code, human.err).toBe(0);
    const appIdLine = human.out.split('\n').pop()!;
    expect(appIdLine).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const created = await cli('apps', 'create', '--name', 'Leitor', '--scopes', 'CHARGE_GET', '--json', '--profile', profile);
    const r = JSON.parse(created.out) as ApiAppCreated;
    expect(r.app).toMatchObject({ name: 'Leitor', type: 'REST_API', scopes: ['CHARGE_GET'] });

    const list = await cli('apps', 'list', '--profile', profile);
    expect(list.out).toContain('ERP  (POS)');
    expect(list.out).not.toContain(appIdLine);
    const listJson = await cli('apps', 'list', '--json', '--profile', profile);
    expect(listJson.out).not.toContain(r.appId);
    const apps = JSON.parse(listJson.out) as ApiAppView[];
    const erp = apps.find((a) => a.name === 'ERP')!;

    const lines: string[] = [];
    const code = await serveApi({ profile, host: '127.0.0.1', port: 0 }, { out: (t) => lines.push(t), err: (t) => lines.push(t) }, async (url) => {
      expect(lines[0]).toBe(url);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const made = await fetch(`${url}/api/v1/charge`, { method: 'POST', headers: { authorization: appIdLine, 'content-type': 'application/json' }, body: JSON.stringify({ correlationID: 'cli-1', value: 250 }) });
      expect(made.status).toBe(200);
      expect(((await made.json()) as { charge: { status: string } }).charge.status).toBe('ACTIVE');
      // Revoked from another process (the CLI) while the server runs: refused at the next request.
      expect((await cli('apps', 'revoke', erp.id, '--profile', profile)).code).toBe(0);
      const after = await fetch(`${url}/api/v1/charge/cli-1`, { headers: { authorization: appIdLine } });
      expect(after.status).toBe(401);
    });
    expect(code).toBe(0);
    const final = JSON.parse((await cli('apps', 'list', '--json', '--profile', profile)).out) as ApiAppView[];
    expect(final.find((a) => a.id === erp.id)).toMatchObject({ status: 'revoked', requestCount: 1 }) // the refused request is not a use of the app;
  }, 60_000);

  it('refuses bad options and a LAN host with one pt-BR line', async () => {
    const noName = await cli('apps', 'create', '--profile', profile);
    expect(noName.code).toBe(2);
    expect(noName.err).toMatch(/--name é obrigatória/);
    const badScope = await cli('apps', 'create', '--name', 'X', '--scopes', 'ROOT', '--profile', profile);
    expect(badScope.err).toMatch(/Escopo desconhecido: ROOT/);
    const lan = await cli('api', 'serve', '--host', '0.0.0.0', '--profile', profile);
    expect(lan.code).toBe(1);
    expect(lan.err).toMatch(/HTTPS/);
    expect(lan.err).toMatch(/--lan/);
  });

  it('api ca exports the local CA certificate (public part only)', async () => {
    const out = path.join(profile, 'ca.pem');
    const r = await cli('api', 'ca', '--out', out, '--profile', profile);
    expect(r.code, r.err).toBe(0);
    const pem = fs.readFileSync(out, 'utf8');
    expect(new crypto.X509Certificate(pem).ca).toBe(true);
    expect(pem).not.toContain('PRIVATE KEY');
  });
});
