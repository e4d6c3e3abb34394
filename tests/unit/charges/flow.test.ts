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
