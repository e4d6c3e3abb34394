import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { expect, shot, test } from './support/host';

test.afterEach(async ({ context }) => {
  await context.close();
});

test('Auditoria lists what changed, verifies the chain, exports CSV and names an entry edited behind the app', async ({ page, host }) => {
  await page.goto(host.url);
  const nav = page.getByRole('navigation', { name: 'Seções' });

  // Two changes through Ajustes: each becomes an entry.
  await nav.getByRole('link', { name: 'Ajustes' }).click();
  const till = page.getByLabel('Nome do caixa');
  for (const name of ['Caixa da frente', 'Caixa dos fundos']) {
    await till.fill(name);
    await page.getByRole('button', { name: 'Salvar' }).click();
    await expect(page.getByText('Ajustes salvos.')).toBeVisible();
  }

  await nav.getByRole('link', { name: 'Auditoria' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Auditoria' })).toBeVisible();
  const rows = page.locator('.audit-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Ajustes alterados');
  await expect(rows.first()).toContainText('navegador');
  await expect(rows.first()).toContainText('Caixa dos fundos');
  await expect(page.getByText('2 de 2 entradas')).toBeVisible();

  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cadeia íntegra: 2 entradas conferidas' })).toBeVisible();
  await shot(page, 'auditoria');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^pixdesk-auditoria-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toContain('seq,data_hora_utc,quem,acao');
  expect(csv).toContain('settings.changed');

  // Someone with the file drops the triggers and edits the first entry: "Verificar" names it.
  const db = new Database(path.join(host.profileDir, 'pixdesk.sqlite'));
  db.exec('DROP TRIGGER audit_log_no_update');
  db.prepare(`UPDATE audit_log SET details = '{"changed":{"tillName":"outro"}}' WHERE seq = 1`).run();
  db.close();
  await page.getByRole('button', { name: 'Verificar' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'primeira entrada quebrada: nº 1: o conteúdo foi alterado' })).toBeVisible();
  await shot(page, 'auditoria-adulterada');
});
