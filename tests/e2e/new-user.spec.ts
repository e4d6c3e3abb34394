import type { Locator, Page } from '@playwright/test';
import { AccountsPage, issueSandboxSheet } from './support/accounts';
import { expect, shot, test } from './support/host';

/**
 * What a new user hit on a first afternoon with PixDesk, clicked through as they did: keyboard in the wizard,
 * confirmations, the next step after "Conta conectada", the Caixa's QR text, plain pt-BR, notices above dialogs,
 * the window title, and the screens at the sizes of real tills (1366×768 notebooks, 1920×1080 monitors).
 */

const CPF = '529.982.247-25';
const CPF_KEY = '52998224725';

test.afterEach(async ({ context }) => {
  await context.close();
});

/** True when the element is what a person sees at its centre (not covered by a backdrop or another dialog). */
async function isOnTop(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!top && (top === node || node.contains(top));
  });
}

type Bridge = { pixdesk: { invoke(op: string, input: unknown): Promise<unknown> } };

async function decodeName(page: Page, payload: string): Promise<{ merchantName: string; merchantCity: string }> {
  const r = (await page.evaluate((p) => (globalThis as unknown as Bridge).pixdesk.invoke('brcode:decode', { payload: p }), payload)) as {
    ok: true;
    value: { merchantName: string; merchantCity: string };
  };
  return r.value;
}

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('Esc after a failed import still closes; Esc in the review asks before losing what was typed', async ({ page, host }) => {
    const sheet = issueSandboxSheet(host.profileDir);
    const ui = new AccountsPage(page);
    await ui.open(host.url);
    await expect(page).toHaveTitle('Contas · PixDesk');
    await ui.startWizard();

    // Paste mode fits a 1366×768 notebook: "Importar" is on screen without scrolling.
    await ui.wizard.getByRole('button', { name: 'Colar manualmente' }).click();
    const importBtn = ui.wizard.getByRole('button', { name: 'Importar', exact: true });
    await expect(importBtn).toBeInViewport({ ratio: 1 });
    await shot(page, 'onboarding-colar-1366');

    // A failed import (the button is disabled while it runs, so the focus falls out of the dialog)…
    await ui.wizard.getByLabel('Client ID').fill('0a1b2c3d-1234-4678-9abc-0123456789ab');
    await ui.wizard.getByLabel('Token temporário').fill('não é um token');
    await importBtn.click();
    await expect(ui.wizard.getByRole('alert').filter({ hasText: 'não é um token JWT válido' })).toBeVisible();
    // …and Esc still closes the wizard.
    await page.keyboard.press('Escape');
    await expect(ui.wizard).toBeHidden();

    // The review: typed data is not thrown away by a stray Esc.
    await ui.startWizard();
    await ui.dropFile(sheet.file);
    await ui.expectReview(sheet.clientId);
    await ui.wizard.getByLabel('Empresa', { exact: true }).fill('Padaria São João');
    await page.keyboard.press('Escape');
    const ask = page.getByRole('alertdialog', { name: 'Descartar o que você digitou?' });
    await expect(ask).toBeVisible();
    await expect(ask.getByRole('button', { name: 'Continuar editando' })).toBeFocused();
    await shot(page, 'onboarding-revisao-descartar');
    // Esc closes only the question; what was typed is still there.
    await page.keyboard.press('Escape');
    await expect(ask).toBeHidden();
    await expect(ui.wizard).toBeVisible();
    await expect(ui.wizard.getByLabel('Empresa', { exact: true })).toHaveValue('Padaria São João');
    // Asked again and confirmed with the keyboard: the wizard closes, the imported sheet waits in the list.
    await page.keyboard.press('Escape');
    await expect(ask).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(ask.getByRole('button', { name: 'Descartar e fechar' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ui.wizard).toBeHidden();

    // Discarding the waiting session: the notice shows above everything, not behind a backdrop.
    const session = page.getByTestId('onboarding-session');
    await expect(session).toHaveCount(1);
    await expect(page.getByText('por exemplo, o computador desligou')).toHaveCount(0);
    await session.getByRole('button', { name: 'Descartar' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Descartar este cadastro?' });
    await confirm.getByRole('button', { name: 'Descartar' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Cadastro descartado.' });
    await expect(toast).toBeVisible();
    expect(await isOnTop(toast)).toBe(true);
    await expect(session).toHaveCount(0);
  });
});

test('after "Conta conectada": add the Pix key there, open the Caixa with the receiver prefilled and see the text as in the QR', async ({ page, host }) => {
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  await ui.startWizard();
  await ui.wizard.getByRole('button', { name: 'Usar um token de teste do sandbox' }).click();
  await expect(ui.wizard.getByTestId('review-client-id')).toHaveText(/^[0-9a-f-]{36}$/);
  await ui.fillCompany({ name: 'Loja Centro', company: 'Padaria São João & Filhos Ltda', city: 'São José dos Campos', state: 'SP', environment: 'Sandbox' });
  await ui.generate();
  await ui.expectDone();

  // The next step is offered: a sandbox account already has a random key registered at the sandbox, so it is
  // ready to charge; another key can be added right here, then the Caixa.
  const next = ui.wizard.getByTestId('done-next');
  await expect(next).toContainText('Próximo passo');
  await expect(next).toContainText('Pronto para cobrar');
  await expect(next.getByRole('button', { name: /^Remover a chave [0-9a-f-]{36}$/ })).toBeVisible();
  await next.getByLabel('Nova chave Pix').fill(CPF);
  await next.getByRole('button', { name: 'Adicionar' }).click();
  await expect(next.getByRole('button', { name: `Remover a chave ${CPF_KEY}` })).toBeVisible();
  // The notice raised from inside the dialog is seen above it.
  const saved = page.getByRole('status').filter({ hasText: 'Chaves Pix atualizadas.' });
  await expect(saved).toBeVisible();
  expect(await isOnTop(saved)).toBe(true);
  await shot(page, 'onboarding-pronto-proximo-passo');

  await ui.wizard.getByRole('button', { name: 'Abrir o Caixa' }).click();
  await expect(ui.wizard).toBeHidden();
  await expect(page).toHaveURL(/#\/caixa$/);
  await expect(page).toHaveTitle('Caixa · PixDesk');
  // Caixa opens on "Cobrar" (the amount field has the focus); F4 switches to the static "QR Code rápido".
  await expect(page.getByLabel('Valor', { exact: true })).toBeFocused();
  await page.keyboard.press('F4');
  await expect(page).toHaveURL(/#\/caixa\/rapido$/);

  // Receiver prefilled from the account; the key of the account is offered.
  const name = page.getByLabel('Nome do recebedor');
  const city = page.getByLabel('Cidade');
  await expect(name).toHaveValue('Padaria São João & Filhos Ltda');
  await expect(city).toHaveValue('São José dos Campos');
  await expect(page.getByText('preenchidos com os dados da conta Loja Centro')).toBeVisible();
  await expect(page.getByRole('combobox').locator('option:checked')).toHaveText(/^[0-9a-f-]{36} — Loja Centro$/);
  await expect(page.getByRole('combobox').locator('option', { hasText: `${CPF} — Loja Centro` })).toHaveCount(1);

  // How each goes into the QR, said before it is printed: accents off, cut at 25 / 15.
  const hints = page.getByTestId('qq-as-qr');
  await expect(hints.nth(0)).toHaveText('Como vai no QR: "Padaria Sao Joao & Filhos" (sem acentos, cortado em 25 caracteres)');
  await expect(hints.nth(1)).toHaveText('Como vai no QR: "Sao Jose dos Ca" (sem acentos, cortado em 15 caracteres)');
  const box = page.getByTestId('pix-copia-e-cola');
  await expect(box).toHaveValue(/5925Padaria Sao Joao & Filhos/);
  expect(await decodeName(page, await box.inputValue())).toMatchObject({ merchantName: 'Padaria Sao Joao & Filhos', merchantCity: 'Sao Jose dos Ca' });
  await expect(page.getByTestId('qq-receiver')).toHaveText('Padaria Sao Joao & Filhos · Sao Jose dos Ca');
  await shot(page, 'caixa-como-vai-no-qr');

  // An emoji is not silently lost: the hint says it is removed; a short city needs no hint.
  await name.fill('Café 😀 da Praça');
  await city.fill('Recife');
  await expect(hints).toHaveCount(1);
  await expect(hints.first()).toHaveText('Como vai no QR: "Cafe da Praca" (sem acentos, emoji e símbolos removidos)');
  await expect(box).toHaveValue(/5913Cafe da Praca6006Recife/);
  await shot(page, 'caixa-emoji');

  // Contas: plain pt-BR on the card, technical facts folded, and removing a key asks first.
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Contas' }).click();
  await expect(page).toHaveTitle('Contas · PixDesk');
  const card = ui.card('Loja Centro');
  await expect(card).toContainText(/Sessão aberta por mais \d{2}:\d{2}/);
  for (const jargon of ['Access token', 'sem token em cache', 'CA extra', 'client secret', 'CSR']) await expect(card).not.toContainText(jargon);
  await expect(card.getByRole('button', { name: /Avançado/ })).toHaveAttribute('aria-expanded', 'false');
  await card.getByRole('button', { name: `Remover a chave ${CPF_KEY}` }).click();
  const remove = page.getByRole('alertdialog', { name: 'Remover esta chave Pix?' });
  await expect(remove).toContainText('Loja Centro');
  await expect(remove.getByRole('button', { name: 'Cancelar' })).toBeFocused();
  await shot(page, 'contas-remover-chave');
  await page.keyboard.press('Escape');
  await expect(remove).toBeHidden();
  await expect(card.getByRole('button', { name: `Remover a chave ${CPF_KEY}` })).toBeVisible();
  await card.getByRole('button', { name: `Remover a chave ${CPF_KEY}` }).click();
  await remove.getByRole('button', { name: 'Remover chave' }).click();
  await expect(remove).toBeHidden();
  await expect(card.getByRole('button', { name: `Remover a chave ${CPF_KEY}` })).toHaveCount(0);
  // The sandbox's random key stays.
  await expect(card.getByRole('button', { name: /^Remover a chave [0-9a-f-]{36}$/ })).toBeVisible();
  await shot(page, 'contas-cartao');
});

test('Ajustes: our own pt-BR messages state the 7–90 day range; the browser bubbles never show', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Ajustes' }).click();
  await expect(page).toHaveTitle('Ajustes · PixDesk');
  const days = page.getByLabel('Renovar o certificado quantos dias antes do vencimento');
  await expect(page.getByText('De 7 a 90 dias.')).toBeVisible();
  await days.fill('5');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByRole('alert')).toHaveText('Informe um número inteiro de dias, de 7 a 90.');
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(days).toBeFocused();
  // The browser's own validation never ran (its messages are in English).
  expect(await days.evaluate((el) => (el as HTMLInputElement).validationMessage)).toBe('');
  await expect(days).toHaveValue('5');
  await page.getByLabel('Nome do caixa').fill('');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByText('Informe o nome do caixa.')).toBeVisible();
  await shot(page, 'ajustes-erros');

  await page.getByLabel('Nome do caixa').fill('Caixa 2');
  await days.fill('45');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ajustes salvos.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Renovar o certificado quantos dias antes do vencimento')).toHaveValue('45');
  await page.getByRole('button', { name: /Avançado/ }).click();
  await expect(page.getByText(host.profileDir)).toBeVisible();
  await shot(page, 'ajustes');
});

test.describe('at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the QR grows with a large till screen and stays whole on screen', async ({ page, host }) => {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Caixa' }).click();
    // Caixa opens on "Cobrar"; F4 switches to the static "QR Code rápido".
    await page.keyboard.press('F4');
    await page.getByLabel('Chave Pix').fill(CPF);
    await page.getByLabel('Nome do recebedor').fill('Padaria Pão Quente');
    await page.getByLabel('Cidade').fill('Recife');
    const qr = page.getByTestId('qq-qr');
    await expect(qr).toBeVisible();
    const box = await qr.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(400);
    expect(Math.abs((box?.width ?? 0) - (box?.height ?? 0))).toBeLessThan(1);
    await expect(qr).toBeInViewport({ ratio: 1 });
    await shot(page, 'caixa-1920');
  });
});
