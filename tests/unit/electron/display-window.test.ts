import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DISPLAY_CHANNEL } from '../../../main/electron/display-channel';
import { DISPLAY_ROUTE, openDisplayWindow, registerDisplayIpc, resetDisplayWindow } from '../../../main/electron/display-window';
import { sessionOf } from '../../../main/electron/ipc';
import { createWindow } from '../../../main/electron/window';
import { asFake, fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

beforeEach(() => {
  fake.reset();
  resetDisplayWindow();
});

describe('customer display window', () => {
  it('one monitor: a normal window on #/display the cashier can drag, with the security checklist', () => {
    const win = asFake(openDisplayWindow());
    expect(win.options.fullscreen).toBe(false);
    expect(win.options.x).toBeUndefined();
    expect(win.loadedUrls).toEqual([`app://pixdesk/index.html${DISPLAY_ROUTE}`]);
    expect(win.options.webPreferences).toEqual(asFake(createWindow()).options.webPreferences);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' });
    // Guarded like every window: nothing opens inside the app.
    expect(win.webContents.tryOpenWindow('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('a second monitor: full screen on it, not on the primary', () => {
    fake.displays = [
      { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
      { id: 7, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } },
    ];
    const win = asFake(openDisplayWindow());
    expect(win.options).toMatchObject({ fullscreen: true, x: 1920, y: 0, width: 1280, height: 1024 });
  });

  it('asked again: the open display comes forward, no second one', () => {
    const a = asFake(openDisplayWindow());
    const b = asFake(openDisplayWindow());
    expect(b).toBe(a);
    expect(a.focused).toBe(true);
    expect(fake.windows).toHaveLength(1);
    // Closed: the next request opens a new one.
    a.destroy();
    expect(asFake(openDisplayWindow())).not.toBe(a);
  });

  it('over IPC: our page opens it; a foreign frame gets false and no window', async () => {
    asFake(createWindow());
    registerDisplayIpc();
    expect(await fake.invoke('https://evil.example/', DISPLAY_CHANNEL)).toBe(false);
    expect(fake.windows).toHaveLength(1);
    expect(await fake.invoke('app://pixdesk/index.html#/caixa', DISPLAY_CHANNEL)).toBe(true);
    expect(fake.windows).toHaveLength(2);
    expect(fake.windows[1]!.loadedUrls).toEqual(['app://pixdesk/index.html#/display']);
  });

  it("the display acts with the opener's login: it hears that cashier's charges, and a lock of the opener ends both", async () => {
    const cashierWin = asFake(createWindow());
    registerDisplayIpc();
    const cashier = sessionOf(cashierWin.webContents);
    cashier.logIn({ id: 'u-caio', name: 'Caio', role: 'cashier' }, Date.now());
    expect(await fake.invoke('app://pixdesk/index.html#/caixa', DISPLAY_CHANNEL)).toBe(true);
    const display = fake.windows[1]!;
    expect(sessionOf(display.webContents)).toBe(cashier);
    expect(sessionOf(display.webContents).user?.name).toBe('Caio');
    cashier.lock();
    expect(sessionOf(display.webContents).user).toBeNull();
    // Another window still logs in on its own.
    const other = asFake(createWindow());
    expect(sessionOf(other.webContents)).not.toBe(cashier);
  });

  it('the preload exposes openDisplay on its own channel', async () => {
    asFake(createWindow());
    registerDisplayIpc();
    vi.resetModules();
    await import('../../../preload/index');
    const bridge = fake.mainWorld.get('pixdesk') as { openDisplay(): Promise<boolean> };
    expect(await bridge.openDisplay()).toBe(true);
    expect(fake.rendererInvokes).toEqual([DISPLAY_CHANNEL]);
  });
});
