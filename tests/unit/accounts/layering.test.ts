import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { createStsClient, type StsClientFactory } from '../../../main/core/itau/sts-client';
import { FORM, openCore, sandboxSheet, tempProfile } from './support';

const root = path.resolve(__dirname, '..', '..', '..');
const src = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(rel) : /\.ts$/.test(e.name) ? [rel] : [];
  });
}
const importsOf = (rel: string) => [...src(rel).matchAll(/from\s+'([^']+)'/g)].map((m) => path.join(path.dirname(rel), m[1]!));

const open: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('layering of accounts, onboarding, pki and the sandbox', () => {
  it('accounts and onboarding share pki/ and never import each other in a cycle', () => {
    const accountsImports = tsFiles('main/core/accounts').flatMap(importsOf);
    expect(accountsImports.filter((p) => p.startsWith('main/core/onboarding'))).toEqual([]);
    for (const f of [...tsFiles('main/core/pki')]) {
      expect(importsOf(f).filter((p) => /main\/core\/(accounts|onboarding|sandbox)/.test(p)), f).toEqual([]);
    }
    expect(fs.existsSync(path.join(root, 'main/core/onboarding/csr.ts'))).toBe(false);
  });

  it('onboarding does not import the sandbox (its issuer is injected)', () => {
    const offenders = tsFiles('main/core/onboarding').filter((f) => importsOf(f).some((p) => p.startsWith('main/core/sandbox')));
    expect(offenders).toEqual([]);
  });

  it('an STS client is constructed in one place only', () => {
    const all = ['main', 'bench'].flatMap(tsFiles).filter((f) => src(f).includes('new ItauStsClient('));
    expect(all).toEqual(['main/core/itau/sts-client.ts']);
  });

  it('onboarding, the token cache and renewal all reach the bank through the injected factory', async () => {
    const stages: string[] = [];
    const sts: StsClientFactory = (ep) => {
      const c = createStsClient(ep);
      return Object.assign(Object.create(c) as typeof c, {
        requestCertificateRaw: (...a: Parameters<typeof c.requestCertificateRaw>) => (stages.push('solicitacao'), c.requestCertificateRaw(...a)),
        accessToken: (...a: Parameters<typeof c.accessToken>) => (stages.push('token'), c.accessToken(...a)),
        renewCertificate: (...a: Parameters<typeof c.renewCertificate>) => (stages.push('renovacao'), c.renewCertificate(...a)),
      });
    };
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir, { sts });
    open.push(c);
    const { bytes } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
    const done = await c.onboarding.run(s.id, FORM);
    await c.renewal.renew(done.accountId!);
    expect(stages).toEqual(['solicitacao', 'token', 'renovacao']);
  });

  it('a sheet from the local sandbox suggests the sandbox, judged by the issuer Core injects', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir);
    open.push(c);
    const { bytes } = await sandboxSheet(c);
    expect(c.onboarding.importFile(bytes, 'Credencial e Token.xlsx').suggestedEnvironment).toBe('sandbox');
    expect(c.sandbox.issuer).toMatch(/^https:\/\//);
  });
});
