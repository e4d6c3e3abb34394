import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import { FORM, openCore, sandboxSheet, tempProfile } from './support';

/** `accounts:renew` on an id that does not exist, or on a deactivated account: a clear refusal, never INTERNAL. */
const open: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('accounts:renew refusals', () => {
  it('answers NOT_FOUND for an unknown id', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir);
    open.push(c);
    const r = await createDispatcher(c.handlers())('accounts:renew', { id: '00000000-0000-4000-8000-000000000000' });
    expect(r).toEqual({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND', message: 'Conta não encontrada. Atualize a lista de contas.' } });
  });

  it('refuses a deactivated account, saying how to renew it, and records no failed attempt', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir);
    open.push(c);
    const { bytes } = await sandboxSheet(c);
    const done = await c.onboarding.run(c.onboarding.importFile(bytes, 'a.xlsx').id, FORM);
    const dispatch = createDispatcher(c.handlers());
    await dispatch('accounts:setActive', { id: done.accountId!, active: false });
    const r = await dispatch('accounts:renew', { id: done.accountId! });
    expect(r).toMatchObject({ ok: false, error: { code: 'ACCOUNT_INACTIVE', message: expect.stringMatching(/desativada.*Reative/) } });
    expect(c.accounts.currentCertificate(done.accountId!).version).toBe(1);
    const list = await dispatch('accounts:list', {});
    expect(list).toMatchObject({ ok: true, value: [{ renewal: { lastAttemptAt: null, lastError: null } }] });
  });
});
