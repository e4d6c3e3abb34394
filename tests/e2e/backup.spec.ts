import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { issueSandboxSheet } from './support/accounts';
import { expect, shot, startHost, test } from './support/host';

/*
 * Ajustes → Backup as a person uses it: on the old machine (a profile with a real sandbox account and 2,000 seeded
 * charges) a backup is created with a passphrase typed twice and downloaded; on the "new machine" (another profile,
 * so another device key) the file is chosen, a wrong passphrase is refused, the right one restores after the
 * confirmation, and the result says which accounts to onboard again. A second restore asks before replacing.
 */
const root = path.resolve(__dirname, '..', '..');
const cli = (args: string[]) => execFileSync(process.execPath, [path.join(root, 'dist/main/cli.cjs'), ...args], { encoding: 'utf8' });
const PASS = 'cavalo bateria grampo correto';

const dirs: string[] = [];
const hosts: ChildProcess[] = [];

test.afterAll(async () => {
  for (const h of hosts) {
    h.kill('SIGTERM');
    await new Promise((r) => h.once('exit', r));
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('create a backup on one profile and restore it on a new one', async ({ browser }) => {
  test.setTimeout(120_000);
  const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-bk-old-'));
  const newDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-bk-new-'));
  dirs.push(oldDir, newDir);
  const sheet = issueSandboxSheet(oldDir);
  cli(['accounts', 'add', '--excel', sheet.file, '--company', 'Padaria Teste', '--city', 'Recife', '--state', 'PE', '--name', 'Loja Centro', '--profile', oldDir, '--json']);
  execFileSync(process.execPath, [path.join(root, 'dist/bench/seed-charges.cjs'), '--profile', oldDir, '--count', '2000', '--json'], { encoding: 'utf8' });
  const oldHost = await startHost(oldDir);
  hosts.push(oldHost.child);

  // --- The old machine: Ajustes → Backup → Criar backup.
  const oldPage = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await oldPage.goto(oldHost.url);
  await oldPage.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Ajustes' }).click();
  const card = oldPage.getByTestId('backup-card');
  await expect(card.getByRole('heading', { name: 'Backup', exact: true })).toBeVisible();
  await expect(card).toContainText('a chave privada nunca sai deste computador');
  const create = card.getByRole('form', { name: 'Criar backup' });
  await create.getByLabel('Senha do backup').fill('curta');
  await expect(card.getByTestId('backup-strength')).toHaveText('Curta demais (mínimo 12)');
  await create.getByLabel('Senha do backup').fill(PASS);
  await expect(card.getByTestId('backup-strength')).toHaveText('Forte');
  await create.getByLabel('Repita a senha').fill(PASS + 'x');
  await create.getByRole('button', { name: 'Criar backup', exact: true }).click();
  await expect(create.getByRole('alert')).toHaveText('As duas senhas não conferem.');
  await create.getByLabel('Repita a senha').fill(PASS);
  await create.getByLabel('Senha do backup').fill(PASS);
  await shot(oldPage, 'backup-ajustes');
  const [download] = await Promise.all([oldPage.waitForEvent('download'), create.getByRole('button', { name: 'Criar backup', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^pixdesk-backup-\d{8}-\d{4}\.pixdesk-backup$/);
  const file = path.join(newDir, '..', `${path.basename(newDir)}.pixdesk-backup`);
  dirs.push(file);
  await download.saveAs(file);
  await expect(oldPage.getByText(/Backup salvo como pixdesk-backup-/)).toBeVisible();
  expect(fs.readFileSync(file).subarray(0, 8).toString('ascii')).toBe('PIXDESKB');
  // The file left the profile once downloaded (only the person's copy remains).
  expect(fs.readdirSync(path.join(oldDir, 'backups')).filter((f) => f.endsWith('.pixdesk-backup'))).toEqual([]);

  // --- The new machine: a new profile, its own device key.
  const newHost = await startHost(newDir);
  hosts.push(newHost.child);
  const page = await (await browser.newContext()).newPage();
  await page.goto(newHost.url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Ajustes' }).click();
  const restore = page.getByTestId('backup-card').getByRole('form', { name: 'Restaurar backup' });
  await restore.getByTestId('backup-file').setInputFiles(file);
  await expect(restore.getByTestId('backup-file-name')).toHaveText(path.basename(file));
  await restore.getByLabel('Senha do backup').fill('uma senha errada qualquer');
  await restore.getByRole('button', { name: 'Restaurar…' }).click();
  await page.getByTestId('backup-confirm').getByRole('button', { name: 'Restaurar', exact: true }).click();
  await expect(restore.getByRole('alert')).toContainText('A senha do backup não confere');
  await expect(restore.getByRole('alert')).toContainText('Nada foi alterado');

  await restore.getByLabel('Senha do backup').fill(PASS);
  await restore.getByRole('button', { name: 'Restaurar…' }).click();
  const confirm = page.getByTestId('backup-confirm');
  await expect(confirm).toContainText('voltam sem certificado');
  await shot(page, 'backup-confirmar');
  await confirm.getByRole('button', { name: 'Restaurar', exact: true }).click();
  const result = page.getByTestId('backup-result');
  await expect(result).toContainText('Backup restaurado');
  await expect(result).toContainText('2.000 cobranças');
  await expect(result).toContainText('Loja Centro');
  await expect(result).toContainText('Refaça o onboarding destas contas com um token novo do Itaú');
  await expect(result).toContainText('Log de auditoria conferido');
  await shot(page, 'backup-restaurado');

  const db = new Database(path.join(newDir, 'pixdesk.sqlite'), { readonly: true });
  expect((db.prepare('SELECT count(*) AS n FROM charges').get() as { n: number }).n).toBe(2000);
  expect((db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n).toBe(0);
  db.close();

  // Contas says which accounts wait for a new onboarding, and why.
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Contas' }).click();
  const restoredAccounts = page.getByTestId('acc-restored');
  await expect(restoredAccounts).toContainText('Contas restauradas de um backup aguardando onboarding');
  await expect(restoredAccounts).toContainText('Loja Centro');
  await shot(page, 'backup-contas');

  // Auditoria on the new machine: the old chain plus the restore, verified under this profile's key.
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Auditoria' }).click();
  await expect(page.locator('.audit-table tbody tr').first()).toContainText('Backup restaurado');
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cadeia íntegra' })).toBeVisible();

  // Restoring again over that history asks before replacing it; cancelling changes nothing.
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Ajustes' }).click();
  const again = page.getByTestId('backup-card').getByRole('form', { name: 'Restaurar backup' });
  await again.getByTestId('backup-file').setInputFiles(file);
  await again.getByLabel('Senha do backup').fill(PASS);
  await again.getByRole('button', { name: 'Restaurar…' }).click();
  await page.getByTestId('backup-confirm').getByRole('button', { name: 'Restaurar', exact: true }).click();
  const replace = page.getByTestId('backup-replace');
  await expect(replace).toContainText('Este perfil já tem histórico (2000 cobrança(s)');
  await expect(replace).toContainText('serão APAGADOS');
  await shot(page, 'backup-substituir');
  await replace.getByRole('button', { name: 'Cancelar' }).click();
  await expect(replace).toBeHidden();
});
