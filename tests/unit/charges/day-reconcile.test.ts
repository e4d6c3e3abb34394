import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import type { AccountRow } from '../../../main/core/accounts/account-store';
import { daysBefore } from '../../../main/core/charges/dashboard';
import { nextDay, spDay } from '../../../main/core/charges/list-query';
import { contract, type Handlers } from '../../../main/core/contract';
import { coreWithAccount, rmProfile } from './support';

/*
 * The daily reconciliation against the real local sandbox (HTTPS/mTLS, GET /pix): a charge paid and recorded, a
 * direct transfer recorded, a direct transfer the app has not seen yet (only at the bank), a row only here, and an
 * amount that differs.
 */

let core: Core;
let account: AccountRow;
let profileDir: string;
let h: Handlers;

beforeAll(async () => {
  ({ core, account, profileDir } = await coreWithAccount());
  h = core.handlers();
});

afterAll(async () => {
  await core.close();
  rmProfile(profileDir);
});

describe('charges:reconcileDay', () => {
  it('sorts one day into matched, only at the bank and only here, by E2EID and txid', async () => {
    const today = spDay(core.now());
    const charge = await core.charges.charges.create({ amountCents: 4200, description: 'Bolo' });
    const paidCharge = await core.sandbox.pay({ brcode: charge.brCode!, payerName: 'Joana Prado', payerCpf: '12345678909' });
    const direct = await core.sandbox.pay({ key: account.pixKeys[0]!, amount: '7.77', payerName: 'Sem Cobrança' });
    await core.charges.reconcileAll();
    expect(core.charges.charges.view(charge.id).status).toBe('paid');
    // Paid after the app last looked: the bank has it, PixDesk not yet.
    const unseen = await core.sandbox.pay({ key: account.pixKeys[0]!, amount: '3.33', payerName: 'Depois' });
    // Recorded here, unknown to the bank (a row restored from elsewhere, a bank-side reversal…).
    const ghost = 'E00000000' + today.replace(/-/g, '') + '1200GHOSTROW001';
    core.db
      .prepare('INSERT INTO received_pix (e2eid, account_id, amount_cents, received_at, payer_name, created_at) VALUES (?, ?, 990, ?, ?, ?)')
      .run(ghost, account.id, core.now().toISOString(), 'Fantasma', core.now().toISOString());

    const r = await h['charges:reconcileDay']({ day: today, accountId: account.id });
    expect(r.accountId).toBe(account.id);
    expect(r.complete).toBe(false);
    expect(r.matched.map((m) => m.e2eid).sort()).toEqual([paidCharge.endToEndId, direct.endToEndId].sort());
    expect(r.matched.find((m) => m.e2eid === paidCharge.endToEndId)).toMatchObject({ chargeId: charge.id, txid: charge.txid, amountCents: 4200, bankAmountCents: 4200 });
    expect(r.matched.find((m) => m.e2eid === direct.endToEndId)).toMatchObject({ chargeId: null, amountCents: 777, bankAmountCents: 777 });
    expect(r.bankOnly).toEqual([expect.objectContaining({ e2eid: unseen.endToEndId, amountCents: 333, payerName: 'Depois', chargeId: null })]);
    expect(r.localOnly).toEqual([expect.objectContaining({ e2eid: ghost, amountCents: 990, payerName: 'Fantasma' })]);
    expect(r.totals).toEqual({ matchedCents: 4977, bankOnlyCents: 333, localOnlyCents: 990, bankCents: 4200 + 777 + 333 });
    expect(r.amountMismatches).toBe(0);
    // The check changes nothing: the unseen Pix is still not recorded.
    expect(core.charges.store.getPix(unseen.endToEndId)).toBeUndefined();

    // An amount recorded wrong here is flagged on its matched line; the default account is used when none is given.
    core.db.prepare('UPDATE received_pix SET amount_cents = 4100 WHERE e2eid = ?').run(paidCharge.endToEndId);
    const again = await h['charges:reconcileDay']({ day: today });
    expect(again.accountId).toBe(account.id);
    expect(again.amountMismatches).toBe(1);
    expect(again.matched.find((m) => m.e2eid === paidCharge.endToEndId)).toMatchObject({ amountCents: 4100, bankAmountCents: 4200 });

    // A charge paid here with no received-Pix row is matched by its E2EID too (its payment lives on the charge only).
    core.db.prepare('DELETE FROM received_pix WHERE e2eid = ?').run(paidCharge.endToEndId);
    const viaCharge = await h['charges:reconcileDay']({ day: today });
    expect(viaCharge.matched.find((m) => m.e2eid === paidCharge.endToEndId)).toMatchObject({ chargeId: charge.id, amountCents: 4200 });
  });

  it('a past day with nothing is complete and empty; a future day or a malformed one is refused in pt-BR', async () => {
    const today = spDay(core.now());
    const r = await h['charges:reconcileDay']({ day: daysBefore(today, 3) });
    expect(r).toMatchObject({ complete: true, matched: [], bankOnly: [], localOnly: [] });
    await expect(h['charges:reconcileDay']({ day: nextDay(nextDay(today)) })).rejects.toThrow(/ainda não começou/);
    const bad = contract['charges:reconcileDay'].input.safeParse({ day: '2026-02-30' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('data inexistente');
  });
});
