import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isAppUrl } from '../../../main/electron/origin';
import { FORBIDDEN_SENDER, registerIpc, senderIsOurs } from '../../../main/electron/ipc';
import { ALLOWED_PERMISSIONS, createWindow, hardenContents, lockDownSession } from '../../../main/electron/window';
import { channelOf } from '../../../main/core/contract/ops';
import type { WebContents } from 'electron';
import { asElectron, asFake, fake, fakeEvent, type FakeWebContents } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

/** URLs of the app itself, as Chromium reports them (canonical). */
const OWN = ['app://pixdesk/', 'app://pixdesk/index.html', 'app://pixdesk/index.html#/caixa', 'app://pixdesk/index.html?x=1#/contas', 'app://pixdesk/assets/index-abc.js'];

/** Everything that must never count as our origin. */
const HOSTILE = [
  'https://evil.example/',
  'http://pixdesk/',
  'https://pixdesk/',
  'app://evil/index.html',
  'app://pixdesk.evil/index.html',
  'app://pixdesk.evil',
  'app://pixdeskevil/',
  'app://evil.pixdesk/',
  'app://pixdesk@evil/',
  'app://user:pass@pixdesk/',
  'app://pixdesk:80/',
  'app://pixdesk:/',
  'APP://PIXDESK/index.html',
  'app://PIXDESK/',
  'app://pixdesk',
  'app:pixdesk/index.html',
  'app:/pixdesk/index.html',
  'app:///pixdesk/index.html',
  'app://%70ixdesk/',
  'app://pixdesk%2eevil/',
  'app://pixdesk\\@evil/',
  'app://pix\tdesk/',
  'app://pix\ndesk/',
  ' app://pixdesk/',
  'app://pixdesk/\u0000',
  'file:///home/user/pixdesk/index.html',
  'file://pixdesk/index.html',
  'javascript:alert(1)//app://pixdesk/',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://pixdesk/1b6e8f0c-2f1a-4c1e-9a7e-1234567890ab',
  'about:blank',
  'about:srcdoc',
  'devtools://devtools/bundled/inspector.html',
  'chrome://settings',
  'chrome-extension://abc/index.html',
  'view-source:app://pixdesk/index.html',
  '',
  'null',
];

describe('isAppUrl', () => {
  it.each(OWN)('accepts our own page %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });
  it.each(HOSTILE)('refuses %j', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
  it('refuses values that are not strings, and absurdly long ones', () => {
    for (const v of [undefined, null, 42, {}, ['app://pixdesk/'], new URL('app://pixdesk/')]) expect(isAppUrl(v)).toBe(false);
    expect(isAppUrl(`app://pixdesk/${'a'.repeat(10_000)}`)).toBe(false);
  });
});

describe('the IPC sender check', () => {
  beforeEach(() => fake.reset());

  it('knows our frame from a foreign or vanished one', () => {
    expect(senderIsOurs({ senderFrame: { url: 'app://pixdesk/index.html#/caixa' } as never })).toBe(true);
    expect(senderIsOurs({ senderFrame: null })).toBe(false);
    for (const url of HOSTILE) expect(senderIsOurs({ senderFrame: { url } as never }), url).toBe(false);
  });

  it('a registered handler dispatches only for our frame; a foreign frame never reaches the dispatcher', async () => {
    const calls: unknown[] = [];
    registerIpc(async (op, input) => {
      calls.push([op, input]);
      return { ok: true, value: 'dispatched' };
    });
    expect(await fake.invoke('app://pixdesk/index.html#/caixa', channelOf('app:info'), {})).toEqual({ ok: true, value: 'dispatched' });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://evil/', 'app://pixdesk@evil/']) {
      expect(await fake.invoke(url, channelOf('app:info'), {})).toEqual(FORBIDDEN_SENDER);
    }
    expect(calls).toEqual([['app:info', {}]]);
  });
});

describe('navigation, new windows and webviews', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    fake.reset();
    contents = asFake(createWindow()).webContents;
  });

  it('lets the window move inside our origin', () => {
    for (const url of OWN) {
      expect(contents.tryNavigate(url), url).toBe(true);
      expect(contents.tryNavigate(url, 'will-redirect'), url).toBe(true);
    }
  });

  it.each(HOSTILE)('blocks navigation and redirects to %j', (url) => {
    expect(contents.tryNavigate(url)).toBe(false);
    expect(contents.tryNavigate(url, 'will-redirect')).toBe(false);
  });

  it('denies every new window; only an allow-listed https link goes to the system browser', () => {
    for (const url of [...HOSTILE, ...OWN, 'https://devportal.itau.com.br/']) {
      expect(contents.tryOpenWindow(url), url).toEqual({ action: 'deny' });
    }
    expect(fake.opened).toEqual(['https://devportal.itau.com.br/']);
  });

  it('prevents attaching a <webview>', () => {
    expect(contents.tryAttachWebview()).toBe(false);
  });

  it('the web-contents-created rule of main covers contents the window factory never saw', () => {
    // Same function main.ts registers on app 'web-contents-created'.
    const stray = fake.newContents();
    hardenContents(asElectron<WebContents>(stray));
    expect(stray.tryOpenWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(stray.tryNavigate('https://evil.example/')).toBe(false);
    expect(stray.tryAttachWebview()).toBe(false);
  });
});

describe('permissions', () => {
  beforeEach(() => {
    fake.reset();
    lockDownSession();
  });

  const PERMISSIONS = [
    'clipboard-read',
    'clipboard-sanitized-write',
    'media',
    'display-capture',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'openExternal',
    'serial',
    'usb',
    'hid',
    'idle-detection',
    'window-management',
    'unknown',
    'storage-access',
    'fileSystem',
  ];

  it('grants only clipboard-sanitized-write, on request and on check', () => {
    expect([...ALLOWED_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
    for (const permission of PERMISSIONS) {
      let granted: boolean | undefined;
      fake.permissionRequest!(null, permission, (ok) => (granted = ok), { requestingUrl: 'app://pixdesk/index.html' });
      expect(granted, permission).toBe(permission === 'clipboard-sanitized-write');
      expect(fake.permissionCheck!(null, permission, 'app://pixdesk', {}), permission).toBe(permission === 'clipboard-sanitized-write');
    }
  });
});

describe('main.ts registers the guards for all contents', () => {
  it('web-contents-created denies windows, foreign navigation and webviews for any contents', async () => {
    fake.reset();
    vi.resetModules();
    await import('../../../main/electron/main');
    // Not ready yet: only the module-level registrations ran; a contents appears (e.g. devtools).
    const created = fake.newContents();
    expect(created.tryOpenWindow('https://evil.example/')).toBeNull();
    fake.app.emit('web-contents-created', fakeEvent(), created);
    expect(created.tryOpenWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(created.tryNavigate('https://evil.example/')).toBe(false);
    expect(created.tryNavigate('app://pixdesk/index.html')).toBe(true);
    expect(created.tryAttachWebview()).toBe(false);
  });
});
