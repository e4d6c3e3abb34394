import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { startBuiltHost } from '../../fixtures/start-host';

/** A running browser host on a fresh, temporary profile (the real built app, in a child process). */
export interface HostFixture {
  url: string;
  origin: string;
  profileDir: string;
}

const root = path.resolve(__dirname, '..', '..', '..');

/** Start `dist/main/host.cjs` on `profileDir` and wait for its launch URL. */
export function startHost(profileDir: string): Promise<{ url: string; child: ChildProcess }> {
  return startBuiltHost(path.join(root, 'dist/main/host.cjs'), profileDir, 20_000);
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
