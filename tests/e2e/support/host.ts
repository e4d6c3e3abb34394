import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';

/** A running browser host on a fresh, temporary profile (the real built app, in a child process). */
export interface HostFixture {
  url: string;
  origin: string;
  profileDir: string;
}

const root = path.resolve(__dirname, '..', '..', '..');

/** Start `dist/main/host.cjs` and wait for the line with its launch URL (an app event, not a sleep). */
export async function startHost(profileDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, 'dist/main/host.cjs'), '--profile', profileDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PIXDESK_HOME: profileDir, PIXDESK_KEYCHAIN: 'off', PIXDESK_API_PORT: '0' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /pronto em: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${out}`)));
  });
  return { url, child };
}

export const test = base.extend<{ host: HostFixture }>({
  // Playwright fixtures must destructure their dependencies; this one has none.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-e2e-'));
    const { url, child } = await startHost(profileDir);
    await use({ url, origin: new URL(url).origin, profileDir });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(profileDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

/** Where screenshots of each screen are kept for review. */
export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(root, 'tests/e2e/screenshots', `${name}.png`), fullPage: true });
}
