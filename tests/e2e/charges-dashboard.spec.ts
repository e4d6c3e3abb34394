import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { issueSandboxSheet } from './support/accounts';
import { expect, shot, startHost, test } from './support/host';

/*
 * The Cobranças dashboard and "Pix recebidos" over a seeded profile with a real sandbox account: the figures on
 * screen equal SQL sums over the profile's database (São Paulo days and Monday weeks computed by SQLite's own date
 * functions here), a direct transfer paid at the sandbox while the screen is open shows up live, and the daily
 * reconciliation asks the sandbox bank.
 */
const SEEDED = 20_000;
const root = path.resolve(__dirname, '..', '..');
const cli = (args: string[]) => execFileSync(process.execPath, [path.join(root, 'dist/main/cli.cjs'), ...args], { encoding: 'utf8' });

let profileDir: string;
let host: { url: string; child: ChildProcess };
let db: Database.Database;
let account: { id: string; key: string };
let created: { id: string; txid: string };

test.beforeAll(async () => {
  test.setTimeout(180_000);
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-dash-'));
  const sheet = issueSandboxSheet(profileDir);
  cli(['accounts', 'add', '--excel', sheet.file, '--company', 'Padaria Teste', '--city', 'Recife', '--state', 'PE', '--name', 'Loja Centro', '--profile', profileDir, '--json']);
  created = JSON.parse(cli(['charges', 'create', '--amount', '25.00', '--description', 'Bolo de rolo', '--till', 'Caixa 9', '--profile', profileDir, '--json'])) as { id: string; txid: string };
  cli(['sandbox', 'pay', '--txid', created.txid, '--payer-name', 'Maria Teste', '--payer-cpf', '52998224725', '--profile', profileDir]);
  expect((JSON.parse(cli(['charges', 'show', created.id, '--profile', profileDir, '--json'])) as { status: string }).status).toBe('paid');
  execFileSync(process.execPath, [path.join(root, 'dist/bench/seed-charges.cjs'), '--profile', profileDir, '--count', String(SEEDED), '--json'], { encoding: 'utf8' });
  host = await startHost(profileDir);
  db = new Database(path.join(profileDir, 'pixdesk.sqlite'), { readonly: true });
  const a = db.prepare('SELECT id, pix_keys FROM accounts').get() as { id: string; pix_keys: string };
  account = { id: a.id, key: (JSON.parse(a.pix_keys) as string[])[0]! };
});

test.afterAll(async () => {
  db?.close();
  host?.child.kill('SIGTERM');
  if (host) await new Promise((r) => host.child.once('exit', r));
  fs.rmSync(profileDir, { recursive: true, force: true });
});

const brl = (c: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(c / 100).replace(/\u00a0/g, ' ');
type Sum = { n: number; c: number | null };
/** Received Pix of São Paulo today / this week (Monday–Sunday), by SQLite's date arithmetic. */
const TODAY = "date(received_at, '-3 hours') = date('now', '-3 hours')";
const WEEK = "date(received_at, '-3 hours') BETWEEN date('now', '-3 hours', '-6 days', 'weekday 1') AND date('now', '-3 hours')";
const sum = (where: string): Sum => db.prepare(`SELECT count(*) AS n, sum(amount_cents) AS c FROM received_pix WHERE ${where}`).get() as Sum;
const avg = (s: Sum) => (s.n ? Math.round((s.c ?? 0) / s.n) : 0);

async function expectFigures(page: import('@playwright/test').Page, id: string, s: Sum) {
  await expect(page.getByTestId(`${id}-total`)).toHaveText(brl(s.c ?? 0));
  await expect(page.getByTestId(`${id}-count`)).toHaveText(`${s.n.toLocaleString('pt-BR')} Pix`);
  await expect(page.getByTestId(`${id}-avg`)).toHaveText(`Ticket médio ${brl(avg(s))}`);
}

test('dashboard figures equal SQL sums, follow a payment live; Pix recebidos and the daily reconciliation', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 960 });
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Cobranças' }).click();
  const dash = page.getByTestId('dashboard');
  await expect(dash).toHaveAttribute('data-day', /\d{4}-\d{2}-\d{2}/);
  const today = sum(TODAY);
  const week = sum(WEEK);
  // The charge paid in beforeAll was paid today.
  expect(today.n).toBeGreaterThanOrEqual(1);
  await expectFigures(page, 'dash-today', today);
  await expectFigures(page, 'dash-week', week);
  // By account (one account here) and by till: each row is that slice's SQL sum.
  const accWeek = sum(`${WEEK} AND account_id = '${account.id}'`);
  await expect(page.getByTestId('dash-by-account').locator(`tr[data-key="${account.id}"] td`).nth(1)).toHaveText(`${brl(accWeek.c ?? 0)} (${accWeek.n})`);
  const caixa9 = db.prepare(`SELECT count(*) AS n, sum(r.amount_cents) AS c FROM received_pix r JOIN charges c ON c.id = r.charge_id WHERE c.till = 'Caixa 9' AND ${TODAY.replace(/received_at/g, 'r.received_at')}`).get() as Sum;
  await expect(page.getByTestId('dash-by-till').locator('tr[data-key="Caixa 9"] td').first()).toHaveText(`${brl(caixa9.c ?? 0)} (${caixa9.n})`);
  await expect(page.getByTestId('dashboard-chart').locator('canvas')).toHaveCount(1);
  await expect(page.getByTestId('dashboard-chart')).toHaveAttribute('aria-label', /últimos 7 dias/);
  await page.getByRole('group', { name: 'Período do gráfico' }).getByRole('button', { name: '30 dias' }).click();
  await expect(page.getByTestId('dashboard-chart')).toHaveAttribute('aria-label', /últimos 30 dias/);
  await shot(page, 'cobrancas-painel');

  // A direct transfer to the key, paid at the sandbox while the screen is open: the app's background
  // reconciliation finds it and the dashboard follows the event (no reload).
  const paid = JSON.parse(cli(['sandbox', 'pay', '--key', account.key, '--amount', '7.77', '--payer-name', 'Pix Direto Teste', '--message', 'sem cobrança', '--profile', profileDir, '--json'])) as { endToEndId: string };
  await expect(page.getByTestId('dash-today-count')).toHaveText(`${(today.n + 1).toLocaleString('pt-BR')} Pix`, { timeout: 60_000 });
  await expectFigures(page, 'dash-today', sum(TODAY));
  expect(sum(TODAY).c).toBe((today.c ?? 0) + 777);
  await expect(page.getByTestId('dash-by-till').locator('tr[data-key="direct"]')).toBeVisible();

  // Pix recebidos: the direct transfer is listed; the reconciliation of today finds it at the bank and here.
  await page.getByRole('tab', { name: 'Pix recebidos' }).click();
  const row = page.getByTestId('received-pix').locator(`tr[data-e2eid="${paid.endToEndId}"]`);
  await expect(row).toContainText('R$ 7,77');
  await expect(row).toContainText('Pix Direto Teste');
  await page.getByRole('button', { name: 'Conciliar com o banco' }).click();
  await expect(page.getByTestId('rc-list-matched').locator(`tr[data-e2eid="${paid.endToEndId}"]`)).toContainText('Pix direto');
  await expect(page.getByTestId('rc-bank-only')).toContainText('0 · R$ 0,00');
  await shot(page, 'cobrancas-pix-recebidos');

  // Receipt of the paid charge in its details: merchant, amount, São Paulo date/time, E2EID, txid; printing
  // marks only the receipt for the print stylesheet.
  await page.getByRole('tab', { name: 'Cobranças' }).click();
  await page.getByLabel('Buscar').fill(created.txid);
  await expect(page.getByTestId('totals-count')).toHaveText('1 cobrança');
  await page.locator('.ct-scroll .ct-row:not(.loading)').first().click();
  const receipt = page.getByTestId('charge-details').getByTestId('receipt');
  const ch = db.prepare('SELECT paid_at, e2eid, paid_cents FROM charges WHERE id = ?').get(created.id) as { paid_at: string; e2eid: string; paid_cents: number };
  const spTime = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .format(new Date(ch.paid_at))
    .replace(',', '');
  await expect(receipt).toContainText('Padaria Teste — Recife/PE');
  await expect(receipt).toContainText(brl(ch.paid_cents));
  await expect(receipt.getByTestId('receipt-time')).toContainText(spTime);
  await expect(receipt).toContainText(ch.e2eid);
  await expect(receipt).toContainText(created.txid);
  await expect(receipt).toContainText('Maria Teste (***.982.247-**)');
  await page.evaluate(() => {
    const w = window as unknown as { printed: boolean[]; print: () => void };
    w.printed = [];
    w.print = () => w.printed.push(document.body.classList.contains('printing-receipt') && document.querySelectorAll('.receipt.to-print').length === 1);
  });
  await receipt.getByRole('button', { name: 'Imprimir recibo' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: boolean[] }).printed)).toEqual([true]);
  await expect(page.locator('body')).not.toHaveClass(/printing-receipt/);
  await shot(page, 'cobrancas-recibo');
  // What the printer gets: the print stylesheet with only the receipt visible.
  await receipt.evaluate((el) => {
    el.classList.add('to-print');
    document.body.classList.add('printing-receipt');
  });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(root, 'tests/e2e/screenshots', 'cobrancas-recibo-impresso.png') });
  await page.emulateMedia({ media: 'screen' });
  await receipt.evaluate((el) => {
    el.classList.remove('to-print');
    document.body.classList.remove('printing-receipt');
  });
  // A smaller screen (1280 px): the dashboard on two rows, the list still in view.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('group', { name: 'Período do gráfico' }).getByRole('button', { name: '7 dias' }).click();
  await expect(page.getByTestId('dashboard-chart')).toHaveAttribute('aria-label', /últimos 7 dias/);
  await shot(page, 'cobrancas-painel-1280');
});
