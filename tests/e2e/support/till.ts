import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { startHost, type HostFixture } from './host';

/** The page's `window.pixdesk`, as the e2e code sees it. */
export type Bridge = { pixdesk: { invoke(op: string, input: unknown): Promise<unknown> } };

const root = path.resolve(__dirname, '..', '..', '..');
const cliPath = path.join(root, 'dist/main/cli.cjs');

/** The built CLI against a profile (the same binary a person runs). */
export function cli(profileDir: string, args: string[]): string {
  return execFileSync(process.execPath, [cliPath, ...args, '--profile', profileDir], {
    encoding: 'utf8',
    env: { ...process.env, PIXDESK_HOME: profileDir, PIXDESK_KEYCHAIN: 'off' },
  });
}

/** `pixdesk sandbox serve` on a free port, up once it printed its control URL (so faults can be set with the CLI). */
async function startSandbox(profileDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath, 'sandbox', 'serve', '--profile', profileDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PIXDESK_HOME: profileDir, PIXDESK_KEYCHAIN: 'off' },
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/control: \S+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${out}`)));
  });
  return child;
}

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
};

/**
 * A browser host whose sandbox runs as its own `pixdesk sandbox serve` (the host uses that instance), so the test can
 * set bank faults with `pixdesk sandbox faults set` while the app is running.
 */
export const test = base.extend<{ host: HostFixture }>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-till-'));
    const sandbox = await startSandbox(profileDir);
    const { url, child } = await startHost(profileDir);
    await use({ url, origin: new URL(url).origin, profileDir });
    await stop(child);
    await stop(sandbox);
    fs.rmSync(profileDir, { recursive: true, force: true });
  },
});

export { expect };

/**
 * Connect a sandbox account (the wizard's "Usar um token de teste do sandbox", through the same operations the
 * wizard calls; onboarding.spec.ts drives the wizard itself). The sandbox gives the account an EVP key, so it charges.
 */
export async function connectSandboxAccount(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const done = await page.evaluate(async () => {
    const b = (globalThis as unknown as Bridge).pixdesk;
    const s = (await b.invoke('onboarding:sandboxToken', {})) as { ok: boolean; value: { id: string } };
    const form = { name: 'Loja Centro', company: 'Padaria Pão Quente', city: 'São Paulo', state: 'SP', environment: 'sandbox' };
    return (await b.invoke('onboarding:run', { id: s.value.id, form })) as { ok: boolean; value: { step: string } };
  });
  expect(done).toMatchObject({ ok: true, value: { step: 'done' } });
}

/** Open the Caixa ("Cobrar") by its route, as a till bookmarked on `#/caixa` does. */
export async function openTill(page: Page): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/caixa'));
  await expect(page.getByRole('heading', { level: 2, name: 'Cobrar' })).toBeVisible();
  await expect(page.getByLabel('Valor', { exact: true })).toBeFocused();
}

/** F9 on the Caixa opens the customer display in a second tab (a one-time session handoff). */
export async function openDisplay(page: Page, context: BrowserContext): Promise<Page> {
  const [display] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('F9')]);
  await display.setViewportSize({ width: 1280, height: 720 });
  await expect(display.getByTestId('display')).toBeVisible();
  return display;
}
