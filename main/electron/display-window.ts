import { ipcMain, screen, type BrowserWindow } from 'electron';
import { DISPLAY_CHANNEL } from './display-channel';
import { senderIsOurs, shareSession } from './ipc';
import { createWindow } from './window';

/** The customer display route (renderer/display/DisplayScreen.tsx): no navigation, no admin data. */
export const DISPLAY_ROUTE = '#/display';

let display: BrowserWindow | null = null;

/**
 * Open the customer display, or bring the open one forward. With a second monitor it goes full screen there
 * (the first display that is not the primary); with one monitor it is a normal window the cashier drags to
 * wherever the customer looks.
 */
export function openDisplayWindow(): BrowserWindow {
  if (display && !display.isDestroyed()) {
    display.focus();
    return display;
  }
  const primary = screen.getPrimaryDisplay();
  const other = screen.getAllDisplays().find((d) => d.id !== primary.id);
  const title = 'PixDesk — Tela do cliente';
  display = other
    ? createWindow({ route: DISPLAY_ROUTE, title, fullscreen: true, bounds: { ...other.bounds } })
    : createWindow({ route: DISPLAY_ROUTE, title, fullscreen: false });
  return display;
}

/** The display's IPC handler: only our own page may ask, and the answer is only whether it opened. */
export function registerDisplayIpc(): void {
  ipcMain.handle(DISPLAY_CHANNEL, (event) => {
    if (!senderIsOurs(event)) return false;
    const win = openDisplayWindow();
    shareSession(event.sender, win.webContents);
    return true;
  });
}

/** For tests: forget the window (each test starts with a fresh fake). */
export function resetDisplayWindow(): void {
  display = null;
}
