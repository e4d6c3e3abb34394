import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { ManualTimers, coreWithAccount, rmProfile, until } from './support';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(timers = new ManualTimers()) {
  const r = await coreWithAccount({ charges: { retries: 3, baseDelayMs: 5, timeoutMs: 5000, timers } });
  cleanup.push(async () => {
    await r.core.close();
    rmProfile(r.profileDir);
  });
  return { ...r, timers };
}

async function payAtSandbox(core: Core, brcode: string) {
  return core.sandbox.pay({ brcode, payerName: 'Maria da Silva' });
}

describe('dynamic charge against the sandbox', () => {
  it('a sandbox account gets a registered random key; create → pay → paid within one poll', async () => {
    const { core, account, timers, events } = await setup();
    expect(account.pixKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await core.sandbox.pixKeys(account.clientId)).toContain(account.pixKeys[0]);

    const v = await core.charges.charges.create({ amountCents: 1050, description: 'Pão de queijo' });
    expect(v).toMatchObject({ status: 'active', kind: 'dynamic', amountCents: 1050, accountId: account.id, pixKey: account.pixKeys[0] });
    expect(v.txid).toMatch(/^[a-zA-Z0-9]{26,35}$/);
    expect(v.brCode).toMatch(/^000201/);
    expect(events.filter((e) => e.name === 'charge:created')).toHaveLength(1);

    core.charges.watcher.watch(v.id);
    timers.fire(); // first poll: still active, next one scheduled in 2 s
    await until(() => timers.pending().includes(2000), 'the next poll to be scheduled');
    expect(core.charges.watcher.polls).toBe(1);
    expect(core.charges.charges.view(v.id).status).toBe('active');
    await payAtSandbox(core, v.brCode!);
    timers.fire(); // one poll later the charge is paid
    await until(() => events.some((e) => e.name === 'charge:paid'), 'charge:paid');
    expect(core.charges.watcher.polls).toBe(2);
    const paid = core.charges.charges.view(v.id);
    expect(paid).toMatchObject({ status: 'paid', paidCents: 1050, payer: { name: 'Maria da Silva' } });
    expect(paid.e2eid).toMatch(/^E[0-9A-Za-z]{31}$/);
    // a paid charge is not polled any more
    expect(core.charges.watcher.watched()).toEqual([]);
  });
});

describe('cancel, expiry, offline codes, lists and secrets', () => {
  it('cancel sends PATCH REMOVIDA_PELO_USUARIO_RECEBEDOR; the bank refuses to let it be paid afterwards', async () => {
    const { core, events } = await setup();
    const v = await core.charges.charges.create({ amountCents: 900 });
    const c = await core.charges.charges.cancel(v.id);
    expect(c).toMatchObject({ status: 'cancelled', bankStatus: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' });
    expect(events.map((e) => e.name)).toContain('charge:cancelled');
    await expect(core.sandbox.pay({ brcode: v.brCode! })).rejects.toThrow(/REMOVIDA/);
    await expect(core.charges.charges.cancel(v.id)).rejects.toMatchObject({ code: 'CHARGE_NOT_OPEN' });
  });

  it('a paid charge cannot be cancelled (pt-BR, pointing at the refund)', async () => {
    const { core } = await setup();
    const v = await core.charges.charges.create({ amountCents: 900 });
    await core.sandbox.pay({ brcode: v.brCode! });
    await expect(core.charges.charges.cancel(v.id)).rejects.toMatchObject({ code: 'CHARGE_ALREADY_PAID', message: expect.stringMatching(/Devolver/) });
    expect(core.charges.charges.view(v.id).status).toBe('paid');
  });

  it('expires locally once calendario.expiracao has passed', async () => {
    const { core, events } = await setup();
    const v = await core.charges.charges.create({ amountCents: 100, expiresIn: 1 });
    await until(() => Date.now() > Date.parse(v.expiresAt), 'expiry time');
    core.charges.charges.expireDue();
    expect(core.charges.charges.view(v.id).status).toBe('expired');
    expect(events.filter((e) => e.name === 'charge:expired')).toHaveLength(1);
  });

  it('an offline code is "a confirmar" until GET /pix reports its txid; watching it finds the payment', async () => {
    const { core, timers, events } = await setup();
    const v = await core.charges.charges.create({ amountCents: 2500, offline: true, description: 'Mesa 4' });
    expect(v).toMatchObject({ kind: 'static', status: 'pending_confirmation', location: null });
    expect(v.brCode).toContain(v.txid);
    core.charges.watcher.watch(v.id);
    timers.fire();
    await until(() => timers.pending().includes(2000), 'next poll');
    expect(core.charges.charges.view(v.id).status).toBe('pending_confirmation');
    await core.sandbox.pay({ brcode: v.brCode!, payerName: 'Ana' });
    timers.fire();
    await until(() => events.some((e) => e.name === 'charge:paid'), 'charge:paid');
    expect(core.charges.charges.view(v.id)).toMatchObject({ status: 'paid', paidCents: 2500, payer: { name: 'Ana' } });
  });

  it('charges:list pages by keyset and filters by status; no answer or event carries a secret', async () => {
    const { core, account, events } = await setup();
    const h = core.handlers();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await h['charges:create']({ amountCents: 100 + i, description: `item ${i}` })).id);
    await h['charges:cancel']({ id: made[0]! });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h['charges:list']({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    expect((await h['charges:list']({ status: 'cancelled', limit: 50 })).items.map((c) => c.id)).toEqual([made[0]]);
    expect((await h['charges:list']({ q: 'item 3', limit: 50 })).items.map((c) => c.id)).toEqual([made[3]]);

    const creds = core.accounts.credentials(account.id);
    const token = await core.tokens.get(account.id);
    const text = JSON.stringify([seen.map((id) => core.charges.charges.view(id)), events]);
    for (const secret of [creds.clientSecret, creds.keyPem.split('\n')[3]!, token]) expect(text.includes(secret)).toBe(false);
  });
});

describe('watch counting and lifecycle', () => {
  it('two screens share one poll; it stops when the last one leaves, and Core.close() stops every timer', async () => {
    const { core, timers } = await setup();
    const h = core.handlers();
    const v = await h['charges:create']({ amountCents: 300 });
    expect(await h['charges:watch']({ id: v.id })).toEqual({ watching: true });
    expect(await h['charges:watch']({ id: v.id })).toEqual({ watching: true });
    expect(timers.pending()).toEqual([0]);
    expect(await h['charges:unwatch']({ id: v.id })).toEqual({ watching: true });
    expect(await h['charges:unwatch']({ id: v.id })).toEqual({ watching: false });
    expect(timers.pending()).toEqual([]);
    expect(() => h['charges:watch']({ id: crypto.randomUUID() })).toThrow(/Cobrança não encontrada/);

    core.charges.start();
    await h['charges:watch']({ id: v.id });
    expect(timers.pending().length).toBe(2);
    await core.close();
    expect(timers.pending()).toEqual([]);
  });
});
