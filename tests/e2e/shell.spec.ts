import { expect, shot, test } from './support/host';

const SECTIONS = [
  { nav: 'Contas', heading: 'Contas Itaú', empty: 'Nenhuma conta conectada ainda', file: 'contas' },
  { nav: 'Cobranças', heading: 'Cobranças', empty: 'Nenhuma cobrança por enquanto', file: 'cobrancas' },
  { nav: 'Caixa', heading: 'Caixa', empty: null, file: 'caixa' },
  { nav: 'Apps de API', heading: 'Apps de API', empty: 'Nenhum app de API criado', file: 'apps' },
  { nav: 'Ajustes', heading: 'Ajustes', empty: null, file: 'ajustes' },
];

test('a person visits every section of a new installation', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('env-banner')).toContainText('SANDBOX');
  for (const s of SECTIONS) {
    await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: s.nav }).click();
    await expect(page.getByRole('heading', { level: 1, name: s.heading })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`#/${s.file}$`));
    if (s.empty) await expect(page.getByText(s.empty)).toBeVisible();
    await shot(page, `secao-${s.file}`);
  }
});

test('settings are saved and survive a reload', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Ajustes' }).click();
  const till = page.getByLabel('Nome do caixa');
  await till.fill('Caixa Loja Centro');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ajustes salvos.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Nome do caixa')).toHaveValue('Caixa Loja Centro');
  // Where the profile lives is a technical fact: under "Avançado", closed by default.
  await expect(page.getByText(host.profileDir)).toHaveCount(0);
  await page.getByRole('button', { name: /Avançado/ }).click();
  await expect(page.getByText(host.profileDir)).toBeVisible();
});

test('the host refuses a session without the run token', async ({ page, host }) => {
  const res = await page.goto(`${host.origin}/`);
  expect(res?.status()).toBe(401);
  await expect(page.getByText('Sessão não autorizada')).toBeVisible();
});
