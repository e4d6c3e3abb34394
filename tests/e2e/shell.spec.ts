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
  // Which protection the keys have, in plain words; the key-file fallback says it is the weaker one and what to do.
  await expect(page.getByTestId('key-backend')).toContainText('Arquivo de chave do perfil');
  await expect(page.getByTestId('key-backend')).toContainText('pixdesk vault protect --with password');
  await shot(page, 'ajustes-protecao');
});

test('the contract needs a page session: no cookie, the token leaves the address bar, a second tab via handoff', async ({ page, host, context }) => {
  // A tab that never opened the launch address gets the app's files but nothing from the contract.
  const res = await page.goto(`${host.origin}/`);
  expect(res?.status()).toBe(200);
  await expect(page.getByText('A sessão expirou. Abra de novo o endereço impresso pelo PixDesk ao iniciar.', { exact: true })).toBeVisible();

  await page.goto(host.url);
  await expect(page.getByTestId('env-banner')).toContainText('SANDBOX');
  // The run token is gone from the address bar, and no cookie exists that other servers on 127.0.0.1 would get.
  await expect.poll(() => page.url()).toBe(`${host.origin}/`);
  expect(await context.cookies()).toEqual([]);
  expect(await page.locator('meta[name="pixdesk-session"]').count()).toBe(0);

  // A second tab (the customer screen, later) gets its own session through a one-time code from this page.
  const link = await page.evaluate(async () => {
    const secret = sessionStorage.getItem('pixdesk.session') ?? '';
    const r = await fetch('/session/handoff', { method: 'POST', headers: { 'X-PixDesk-Session': secret, 'Content-Type': 'application/json' }, body: '{}' });
    return ((await r.json()) as { value: { url: string } }).value.url;
  });
  const second = await context.newPage();
  await second.goto(`${host.origin}${link}#/ajustes`);
  await expect(second.getByRole('heading', { level: 1, name: 'Ajustes' })).toBeVisible();
  // What only the contract knows (app:info): the profile folder, under Avançado.
  await second.getByRole('button', { name: /Avançado/ }).click();
  await expect(second.getByText(host.profileDir)).toBeVisible();
  expect(second.url()).toBe(`${host.origin}/#/ajustes`);
  // The code worked once.
  const reused = await context.newPage();
  expect((await reused.goto(`${host.origin}${link}`))?.status()).toBe(401);
});
