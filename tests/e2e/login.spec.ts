import { expect, shot, test } from './support/host';

test.afterEach(async ({ context }) => {
  await context.close();
});

test('first run creates the admin; a cashier then sees only what the role allows (main refuses, not just the screen)', async ({ page, host }) => {
  await page.goto(host.url);
  const nav = page.getByRole('navigation', { name: 'Seções' });
  await nav.getByRole('link', { name: 'Ajustes' }).click();
  await expect(page.getByText('Nenhum administrador criado')).toBeVisible();
  await page.getByRole('button', { name: 'Criar administrador' }).click();
  await expect(page.getByRole('heading', { name: 'Criar o administrador' })).toBeVisible();
  await page.getByLabel('Nome').fill('Ana');
  await page.getByLabel('Senha', { exact: true }).fill('frase do administrador');
  await page.getByLabel('Repita a senha').fill('frase do administrador');
  await shot(page, 'login-criar-admin');
  await page.getByRole('button', { name: 'Criar administrador' }).click();
  await expect(page.getByTestId('who')).toContainText('Ana');

  // Ajustes → Pessoas: adding a cashier asks for the password again.
  await nav.getByRole('link', { name: 'Ajustes' }).click();
  const people = page.getByTestId('people-card');
  await people.getByLabel('Nome').fill('Caio');
  await people.getByLabel('Senha').fill('frase do caixa 1');
  await people.getByLabel('Perfil de acesso').selectOption('cashier');
  await people.getByRole('button', { name: 'Adicionar pessoa' }).click();
  const confirm = page.getByTestId('confirm-password');
  await expect(confirm).toBeVisible();
  await confirm.getByLabel('Senha').fill('frase do administrador');
  await shot(page, 'login-confirmar-senha');
  await confirm.getByRole('button', { name: 'Confirmar' }).click();
  await expect(page.getByText('Caio pode entrar agora.')).toBeVisible();
  await expect(people.getByText('Caixa', { exact: false }).first()).toBeVisible();

  // Log out, log in as the cashier.
  await page.getByRole('button', { name: 'Sair' }).click();
  await expect(page.getByRole('heading', { name: 'Entrar no PixDesk' })).toBeVisible();
  await page.getByLabel('Nome').fill('Caio');
  await page.getByLabel('Senha').fill('errada errada');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('alert')).toContainText('Nome ou senha incorretos');
  await page.getByLabel('Senha').fill('frase do caixa 1');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByTestId('who')).toContainText('Caio');

  // The idle lock counts people, not calls: the page tells main when someone clicks or types (auth:activity), at
  // most once per 15 s; the screens refreshing themselves do not.
  const activity: number[] = [];
  page.on('response', (r) => {
    if (decodeURIComponent(r.url()).endsWith('/rpc/auth:activity')) activity.push(r.status());
  });
  const firstReport = page.waitForResponse((r) => decodeURIComponent(r.url()).endsWith('/rpc/auth:activity'));

  // The screen is there, but main refuses the audit log to a cashier.
  await nav.getByRole('link', { name: 'Auditoria' }).click();
  expect((await firstReport).status()).toBe(200);
  await expect(page.getByText('Seu perfil de acesso não permite esta ação')).toBeVisible();
  const direct = await page.evaluate(async () => (await (window as unknown as { pixdesk: { invoke(op: string, i: unknown): Promise<unknown> } }).pixdesk.invoke('audit:list', {})) as { ok: boolean; error?: { code: string } });
  expect(direct).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await shot(page, 'login-caixa-recusado');
  await nav.getByRole('link', { name: 'Caixa' }).click();
  await page.keyboard.press('5');
  await nav.getByRole('link', { name: 'Cobranças' }).click();
  await page.waitForTimeout(500);
  expect(activity).toEqual([200]); // many inputs within 15 s: one report
});
