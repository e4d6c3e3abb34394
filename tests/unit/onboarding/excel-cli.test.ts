import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { CLIENT_ID, makeCredentialFixtures, type CredentialFixtures } from '../../fixtures/make-credential-fixtures';

let fx: CredentialFixtures;
beforeAll(() => {
  fx = makeCredentialFixtures(); // real "now": the CLI imports with the current time
});
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  const all = out.join('\n') + err.join('\n');
  // The token must never be printed, whole or in part.
  for (const t of [fx.token, fx.tokenNoExp]) {
    expect(all).not.toContain(t);
    expect(all).not.toContain(t.split('.')[1]!.slice(0, 40));
    expect(all).not.toContain(t.split('.')[2]!.slice(0, 40));
  }
  return { code, out: out.join('\n'), err };
}

describe('pixdesk excel inspect', () => {
  it('--json prints the Client ID, token hash, expiry and cells — never the token', async () => {
    const r = await run('excel', 'inspect', fx.files['itau-current.xlsx']!, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      clientId: CLIENT_ID,
      tokenExpiresAt: fx.tokenExp.toISOString(),
      expirySource: 'jwt',
      source: { sheet: 'Credencial e Token', cells: { clientId: 'A4', token: 'B4', validity: 'C4' } },
    });
    expect(j.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(j).not.toHaveProperty('token');
  });

  it('prints a readable pt-BR summary without --json', async () => {
    const r = await run('excel', 'inspect', fx.files['no-validity.xlsx']!);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Client ID:      ${CLIENT_ID} (célula A2)`);
    expect(r.out).toMatch(/Token:\s+SHA-256 [0-9a-f]{64}/);
    expect(r.out).toMatch(/presumida \(72 horas\)/);
    expect(r.out).toMatch(/Aviso: .*72 horas/);
  });

  it('reads the .eml too', async () => {
    const r = await run('excel', 'inspect', fx.files['itau.eml']!, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).source).toMatchObject({ kind: 'eml', attachmentName: 'Credencial e Token.xlsx' });
  });

  it.each([
    ['mismatched-sub.xlsx', /pertence a outro Client ID/],
    ['manual.pdf', /PDF/],
    ['old-encrypted.xlsx', /formato antigo/],
    ['encrypted.xlsx', /senha/],
  ])('%s: one stderr line, exit 1', async (name, msg) => {
    const r = await run('excel', 'inspect', fx.files[name]!, '--json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^erro: /);
    expect(r.err[0]).not.toContain('\n');
    expect(r.err[0]).toMatch(msg);
  });

  it('reports a missing file and usage errors', async () => {
    const missing = await run('excel', 'inspect', path.join(fx.dir, 'nao-existe.xlsx'));
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/não encontrado/);
    const noArg = await run('excel', 'inspect');
    expect(noArg.code).toBe(2);
    const badFlag = await run('excel', 'inspect', fx.files['itau-current.xlsx']!, '--token');
    expect(badFlag.code).toBe(2);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const big = path.join(fx.dir, 'big.xlsx');
    writeFileSync(big, Buffer.alloc(26 * 1024 * 1024));
    const r = await run('excel', 'inspect', big);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/mais de 25 MB/);
  });
});
