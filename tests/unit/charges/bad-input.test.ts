import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { createDispatcher, type Dispatch } from '../../../main/core/contract/dispatch';
import type { AccountRow } from '../../../main/core/accounts/account-store';
import { openCore } from '../accounts/support';
import { FAST, coreWithAccount, rmProfile } from './support';

/** Bad input gets a clear pt-BR error and leaves nothing behind: no row here, no charge at the bank. */
describe('charges:create refuses bad input and stores nothing', () => {
  let core: Core;
  let account: AccountRow;
  let profileDir: string;
  let dispatch: Dispatch;
  const stored = () => (core.db.prepare('SELECT count(*) AS n FROM charges').get() as { n: number }).n;
  const atBank = async () => (await core.sandbox.stats()).charges[account.clientId] ?? 0;

  beforeAll(async () => {
    ({ core, account, profileDir } = await coreWithAccount());
    dispatch = createDispatcher(core.handlers());
  }, 60_000);
  afterAll(async () => {
    await core.close();
    rmProfile(profileDir);
  });

  const cases: [string, unknown, RegExp][] = [
    ['amount 0', { amountCents: 0 }, /maior que zero/],
    ['0,001 (a tenth of a cent)', { amountCents: 0.1 }, /centavos inteiros/],
    ['negative', { amountCents: -100 }, /maior que zero/],
    ['above the Pix maximum', { amountCents: 1e15 }, /máximo do Pix/],
    ['amount as text', { amountCents: '10.50' }, /centavos/],
    ['NaN-like', { amountCents: Number.NaN }, /centavos/],
    ['unknown field', { amountCents: 100, valor: '1.00' }, /valor/],
    ['unknown account', { amountCents: 100, accountId: crypto.randomUUID() }, /Conta não encontrada/],
    ['key of no account', { amountCents: 100, key: crypto.randomUUID() }, /não está cadastrada na conta/],
    ['expiry 0', { amountCents: 100, expiresIn: 0 }, /pelo menos 1 segundo/],
    ['description too long', { amountCents: 100, description: 'x'.repeat(141) }, /140/],
  ];
  for (const [name, input, msg] of cases) {
    it(name, async () => {
      const r = await dispatch('charges:create', input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(msg);
      expect(stored()).toBe(0);
    });
  }

  it('an inactive account', async () => {
    core.accounts.setActive(account.id, false);
    try {
      const r = await dispatch('charges:create', { amountCents: 100, accountId: account.id });
      expect(r).toMatchObject({ ok: false, error: { code: 'ACCOUNT_INACTIVE', message: expect.stringMatching(/desativada.*Reative/) } });
      const none = await dispatch('charges:create', { amountCents: 100 });
      expect(none).toMatchObject({ ok: false, error: { code: 'NO_ACCOUNT' } });
    } finally {
      core.accounts.setActive(account.id, true);
    }
    expect(stored()).toBe(0);
    expect(await atBank()).toBe(0);
  });

  it('an expired certificate (a year and more later): refused before any bank call; an offline code is still possible', async () => {
    const later = openCore(profileDir, { now: () => new Date(Date.now() + 400 * 86400_000), charges: FAST });
    try {
      const d = createDispatcher(later.handlers());
      const r = await d('charges:create', { amountCents: 100 });
      expect(r).toMatchObject({ ok: false, error: { code: 'CERT_EXPIRED', message: expect.stringMatching(/certificado.*expirou.*Renove/) } });
      expect(stored()).toBe(0);
      const off = await d('charges:create', { amountCents: 100, offline: 'fallback' });
      expect(off).toMatchObject({ ok: true, value: { kind: 'static', status: 'pending_confirmation', error: { message: expect.stringMatching(/expirou/) } } });
    } finally {
      await later.close();
    }
    expect(await atBank()).toBe(0);
  });
});
