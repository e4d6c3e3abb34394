import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './support/host';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const root = path.resolve(__dirname, '..', '..');
const cliJs = path.join(root, 'dist/main/cli.cjs');

/** `pixdesk …` on the test's profile (the same profile the browser host has open). */
function cli(profileDir: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [cliJs, ...args, '--profile', profileDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pixdesk ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `pixdesk api serve` in a child process; resolves with its printed base URL. */
async function serve(profileDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cliJs, 'api', 'serve', '--port', '0', '--profile', profileDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`api serve did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  });
  return { url, child };
}

/** What a partner's `curl -H "Authorization: $APPID" URL` sees. */
async function curl(url: string, appId: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(url, { method: init.method ?? 'GET', headers: { authorization: appId, 'content-type': 'application/json' }, ...(init.body ? { body: JSON.stringify(init.body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function openApps(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Apps de API' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Apps de API' })).toBeVisible();
}

test('Apps de API: Nova API → AppID once → it works on the local API → regenerate → revoke', async ({ page, host }) => {
  // A sandbox account, so the app's charges have somewhere to go.
  const sheet = path.join(host.profileDir, 'token.xlsx');
  cli(host.profileDir, 'sandbox', 'issue-token', '--out', sheet);
  cli(host.profileDir, 'accounts', 'add', '--excel', sheet, '--company', 'Padaria Pão Quente', '--city', 'São Paulo', '--state', 'SP', '--env', 'sandbox');
  const api = await serve(host.profileDir);
  try {
    await openApps(page, host.url);
    await expect(page.getByText('Nenhum app de API criado')).toBeVisible();
    await shot(page, 'apps-vazio');

    await page.getByRole('button', { name: 'Nova API' }).click();
    const dlg = page.getByTestId('new-app-dialog');
    await dlg.getByRole('button', { name: 'Criar app' }).click();
    await expect(dlg.getByRole('alert')).toHaveText('Dê um nome ao app.');
    await dlg.getByLabel('Nome do app').fill('ERP da loja');
    await dlg.getByLabel('Tipo').selectOption('POS');
    await dlg.getByLabel('Devoluções').check();
    await dlg.getByLabel('Webhooks').check();
    await shot(page, 'apps-nova-api');
    await dlg.getByRole('button', { name: 'Criar app' }).click();

    const shown = page.getByTestId('appid-dialog');
    await expect(shown).toBeVisible();
    await expect(shown).toContainText('uma única vez');
    const appId = await shown.getByTestId('appid-value').inputValue();
    expect(appId).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    await shown.getByRole('button', { name: 'Copiar AppID' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(appId);
    await shot(page, 'apps-appid-uma-vez');
    await shown.getByRole('button', { name: 'Já guardei o AppID' }).click();
    await expect(shown).toHaveCount(0);
    // Never shown again: not in the page any more.
    expect(await page.content()).not.toContain(appId);

    // The partner's side: curl-equivalent requests with the AppID. Its webhook points at a port nobody listens on.
    const hook = await curl(`${api.url}/api/v1/webhook`, appId, { method: 'POST', body: { webhook: { name: 'ERP', event: 'OPENPIX:CHARGE_CREATED', url: 'http://127.0.0.1:9/pix', isActive: true } } });
    expect(hook.status).toBe(200);
    const made = await curl(`${api.url}/api/v1/charge`, appId, { method: 'POST', body: { correlationID: 'pedido-e2e', value: 1990, comment: 'Pedido e2e' } });
    expect(made.status).toBe(200);
    const charge = made.json.charge as { status: string; paymentLinkUrl: string; brCode: string };
    expect(charge.status).toBe('ACTIVE');
    expect((await curl(`${api.url}/api/v1/charge/pedido-e2e`, appId)).status).toBe(200);
    expect((await curl(`${api.url}/api/v1/charge`, 'AppID-errado')).status).toBe(401);

    // The payment link turns to "Pago" by itself once the customer pays.
    const pay = await page.context().newPage();
    await pay.goto(charge.paymentLinkUrl);
    await expect(pay.getByText('R$ 19,90')).toBeVisible();
    await expect(pay.getByLabel('QR Code Pix').locator('svg')).toBeVisible();
    await shot(pay, 'pagamento-link-aguardando');
    cli(host.profileDir, 'sandbox', 'pay', charge.brCode);
    await expect(pay.getByRole('status').filter({ hasText: 'Pago' })).toBeVisible({ timeout: 20_000 });
    await shot(pay, 'pagamento-link-pago');
    await pay.close();

    // Use is counted on the card (the server writes counts once a second).
    await expect(async () => {
      await openApps(page, host.url);
      await expect(page.getByTestId('app-usage')).toContainText('3 requisições', { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expect(page.getByTestId('app-usage')).toContainText('Último uso');
    await shot(page, 'apps-lista');
    // The delivery log: the CHARGE_CREATED webhook failed (no one listening) and waits for its next attempt.
    await page.getByRole('button', { name: 'Entregas de webhook' }).click();
    const log = page.getByTestId('delivery-log');
    await expect(log).toContainText('CHARGE_CREATED');
    await expect(log).toContainText('aguardando nova tentativa');
    await expect(log).toContainText('sem conexão com o destino');
    await shot(page, 'apps-entregas-webhook');

    // Regenerate: the old AppID stops at once, the new one works.
    await page.getByRole('button', { name: 'Gerar novo AppID' }).click();
    await expect(page.getByRole('alertdialog')).toContainText('para de funcionar na hora');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Gerar novo AppID' }).click();
    const fresh = await page.getByTestId('appid-value').inputValue();
    expect(fresh).not.toBe(appId);
    await page.getByRole('button', { name: 'Já guardei o AppID' }).click();
    expect((await curl(`${api.url}/api/v1/charge`, appId)).status).toBe(401);
    expect((await curl(`${api.url}/api/v1/charge`, fresh)).status).toBe(200);

    // Revoke, with confirmation.
    await page.getByRole('button', { name: 'Revogar' }).click();
    await shot(page, 'apps-revogar-confirmacao');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revogar' }).click();
    await expect(page.getByTestId('app-card')).toContainText('Revogado');
    expect((await curl(`${api.url}/api/v1/charge`, fresh)).status).toBe(401);
    await shot(page, 'apps-revogado');
  } finally {
    api.child.kill('SIGTERM');
    await new Promise((r) => api.child.once('exit', r));
  }
});
