import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as XLSX from 'xlsx';
import { issueSandboxSheet } from './support/accounts';
import { expect, shot, startHost, test } from './support/host';

/*
 * Cobranças over a seeded profile: a real sandbox account with one charge really paid through the sandbox (so it
 * can be refunded at the "bank"), plus SEEDED synthetic charges from the seeding script. 50,000 here so the e2e
 * stays fast on CI; the benchmarks use 1,000,000.
 */
const SEEDED = 50_000;
const root = path.resolve(__dirname, '..', '..');
const cli = (args: string[]) => execFileSync(process.execPath, [path.join(root, 'dist/main/cli.cjs'), ...args], { encoding: 'utf8' });

let profileDir: string;
let host: { url: string; child: ChildProcess };
let paid: { id: string; txid: string };
let db: Database.Database;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-list-'));
  const sheet = issueSandboxSheet(profileDir);
  cli(['accounts', 'add', '--excel', sheet.file, '--company', 'Padaria Teste', '--city', 'Recife', '--state', 'PE', '--name', 'Loja Centro', '--profile', profileDir, '--json']);
  const created = JSON.parse(cli(['charges', 'create', '--amount', '25.00', '--description', 'Bolo de rolo', '--till', 'Caixa 9', '--profile', profileDir, '--json'])) as { id: string; txid: string };
  cli(['sandbox', 'pay', '--txid', created.txid, '--payer-name', 'Maria Teste', '--payer-cpf', '52998224725', '--profile', profileDir]);
  const shown = JSON.parse(cli(['charges', 'show', created.id, '--profile', profileDir, '--json'])) as { status: string };
  expect(shown.status).toBe('paid');
  paid = created;
  execFileSync(process.execPath, [path.join(root, 'dist/bench/seed-charges.cjs'), '--profile', profileDir, '--count', String(SEEDED), '--json'], { encoding: 'utf8' });
  host = await startHost(profileDir);
  db = new Database(path.join(profileDir, 'pixdesk.sqlite'), { readonly: true });
});

test.afterAll(async () => {
  db?.close();
  host?.child.kill('SIGTERM');
  if (host) await new Promise((r) => host.child.once('exit', r));
  fs.rmSync(profileDir, { recursive: true, force: true });
});

test.afterEach(async ({ context }) => {
  await context.close();
});

const sql = (q: string, ...p: unknown[]) => db.prepare(q).get(...p) as { n: number; a: number; r: number };
const brInt = (n: number) => n.toLocaleString('pt-BR');
const brl = (c: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(c / 100).replace(/\u00a0/g, ' ');

test('filter, hash, scroll to the end, details and refund, export both formats', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Cobranças' }).click();
  const all = sql('SELECT count(*) AS n, sum(amount_cents) AS a, sum(coalesce(paid_cents, 0)) AS r FROM charges');
  expect(all.n).toBe(SEEDED + 1);
  await expect(page.getByTestId('totals-count')).toHaveText(`${brInt(all.n)} cobranças`);
  await expect(page.getByTestId('totals-amount')).toHaveText(brl(all.a));
  await expect(page.getByTestId('totals-paid')).toHaveText(brl(all.r));
  await expect(page.locator('.ct-scroll .ct-row:not(.loading)').first()).toBeVisible();
  await shot(page, 'cobrancas-lista');

  // Filter: paid in Caixa 2 → totals equal SQL sums; the hash keeps it across a reload.
  await page.getByLabel('Status').selectOption('paid');
  await page.getByLabel('Caixa', { exact: true }).fill('Caixa 2');
  const f = sql("SELECT count(*) AS n, sum(amount_cents) AS a, sum(coalesce(paid_cents, 0)) AS r FROM charges WHERE status = 'paid' AND till = 'Caixa 2'");
  await expect(page.getByTestId('totals-count')).toHaveText(`${brInt(f.n)} cobranças`);
  await expect(page.getByTestId('totals-paid')).toHaveText(brl(f.r));
  await expect(page).toHaveURL(/#\/cobrancas\?status=paid&till=Caixa\+2$/);
  await page.reload();
  await expect(page.getByTestId('totals-count')).toHaveText(`${brInt(f.n)} cobranças`);
  await expect(page.getByLabel('Status')).toHaveValue('paid');
  await shot(page, 'cobrancas-filtro');

  // Scroll to the end: the last row is the oldest charge of the filter.
  const oldest = db.prepare("SELECT txid FROM charges WHERE status = 'paid' AND till = 'Caixa 2' ORDER BY created_at, id LIMIT 1").get() as { txid: string };
  await page.getByTestId('charges-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const lastRow = page.locator(`.ct-scroll [aria-rowindex="${f.n + 1}"]`);
  await expect(lastRow).toContainText(oldest.txid);
  await shot(page, 'cobrancas-fim');

  // Export both formats of this filter and read them back.
  for (const format of ['csv', 'xlsx'] as const) {
    const wait = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: format === 'csv' ? 'Exportar CSV' : 'Exportar Excel (XLSX)' }).click();
    const dl = await wait;
    const file = path.join(profileDir, `dl.${format}`);
    await dl.saveAs(file);
    expect(dl.suggestedFilename()).toMatch(new RegExp(`^cobrancas-\\d{8}-\\d{4}\\.${format}$`));
    const bytes = fs.readFileSync(file);
    if (format === 'csv') {
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines).toHaveLength(f.n + 1);
      expect(lines[0]!.split(';')[0]).toBe('Criada em');
      const sum = lines.slice(1).reduce((s, l) => s + Math.round(Number(l.split(';')[3]!.replace(',', '.')) * 100), 0);
      expect(sum).toBe(f.r);
    } else {
      const wb = XLSX.read(bytes, { type: 'buffer', cellDates: true });
      const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]!]!);
      expect(rows).toHaveLength(f.n);
      expect(Math.round(rows.reduce((s, r) => s + (r['Recebido (R$)'] as number), 0) * 100)).toBe(f.r);
      expect(rows[0]!['Criada em']).toBeInstanceOf(Date);
    }
  }
  await shot(page, 'cobrancas-exportado');

  // Find the charge paid through the sandbox by its txid, open it and refund part of it.
  await page.getByRole('button', { name: 'Limpar filtros' }).click();
  await page.getByLabel('Buscar').fill(paid.txid);
  await expect(page.getByTestId('totals-count')).toHaveText('1 cobrança');
  await page.locator('.ct-scroll .ct-row:not(.loading)').first().click();
  const details = page.getByTestId('charge-details');
  await expect(details).toContainText('Maria Teste');
  await expect(details).toContainText('***.982.247-**');
  await shot(page, 'cobrancas-detalhes');
  await details.getByRole('button', { name: 'Devolver' }).click();
  const dlg = page.getByTestId('refund-dialog');
  await dlg.getByLabel('Valor a devolver (R$)').fill('30,00');
  await dlg.getByLabel('Motivo').fill('Cliente desistiu');
  await dlg.getByRole('button', { name: 'Revisar devolução' }).click();
  await expect(dlg.getByRole('alert')).toHaveText('Valor acima do que pode ser devolvido: o máximo é R$ 25,00.');
  await dlg.getByLabel('Valor a devolver (R$)').fill('10,00');
  await dlg.getByRole('button', { name: 'Revisar devolução' }).click();
  await expect(dlg).toContainText('Confirma a devolução de R$ 10,00 para Maria Teste?');
  await shot(page, 'cobrancas-devolucao');
  await dlg.getByRole('button', { name: 'Confirmar devolução' }).click();
  await expect(details).toContainText(/Devolução (em processamento|devolvida)/);
  await expect(details).toContainText('R$ 10,00 · motivo: Cliente desistiu');
  await shot(page, 'cobrancas-devolvida');
  const refund = db.prepare('SELECT amount_cents AS n FROM refunds WHERE charge_id = ?').get(paid.id) as { n: number };
  expect(refund.n).toBe(1000);
});
