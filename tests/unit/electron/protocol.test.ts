import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CSP } from '../../../main/core/security/csp';
import { CSP as HOST_CSP, SECURITY_HEADERS } from '../../../main/host/guards';
import { registerSchemePrivileges, resolveRendererFile, serveRenderer } from '../../../main/electron/protocol';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

let base: string;
let root: string;
const SECRET = 'segredo-fora-do-renderer';

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>PixDesk</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("pixdesk")');
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  // A sibling folder whose name starts like the root: "renderer-evil" must not pass a prefix check.
  fs.mkdirSync(path.join(base, 'renderer-evil'));
  fs.writeFileSync(path.join(base, 'renderer-evil', 'x.js'), SECRET);
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link-out.txt'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

beforeEach(() => {
  fake.reset();
  serveRenderer(root);
});

async function get(url: string, method = 'GET'): Promise<Response> {
  const handler = fake.protocolHandlers.get('app');
  if (!handler) throw new Error('app: not handled');
  return handler(new Request(url, { method }));
}

describe('the app:// protocol', () => {
  it('registers app as a standard, secure scheme', () => {
    fake.reset();
    registerSchemePrivileges();
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer with the shared CSP and nosniff', async () => {
    for (const url of ['app://pixdesk/', 'app://pixdesk/index.html', 'app://pixdesk/index.html?v=1']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toContain('<title>PixDesk</title>');
      expect(res.headers.get('Content-Security-Policy')).toBe(CSP);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Content-Type')).toBe('text/html');
    }
    const js = await get('app://pixdesk/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toBe('text/javascript');
    expect(js.headers.get('Content-Security-Policy')).toBe(CSP);
  });

  const REFUSED = [
    'app://pixdesk/../secret.txt',
    'app://pixdesk/assets/../../secret.txt',
    'app://pixdesk/%2e%2e/secret.txt',
    'app://pixdesk/%2E%2E/secret.txt',
    'app://pixdesk/assets/%2e%2e/%2e%2e/secret.txt',
    'app://pixdesk/..%2fsecret.txt',
    'app://pixdesk/%2e%2e%2fsecret.txt',
    'app://pixdesk/assets%2f..%2f..%2fsecret.txt',
    'app://pixdesk/..%5csecret.txt',
    'app://pixdesk/..\\secret.txt',
    'app://pixdesk/%252e%252e/secret.txt',
    'app://pixdesk/../renderer-evil/x.js',
    'app://pixdesk/%2e%2e/renderer-evil/x.js',
    'app://pixdesk//etc/passwd',
    'app://pixdesk/etc/passwd',
    'app://pixdesk/C:/Windows/win.ini',
    'app://pixdesk/index.html%00.js',
    'app://pixdesk/%00',
    'app://pixdesk/%E0%A4%A',
    'app://pixdesk/assets/',
    'app://pixdesk/assets',
    'app://pixdesk/link-out.txt',
    'app://pixdesk/missing.js',
    'app://evil/index.html',
    'app://pixdesk.evil/index.html',
    'app://pixdesk:8080/index.html',
  ];

  it.each(REFUSED)('refuses %j with a 404 that leaks nothing', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('app.js');
  });

  it('refuses an absolute path of a real file, encoded into the URL', async () => {
    const abs = path.join(base, 'secret.txt');
    for (const url of [`app://pixdesk/${encodeURIComponent(abs)}`, `app://pixdesk${abs}`]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain(SECRET);
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('app://pixdesk/index.html', 'POST')).status).toBe(405);
    expect((await get('app://pixdesk/index.html', 'HEAD')).status).toBe(200);
  });

  // Request itself refuses credentials, so that case is checked on the pure resolver.
  it('resolveRendererFile maps our URLs into the root and nothing else', () => {
    expect(resolveRendererFile(root, 'app://pixdesk/')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererFile(root, 'app://pixdesk/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    for (const url of ['app://pixdesk/..%2f..%2fsecret.txt', 'app://pixdesk/%2e%2e%2f', 'app://other/index.html', 'not a url', 'file:///etc/passwd', 'app://user@pixdesk/index.html']) {
      expect(resolveRendererFile(root, url), url).toBeNull();
    }
  });
});

describe('shared security headers', () => {
  it('the browser host and the Electron protocol send the same CSP, from one module', () => {
    expect(HOST_CSP).toBe(CSP);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('the Permissions-Policy names only features Chromium recognises (no "bluetooth")', () => {
    // Chromium's policy-controlled features the app turns off; "bluetooth" is not one (Chromium logs "Unrecognized feature").
    const recognised = new Set(['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'payment', 'display-capture', 'fullscreen', 'midi']);
    const features = (SECURITY_HEADERS['Permissions-Policy'] ?? '').split(',').map((p) => p.trim().replace(/=\(\)$/, ''));
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) expect(recognised.has(f), f).toBe(true);
    expect(features).not.toContain('bluetooth');
  });
});
