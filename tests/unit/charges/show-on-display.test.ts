import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { coreWithAccount, rmProfile } from './support';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A core on the real sandbox, its dispatcher (no people yet: the profile is an implicit admin) and the events it published. */
async function setup() {
  const r = await coreWithAccount();
  cleanup.push(async () => {
    await r.core.close();
    rmProfile(r.profileDir);
  });
  return { ...r, dispatch: r.core.dispatcher() };
}

const shown = (events: { name: string }[]) => events.filter((e) => e.name === 'display:show');

describe('charges:showOnDisplay (resend an open charge to its till\'s customer display)', () => {
  it('an open charge: publishes display:show with its id and till, and answers the same', async () => {
    const { core, dispatch, events } = await setup();
    await core.settings.set({ tillName: 'Caixa 7' });
    const c = await core.charges.charges.create({ amountCents: 4321 });
    expect(c.status).toBe('active');
    expect(c.till).toBe('Caixa 7');
    expect(shown(events)).toHaveLength(0);

    const r = await dispatch('charges:showOnDisplay', { id: c.id });
    expect(r).toEqual({ ok: true, value: { chargeId: c.id, till: 'Caixa 7' } });
    expect(shown(events)).toEqual([{ name: 'display:show', payload: { chargeId: c.id, till: 'Caixa 7' } }]);
  }, 30_000);

  it('a paid charge is refused in pt-BR and publishes nothing (also when the payment is learnt only now, from the bank)', async () => {
    const { core, dispatch, events } = await setup();
    const c = await core.charges.charges.create({ amountCents: 1500 });
    // Paid at the bank, not yet seen here: the op asks the bank before deciding.
    await core.sandbox.pay({ brcode: c.brCode! });
    const r = await dispatch('charges:showOnDisplay', { id: c.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'CHARGE_NOT_OPEN', message: expect.stringMatching(/já foi paga.*nova cobrança/) } });
    expect(core.charges.charges.view(c.id).status).toBe('paid');
    expect(shown(events)).toHaveLength(0);
  }, 30_000);

  it('a cancelled charge is refused too', async () => {
    const { core, dispatch, events } = await setup();
    const c = await core.charges.charges.create({ amountCents: 990 });
    await core.charges.charges.cancel(c.id);
    const r = await dispatch('charges:showOnDisplay', { id: c.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'CHARGE_NOT_OPEN', message: expect.stringMatching(/cancelada/) } });
    expect(shown(events)).toHaveLength(0);
  }, 30_000);

  it('an unknown id: "Cobrança não encontrada"; a malformed id: refused by the schema', async () => {
    const { dispatch, events } = await setup();
    expect(await dispatch('charges:showOnDisplay', { id: crypto.randomUUID() })).toMatchObject({ ok: false, error: { code: 'CHARGE_NOT_FOUND', message: expect.stringMatching(/não encontrada/) } });
    const bad = await dispatch('charges:showOnDisplay', { id: 'nada' });
    expect(bad.ok).toBe(false);
    expect(shown(events)).toHaveLength(0);
  }, 30_000);
});
