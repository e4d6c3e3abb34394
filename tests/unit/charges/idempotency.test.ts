import { afterEach, describe, expect, it } from 'vitest';
import { ManualTimers, coreWithAccount, rmProfile, until } from './support';

/*
 * A charge is stored with its txid before the bank is called and every retry sends the same txid and body:
 * lost answers, resets and 5xx never make a second charge at the bank (counted by the sandbox itself).
 */

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup() {
  const timers = new ManualTimers();
  const r = await coreWithAccount({ charges: { retries: 3, baseDelayMs: 5, timeoutMs: 5000, timers } });
  cleanup.push(async () => {
    await r.core.close();
    rmProfile(r.profileDir);
  });
  const bankCharges = async () => (await r.core.sandbox.stats()).charges[r.account.clientId] ?? 0;
  return { ...r, timers, bankCharges };
}


const COB = 'PUT /regulatorio-pix/v2/cob/*';
const GET_COB = 'GET /regulatorio-pix/v2/cob/*';

describe('idempotent creation', () => {
  it('the bank processes the PUT and the answer is lost: the retry returns the same charge, one at the bank', async () => {
    const { core, bankCharges } = await setup();
    await core.sandbox.setFault(COB, { dropResponse: true, times: 1 });
    const v = await core.charges.charges.create({ amountCents: 2590 });
    expect(v.status).toBe('active');
    expect(await bankCharges()).toBe(1);
    expect(core.charges.store.getCharge(v.id)?.attempts).toBe(1);
    // The charge the bank holds is ours: same txid, same amount.
    const atBank = await core.charges.client(v.accountId).getCob(v.txid);
    expect(atBank.valor.original).toBe('25.90');
  });

  it('every answer lost, then the bank down: the charge stays "creating" and is finished later with the same txid', async () => {
    const { core, bankCharges, events } = await setup();
    await core.sandbox.setFault(COB, { dropResponse: true });
    await expect(core.charges.charges.create({ amountCents: 990 })).rejects.toMatchObject({ code: 'CHARGE_PENDING' });
    const [row] = core.charges.store.inStates(['creating']);
    expect(row).toBeDefined();
    expect(row!.last_error).toMatch(/conexão|caiu/i);
    expect(await bankCharges()).toBe(1); // processed once even though 4 PUTs were sent
    await core.sandbox.clearFaults();
    await core.charges.charges.recoverPending();
    const v = core.charges.charges.view(row!.id);
    expect(v.status).toBe('active');
    expect(v.error).toBeNull();
    expect(await bankCharges()).toBe(1);
    expect(events.filter((e) => e.name === 'charge:created')).toHaveLength(1);
  });

  it('5xx on every PUT: pending, nothing at the bank; recovery GETs (404) and PUTs once', async () => {
    const { core, bankCharges } = await setup();
    await core.sandbox.setFault(COB, { status: 503 });
    await expect(core.charges.charges.create({ amountCents: 500 })).rejects.toMatchObject({ code: 'CHARGE_PENDING', message: expect.stringMatching(/mesmo txid/) });
    expect(await bankCharges()).toBe(0);
    await core.sandbox.clearFaults();
    await core.charges.runRound();
    const [v] = core.charges.store.inStates(['active']);
    expect(v).toBeDefined();
    expect(await bankCharges()).toBe(1);
  });

  it('no silent offline fallback; with "fallback" accepted, a static code replaces it and the dynamic one is cancelled at the bank later', async () => {
    const { core, bankCharges } = await setup();
    await core.sandbox.setFault(COB, { reset: true });
    await expect(core.charges.charges.create({ amountCents: 700 })).rejects.toMatchObject({ code: 'CHARGE_PENDING' });
    expect(core.charges.store.inStates(['pending_confirmation'])).toHaveLength(0);

    const off = await core.charges.charges.create({ amountCents: 700, offline: 'fallback' });
    expect(off).toMatchObject({ kind: 'static', status: 'pending_confirmation' });
    expect(off.txid.length).toBeLessThanOrEqual(25);
    expect(off.brCode).toContain(off.txid);
    const replaced = core.charges.store.list({ status: 'failed', limit: 10 }).rows.find((r) => r.replaced_by === off.id);
    expect(replaced?.cancel_at_bank).toBe(1);
    await core.sandbox.clearFaults();
    await core.charges.charges.recoverPending();
    expect(core.charges.store.getCharge(replaced!.id)?.cancel_at_bank).toBe(0);
    // The first charge (pending) was finished by the same round; the replaced one never reached the bank.
    expect(await bankCharges()).toBe(1);
  });
});

describe('polling survives resets and 5xx', () => {
  it('backs off while the bank fails, then sees the payment', async () => {
    const { core, timers, events } = await setup();
    const v = await core.charges.charges.create({ amountCents: 1200 });
    await core.sandbox.setFault(GET_COB, { reset: true });
    core.charges.watcher.watch(v.id);
    timers.fire();
    await until(() => timers.pending().length === 1, 'backoff after a reset');
    expect(timers.pending()).toEqual([4000]);
    await core.sandbox.setFault(GET_COB, { status: 500 });
    timers.fire();
    await until(() => timers.pending()[0] === 8000, 'longer backoff after a 5xx');
    await core.sandbox.clearFaults();
    await core.sandbox.pay({ brcode: v.brCode! });
    timers.fire();
    await until(() => events.some((e) => e.name === 'charge:paid'), 'charge:paid');
    expect(core.charges.charges.view(v.id).status).toBe('paid');
    expect(timers.pending()).toEqual([]);
  });
});
