import { BrowserWindow, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { APP_ORIGIN } from './protocol';

/** True when a URL belongs to the app's own origin (the custom protocol), never file:// or the web. */
export function isAppUrl(raw: string): boolean {
  try {
    return new URL(raw).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** The only permission the app uses: writing a Pix Copia e Cola to the clipboard (never reading it). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Deny every other permission request (camera, notifications, clipboard-read, …) for all sessions. */
export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
}

function guardNavigation(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // External links (help pages) open in the system browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
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
export function createWindow(opts: { route?: string; title?: string; fullscreen?: boolean } = {}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    title: opts.title ?? 'PixDesk',
    fullscreen: opts.fullscreen ?? false,
    show: false,
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
    },
  });
  guardNavigation(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html${opts.route ?? ''}`);
  return win;
}
