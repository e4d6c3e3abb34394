import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { AccountsPage, issueSandboxSheet } from './support/accounts';
import { expect, test } from './support/host';
import { profileSecrets } from './support/profile-secrets';

const root = path.resolve(__dirname, '..', '..');
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;

test.afterEach(async ({ context }) => {
  await context.close();
});

/** Listen to the host's event stream (SSE) as the page's own session, keeping every byte. */
function recordEvents(origin: string, session: string): { text: () => string; stop: () => void } {
  let buf = '';
  const req = http.get(`${origin}/events`, { headers: { 'X-PixDesk-Session': session, Origin: origin, Accept: 'text/event-stream' } }, (res) => {
    res.on('data', (c: Buffer) => (buf += c.toString()));
  });
  req.on('error', () => undefined);
  return { text: () => buf, stop: () => req.destroy() };
}

test('no private key, client secret, temporary token or access token in any response, event, HTTP body or log line', async ({ page, host }) => {
  test.setTimeout(90_000);
  const responses: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.postData() ?? ''));
  page.on('response', (r) => {
    if (r.url().includes('/events')) return; // the stream is recorded on its own below
    void r.text().then((t) => responses.push(`${r.url()}\n${t}`), () => undefined);
  });

  const sheet = issueSandboxSheet(host.profileDir);
  const ui = new AccountsPage(page);
  await ui.open(host.url);
  const session = await page.evaluate(() => sessionStorage.getItem('pixdesk.session'));
  expect(session).toBeTruthy();
  const events = recordEvents(host.origin, session!);

  // Onboarding through the screens.
  await ui.onboard(sheet.file, sheet.clientId, { company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'Sandbox' });

  // Charges through the page's own bridge (the same HTTP contract the screens use): create, pay, refund, cancel.
  const invoke = (op: string, input: unknown) => page.evaluate(([o, i]) => (window as unknown as { pixdesk: { invoke(op: string, i: unknown): Promise<unknown> } }).pixdesk.invoke(o as string, i), [op, input] as const) as Promise<{ ok: boolean; value: Record<string, unknown> }>;
  const c1 = await invoke('charges:create', { amountCents: 1500, description: 'pão' });
  expect(c1.ok).toBe(true);
  execFileSync(process.execPath, [path.join(root, 'dist/main/cli.cjs'), 'sandbox', 'pay', String(c1.value.brCode), '--profile', host.profileDir], { encoding: 'utf8' });
  await expect.poll(async () => (await invoke('charges:get', { id: c1.value.id })).value.status, { timeout: 20_000 }).toBe('paid');
  expect((await invoke('charges:refund', { id: c1.value.id, amountCents: 500 })).ok).toBe(true);
  const c2 = await invoke('charges:create', { amountCents: 700 });
  expect((await invoke('charges:cancel', { id: c2.value.id })).ok).toBe(true);
  for (const section of ['Cobranças', 'Caixa', 'Contas', 'Ajustes', 'Auditoria']) {
    await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: section }).click();
  }
  await page.waitForLoadState('networkidle');
  events.stop();

  const log = fs.readFileSync(path.join(host.profileDir, 'logs', 'pixdesk.log'), 'utf8');
  const secrets = profileSecrets(host.profileDir, [sheet.file]);
  expect(secrets.map((s) => s.label).sort()).toEqual(['client secret', 'private key PEM', 'private key body', 'temporary token'].sort());
  const channels = { responses: responses.join('\n'), events: events.text(), log, requests: requests.join('\n') };
  console.log(`recorded: ${responses.length} responses, ${events.text().length} bytes of events, ${log.split('\n').length} log lines, ${requests.length} requests; ${secrets.length} secrets checked`);
  expect(responses.length).toBeGreaterThan(20);
  expect(events.text()).toContain('charge:');
  expect(log).toContain('profile opened');

  for (const s of secrets) {
    for (const [name, text] of Object.entries(channels)) {
      // What the person uploaded (the sheet holding the token) necessarily travels in a request: not a leak.
      if (name === 'requests' && s.label === 'temporary token') continue;
      expect(text.includes(s.value), `${s.label} in ${name}`).toBe(false);
    }
  }
  // Access tokens (and any other JWT, the temporary token included) never appear, whatever their value.
  for (const name of ['responses', 'events', 'log'] as const) expect(JWT.exec(channels[name])?.[0] ?? null, `a JWT in ${name}`).toBeNull();
});
