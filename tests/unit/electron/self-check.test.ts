import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAGE_PROBE, SELF_CHECK_ENV, judgeProbe, runSelfCheck, selfCheckProfile } from '../../../main/electron/self-check';
import { FakeSafeStorage, asElectron, fake, until, type FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

let profile: string;
let lines: string[];
const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform');

beforeEach(() => {
  fake.reset();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-selfcheck-'));
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
});
afterEach(async () => {
  delete process.env[SELF_CHECK_ENV];
  if (realPlatform) Object.defineProperty(process, 'platform', realPlatform);
  vi.restoreAllMocks();
  if (fake.windows.length > 0 && fake.quits === 0) {
    fake.app.quit();
    await until(() => fake.quits > 0);
  }
  fs.rmSync(profile, { recursive: true, force: true });
});

/** Boot main.ts with the preload loaded into "the page", as Electron would for the window. */
async function bootWithPreload(): Promise<void> {
  vi.resetModules();
  await import('../../../main/electron/main');
  await import('../../../preload/index');
  fake.app.becomeReady();
}

describe('the self-check of smoke:electron, under the fake', () => {
  it('with PIXDESK_SELF_CHECK the page calls app:info through the preload and main exits 0', async () => {
    process.env[SELF_CHECK_ENV] = profile;
    await bootWithPreload();
    await until(() => fake.exitCodes.length > 0);
    expect(fake.app.getPath('userData')).toBe(profile);
    expect(fs.existsSync(path.join(profile, 'pixdesk.sqlite'))).toBe(true);
    expect(fake.scripts).toEqual([PAGE_PROBE]);
    expect(fake.rendererInvokes).toEqual(['pixdesk:app:info']);
    expect(fake.exitCodes).toEqual([0]);
    expect(lines).toContainEqual(expect.stringMatching(/^PIXDESK_SELF_CHECK ok version=45\.0\.0-fake keyBackend=safeStorage\/gnome_libsecret bridge=invoke,listPrinters,openDisplay,printSilently,shell,subscribe$/));
  });

  it('accepts basic_text without a dialog (temporary profile, nothing secret) and says so', async () => {
    process.env[SELF_CHECK_ENV] = profile;
    fake.keychain = new FakeSafeStorage(true, 'basic_text');
    Object.defineProperty(process, 'platform', { value: 'linux', configurable: true });
    await bootWithPreload();
    await until(() => fake.exitCodes.length > 0);
    expect(fake.dialogs).toEqual([]);
    expect(fake.exitCodes).toEqual([0]);
    expect(lines.join('\n')).toContain('keyBackend=safeStorage/basic_text');
  });

  it('fails (exit 1) when the page is not ours: the IPC check refuses it', async () => {
    process.env[SELF_CHECK_ENV] = profile;
    fake.preloadFrameUrl = 'https://evil.example/';
    await bootWithPreload();
    await until(() => fake.exitCodes.length > 0);
    expect(fake.exitCodes).toEqual([1]);
    expect(lines).toContainEqual('PIXDESK_SELF_CHECK fail app:info falhou: FORBIDDEN_SENDER');
  });

  it('fails (exit 1) when the preload exposed nothing', async () => {
    process.env[SELF_CHECK_ENV] = profile;
    vi.resetModules();
    await import('../../../main/electron/main');
    fake.app.becomeReady();
    await until(() => fake.exitCodes.length > 0);
    expect(fake.exitCodes).toEqual([1]);
    expect(lines).toContainEqual('PIXDESK_SELF_CHECK fail window.pixdesk ausente');
  });

  it('fails with a line, not a dialog, when the profile cannot open', async () => {
    process.env[SELF_CHECK_ENV] = profile;
    fake.keychain = new FakeSafeStorage(false);
    await bootWithPreload();
    await until(() => fake.exitCodes.length > 0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fake.errorBoxes).toEqual([]);
    expect(lines.some((l) => l.startsWith('PIXDESK_SELF_CHECK fail '))).toBe(true);
  });

  it('refuses a relative profile path (exit 2, nothing opened)', async () => {
    process.env[SELF_CHECK_ENV] = 'relative/profile';
    vi.resetModules();
    await import('../../../main/electron/main');
    expect(fake.exitCodes).toEqual([2]);
    expect(fake.privilegedSchemes).toEqual([]);
  });

  it('is off by default: a normal boot runs no probe and does not exit', async () => {
    fake.app.setPath('userData', profile);
    await bootWithPreload();
    await until(() => fake.windows.length > 0 && fake.windows[0]!.shown);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fake.scripts).toEqual([]);
    expect(fake.exitCodes).toEqual([]);
    expect(selfCheckProfile({})).toBeNull();
    expect(selfCheckProfile({ [SELF_CHECK_ENV]: '' })).toBeNull();
  });

  it('times out (exit 1) when the page never loads', async () => {
    vi.useFakeTimers();
    try {
      const Win = (await import('electron')).BrowserWindow as unknown as new (o: object) => FakeBrowserWindow;
      const win = new Win({});
      const exits: number[] = [];
      const verdict = runSelfCheck(asElectron<BrowserWindow>(win), { timeoutMs: 1000, exit: (c) => exits.push(c), report: (l) => lines.push(l) });
      await vi.advanceTimersByTimeAsync(1000);
      expect(await verdict).toEqual({ ok: false, reason: 'tempo esgotado' });
      expect(exits).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('judges the page answer strictly', () => {
    const good = { keys: ['invoke', 'shell', 'subscribe'], nodeVisible: false, href: 'app://pixdesk/index.html', info: { ok: true, value: { name: 'PixDesk', shell: 'electron', version: '1', keyBackend: 'x' } } };
    expect(judgeProbe(good).ok).toBe(true);
    expect(judgeProbe({ ...good, nodeVisible: true })).toEqual({ ok: false, reason: expect.stringContaining('Node visível') });
    expect(judgeProbe({ ...good, href: 'https://evil.example/' }).ok).toBe(false);
    expect(judgeProbe({ ...good, info: { ok: true, value: { name: 'PixDesk', shell: 'browser' } } }).ok).toBe(false);
    expect(judgeProbe({ ...good, info: { ok: false, error: { code: 'X' } } })).toEqual({ ok: false, reason: 'app:info falhou: X' });
    expect(judgeProbe(undefined).ok).toBe(false);
    expect(judgeProbe('ok').ok).toBe(false);
  });
});
