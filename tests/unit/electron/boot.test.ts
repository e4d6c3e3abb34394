import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPS, channelOf } from '../../../main/core/contract/ops';
import { profileFiles } from '../../../main/core/profile';
import { FakeSafeStorage, fake, until } from './fake-electron';
import { DISPLAY_CHANNEL } from '../../../main/electron/display-channel';
import { PRINT_CHANNEL, PRINTERS_CHANNEL } from '../../../main/electron/print-channel';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

/** Boot main/electron/main.ts afresh (as Electron would load dist/main/electron.cjs) until it has a window or gave up. */
async function boot(): Promise<void> {
  vi.resetModules();
  await import('../../../main/electron/main');
  fake.app.becomeReady();
  await until(() => fake.windows.length > 0 || fake.exitCodes.length > 0);
}

/** Quit the way Electron does (before-quit) and wait until main closed the Core and let the quit through. */
async function quit(): Promise<void> {
  fake.app.quit();
  await until(() => fake.quits > 0);
}

interface AppInfoAnswer {
  ok: boolean;
  value?: { name: string; shell: string; keyBackend: string; profileDir: string };
  error?: { code: string };
}

const OWN_FRAME = 'app://pixdesk/index.html#/caixa';
const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform');
let profile: string;

beforeAll(() => {
  // The key-provider rules differ per platform; these tests describe the Linux ones (basic_text exists there).
  Object.defineProperty(process, 'platform', { value: 'linux' });
});
afterAll(() => {
  if (realPlatform) Object.defineProperty(process, 'platform', realPlatform);
});

beforeEach(() => {
  fake.reset();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-electron-'));
  fake.app.setPath('userData', profile);
});
afterEach(async () => {
  if (fake.windows.length > 0 && fake.quits === 0) await quit();
  fs.rmSync(profile, { recursive: true, force: true });
});

describe('main.ts boots to its window', () => {
  it('registers the app:// scheme before ready, opens the real profile and creates one hardened window', async () => {
    await boot();
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fs.existsSync(path.join(profile, profileFiles.appDb))).toBe(true);
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(path.isAbsolute(String(prefs.preload))).toBe(true);
    expect(String(prefs.preload).endsWith(path.join('preload', 'index.cjs'))).toBe(true);
    expect(win.loadedUrls).toEqual(['app://pixdesk/index.html']);
    await until(() => win.shown);
    expect(fake.menu?.template.length).toBeGreaterThan(0);
    expect(fake.permissionRequest).not.toBeNull();
  });

  it('answers app:info to its own page and FORBIDDEN_SENDER to every foreign frame', async () => {
    await boot();
    const own = (await fake.invoke(OWN_FRAME, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(own.ok).toBe(true);
    expect(own.value).toMatchObject({ name: 'PixDesk', shell: 'electron', keyBackend: 'safeStorage/gnome_libsecret', profileDir: profile });
    for (const foreign of ['https://evil.example/', 'file:///home/user/index.html', 'app://evil/index.html', 'app://pixdesk.evil/index.html', 'about:blank', '']) {
      const answer = (await fake.invoke(foreign, channelOf('app:info'), {})) as AppInfoAnswer;
      expect(answer, foreign).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) } });
    }
    const gone = (await fake.invoke(null, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(gone.error?.code).toBe('FORBIDDEN_SENDER');
  });

  it('registers exactly one handler per operation (plus the customer display and printing), each behind the sender check', async () => {
    await boot();
    expect([...fake.handlers.keys()].sort()).toEqual([...OPS.map(channelOf), DISPLAY_CHANNEL, PRINTERS_CHANNEL, PRINT_CHANNEL].sort());
    for (const op of OPS) {
      const answer = (await fake.invoke('https://evil.example/', channelOf(op), {})) as AppInfoAnswer;
      expect(answer.error?.code, op).toBe('FORBIDDEN_SENDER');
    }
    expect(await fake.invoke('https://evil.example/', DISPLAY_CHANNEL)).toBe(false);
    expect(await fake.invoke('https://evil.example/', PRINTERS_CHANNEL)).toEqual([]);
    expect(await fake.invoke('https://evil.example/', PRINT_CHANNEL)).toEqual({ ok: false, reason: 'forbidden-sender' });
  });

  it('silent printing uses the printer saved in the settings through the contract', async () => {
    await boot();
    fake.printers = [{ name: 'EPSON_TM_T20', displayName: 'Epson TM-T20' }];
    expect(await fake.invoke(OWN_FRAME, PRINT_CHANNEL)).toEqual({ ok: false, reason: 'no-printer' });
    expect(await fake.invoke(OWN_FRAME, channelOf('settings:set'), { printerName: 'EPSON_TM_T20' })).toMatchObject({ ok: true });
    expect(await fake.invoke(OWN_FRAME, PRINT_CHANNEL)).toEqual({ ok: true });
    expect(fake.printJobs.map((j) => j.options)).toEqual([{ silent: true, deviceName: 'EPSON_TM_T20', printBackground: true }]);
  });

  it('closes the Core on quit (database released) before letting the quit through', async () => {
    await boot();
    const before = (await fake.invoke(OWN_FRAME, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(before.ok).toBe(true);
    const keychain = fake.keychain;
    await quit();
    // app:info reads the database: once the Core closed it, the call fails (generically, no stack).
    const after = (await fake.invoke(OWN_FRAME, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(after.ok).toBe(false);
    // And the same profile opens again under the same keychain.
    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = keychain;
    await boot();
    expect(fake.windows).toHaveLength(1);
  });

  it('a second instance quits without opening the profile', async () => {
    fake.singleInstance = false;
    vi.resetModules();
    await import('../../../main/electron/main');
    fake.app.becomeReady();
    await until(() => fake.quits > 0);
    expect(fake.windows).toHaveLength(0);
    expect(fs.existsSync(path.join(profile, profileFiles.appDb))).toBe(false);
  });
});

describe('main.ts and the keychain', () => {
  it('refuses to start when encryption is unavailable, with a pt-BR error box', async () => {
    fake.keychain = new FakeSafeStorage(false);
    await boot();
    expect(fake.windows).toHaveLength(0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fake.errorBoxes[0]?.content).toMatch(/chaveiro/);
  });

  it('basic_text: "Sair" stops before any database exists', async () => {
    fake.keychain = new FakeSafeStorage(true, 'basic_text');
    fake.dialogAnswers = [0];
    await boot();
    expect(fake.dialogs[0]?.title).toBe('Chaveiro do sistema indisponível');
    expect(fake.windows).toHaveLength(0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fs.existsSync(path.join(profile, profileFiles.appDb))).toBe(false);
  });

  it('basic_text: "Continuar mesmo assim" is recorded in the profile and not asked again', async () => {
    const keychain = new FakeSafeStorage(true, 'basic_text');
    fake.keychain = keychain;
    fake.dialogAnswers = [1];
    await boot();
    expect(fake.windows).toHaveLength(1);
    const info = (await fake.invoke(OWN_FRAME, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(info.value?.keyBackend).toBe('safeStorage/basic_text');
    expect(fs.existsSync(path.join(profile, 'vault.acceptBasicText.flag'))).toBe(true);
    await quit();

    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = keychain;
    await boot();
    expect(fake.dialogs).toHaveLength(0);
    expect(fake.windows).toHaveLength(1);
  });

  it('a changed backend cannot open the old wrapping: it offers to reopen on the previous keychain, opening nothing now', async () => {
    const first = new FakeSafeStorage(true, 'gnome_libsecret');
    fake.keychain = first;
    await boot();
    await quit();

    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = new FakeSafeStorage(true, 'kwallet5');
    fake.dialogAnswers = [1];
    await boot();
    expect(fake.dialogs.map((d) => d.title)).toEqual(['O chaveiro do sistema mudou']);
    expect(String(fake.dialogs[0]?.message)).toContain('gnome_libsecret');
    expect(fake.dialogs[0]?.buttons).toEqual(['Sair', 'Reabrir com o chaveiro anterior']);
    expect(fake.windows).toHaveLength(0);
    expect(fake.handlers.size).toBe(0);
    expect(fake.relaunches).toHaveLength(1);
    expect(fake.relaunches[0]).toContain('--password-store=gnome-libsecret');
    expect(fake.exitCodes).toEqual([0]);
    expect(fake.errorBoxes).toEqual([]);

    // Relaunched on the previous keychain, the profile opens as before.
    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = first;
    await boot();
    const info = (await fake.invoke(OWN_FRAME, channelOf('app:info'), {})) as AppInfoAnswer;
    expect(info.value?.keyBackend).toBe('safeStorage/gnome_libsecret');
  });

  it('a changed backend that was already retried only explains and quits', async () => {
    fake.keychain = new FakeSafeStorage(true, 'gnome_libsecret');
    await boot();
    await quit();

    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = new FakeSafeStorage(true, 'kwallet5');
    const argv = process.argv;
    process.argv = [...argv, '--password-store=gnome-libsecret'];
    try {
      await boot();
    } finally {
      process.argv = argv;
    }
    expect(fake.dialogs[0]?.buttons).toEqual(['Sair']);
    expect(fake.relaunches).toEqual([]);
    expect(fake.exitCodes).toEqual([1]);
  });

  it('a changed backend asks; "Sair" opens nothing', async () => {
    const first = new FakeSafeStorage(true, 'gnome_libsecret');
    fake.keychain = first;
    await boot();
    await quit();

    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = first.withBackend('kwallet5');
    fake.dialogAnswers = [0];
    await boot();
    expect(fake.windows).toHaveLength(0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fake.errorBoxes[0]?.content).toContain('gnome_libsecret');
  });

  it('another keychain (same backend name, other key) cannot open the profile', async () => {
    fake.keychain = new FakeSafeStorage(true, 'gnome_libsecret');
    await boot();
    await quit();

    fake.reset();
    fake.app.setPath('userData', profile);
    fake.keychain = new FakeSafeStorage(true, 'gnome_libsecret');
    await boot();
    expect(fake.windows).toHaveLength(0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fake.errorBoxes[0]?.content).toMatch(/outro usuário ou outra máquina/);
  });
});
