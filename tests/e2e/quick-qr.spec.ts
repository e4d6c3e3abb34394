import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './support/host';

// The copy button uses the async Clipboard API; the test reads the clipboard back.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** A valid CPF (check digits right) typed with its mask, and its directory form. */
const CPF = '529.982.247-25';
const CPF_KEY = '52998224725';

interface BrCodeView {
  pixKey: string | null;
  merchantName: string;
  merchantCity: string;
  amount: string | null;
  description: string | null;
  problems: string[];
}
type Bridge = { pixdesk: { invoke(op: string, input: unknown): Promise<unknown> } };

/** Decode a payload through the app's own `brcode:decode` (the same bridge the screens use). */
async function decode(page: Page, payload: string): Promise<BrCodeView> {
  const r = (await page.evaluate((p) => (globalThis as unknown as Bridge).pixdesk.invoke('brcode:decode', { payload: p }), payload)) as
    | { ok: true; value: BrCodeView }
    | { ok: false; error: { message: string } };
  if (!r.ok) throw new Error(`brcode:decode falhou: ${r.error.message}`);
  return r.value;
}

async function openCashier(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Caixa' }).click();
  // Caixa opens on "Cobrar"; the static QR is the other mode.
  await page.getByRole('tab', { name: /QR Code rápido/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'QR Code rápido' })).toBeVisible();
}

test('QR Code rápido: amount typed in the BRL mask reaches the payload, copy, download and print', async ({ page, host }) => {
  await openCashier(page, host.url);

  // Before a key: the screen says what to type, there is no payload.
  await expect(page.getByTestId('qq-waiting')).toContainText('Falta pouco para o QR Code');
  await expect(page.getByTestId('pix-copia-e-cola')).toHaveCount(0);
  await shot(page, 'caixa-qr-rapido-vazio');

  await page.getByLabel('Chave Pix').fill(CPF);
  await page.getByLabel('Nome do recebedor').fill('Padaria Pão Quente');
  await page.getByLabel('Cidade').fill('São Paulo');
  await page.getByLabel('Descrição').fill('Pedido 1234');
  const amount = page.getByLabel('Valor');
  await amount.click();
  await amount.pressSequentially('1050');
  await expect(amount).toHaveValue('10,50');
  await expect(page.getByTestId('qq-amount')).toHaveText('R$ 10,50');
  await expect(page.getByTestId('qq-key-type')).toHaveText('CPF');

  // The QR follows what was typed: wait for the payload with tag 54 = "10.50".
  const box = page.getByTestId('pix-copia-e-cola');
  await expect(box).toHaveValue(/540510\.50/);
  await expect(page.getByTestId('qq-qr')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  const payload = await box.inputValue();
  const view = await decode(page, payload);
  expect(view.amount).toBe('10.50');
  expect(view.pixKey).toBe(CPF_KEY);
  await expect(page.getByTestId('qq-key')).toHaveText(CPF);
  expect(view.merchantName).toBe('Padaria Pao Quente');
  expect(view.merchantCity).toBe('Sao Paulo');
  expect(view.description).toBe('Pedido 1234');
  expect(view.problems).toEqual([]);
  await shot(page, 'caixa-qr-rapido');

  // Enter in the amount goes to "Copiar"; copying puts the payload on the clipboard.
  await amount.press('Enter');
  const copy = page.getByRole('button', { name: 'Copiar' });
  await expect(copy).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Copiado!' })).toBeVisible();
  const clip = await page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
  );
  expect(clip).toBe(payload);

  // Baixar PNG: a real PNG named after the amount.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Baixar PNG' }).click()]);
  expect(png.suggestedFilename()).toBe('pix-10,50.png');
  const pngBytes = fs.readFileSync(await png.path());
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // Baixar SVG: the same QR as vector markup.
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Baixar SVG' }).click()]);
  expect(svg.suggestedFilename()).toBe('pix-10,50.svg');
  expect(fs.readFileSync(await svg.path(), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

  // Imprimir: the print stylesheet keeps only the QR, the amount, the merchant and the copia-e-cola.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Seções' })).toBeHidden();
  await expect(page.getByLabel('Chave Pix')).toBeHidden();
  const sheet = page.locator('.qq-print-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText('R$ 10,50');
  await expect(sheet).toContainText('Padaria Pão Quente');
  await expect(sheet).toContainText(payload);
  await shot(page, 'caixa-qr-rapido-impressao');
  await page.emulateMedia({ media: 'screen' });

  // Esc clears the amount: an open-amount QR (tag 54 absent), "o cliente digita o valor".
  await amount.focus();
  await amount.press('Escape');
  await expect(amount).toHaveValue('');
  await expect(page.getByTestId('qq-amount')).toContainText('Valor aberto');
  await expect(box).not.toHaveValue(/540510\.50/);
  const open = await decode(page, await box.inputValue());
  expect(open.amount).toBeNull();
  expect(open.problems).toEqual([]);

  // Name, city and the last key are saved for the next time.
  await page.reload();
  await expect(page.getByLabel('Nome do recebedor')).toHaveValue('Padaria Pão Quente');
  await expect(page.getByLabel('Cidade')).toHaveValue('São Paulo');
  await expect(page.getByLabel('Chave Pix')).toHaveValue(CPF);
});

test('QR Code rápido: an invalid key shows the pt-BR error and no payload', async ({ page, host }) => {
  await openCashier(page, host.url);
  await page.getByLabel('Nome do recebedor').fill('Padaria Pão Quente');
  await page.getByLabel('Cidade').fill('São Paulo');
  await page.getByLabel('Valor').pressSequentially('500');

  // A CPF whose check digits are wrong.
  await page.getByLabel('Chave Pix').fill('529.982.247-26');
  const error = page.getByRole('alert').filter({ hasText: 'dígitos verificadores não conferem' });
  await expect(error).toBeVisible();
  await expect(error).toContainText('Chave Pix (CPF)');
  await expect(page.getByLabel('Chave Pix')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('qq-invalid')).toContainText('Confira os dados');
  await expect(page.getByTestId('pix-copia-e-cola')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Baixar PNG' })).toHaveCount(0);
  await shot(page, 'caixa-qr-rapido-erro');

  // Something that is no kind of key at all.
  await page.getByLabel('Chave Pix').fill('chave errada!');
  await expect(page.getByRole('alert').filter({ hasText: 'não é CPF, CNPJ, celular, e-mail nem chave aleatória' })).toBeVisible();
  await expect(page.getByTestId('pix-copia-e-cola')).toHaveCount(0);

  // Fixing it brings the QR back, with the key type detected (random key).
  await page.getByLabel('Chave Pix').fill('123e4567-e89b-12d3-a456-426614174000');
  await expect(page.getByTestId('qq-key-type')).toHaveText('Chave aleatória');
  await expect(page.getByTestId('pix-copia-e-cola')).toHaveValue(/123e4567-e89b-12d3-a456-426614174000/);
  await expect(page.getByRole('alert').filter({ hasText: 'Chave Pix' })).toHaveCount(0);
});

test('QR Code rápido: a slow answer for an older amount never replaces the newer QR', async ({ page, host }) => {
  let slowSeen = false;
  await page.route(/\/rpc\/brcode(:|%3A)build$/, async (route) => {
    const body = route.request().postDataJSON() as { amount?: string | null };
    if (body.amount === '0.01') {
      slowSeen = true;
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue();
  });
  await openCashier(page, host.url);
  await page.getByLabel('Chave Pix').fill(CPF);
  await page.getByLabel('Nome do recebedor').fill('Padaria Pão Quente');
  await page.getByLabel('Cidade').fill('São Paulo');
  const box = page.getByTestId('pix-copia-e-cola');
  await expect(box).toHaveValue(/^0002/);

  // "1" → R$ 0,01 (answered late), then "2" → R$ 0,12 (answered at once).
  const amount = page.getByLabel('Valor');
  await amount.pressSequentially('1');
  await expect.poll(() => slowSeen).toBe(true);
  await amount.pressSequentially('2');
  await expect(page.getByTestId('qq-amount')).toHaveText('R$ 0,12');
  await expect(box).toHaveValue(/54040\.12/);
  // Let the slow answer arrive: the screen keeps the QR of what is typed.
  await page.waitForTimeout(2000);
  await expect(box).toHaveValue(/54040\.12/);
  expect((await decode(page, await box.inputValue())).amount).toBe('0.12');
});

test('QR Code rápido offers the Pix keys of connected accounts', async ({ page, host }) => {
  await page.goto(host.url);
  // Setup through the same bridge the screens use (the onboarding clicks are covered in onboarding.spec.ts).
  const setup = await page.evaluate(async (cpfKey) => {
    const b = (globalThis as unknown as Bridge).pixdesk;
    const s = (await b.invoke('onboarding:sandboxToken', {})) as { ok: boolean; value: { id: string } };
    const form = { name: 'Loja Centro', company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'sandbox' };
    const done = (await b.invoke('onboarding:run', { id: s.value.id, form })) as { ok: boolean; value: { accountId: string } };
    return b.invoke('accounts:setPixKeys', { id: done.value.accountId, keys: [cpfKey] });
  }, CPF);
  expect(setup).toMatchObject({ ok: true, value: { pixKeys: [CPF_KEY] } });

  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Caixa' }).click();
  await page.getByRole('tab', { name: /QR Code rápido/ }).click();
  const select = page.getByRole('combobox');
  await expect(select).toBeVisible();
  await expect(select.locator('option:checked')).toHaveText(`${CPF} — Loja Centro`);
  await page.getByLabel('Nome do recebedor').fill('Padaria Sao Joao');
  await page.getByLabel('Cidade').fill('Maceio');
  const amount = page.getByLabel('Valor');
  await amount.click();
  await amount.pressSequentially('2500');
  const box = page.getByTestId('pix-copia-e-cola');
  await expect(box).toHaveValue(/540525\.00/);
  const decoded = await decode(page, await box.inputValue());
  expect(decoded).toMatchObject({ pixKey: CPF_KEY, amount: '25.00', merchantName: 'Padaria Sao Joao', problems: [] });
  await shot(page, 'caixa-qr-rapido-chave-da-conta');
});
