import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { seedCharges } from '../../fixtures/seed-charges';
import { tempDir } from './support';

/*
 * `pixdesk backup create` and `pixdesk backup restore` on real profiles (key file provider, the product's scrypt
 * cost): the passphrase from a file only, never an argument; a restore into a new profile on this machine (a new
 * device key); refusal over an existing history; --replace needs --yes without a terminal.
 */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const work = tempDir('pixdesk-bk-cli-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('pixdesk backup', () => {
  it('create → restore into a new profile, with the passphrase from a file; refusals in pt-BR', async () => {
    const src = path.join(work, 'origem');
    expect((await cli('charges', 'list', '--profile', src)).code).toBe(0);
    const w = new Database(path.join(src, 'pixdesk.sqlite'));
    seedCharges(w, { count: 1500, days: 20, seed: 3 });
    w.close();
    const passFile = path.join(work, 'senha.txt');
    fs.writeFileSync(passFile, 'uma frase longa de backup\n', { mode: 0o600 });
    const out = path.join(work, 'loja.pixdesk-backup');

    const plain = await cli('backup', 'create', '--profile', src, '--out', out, '--passphrase', 'uma frase longa de backup');
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/não é aceita na linha de comando.*--passphrase-file/);
    expect((await cli('backup', 'create', '--profile', src, '--out', out)).err).toMatch(/--passphrase-file ARQUIVO, ou rode o comando num terminal/);

    const made = await cli('backup', 'create', '--profile', src, '--out', out, '--passphrase-file', passFile);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toMatch(/Backup criado em .*loja\.pixdesk-backup: .*1\.500 cobranças/);
    expect(made.out).toMatch(/refaça o onboarding/);
    expect((await cli('backup', 'create', '--profile', src, '--out', out, '--passphrase-file', passFile)).err).toMatch(/não sobrescreve backups/);

    const dst = path.join(work, 'destino');
    const wrong = path.join(work, 'errada.txt');
    fs.writeFileSync(wrong, 'outra frase qualquer aqui\n', { mode: 0o600 });
    const bad = await cli('backup', 'restore', out, '--profile', dst, '--passphrase-file', wrong);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/erro: A senha do backup não confere.*Nada foi alterado/);

    const ok = await cli('backup', 'restore', out, '--profile', dst, '--passphrase-file', passFile, '--json');
    expect(ok.code, ok.err).toBe(0);
    const r = JSON.parse(ok.out) as { restored: Record<string, number>; replaced: boolean };
    expect(r.restored.charges).toBe(1500);
    const verify = await cli('audit', 'verify', '--profile', dst);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/íntegro/);

    const again = await cli('backup', 'restore', out, '--profile', dst, '--passphrase-file', passFile);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/já tem histórico \(1500 cobrança\(s\).*Nada foi alterado/);
    expect((await cli('backup', 'restore', out, '--profile', dst, '--passphrase-file', passFile, '--replace')).err).toMatch(/confirme com --yes/);
    const replaced = await cli('backup', 'restore', out, '--profile', dst, '--passphrase-file', passFile, '--replace', '--yes');
    expect(replaced.code, replaced.err).toBe(0);
    expect(replaced.out).toMatch(/substituindo o histórico deste perfil/);
    expect((await cli('audit', 'verify', '--profile', dst)).code).toBe(0);
  }, 60_000);
});
