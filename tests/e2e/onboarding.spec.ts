import { AccountsPage, brDate, issueSandboxSheet } from './support/accounts';
import { expect, shot, test } from './support/host';

const DAY = 86_400_000;
/** The bridge URL-encodes the operation name (":" → "%3A"). */
const RUN_URL = /\/rpc\/onboarding(%3A|:)run$/;

// Close the browser context before the host fixture stops: the host's close() waits for every open
// connection, and a socket Chromium preconnected but never used keeps it waiting until headersTimeout (60 s).
test.afterEach(async ({ context }) => {
  await context.close();
});

/** The certificate the sandbox issues is valid 365 days: accept the date a day either side (time zones, midnight). */
function yearAheadPattern(): RegExp {
  const now = Date.now();
  const dates = [364, 365, 366].map((d) => brDate(new Date(now + d * DAY)).replace(/\//g, '\\/'));
  return new RegExp(`Válido até (${dates.join('|')}) \\d{2}:\\d{2} \\(36[45] dias\\)`);
}

test('a person drops the Excel the sandbox issued and connects the account', async ({ page, host }) => {
  // The sheet comes from the real CLI, against this test's profile, before the person starts.
  const sheet = issueSandboxSheet(host.profileDir);
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  await expect(page.getByText('Nenhuma conta conectada ainda')).toBeVisible();

  await ui.startWizard();
  await shot(page, 'onboarding-arquivo');
  await ui.dropFile(sheet.file);

  // Review: Client ID, the token's validity with a live countdown, never the token itself.
  await ui.expectReview(sheet.clientId);
  await expect(ui.wizard.getByText('Validade informada no token.')).toBeVisible();
  await expect(ui.wizard.getByText('Credencial e Token.xlsx', { exact: false })).toBeVisible();
  await expect(ui.wizard.getByRole('radio', { name: 'Sandbox', exact: true })).toBeChecked();
  await ui.fillCompany({ company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });
  await shot(page, 'onboarding-revisao');

  await ui.generate();
  await ui.expectDone();
  await expect(ui.wizard.getByTestId('done-account-name')).toHaveText('Padaria São João');
  await expect(ui.wizard.getByTestId('done-cert-expiry')).toContainText(brDate(new Date(Date.now() + 365 * DAY)).slice(-4));
  await shot(page, 'onboarding-pronto');
  await ui.closeDone();

  // The account card: name, environment, default, certificate ~1 year ahead, token in cache.
  const card = ui.card('Padaria São João');
  await expect(card).toBeVisible();
  await expect(card).toContainText('SANDBOX');
  await expect(card).toContainText('Padrão');
  await expect(card).toContainText('Em dia');
  await expect(card.getByTestId('cert-validity')).toHaveText(yearAheadPattern());
  await expect(card).toContainText(sheet.clientId);
  // Technical facts wait under "Avançado", closed by default.
  await expect(card).not.toContainText(`CN=${sheet.clientId}`);
  await card.getByRole('button', { name: /Avançado/ }).click();
  await expect(card).toContainText(`CN=${sheet.clientId}`);
  await expect(card).toContainText('Sandbox local');
  await expect(card).toContainText(/Sessão aberta por mais \d{2}:\d{2}/);
  await expect(page.getByTestId('onboarding-session')).toHaveCount(0);
  await expect(page.getByTestId('env-banner')).toContainText('SANDBOX');
  await shot(page, 'contas-lista');
});

test('a wrong file shows why in pt-BR and the person drops the right one', async ({ page, host }) => {
  const sheet = issueSandboxSheet(host.profileDir);
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  await ui.startWizard();

  // Keyboard: Tab stays inside the dialog, Esc closes it (nothing is running).
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    await expect(ui.wizard.locator(':focus')).toHaveCount(1);
  }
  await page.keyboard.press('Escape');
  await expect(ui.wizard).toBeHidden();
  await ui.startWizard();

  // The empty state's own drop zone reports the same errors.
  await ui.wizard.getByRole('button', { name: 'Fechar' }).click();
  await page.getByTestId('credential-file-empty').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  await expect(page.getByTestId('accounts-empty').getByRole('alert')).toContainText('é uma imagem');
  await ui.startWizard();

  const alert = ui.wizard.getByRole('alert');
  await ui.dropFile({ name: 'Manual e Boas Vindas - PIX.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
  await expect(alert).toContainText('Não foi possível usar este arquivo');
  await expect(alert).toContainText('é um PDF');

  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
  await ui.dropFile({ name: 'Credencial e Token.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: junk });
  await expect(alert).toContainText('Credencial e Token.xlsx');
  await expect(alert).toContainText(/não é uma planilha|corrompido/);
  await shot(page, 'onboarding-erro-arquivo');

  // The manual paste says what is wrong with a token that is not a JWT.
  await ui.wizard.getByRole('button', { name: 'Colar manualmente' }).click();
  await ui.wizard.getByLabel('Client ID', { exact: true }).fill(sheet.clientId);
  await ui.wizard.getByLabel('Token temporário', { exact: true }).fill('isto-nao-e-um-token');
  await ui.wizard.getByRole('button', { name: 'Importar', exact: true }).click();
  await expect(ui.wizard.getByRole('alert').filter({ hasText: 'não é um token JWT válido' })).toBeVisible();
  await shot(page, 'onboarding-colar');

  // Nothing was lost: the right file, dragged onto the zone, goes straight to the review.
  await ui.dragAndDrop(sheet.file);
  await ui.expectReview(sheet.clientId);
  await expect(page.getByTestId('onboarding-session')).toHaveCount(0);
});

test('the same sheet again is recognised at the import: which account it connected, and when', async ({ page, host }) => {
  const sheet = issueSandboxSheet(host.profileDir);
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  await ui.onboard(sheet.file, sheet.clientId, { company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });

  // The same sheet again: refused before any form, naming the account and the São Paulo date it connected.
  await ui.startWizard();
  await ui.dropFile(sheet.file);
  const alert = ui.wizard.getByRole('alert').filter({ hasText: 'já foi usada neste computador' });
  await expect(alert).toContainText(`conectou a conta "Padaria São João" em ${brDate(new Date())} às`);
  await expect(alert).toContainText('horário de Brasília');
  await expect(alert).toContainText('peça ao gerente Itaú um novo token');
  await expect(ui.wizard.getByTestId('review-client-id')).toHaveCount(0);
  await shot(page, 'onboarding-planilha-ja-usada');

  // Esc still closes the wizard after the failed import, and nothing half-done is left behind.
  await page.keyboard.press('Escape');
  await expect(ui.wizard).toBeHidden();
  await expect(page.getByTestId('onboarding-session')).toHaveCount(0);
  await expect(page.getByTestId('account-card')).toHaveCount(1);
});

test('a second account: rename, make it the default, deactivate after confirming', async ({ page, host }) => {
  const ui = new AccountsPage(page);
  await ui.open(host.url);

  // First account from the empty state's "Testar com o sandbox local".
  await page.getByRole('button', { name: 'Testar com o sandbox local' }).click();
  await expect(ui.wizard.getByTestId('review-client-id')).toHaveText(/^[0-9a-f-]{36}$/);
  await ui.fillCompany({ name: 'Loja Centro', company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });
  await ui.generate();
  await ui.expectDone();
  await ui.closeDone();

  // Second account with the wizard's test token.
  await ui.startWizard();
  await ui.wizard.getByRole('button', { name: 'Usar um token de teste do sandbox' }).click();
  await expect(ui.wizard.getByTestId('review-client-id')).toHaveText(/^[0-9a-f-]{36}$/);
  const secondClientId = (await ui.wizard.getByTestId('review-client-id').textContent()) ?? '';
  await ui.fillCompany({ name: 'Loja Praia', company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });

  // Hold the run request in the browser for a moment to look at "Conectando" (the sandbox answers in ~1 s).
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route(RUN_URL, async (route) => {
    await held;
    await route.continue();
  });
  await ui.generate();
  await expect(ui.wizard.locator('li[data-phase="key"]')).toHaveAttribute('data-state', 'running');
  await expect(ui.wizard.getByText('Não feche o PixDesk enquanto a conexão estiver em andamento.')).toBeVisible();
  await expect(ui.wizard.getByRole('button', { name: 'Fechar' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(ui.wizard).toBeVisible();
  await shot(page, 'onboarding-conectando');
  release();
  await ui.expectDone();
  await page.unroute(RUN_URL);
  await ui.closeDone();

  const first = ui.card('Loja Centro');
  const second = ui.cardByClientId(secondClientId);
  await expect(second.getByTestId('account-name')).toHaveText('Loja Praia');
  await expect(page.getByTestId('account-card')).toHaveCount(2);
  await expect(first).toContainText('Padrão');
  await expect(second).not.toContainText('Padrão');

  // Rename inline (Enter saves).
  await second.getByRole('button', { name: 'Renomear' }).click();
  const nameInput = second.getByLabel('Novo nome da conta');
  await expect(nameInput).toBeFocused();
  await nameInput.fill('Loja Pajuçara');
  await nameInput.press('Enter');
  await expect(second.getByTestId('account-name')).toHaveText('Loja Pajuçara');
  await expect(page.getByRole('status').filter({ hasText: 'Nome da conta atualizado.' })).toBeVisible();

  // Pix keys: an invalid one is refused in pt-BR, a valid CPF is kept in directory form.
  await second.getByLabel('Nova chave Pix').fill('123.456.789-00');
  await second.getByRole('button', { name: 'Adicionar' }).click();
  await expect(second.getByRole('alert')).toContainText('dígitos verificadores não conferem');
  await second.getByLabel('Nova chave Pix').fill('529.982.247-25');
  await second.getByRole('button', { name: 'Adicionar' }).click();
  await expect(second.getByRole('button', { name: 'Remover a chave 52998224725' })).toBeVisible();

  // Make it the default: the badge moves, the banner still says SANDBOX.
  await second.getByRole('button', { name: 'Tornar padrão' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Loja Pajuçara agora é a conta padrão.' })).toBeVisible();
  await expect(second).toContainText('Padrão');
  await expect(first).not.toContainText('Padrão');
  await expect(page.getByTestId('account-card').first()).toContainText('Loja Pajuçara');
  await expect(page.getByTestId('env-banner')).toContainText('SANDBOX');
  await shot(page, 'contas-duas-contas');

  // Deactivate: a confirmation first; Cancel keeps it, Desativar does it.
  await second.getByRole('button', { name: 'Desativar' }).click();
  let confirm = page.getByRole('alertdialog', { name: 'Desativar a conta Loja Pajuçara?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('Ela é a conta padrão');
  await expect(confirm.getByRole('button', { name: 'Cancelar' })).toBeFocused();
  await shot(page, 'contas-desativar');
  await confirm.getByRole('button', { name: 'Cancelar' }).click();
  await expect(confirm).toBeHidden();
  await expect(second.getByTestId('renewal-badge')).toHaveText('Em dia');

  await second.getByRole('button', { name: 'Desativar' }).click();
  confirm = page.getByRole('alertdialog', { name: 'Desativar a conta Loja Pajuçara?' });
  await confirm.getByRole('button', { name: 'Desativar' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'A conta Loja Pajuçara foi desativada.' })).toBeVisible();
  await expect(second.getByTestId('renewal-badge')).toHaveText('Desativada');
  await expect(second).not.toContainText('Padrão');
  await expect(second.getByRole('button', { name: 'Reativar' })).toBeVisible();
  await expect(second.getByRole('button', { name: 'Renovar agora' })).toHaveCount(0);
  await expect(first.getByTestId('renewal-badge')).toHaveText('Em dia');
  await expect(first).toContainText('Padrão');
  await shot(page, 'contas-desativada');

  // Renew the active one now: a confirmation (keyboard: the safe choice has the focus), then the new version.
  await first.getByRole('button', { name: 'Renovar agora' }).click();
  const renew = page.getByRole('alertdialog', { name: 'Renovar agora o certificado da conta Loja Centro?' });
  await expect(renew).toContainText('o PixDesk renova sozinho antes do vencimento');
  await expect(renew.getByRole('button', { name: 'Cancelar' })).toBeFocused();
  await shot(page, 'contas-renovar-confirmar');
  await renew.getByRole('button', { name: 'Renovar agora' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Certificado renovado: versão 2, válido até/ })).toBeVisible();
  await first.getByRole('button', { name: /Avançado/ }).click();
  await expect(first).toContainText('v2');
});

test('the bank unreachable: the session stays resumable and "Retomar" continues it', async ({ page, host }) => {
  const sheet = issueSandboxSheet(host.profileDir);
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  await ui.startWizard();
  await ui.dropFile(sheet.file);
  await ui.expectReview(sheet.clientId);
  await ui.fillCompany({ company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });
  await expect(ui.wizard.getByTestId('token-destination')).toContainText('o sandbox local deste computador');

  // Advanced: an STS nobody listens on (a proxy that is down, say). A bad URL is caught before running.
  await ui.wizard.getByRole('button', { name: /Configuração avançada/ }).click();
  const sts = ui.wizard.getByLabel(/servidor de certificados \(STS\)/);
  await sts.fill('http://sts.exemplo');
  await ui.generate();
  await expect(ui.wizard.getByText('Use um endereço https:// válido.')).toBeVisible();
  await expect(sts).toBeFocused();
  await sts.fill('https://127.0.0.1:1');
  await expect(ui.wizard.getByText('Use um endereço https:// válido.')).toHaveCount(0);
  await expect(ui.wizard.getByTestId('token-destination')).toContainText('O token será enviado para 127.0.0.1:1');
  await ui.wizard.getByText('Caminho de renovação').scrollIntoViewIfNeeded();
  await shot(page, 'onboarding-avancado');
  // The host is named back before the single-use token goes anywhere; "Voltar" sends nothing.
  await ui.generate();
  const confirm = ui.wizard.getByRole('alertdialog', { name: 'Confirme o destino do token' });
  await expect(confirm).toContainText('será enviado para 127.0.0.1:1');
  await expect(confirm.getByRole('button', { name: 'Enviar para 127.0.0.1:1' })).toBeFocused();
  await expect(confirm).toBeInViewport();
  await shot(page, 'onboarding-confirmar-destino');
  await confirm.getByRole('button', { name: 'Voltar e revisar' }).click();
  await expect(confirm).toBeHidden();
  await ui.generate();
  await ui.wizard.getByRole('button', { name: 'Enviar para 127.0.0.1:1' }).click();

  const failure = ui.wizard.getByTestId('onboarding-error');
  await expect(failure).toContainText('Não foi possível falar com o Itaú');
  await expect(failure).toContainText('conexão recusada');
  await expect(failure).toContainText('O que já foi feito está guardado');
  await expect(ui.wizard.locator('li[data-phase="key"]')).toHaveAttribute('data-state', 'done');
  await expect(ui.wizard.locator('li[data-phase="exchange"]')).toHaveAttribute('data-state', 'failed');
  await expect(ui.wizard.getByRole('button', { name: 'Tentar de novo' })).toBeVisible();
  await shot(page, 'onboarding-erro-rede');

  // "Tentar de novo" runs again (same CSR, same token) and fails the same way, without losing anything.
  await ui.wizard.getByRole('button', { name: 'Tentar de novo' }).click();
  await expect(failure).toContainText('Não foi possível falar com o Itaú');

  // Closed: the interrupted session explains where it stopped and offers "Retomar" (no "Descartar": the bank may have answered).
  await ui.wizard.getByRole('button', { name: 'Fechar' }).click();
  await expect(ui.wizard).toBeHidden();
  const session = page.getByTestId('onboarding-session');
  await expect(session).toContainText('O pedido foi enviado ao Itaú');
  await expect(session.getByRole('button', { name: 'Descartar' })).toHaveCount(0);
  await shot(page, 'contas-cadastro-interrompido');
  await session.getByRole('button', { name: 'Retomar' }).click();
  const resume = page.getByRole('dialog', { name: 'Retomar cadastro' });
  await expect(resume.getByTestId('onboarding-error')).toContainText('Não foi possível falar com o Itaú');
  await expect(resume.getByRole('button', { name: 'Tentar de novo' })).toBeVisible();
});

test('an expired token: refused at the import, or stopped at the review when it runs out there', async ({ page, host }) => {
  const ui = new AccountsPage(page);
  // Already expired when dropped: the drop zone says so and what to ask the manager.
  const old = issueSandboxSheet(host.profileDir, 0.0003);
  await ui.open(host.url);
  await expect.poll(() => Date.now()).toBeGreaterThan(Date.parse(old.expiresAt));
  await ui.startWizard();
  await ui.dropFile(old.file);
  await expect(ui.wizard.getByRole('alert')).toContainText('O token temporário expirou');
  await expect(ui.wizard.getByRole('alert')).toContainText('novo token');

  // Valid for a few seconds: the review counts down and then blocks the certificate request.
  const brief = issueSandboxSheet(host.profileDir, 10 / 3600);
  await ui.dropFile(brief.file);
  await expect(ui.wizard.getByTestId('review-client-id')).toHaveText(brief.clientId);
  await expect(ui.wizard.getByTestId('token-countdown')).toHaveText(/^expira em 0 min \d{2} s$/);
  await expect(ui.wizard.getByTestId('token-countdown')).toHaveText('expirado', { timeout: 20_000 });
  const blocker = ui.wizard.getByRole('alert').filter({ hasText: 'O token temporário expirou' });
  await expect(blocker).toContainText('Peça ao seu gerente Itaú um novo token temporário');
  await expect(ui.wizard.getByRole('button', { name: 'Gerar certificado e conectar' })).toHaveCount(0);
  await expect(ui.wizard.getByRole('button', { name: 'Importar outra planilha' })).toBeVisible();
  await shot(page, 'onboarding-token-expirado');
});
