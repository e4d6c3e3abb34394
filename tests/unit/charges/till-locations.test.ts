import { afterEach, describe, expect, it } from 'vitest';
import { appMigrations } from '../../../main/core/db/migrations';
import { ManualTimers, coreWithAccount, rmProfile, until } from './support';

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
  return { ...r, timers };
}

describe('fixed till QR ("QR fixo do caixa") against the sandbox', () => {
  it('the migration adds the till locations and the charge bindings', async () => {
    const { core } = await setup();
    expect(appMigrations.map((m) => m.name)).toContain('0007-till-locations');
    expect(appMigrations.find((m) => m.name === '0007-till-locations')?.version).toBe(7);
    const tables = (core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['till_locations', 'charge_till_locs']));
  });

  it('one POST /loc per till, stored; the sticker BR Code points at the location and never changes', async () => {
    const { core, account } = await setup();
    const a = await core.charges.tills.ensure(account.id, 'Caixa 1');
    const b = await core.charges.tills.ensure(account.id, 'Caixa 1');
    expect(b).toEqual(a);
    expect(a.location).toMatch(/\/qr\/v2\//);
    expect(a.brCode).toMatch(/^000201/);
    expect(a.brCode).toContain(a.location.replace(/^https:\/\//, ''));
    const other = await core.charges.tills.ensure(account.id, 'Caixa 2');
    expect(other.locId).not.toBe(a.locId);
  });

  it('each charge of the till binds the location; the sticker pays the current charge; paid → unlinked → next charge', async () => {
    const { core, account, events } = await setup();
    const sticker = await core.charges.tills.ensure(account.id, 'Caixa 1');
    const first = await core.charges.charges.create({ amountCents: 700, till: 'Caixa 1', tillQr: true });
    expect(first).toMatchObject({ status: 'active', location: sticker.location });

    // A second open charge on the same till is refused, with what to do.
    await expect(core.charges.charges.create({ amountCents: 800, till: 'Caixa 1', tillQr: true })).rejects.toMatchObject({ code: 'TILL_BUSY' });
    await expect(core.charges.charges.create({ amountCents: 800, till: 'Caixa 1', tillQr: true })).rejects.toThrow(/já tem uma cobrança aberta no QR fixo/);

    // The customer scans the sticker: the sandbox resolves the location to the bound charge.
    const paid = await core.sandbox.pay({ brcode: sticker.brCode, payerName: 'Ana Lima' });
    expect(paid).toMatchObject({ txid: first.txid });
    await core.charges.charges.refresh(first.id);
    await until(() => events.some((e) => e.name === 'charge:paid'), 'charge:paid');
    await until(() => core.charges.tills.locOf(first.id) === null, 'the unlink');

    // The same sticker now carries the next charge.
    const second = await core.charges.charges.create({ amountCents: 990, till: 'Caixa 1', tillQr: true });
    expect(second.location).toBe(sticker.location);
    const again = await core.sandbox.pay({ brcode: sticker.brCode });
    expect(again).toMatchObject({ txid: second.txid, valor: '9.90' });
  });

  it('cancel unlinks too; a fixed QR is never offline', async () => {
    const { core, account } = await setup();
    const sticker = await core.charges.tills.ensure(account.id, 'Caixa 1');
    const c = await core.charges.charges.create({ amountCents: 500, till: 'Caixa 1', tillQr: true });
    await core.charges.charges.cancel(c.id);
    await until(() => core.charges.tills.locOf(c.id) === null, 'the unlink');
    const next = await core.charges.charges.create({ amountCents: 600, till: 'Caixa 1', tillQr: true });
    expect(next.location).toBe(sticker.location);
    await expect(core.charges.charges.create({ amountCents: 600, till: 'Caixa 2', tillQr: true, offline: 'fallback' })).rejects.toMatchObject({ code: 'TILL_QR_OFFLINE' });
  });
});
