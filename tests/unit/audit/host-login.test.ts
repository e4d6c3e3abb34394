import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost } from '../../../main/host/server';
import { openCore, tempProfile } from '../accounts/support';
import { rmProfile } from '../charges/support';

/**
 * The browser host carries who is logged in on each page session: two tabs of one host (two launch URLs) with one
 * logged in as the cashier and one not at all, against a real Core with people, through real HTTP.
 */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function post(port: number, op: string, session: string, body: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: `/rpc/${op}`, headers: { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}`, 'X-PixDesk-Session': session, 'Content-Type': 'application/json' } },
      (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(JSON.parse(b) as { ok: boolean; error?: { code: string } }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function listen(port: number, session: string): { text: () => string; stop: () => void } {
  let buf = '';
  const req = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}`, 'X-PixDesk-Session': session } }, (res) => {
    res.on('data', (c: Buffer) => (buf += c.toString()));
  });
  req.on('error', () => undefined);
  return { text: () => buf, stop: () => req.destroy() };
}

describe('browser host page sessions carry the login', () => {
  it('each tab logs in on its own; the dispatcher sees the tab’s identity', async () => {
    const profileDir = tempProfile();
    const core = openCore(profileDir, { shell: 'browser', loginScrypt: { N: 1024, r: 8, p: 1 } });
    const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<html><head></head><body></body></html>');
    const token = 'T'.repeat(32);
    const host = await startHost({ dispatch: core.dispatcher(), staticDir, token, events: core.events, eventFilter: (ctx, e) => core.eventAllowed(ctx.session, e) });
    cleanup.push(async () => {
      await host.close();
      await core.close();
      rmProfile(profileDir);
      fs.rmSync(staticDir, { recursive: true, force: true });
    });
    const open = () =>
      new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: host.port, path: `/?token=${token}`, headers: { Host: `127.0.0.1:${host.port}` } }, (res) => {
          let b = '';
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve(/content="([A-Za-z0-9_-]+)"/.exec(b)?.[1] ?? ''));
        }).on('error', reject);
      });
    const tabA = await open();
    const tabB = await open();
    expect(tabA).not.toBe(tabB);
    // No one exists yet: implicit admin on any tab.
    expect(await post(host.port, 'audit:list', tabB, {})).toMatchObject({ ok: true });
    expect(await post(host.port, 'auth:setup', tabA, { name: 'Ana', password: 'senha longa 1' })).toMatchObject({ ok: true });
    // Tab B never logged in: refused from now on; tab A is the admin.
    expect(await post(host.port, 'audit:list', tabB, {})).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    expect(await post(host.port, 'audit:list', tabA, {})).toMatchObject({ ok: true });
    expect(await post(host.port, 'auth:confirm', tabA, { password: 'senha longa 1' })).toMatchObject({ ok: true });
    expect(await post(host.port, 'auth:createUser', tabA, { name: 'Caio', password: 'senha longa 2', role: 'cashier' })).toMatchObject({ ok: true });
    expect(await post(host.port, 'auth:login', tabB, { name: 'Caio', password: 'senha longa 2' })).toMatchObject({ ok: true });
    expect(await post(host.port, 'audit:list', tabB, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await post(host.port, 'brcode:decode', tabB, { payload: 'x' })).not.toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(await post(host.port, 'audit:list', tabA, {})).toMatchObject({ ok: true }); // A is still Ana

    // Events: the admin's tab hears an onboarding change; the cashier's tab and a tab no one logged in do not.
    const tabC = await open();
    const streams = [tabA, tabB, tabC].map((s) => listen(host.port, s));
    await new Promise((r) => setTimeout(r, 150));
    core.events.publish('onboarding:changed', { id: 'sessao-x', status: 'prepared' });
    await new Promise((r) => setTimeout(r, 150));
    const [a, b, c] = streams.map((x) => x.text());
    for (const x of streams) x.stop();
    expect(a).toContain('sessao-x');
    expect(b).not.toContain('sessao-x');
    expect(c).not.toContain('sessao-x');
    expect(b).toContain(': pixdesk'); // the streams were open
  }, 30_000);
});
