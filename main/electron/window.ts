import { BrowserWindow, session, type Session, type WebContents } from 'electron';
import path from 'node:path';
import { isAppUrl } from './origin';
import { appPageUrl } from './protocol';
import { openExternalSafely } from './safe-shell';

export { isAppUrl } from './origin';

/** The only permission the app uses: writing a Pix Copia e Cola to the clipboard (never reading it). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Deny every other permission request (camera, notifications, clipboard-read, …) for the session. */
export function lockDownSession(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  target.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/**
 * Guards for every web contents the app ever has (applied from `web-contents-created`, so a contents not
 * made by `createWindow` is covered too): nothing opens a window inside the app — an allowed https link
 * goes to the system browser through the safe-shell allow-list — no navigation or redirect leaves our
 * origin, and no <webview> is attached.
 */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Create a window with the Electron security checklist applied. `route` selects the screen (e.g. "#/caixa/display"). */
export function createWindow(opts: { route?: string; title?: string; fullscreen?: boolean; bounds?: { x: number; y: number; width: number; height: number } } = {}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    // A window placed on a given monitor (the customer display): its position decides where full screen happens.
    ...(opts.bounds ?? {}),
    minWidth: 960,
    minHeight: 640,
    title: opts.title ?? 'PixDesk',
    fullscreen: opts.fullscreen ?? false,
    show: false,
    // The security checklist of every window, written out here (not built by a helper) so the static checker
    // (electronegativity, `npm run lint:electron`) reads the very flags the window gets; asserted by tests/unit/electron.
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // A middle click would otherwise open links as new windows without passing the window-open handler's checks.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Also applied by main.ts for every contents; repeated here so a window is safe on its own.
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appPageUrl(opts.route ?? ''));
  return win;
}
