import { shot } from './support/host';
import { connectSandboxAccount, expect, openDisplay, openTill, test, type Bridge } from './support/till';

// Close the browser context before the host stops (a preconnected socket would keep the host's close() waiting).
test.afterEach(async ({ context }) => {
  await context.close();
});

type Made = { ok: boolean; value: { id: string; txid: string; till: string } };

test('Cobranças details: "Mostrar no display do cliente" puts an older open charge back on the till\'s display', async ({ page, host, context }) => {
  await connectSandboxAccount(page, host.url);
  await openTill(page);
  const display = await openDisplay(page, context);
  await expect(display.getByRole('heading', { name: 'Pague com Pix' })).toBeVisible();

  // Two open charges of this till: the display follows the newest (R$ 56,78), the older one (R$ 12,34) is hidden.
  const make = (amountCents: number) =>
    page.evaluate(async (c) => (await (globalThis as unknown as Bridge).pixdesk.invoke('charges:create', { amountCents: c })) as Made, amountCents);
  const older = await make(1234);
  expect(older).toMatchObject({ ok: true, value: { till: 'Caixa 1' } });
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 12,34');
  expect(await make(5678)).toMatchObject({ ok: true });
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 56,78');

  // Cobranças: find the older charge and open its details.
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Cobranças' }).click();
  await page.getByLabel('Buscar').fill(older.value.txid);
  await expect(page.getByTestId('totals-count')).toHaveText('1 cobrança');
  await page.locator('.ct-scroll .ct-row:not(.loading)').first().click();
  const details = page.getByTestId('charge-details');
  await expect(details).toContainText(older.value.txid);
  const button = details.getByRole('button', { name: 'Mostrar no display do cliente' });
  await expect(button).toBeVisible();
  await shot(page, 'cobrancas-detalhes-display');

  // No confirmation (nothing is lost): one click, a toast, and the customer sees that charge again.
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'Enviada ao display do cliente do Caixa 1.' })).toBeVisible();
  await expect(display.getByTestId('display-amount')).toHaveText('R$ 12,34');
  await expect(display.getByTestId('display-qr')).toBeVisible();
  await shot(page, 'cobrancas-display-enviada');
  await shot(display, 'display-reenviada');

  // A cancelled charge has no such button (it can no longer be paid).
  await details.getByRole('button', { name: 'Cancelar cobrança' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancelar cobrança' }).click();
  await expect(details).toContainText('Cancelada');
  await expect(details.getByRole('button', { name: 'Mostrar no display do cliente' })).toHaveCount(0);
});
