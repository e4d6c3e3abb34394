import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppApi, type ApiRuntime } from '../../../main/core/api-server';
import type { Core } from '../../../main/core/app';
import { coreWithAccount, rmProfile } from '../charges/support';
import { call } from './support';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function core(): Promise<Core> {
  const r = await coreWithAccount({});
  cleanup.push(async () => {
    await r.core.close();
    rmProfile(r.profileDir);
  });
  return r.core;
}

function track(rt: ApiRuntime | null): ApiRuntime | null {
  if (rt) cleanup.push(() => rt.stop());
  return rt;
}

describe('the local API as the shells start it', () => {
  it('listens on 127.0.0.1 and answers OpenPix-style 401 without an AppID', async () => {
    const warnings: string[] = [];
    const rt = track(await startAppApi(await core(), '0', (l) => warnings.push(l)));
    expect(rt).not.toBeNull();
    expect(rt!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await call(rt!.url, '/api/v1/charge');
    expect(r.status).toBe(401);
    expect(typeof r.json?.error).toBe('string');
    expect(warnings).toEqual([]);
  });

  it('"off" and an invalid port leave it off, saying why in pt-BR', async () => {
    const c = await core();
    const warnings: string[] = [];
    expect(await startAppApi(c, 'off', (l) => warnings.push(l))).toBeNull();
    expect(warnings).toEqual([]);
    expect(await startAppApi(c, 'oitenta', (l) => warnings.push(l))).toBeNull();
    expect(warnings[0]).toMatch(/não é uma porta válida/);
  });

  it('a busy port never stops the app: the API stays off with what to do', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const warnings: string[] = [];
    expect(track(await startAppApi(await core(), String(port), (l) => warnings.push(l)))).toBeNull();
    expect(warnings[0]).toContain(`a porta ${port} já está em uso`);
    expect(warnings[0]).toContain('PIXDESK_API_PORT');
  });
});
