import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { shot } from './support/host';
import { cli, connectSandboxAccount, expect, openDisplay, openTill, test, type Bridge } from './support/till';

// Close the browser context before the host stops (a preconnected socket would keep the host's close() waiting).
test.afterEach(async ({ context }) => {
  await context.close();
});

test('Cobrar: type the amount, Enter, the customer display shows the QR, the sandbox pays, both see it', async ({ page, host, context }) => {
  await connectSandboxAccount(page, host.url);
  await openTill(page);
  const display = await openDisplay(page, context);
  await expect(display.getByRole('heading', { name: 'Pague com Pix' })).toBeVisible();
  await expect(display.getByText('Padaria Pão Quente')).toBeVisible();
  // The customer screen has no navigation and no admin data.
  await expect(display.getByRole('navigation')).toHaveCount(0);
  await shot(display, 'display-idle');

  // Zero is refused with a clear message; nothing is created.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Informe um valor maior que zero para cobrar. Digite o valor e tecle Enter.');

  // Card machine entry: "10,5" is R$ 10,50.
  const amount = page.getByLabel('Valor', { exact: true });
  await page.keyboard.type('10,5');
  await expect(amount).toHaveValue('10,5');
  await expect(page.getByTestId('cx-shortcuts')).toContainText('Esc');
  await page.keyboard.press('Enter');

  const status = page.getByTestId('cx-status');
  await expect(status).toHaveText('Aguardando pagamento');
  await expect(page.getByTestId('cx-charge')).toContainText('R$ 10,50');
  await expect(amount).toBeFocused();
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 10,50');
  await expect(display.getByTestId('display-qr')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await expect(display.getByTestId('display-countdown')).toHaveText(/^Expira em [45]:\d\d$/);
  await shot(page, 'caixa-cobrar-aguardando');
  await shot(display, 'display-cobranca');
  // Ctrl+P prints the QR alone, laid out for the till's paper (80 mm unless chosen).
  await page.emulateMedia({ media: 'print' });
  const sheet = page.getByTestId('cx-print');
  await expect(sheet).toHaveAttribute('data-kind', 'qr');
  await expect(sheet).toBeVisible();
  await expect(page.getByRole('navigation')).toBeHidden();
  await shot(page, 'caixa-impressao-qr-80mm');
  await page.emulateMedia({ media: 'screen' });

  // The customer pays the dynamic code with the bank app (the sandbox's payer).
  const brcode = await page.getByTestId('cx-brcode').inputValue();
  expect(brcode).toMatch(/^000201/);
  cli(host.profileDir, ['sandbox', 'pay', brcode, '--payer-name', 'Maria da Silva Souza']);

  await expect(display.getByRole('heading', { name: 'Pagamento recebido' })).toBeVisible({ timeout: 3_000 });
  await expect(display.getByTestId('display-payer')).toHaveText('Maria D** S**** S****');
  await expect(display.getByText('R$ 10,50')).toBeVisible();
  await expect(display.getByText(/Maria da Silva/)).toHaveCount(0);
  await shot(display, 'display-pago');
  await expect(status).toHaveText('Paga');
  await expect(page.getByTestId('cx-recent').locator('tbody tr').first()).toHaveAttribute('data-status', 'paid');
  await shot(page, 'caixa-cobrar-paga');
  // The receipt: merchant, amount, date/time in São Paulo, e2eid and txid, on 58 mm paper this time.
  await page.getByLabel('Papel da impressora').selectOption('58');
  await page.getByLabel('Valor', { exact: true }).focus();
  const paid = (await page.evaluate(async () => {
    const r = (await (globalThis as unknown as Bridge).pixdesk.invoke('charges:list', { limit: 1 })) as { value: { items: { e2eid: string; txid: string }[] } };
    return r.value.items[0];
  })) as { e2eid: string; txid: string };
  await page.emulateMedia({ media: 'print' });
  await expect(sheet).toHaveAttribute('data-kind', 'receipt');
  await expect(sheet).toHaveClass(/paper-58/);
  await expect(sheet).toContainText('Padaria Pão Quente');
  await expect(sheet).toContainText('R$ 10,50');
  await expect(sheet).toContainText(paid.e2eid);
  await expect(sheet).toContainText(paid.txid);
  await expect(sheet).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await shot(page, 'caixa-impressao-recibo-58mm');
  await page.emulateMedia({ media: 'screen' });

  // A few seconds later the display is back to idle, ready for the next customer.
  await expect(display.getByRole('heading', { name: 'Pague com Pix' })).toBeVisible({ timeout: 12_000 });

  // F3: the till's closing. The paid charge is checked against the Pix the bank listed, by e2eid.
  await page.keyboard.press('F3');
  const closing = page.getByTestId('closing');
  await expect(closing.getByTestId('closing-total')).toHaveText('Recebido no dia: R$ 10,50');
  await expect(closing.getByTestId('closing-status')).toContainText('Paga');
  await expect(closing.getByTestId('closing-lines').locator('tr')).toHaveCount(1);
  await expect(closing.getByTestId('closing-lines').locator('tr').first()).toHaveAttribute('data-state', 'ok');
  await expect(closing.getByTestId('closing-lines')).toContainText(paid.e2eid);
  await expect(closing.getByTestId('closing-differences')).toHaveText('Sem diferenças: cada cobrança paga tem o seu Pix no banco.');
  await shot(page, 'caixa-fechamento');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('F8')]);
  expect(download.suggestedFilename()).toMatch(/^fechamento-caixa-1-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain(`;Caixa 1;10,50;Paga;10,50;Maria da Silva Souza;${paid.txid};${paid.e2eid};conferido\r\n`);

  // Shift+F8: the same closing as an Excel workbook, read back with SheetJS (numbers in reais, real dates).
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Shift+F8')]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/^fechamento-caixa-1-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = XLSX.read(fs.readFileSync(await xlsxDownload.path()), { cellNF: true });
  expect(wb.SheetNames).toEqual(['Cobranças', 'Totais']);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['Cobranças']!, { header: 1, raw: true });
  expect(rows).toHaveLength(2);
  expect(rows[1]).toEqual([expect.any(Date), 'Caixa 1', 10.5, 'Paga', 10.5, expect.any(Date), 'Maria da Silva Souza', paid.txid, paid.e2eid, 'conferido']);
  expect(wb.Sheets['Cobranças']!.C2).toMatchObject({ t: 'n', v: 10.5, z: '"R$" #,##0.00' });
  expect(wb.Sheets['Cobranças']!.A2!.w).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  const totals = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['Totais']!, { header: 1, raw: true });
  expect(totals.find((r) => r[0] === 'Recebido no dia')).toEqual(['Recebido no dia', 1, 10.5]);
  expect(totals.find((r) => r[0] === 'Diferenças com o banco')).toEqual(['Diferenças com o banco', 0]);
});

test('Esc cancels the open charge at the bank; the display says so and goes back to idle', async ({ page, host, context }) => {
  await connectSandboxAccount(page, host.url);
  await openTill(page);
  const display = await openDisplay(page, context);
  await page.keyboard.type('250');
  await expect(page.getByLabel('Valor', { exact: true })).toHaveValue('2,50');
  await page.keyboard.press('Enter');
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 2,50');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cx-status')).toHaveText('Cancelada');
  await expect(display.getByRole('heading', { name: 'Cobrança cancelada' })).toBeVisible();
  await shot(display, 'display-cancelada');
  // Cancelled at the bank: the sandbox's payer can no longer pay it.
  const txid = await page.evaluate(async () => {
    const r = (await (globalThis as unknown as Bridge).pixdesk.invoke('charges:list', { limit: 1 })) as { value: { items: { txid: string; bankStatus: string }[] } };
    return r.value.items[0];
  });
  expect(txid?.bankStatus).toBe('REMOVIDA_PELO_USUARIO_RECEBEDOR');
  await expect(display.getByRole('heading', { name: 'Pague com Pix' })).toBeVisible({ timeout: 10_000 });
  // F2 starts over with the amount field empty and focused.
  await page.keyboard.press('F2');
  await expect(page.getByLabel('Valor', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Valor', { exact: true })).toBeFocused();
});

test('the expiry countdown reaches zero on the display', async ({ page, host, context }) => {
  await connectSandboxAccount(page, host.url);
  // A till configured for very short charges (the validity this computer keeps); the options stay the usual ones.
  await page.evaluate(() => window.localStorage.setItem('pixdesk.cashier.expiresIn', '4'));
  await page.reload();
  await openTill(page);
  const display = await openDisplay(page, context);
  await page.keyboard.type('1,99');
  await page.keyboard.press('Enter');
  await expect(display.getByTestId('display-countdown')).toHaveText(/^Expira em 0:0[1-4]$/);
  await expect(display.getByRole('heading', { name: 'Cobrança expirada' })).toBeVisible({ timeout: 8_000 });
  await shot(display, 'display-expirada');
  await expect(page.getByTestId('cx-status')).toHaveText('Expirada', { timeout: 10_000 });
});

test('bank unreachable: the offline charge is offered, never made silently', async ({ page, host, context }) => {
  await connectSandboxAccount(page, host.url);
  await openTill(page);
  const display = await openDisplay(page, context);
  cli(host.profileDir, ['sandbox', 'faults', 'set', '--route', 'PUT /regulatorio-pix/v2/cob/*', '--status', '503']);
  await page.keyboard.type('12,00');
  await page.keyboard.press('Enter');
  const offer = page.getByTestId('offline-offer');
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer).toContainText('O banco não respondeu');
  // Nothing reached the customer yet.
  await expect(display.getByRole('heading', { name: 'Pague com Pix' })).toBeVisible();
  await shot(page, 'caixa-cobrar-offline-oferta');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('cx-status')).toHaveText('A confirmar · Offline — a confirmar');
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 12,00');
  await shot(display, 'display-cobranca-offline');
  cli(host.profileDir, ['sandbox', 'faults', 'clear']);
});

test('fixed till QR: the printed sticker pays the current charge through its location; one open charge per till', async ({ page, host, context }) => {
  // The print dialog cannot open in headless Chromium: record the call and answer as a closed dialog does.
  await context.addInitScript(() => {
    const w = window as unknown as { __prints: number };
    w.__prints = 0;
    window.print = () => {
      w.__prints++;
      setTimeout(() => window.dispatchEvent(new Event('afterprint')), 0);
    };
  });
  await connectSandboxAccount(page, host.url);
  await openTill(page);
  const display = await openDisplay(page, context);

  // F7 prints the sticker: the till's location is made at the bank once; F6 charges through it.
  await page.keyboard.press('F7');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __prints: number }).__prints)).toBe(1);
  const sticker = (await page.evaluate(async () => {
    const r = (await (globalThis as unknown as Bridge).pixdesk.invoke('tills:location', {})) as { value: { brCode: string; location: string } };
    return r.value;
  })) as { brCode: string; location: string };
  expect(sticker.brCode).toMatch(/^000201/);
  await page.keyboard.press('F6');
  await expect(page.getByLabel(/Cobrar pelo QR fixo do caixa/)).toBeChecked();

  await page.keyboard.type('7');
  await page.keyboard.press(',');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cx-status')).toHaveText('Aguardando pagamento');
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 7,00');
  // The charge on screen is the sticker's location (same URL, so the same printed QR).
  expect(await page.getByTestId('cx-brcode').inputValue()).toContain(sticker.location.replace(/^https:\/\//, ''));

  // A second charge on the same till while the first is open is refused, saying what to do.
  await page.keyboard.press('F2');
  await page.keyboard.type('800');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('já tem uma cobrança aberta no QR fixo');
  // The open one is back on screen (Esc would cancel it).
  await expect(page.getByTestId('cx-charge')).toContainText('R$ 7,00');
  await shot(page, 'caixa-qr-fixo-recusa');

  // The customer scans the sticker on the counter.
  cli(host.profileDir, ['sandbox', 'pay', sticker.brCode, '--payer-name', 'Ana Lima']);
  await expect(display.getByRole('heading', { name: 'Pagamento recebido' })).toBeVisible({ timeout: 3_000 });
  await expect(display.getByText('R$ 7,00')).toBeVisible();

  // Paid and unlinked: the same sticker takes the next charge.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cx-status')).toHaveText('Aguardando pagamento', { timeout: 10_000 });
  await expect(page.getByTestId('cx-charge')).toContainText('R$ 8,00');
  expect(await page.getByTestId('cx-brcode').inputValue()).toContain(sticker.location.replace(/^https:\/\//, ''));
});
